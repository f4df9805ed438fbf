"""Simulated Telegram users for story-like tests and the terminal demo.

Owns: what a person does in a chat with the bot (write text or a command, send a sticker, photo,
voice or document, tap an inline or keyboard button) and what that person sees (the chat with
edits applied and deleted messages gone, a readable transcript, waiting for the bot's next move).
Each action becomes a real Update JSON on the emulator's queue, which the bot receives through
getUpdates or its webhook.

    user = emu.user(1001, "Иван")
    await user.send("/start")
    reply = await user.wait_for_bot()
    await user.press("Задержан ICE")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.formatting import parse_text
from emulator.methods import BotApiMethods
from emulator.state import BotEvent, CallbackAnswer, Chat, ChatMessage, Person

# Tiny valid files, so a bot that downloads them gets real bytes.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
TINY_OGG = b"OggS\x00\x02" + bytes(22)
TINY_PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def user_text(text: str) -> tuple[str, list[dict[str, Any]]]:
    """What Telegram makes of a typed text: trimmed, with the entities it finds by itself
    (bot_command for "/start", url, mention, hashtag, ...)."""
    plain, entities = parse_text(text, None, None)
    if not plain:
        raise ValueError("Telegram does not send an empty message")
    return plain, entities


def describe(message: ChatMessage) -> str:
    """One message as a line of a transcript (without the sender)."""
    kind = message.kind
    if kind == "text":
        return message.body
    label = kind.replace("_", " ")
    if kind == "document":
        name = message.media["document"].get("file_name")
        label = f"document {name}" if name else label
    elif kind == "sticker":
        label = f"sticker {message.media['sticker'].get('emoji', '')}".strip()
    elif kind in ("voice", "audio", "video_note"):
        label = f"{label} {message.media[kind].get('duration', 0)}s"
    caption = f" {message.caption}" if message.caption else ""
    return f"[{label}]{caption}"


class ChatView:
    """What a participant sees in one chat with the bot, and waiting for the bot's next move."""

    def __init__(self, emu: BotApiMethods, chat_id: int) -> None:
        self.emu = emu
        self.chat_id = chat_id
        self._cursor = 0

    @property
    def chat(self) -> Chat:
        """The emulator's state of this chat."""
        return self.emu.chats[self.chat_id]

    @property
    def messages(self) -> list[ChatMessage]:
        """The chat as people see it now: bot and user messages, edits applied, deletes gone."""
        return self.chat.visible()

    @property
    def bot_messages(self) -> list[ChatMessage]:
        """Visible messages from the bot, oldest first."""
        return [m for m in self.messages if m.from_bot]

    @property
    def last_bot_message(self) -> ChatMessage | None:
        """The newest visible bot message, if any."""
        bot_messages = self.bot_messages
        return bot_messages[-1] if bot_messages else None

    @property
    def last(self) -> ChatMessage:
        """The newest visible bot message; fails loudly when the bot has said nothing."""
        message = self.last_bot_message
        if message is None:
            raise AssertionError(f"the bot has sent nothing here:\n{self.transcript()}")
        return message

    @property
    def chat_actions(self) -> list[str]:
        """Every sendChatAction the bot made here ("typing", ...)."""
        return list(self.chat.chat_actions)

    @property
    def reply_keyboard(self) -> list[list[str]]:
        """Labels of the custom reply keyboard currently shown, row by row."""
        markup = self.chat.reply_keyboard
        if not markup:
            return []
        return [
            [b if isinstance(b, str) else b.get("text", "") for b in row]
            for row in markup["keyboard"]
        ]

    def transcript(self) -> str:
        """The chat as readable text: "> " for people, "< " for the bot, buttons in brackets."""
        lines: list[str] = []
        for message in self.messages:
            body = describe(message)
            if message.from_bot:
                lines.append("< " + body.replace("\n", "\n  "))
                for row in message.button_rows:
                    lines.append("  " + " ".join(f"[{label}]" for label in row))
            else:
                lines.append("> " + self._speaker(message) + body.replace("\n", "\n  "))
        return "\n".join(lines)

    def _speaker(self, message: ChatMessage) -> str:
        return ""

    def _mark_seen(self) -> None:
        self._cursor = len(self.chat.events)

    async def wait_for_bot(
        self,
        predicate: Callable[[ChatMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 (part of the public API)
    ) -> ChatMessage:
        """Wait for the bot's next new or edited message here (matching ``predicate``).

        "Next" means after this participant's last action or last wait, so a reply that came
        before the call is not missed. Returns a snapshot of the message at that moment.
        """
        chat = self.chat
        found: list[ChatMessage] = []

        def arrived() -> bool:
            while self._cursor < len(chat.events):
                event: BotEvent = chat.events[self._cursor]
                self._cursor += 1
                if event.kind == "deleted":
                    continue
                if predicate is None or predicate(event.message):
                    found.append(event.message)
                    return True
            return False

        try:
            await chat.changed.wait_until(arrived, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"no new bot message within {timeout} s; the chat so far:\n{self.transcript()}"
            ) from None
        return found[0]

    def _find_button(
        self, label: str, message: ChatMessage | None
    ) -> tuple[ChatMessage, dict[str, Any]] | None:
        candidates = [message] if message is not None else list(reversed(self.bot_messages))
        for candidate in candidates:
            button = candidate.button(label)
            if button is not None:
                return candidate, button
        return None

    def _visible_labels(self, message: ChatMessage | None) -> list[str]:
        messages = [message] if message is not None else self.bot_messages
        labels = [label for m in messages for label in m.buttons]
        labels += [label for row in self.reply_keyboard for label in row]
        return labels


class SimulatedUser(ChatView):
    """A person in a private chat with the bot."""

    def __init__(self, emu: BotApiMethods, person: Person) -> None:
        super().__init__(emu, person.id)
        self.person = person

    @property
    def id(self) -> int:
        """The user's Telegram id (also the private chat id)."""
        return self.person.id

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """The bot's answers to this user's button presses, oldest first."""
        return list(self.emu.callback_answers.get(self.person.id, []))

    def block(self) -> None:
        """Block the bot."""
        self.emu.block(self.person.id)

    def unblock(self) -> None:
        """Unblock the bot."""
        self.emu.unblock(self.person.id)

    def _before_action(self) -> Chat:
        chat = self.chat
        if chat.blocked:
            self.emu.unblock(self.person.id)  # writing to a blocked bot means restarting it
        self._mark_seen()
        return chat

    async def send(self, text: str, *, reply_to: ChatMessage | None = None) -> int | None:
        """Write a text or a command; returns the update id."""
        plain, entities = user_text(text)
        chat = self._before_action()
        _, update_id = self.emu.user_message(
            chat,
            self.person,
            text=plain,
            entities=entities,
            reply_to_message_id=reply_to.message_id if reply_to else None,
        )
        return update_id

    async def _send_file(
        self, kind: str, data: bytes, caption: str | None = None, **details: Any
    ) -> int | None:
        chat = self._before_action()
        stored = self.emu.new_user_file(kind, data, **details)
        _, update_id = self.emu.user_message(
            chat, self.person, media=self.emu.media_json(stored), caption=caption
        )
        return update_id

    async def send_sticker(self, emoji: str = "👍") -> int | None:
        """Send a sticker."""
        return await self._send_file("sticker", b"RIFF\x00\x00\x00\x00WEBP", file_name=emoji)

    async def send_photo(self, caption: str | None = None, data: bytes = TINY_PNG) -> int | None:
        """Send a photo (a tiny PNG unless ``data`` is given)."""
        return await self._send_file("photo", data, caption)

    async def send_voice(self, duration: int = 3) -> int | None:
        """Send a voice message."""
        return await self._send_file("voice", TINY_OGG, mime="audio/ogg", duration=duration)

    async def send_document(
        self,
        file_name: str = "document.pdf",
        caption: str | None = None,
        data: bytes = TINY_PDF,
        mime: str = "application/pdf",
    ) -> int | None:
        """Send a document."""
        return await self._send_file("document", data, caption, file_name=file_name, mime=mime)

    async def press(self, label: str, message: ChatMessage | None = None) -> int | None:
        """Tap the button with this label on the newest bot message that has it (or ``message``).

        An inline callback button sends a callback_query; a reply-keyboard button sends its text.
        Raises KeyError listing the visible labels when there is no such button.
        """
        chat = self.chat
        found = self._find_button(label, message)
        if found is None:
            if label in [text for row in self.reply_keyboard for text in row]:
                markup = chat.reply_keyboard or {}
                if markup.get("one_time_keyboard"):
                    chat.reply_keyboard = None
                return await self.send(label)
            raise KeyError(f"no button {label!r}; visible buttons: {self._visible_labels(message)}")
        target, button = found
        if "callback_data" not in button:
            action = next((k for k in button if k != "text"), "?")
            raise ValueError(f"button {label!r} is a {action} button; nothing is sent to the bot")
        self._before_action()
        return self.emu.press_button(chat, self.person, target, button["callback_data"])


class GroupChat(ChatView):
    """A group chat with the bot; any simulated user can write in it."""

    @property
    def title(self) -> str:
        """The group's title."""
        return self.chat.title or ""

    def _speaker(self, message: ChatMessage) -> str:
        return f"{message.sender.first_name}: "

    def set_privacy_mode(self, enabled: bool) -> None:
        """With privacy mode on (Telegram's default) the bot sees commands, mentions, replies."""
        self.chat.privacy_mode = enabled

    def remove_bot(self, *, kicked: bool = True) -> None:
        """The bot is removed from the group (sends then get 403)."""
        self.chat.bot_status = "kicked" if kicked else "left"

    async def send(
        self, user: SimulatedUser | Person, text: str, *, reply_to: ChatMessage | None = None
    ) -> int | None:
        """``user`` writes in the group; returns the update id, or None if the bot can't see it."""
        person = user.person if isinstance(user, SimulatedUser) else user
        plain, entities = user_text(text)
        self._mark_seen()
        _, update_id = self.emu.user_message(
            self.chat,
            person,
            text=plain,
            entities=entities,
            reply_to_message_id=reply_to.message_id if reply_to else None,
        )
        return update_id

    async def press(
        self, user: SimulatedUser | Person, label: str, message: ChatMessage | None = None
    ) -> int | None:
        """``user`` taps an inline callback button in the group."""
        person = user.person if isinstance(user, SimulatedUser) else user
        found = self._find_button(label, message)
        if found is None:
            raise KeyError(f"no button {label!r}; visible buttons: {self._visible_labels(message)}")
        target, button = found
        if "callback_data" not in button:
            raise ValueError(f"button {label!r} sends nothing to the bot")
        self._mark_seen()
        return self.emu.press_button(self.chat, person, target, button["callback_data"])
