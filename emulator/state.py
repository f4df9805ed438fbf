"""The emulator's in-memory state: the records of chats, messages, people and files, and the state
every Bot API method family reads and changes.

Owns: the data classes both sides use (``Person``, ``Chat``, ``ChatMessage``, ``BotEvent``,
``CallbackAnswer``, ``StoredFile``, ...), and ``EmulatorState``: the chats, files, callback queries,
bot settings, the update queue, flood limits, and the few operations every family needs (the
clock, queueing an update, finding a chat the bot may write to, the flood check, blocking).

The method families in ``emulator/methods/`` extend ``EmulatorState``; ``server.py`` adds HTTP on
top and ``client.py`` acts on it as simulated people. This module imports none of them.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from emulator.limits import FloodLimiter
from emulator.spec import bad_request, forbidden, inline_buttons, too_many_requests

DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
    }
)

Handler = Callable[["CallContext", dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class CallbackAnswer:
    """The bot's answerCallbackQuery for one of a user's button presses."""

    query_id: str
    text: str
    show_alert: bool
    url: str | None


@dataclass
class Person:
    """A Telegram user account (a simulated person or the bot itself)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_json(self) -> dict[str, Any]:
        """Telegram's User object."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


@dataclass
class StoredFile:
    """A file known to the emulator: uploaded by the bot or sent by a simulated user."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    duration: int = 0

    @property
    def file_path(self) -> str:
        """Where getFile says the file can be downloaded."""
        return f"{self.kind}s/{self.file_unique_id}"


@dataclass
class ChatMessage:
    """One message in a chat as Telegram stores it (current version plus edit history)."""

    chat_id: int
    message_id: int
    date: int
    sender: Person
    from_bot: bool
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, Any] = field(default_factory=dict)
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    @property
    def kind(self) -> str:
        """ "text", or the media field name ("photo", "document", "sticker", ...)."""
        return next(iter(self.media), "text") if self.text is None else "text"

    @property
    def body(self) -> str:
        """The visible text: message text or media caption ("" if none)."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def button_rows(self) -> list[list[str]]:
        """Labels of the inline keyboard, row by row."""
        if not self.reply_markup:
            return []
        return [[b.get("text", "") for b in row] for row in self.reply_markup["inline_keyboard"]]

    @property
    def buttons(self) -> list[str]:
        """Labels of all inline buttons."""
        return [label for row in self.button_rows for label in row]

    def button(self, label: str) -> dict[str, Any] | None:
        """The inline button with this label, if any."""
        for button in inline_buttons(self.reply_markup):
            if button.get("text") == label:
                return button
        return None

    def version(self) -> dict[str, Any]:
        """The editable content, as kept in the edit history."""
        return {
            "text": self.text,
            "entities": copy.deepcopy(self.entities),
            "caption": self.caption,
            "caption_entities": copy.deepcopy(self.caption_entities),
            "reply_markup": copy.deepcopy(self.reply_markup),
            "edit_date": self.edit_date,
        }

    def to_json(self, chat: Chat, *, with_reply: bool = True) -> dict[str, Any]:
        """Telegram's Message object."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender.to_json(),
            "chat": chat.to_json(),
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if with_reply and self.reply_to_message_id is not None:
            replied = chat.messages.get(self.reply_to_message_id)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = replied.to_json(chat, with_reply=False)
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = copy.deepcopy(self.entities)
        data.update(copy.deepcopy(self.media))
        if self.caption:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = copy.deepcopy(self.caption_entities)
        if self.reply_markup is not None:
            data["reply_markup"] = copy.deepcopy(self.reply_markup)
        return data


@dataclass(frozen=True)
class BotEvent:
    """Something the bot did in a chat: a snapshot of the message right after it."""

    kind: Literal["sent", "edited", "deleted"]
    message: ChatMessage


class Signal:
    """Wakes every waiter each time it fires (an asyncio.Event that re-arms itself)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Wake everyone waiting now."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self) -> None:
        """Wait for the next fire()."""
        await self._event.wait()

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float | None,  # noqa: ASYNC109 (a deadline is this helper's purpose)
    ) -> None:
        """Return once ``predicate()`` is true (checked at each fire); TimeoutError on timeout."""
        async with asyncio.timeout(timeout):
            while not predicate():
                await self._event.wait()


@dataclass
class Chat:
    """A chat the bot can write to: a user's private chat or a group."""

    id: int
    type: Literal["private", "group"]
    title: str | None = None
    user: Person | None = None
    username: str | None = None
    opened: bool = True
    blocked: bool = False
    bot_status: Literal["member", "left", "kicked"] = "member"
    privacy_mode: bool = True
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    events: list[BotEvent] = field(default_factory=list)
    chat_actions: list[str] = field(default_factory=list)
    reply_keyboard: dict[str, Any] | None = None
    changed: Signal = field(default_factory=Signal)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def next_message_id(self) -> int:
        """Message ids grow by one per chat, like in private chats and basic groups."""
        return next(self._ids)

    def to_json(self) -> dict[str, Any]:
        """Telegram's Chat object."""
        if self.type == "private":
            assert self.user is not None
            data: dict[str, Any] = {"id": self.id, "type": "private"}
            data.update({k: v for k, v in self.user.to_json().items() if k in _CHAT_USER_KEYS})
            return data
        data = {"id": self.id, "type": self.type, "title": self.title or ""}
        if self.username:
            data["username"] = self.username
        return data

    def full_json(self) -> dict[str, Any]:
        """Telegram's ChatFullInfo object (getChat)."""
        data = self.to_json()
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return data

    def visible(self) -> list[ChatMessage]:
        """Messages not deleted, oldest first."""
        return [m for m in self.messages.values() if not m.deleted]


