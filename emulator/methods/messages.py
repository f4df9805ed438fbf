"""Bot API methods that write, edit and delete messages, and what people write to the bot.

Owns: sendMessage, sendLocation, sendContact, sendDice, editMessageText / editMessageCaption /
editMessageReplyMarkup, deleteMessage / deleteMessages, sendChatAction and getChat; the rules they
share (text and caption parsing and length, replies, reply keyboards, "message is not modified",
the 48-hour delete window), and ``user_message``: a simulated person's message, queued for the
bot when privacy mode lets it see it. Sending files is in ``files.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.formatting import (
    MAX_CAPTION_LENGTH,
    MAX_MESSAGE_LENGTH,
    EntityParseError,
    UnsupportedParseMode,
    parse_text,
)
from emulator.spec import ApiError, bad_request, check_reply_markup
from emulator.state import CallContext, Chat, ChatMessage, EmulatorState, Handler, Person

DELETE_WINDOW = 48 * 3600  # a message can only be deleted for everyone within 48 hours
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "record_audio",
        "upload_audio",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
        "cancel",
    }
)
# Telegram's own texts where the Bot API server reports the Telegram server's error.
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class MessageMethods(EmulatorState):
    """Messages in chats: sending, editing, deleting."""

    def _method_handlers(self) -> dict[str, Handler]:
        return {
            **super()._method_handlers(),
            "sendMessage": self._send_message,
            "sendLocation": self._send_location,
            "sendContact": self._send_contact,
            "sendDice": self._send_dice,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
        }

    async def _send_message(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        text, entities = self._message_text(p)
        markup = check_reply_markup(p["reply_markup"]) if "reply_markup" in p else None
        chat = self._writable_chat(p["chat_id"])
        reply_to = self._reply_to(chat, p)
        self._flood_check(chat)
        message = self._store_bot_message(
            chat,
            ctx,
            text=text,
            entities=entities,
            reply_markup=markup,
            reply_to_message_id=reply_to,
        )
        return message.to_json(chat)

    async def _send_simple(self, ctx: CallContext, p: dict[str, Any], media: dict[str, Any]) -> Any:
        markup = check_reply_markup(p["reply_markup"]) if "reply_markup" in p else None
        chat = self._writable_chat(p["chat_id"])
        reply_to = self._reply_to(chat, p)
        self._flood_check(chat)
        message = self._store_bot_message(
            chat, ctx, media=media, reply_markup=markup, reply_to_message_id=reply_to
        )
        return message.to_json(chat)

    async def _send_location(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        location = {"latitude": p["latitude"], "longitude": p["longitude"]}
        return await self._send_simple(ctx, p, {"location": location})

    async def _send_contact(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        contact = {"phone_number": p["phone_number"], "first_name": p["first_name"]}
        if p.get("last_name"):
            contact["last_name"] = p["last_name"]
        return await self._send_simple(ctx, p, {"contact": contact})

    async def _send_dice(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        emoji = p.get("emoji") or "🎲"
        value = 1 + next(self._file_ids) % 6
        return await self._send_simple(ctx, p, {"dice": {"emoji": emoji, "value": value}})

    async def _edit_message_text(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        if "rich_message" in p:
            raise bad_request("rich messages are not supported by the emulator")
        text, entities = self._message_text(p)
        markup = (
            check_reply_markup(p["reply_markup"], inline_only=True) if "reply_markup" in p else None
        )
        chat, message = self._editable_message(p)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        return self._apply_edit(chat, message, text=text, entities=entities, reply_markup=markup)

    async def _edit_message_caption(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        caption, caption_entities = self._caption(p)
        markup = (
            check_reply_markup(p["reply_markup"], inline_only=True) if "reply_markup" in p else None
        )
        chat, message = self._editable_message(p)
        if message.text is not None:
            raise bad_request("there is no caption in the message to edit")
        return self._apply_edit(
            chat,
            message,
            caption=caption,
            caption_entities=caption_entities,
            reply_markup=markup,
        )

    async def _edit_message_reply_markup(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        markup = (
            check_reply_markup(p["reply_markup"], inline_only=True) if "reply_markup" in p else None
        )
        chat, message = self._editable_message(p)
        return self._apply_edit(chat, message, reply_markup=markup)

    def _delete_one(self, chat: Chat, message_id: int, *, strict: bool) -> None:
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            if strict:
                raise bad_request("message to delete not found")
            return
        too_old = self.now() - message.date >= DELETE_WINDOW
        foreign = chat.type != "private" and not message.from_bot
        if too_old or foreign:
            if strict:
                raise bad_request("message can't be deleted for everyone")
            return
        message.deleted = True
        self._record_event(chat, "deleted", message)

    async def _delete_message(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        chat = self._find_chat(p["chat_id"])
        self._delete_one(chat, p["message_id"], strict=True)
        return True

    async def _delete_messages(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        ids = p["message_ids"]
        if not ids:
            raise bad_request("message identifiers are not specified")
        if len(ids) > 100:
            raise bad_request("too many message identifiers specified")
        chat = self._find_chat(p["chat_id"])
        for message_id in ids:
            self._delete_one(chat, message_id, strict=False)
        return True

    async def _send_chat_action(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        action = p["action"].strip().lower()
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat = self._writable_chat(p["chat_id"])
        chat.chat_actions.append(action)
        return True

    async def _get_chat(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._find_chat(p["chat_id"]).full_json()

    @staticmethod
    def _parse(
        text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
    ) -> tuple[str, list[dict[str, Any]]]:
        try:
            return parse_text(text, parse_mode, entities)
        except (UnsupportedParseMode, EntityParseError) as error:
            raise ApiError(400, error.description) from None

    def _message_text(self, params: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        plain, entities = self._parse(text, params.get("parse_mode"), params.get("entities"))
        if not plain.strip():
            raise bad_request("message must be non-empty")
        if len(plain) > MAX_MESSAGE_LENGTH:
            raise bad_request("message is too long")
        return plain, entities

    def _caption(self, params: Mapping[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
        caption = params.get("caption")
        if not caption:
            return None, []
        plain, entities = self._parse(
            caption, params.get("parse_mode"), params.get("caption_entities")
        )
        if len(plain) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return (plain or None), entities

    def _reply_to(self, chat: Chat, params: Mapping[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if not reply:
            return None
        message_id = reply.get("message_id")
        if not isinstance(message_id, int) or isinstance(message_id, bool):
            raise bad_request("can't parse reply parameters: Can't find field \"message_id\"")
        target = chat.messages.get(message_id)
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return message_id

    def _store_bot_message(self, chat: Chat, ctx: CallContext, **content: Any) -> ChatMessage:
        markup = content.pop("reply_markup", None)
        message = ChatMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id(),
            date=self.now(),
            sender=ctx.bot,
            from_bot=True,
            **content,
        )
        if markup is not None:
            if "inline_keyboard" in markup:
                message.reply_markup = markup
            elif "keyboard" in markup:
                chat.reply_keyboard = markup
            elif markup.get("remove_keyboard") or markup.get("hide_keyboard"):
                chat.reply_keyboard = None
        chat.messages[message.message_id] = message
        self._record_event(chat, "sent", message)
        return message

    def _editable_message(self, params: Mapping[str, Any]) -> tuple[Chat, ChatMessage]:
        if "chat_id" not in params and "message_id" not in params:
            if params.get("inline_message_id"):
                raise bad_request("MESSAGE_ID_INVALID")  # inline messages are not emulated
            raise bad_request("message identifier is not specified")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        chat = self._find_chat(params["chat_id"])
        message = chat.messages.get(params.get("message_id", 0))
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return chat, message

    def _apply_edit(self, chat: Chat, message: ChatMessage, **changes: Any) -> dict[str, Any]:
        before = message.version()
        after = dict(before)
        after.update(changes)
        after["edit_date"] = before["edit_date"]
        if after == before:
            raise bad_request(NOT_MODIFIED)
        message.history.append(before)
        for key, value in changes.items():
            setattr(message, key, value)
        message.edit_date = self.now()
        self._record_event(chat, "edited", message)
        return message.to_json(chat)

    def user_message(
        self,
        chat: Chat,
        sender: Person,
        *,
        text: str | None = None,
        entities: list[dict[str, Any]] | None = None,
        media: dict[str, Any] | None = None,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> tuple[ChatMessage, int | None]:
        """Store a message a person wrote and queue it for the bot (if the bot may see it)."""
        message = ChatMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id(),
            date=self.now(),
            sender=sender,
            from_bot=False,
            text=text,
            entities=list(entities or []),
            caption=caption,
            media=dict(media or {}),
            reply_to_message_id=reply_to_message_id,
        )
        chat.messages[message.message_id] = message
        if chat.type == "private":
            chat.opened = True
        if not self._bot_sees(chat, message):
            return message, None
        return message, self.enqueue("message", message.to_json(chat))

    def _bot_sees(self, chat: Chat, message: ChatMessage) -> bool:
        """Privacy mode (Telegram's default) shows a bot only commands and replies to it."""
        if chat.type == "private":
            return not chat.blocked
        if chat.bot_status != "member":
            return False
        if not chat.privacy_mode:
            return True
        if any(e.get("type") == "bot_command" and e.get("offset") == 0 for e in message.entities):
            # "/cmd@other_bot" is for another bot; a bare "/cmd" is delivered (the emulator has
            # one bot; Telegram sends it to the last bot that wrote in the group).
            command = message.body.split()[0]
            return "@" not in command or command.split("@", 1)[1].lower() == (
                self.bot_username.lower()
            )
        replied = chat.messages.get(message.reply_to_message_id or 0)
        return replied is not None and replied.from_bot