_CHAT_USER_KEYS = ("first_name", "last_name", "username")


@dataclass
class CallbackQueryState:
    """A button press waiting for answerCallbackQuery."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    created: float
    answered: bool = False


@dataclass
class Webhook:
    """The webhook set with setWebhook (a test may change ``url`` to a local listener)."""

    url: str
    secret_token: str | None
    max_connections: int
    allowed_updates: list[str] | None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass(frozen=True)
class CallContext:
    """Who is calling (the bot identified by the token) and which method."""

    bot: Person
    method: str


class WithDescription(NamedTuple):
    """A successful result that also carries Telegram's ``description`` ("Webhook was set")."""

    result: Any
    description: str


class EmulatorState:
    """Everything the emulated Telegram knows, without HTTP; method families extend it."""

    def __init__(
        self,
        *,
        bot_id: int,
        bot_username: str,
        bot_name: str,
        limiter: FloodLimiter,
        monotonic: Callable[[], float],
        wall_clock: Callable[[], float],
    ) -> None:
        self.bot_id = bot_id  # updated from each request's token
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.limiter = limiter
        self.monotonic = monotonic
        self.wall_clock = wall_clock
        # Bot settings and answers (records tests read).
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.callback_answers: dict[int, list[CallbackAnswer]] = {}
        self.webhook: Webhook | None = None
        self.confirmed_update_id = 0
        # Chats, files, button presses.
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryState] = {}
        # The update queue.
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(4_382_917_310_000_000_001)
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._updates_signal = Signal()
        self._confirm_signal = Signal()
        self._poll_generation = 0
        self._webhook_task: asyncio.Task[None] | None = None
        self._closing = False
        self._forced_429: list[int] = []

    def _method_handlers(self) -> dict[str, Handler]:
        """Bot API method name -> handler; each method family adds its own to super()'s."""
        return {}

    def now(self) -> int:
        """Unix time for message dates (from the settable wall clock)."""
        return int(self.wall_clock())

    def enqueue(self, update_type: str, payload: dict[str, Any]) -> int | None:
        """Add an update; returns its id, or None when allowed_updates filters it out."""
        if update_type not in self._allowed_updates:
            return None
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, update_type: payload})
        self._updates_signal.fire()
        return update_id

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends to them get 403 and the bot gets my_chat_member."""
        self._set_blocked(user_id, True)

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self._set_blocked(user_id, False)

    def _set_blocked(self, user_id: int, blocked: bool) -> None:
        chat = self.chats.get(user_id)
        if chat is None or chat.user is None:
            raise KeyError(f"no simulated user {user_id}")
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        statuses = ("member", "kicked") if blocked else ("kicked", "member")
        bot = self._bot_person()
        old: dict[str, Any] = {"user": bot.to_json(), "status": statuses[0]}
        new: dict[str, Any] = {"user": bot.to_json(), "status": statuses[1]}
        for member in (old, new):
            if member["status"] == "kicked":
                member["until_date"] = 0
        payload = {
            "chat": chat.to_json(),
            "from": chat.user.to_json(),
            "date": self.now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        self.enqueue("my_chat_member", payload)

    def _bot_person(self) -> Person:
        return Person(
            id=self.bot_id,
            first_name=self.names.get("", self.bot_name),
            username=self.bot_username,
            is_bot=True,
        )

    def _find_chat(self, chat_id: int | str) -> Chat:
        chat: Chat | None = None
        if isinstance(chat_id, int):
            chat = self.chats.get(chat_id)
        elif chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            chat = next(
                (c for c in self.chats.values() if c.username and c.username.lower() == wanted),
                None,
            )
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _writable_chat(self, chat_id: int | str) -> Chat:
        chat = self._find_chat(chat_id)
        if chat.type == "private":
            if chat.blocked:
                raise forbidden("bot was blocked by the user")
            if not chat.opened:
                raise forbidden("bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            raise forbidden("bot was kicked from the group chat")
        elif chat.bot_status == "left":
            raise forbidden("bot is not a member of the group chat")
        return chat

    def _flood_check(self, chat: Chat) -> None:
        if self._forced_429:
            raise too_many_requests(self._forced_429.pop(0))
        retry_after = self.limiter.acquire(chat.id, is_group=chat.type != "private")
        if retry_after is not None:
            raise too_many_requests(retry_after)

    @staticmethod
    def _record_event(
        chat: Chat, kind: Literal["sent", "edited", "deleted"], message: ChatMessage
    ) -> None:
        # The snapshot shares the edit history's past versions (they never change once kept):
        # a deep copy of a message edited hundreds of times made every edit cost more.
        history, message.history = message.history, []
        try:
            snapshot = copy.deepcopy(message)
        finally:
            message.history = history
        snapshot.history = list(history)
        chat.events.append(BotEvent(kind, snapshot))
        chat.changed.fire()
