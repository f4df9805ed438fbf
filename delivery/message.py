"""The one message the sender sends: text, its formatting (HTML or entities) and inline
buttons, typed. Alerts are stored in the outbox as its `to_payload()`; announcements are stored
as a reference and composed into one per user when their turn comes (handlers/announcements.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, MessageEntity

Button = Mapping[str, str]  # {"text", "callback_data"} or {"text", "url"}


@dataclass(frozen=True)
class OutboxMessage:
    """A message as Telegram will get it; `buttons` are rows of inline buttons."""

    text: str
    parse_mode: str | None = None
    entities: tuple[Mapping[str, Any], ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()

    def to_payload(self) -> dict[str, Any]:
        """The message as JSON-safe values, for an outbox row."""
        return {
            "text": self.text,
            "parse_mode": self.parse_mode,
            "entities": [dict(e) for e in self.entities] or None,
            "buttons": [[dict(b) for b in row] for row in self.buttons],
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> OutboxMessage:
        """The message back from `to_payload()`; ValueError when it is not one (a row written
        by something else)."""
        text = payload.get("text")
        if not isinstance(text, str) or not text:
            raise ValueError("an outbox message needs a text")
        parse_mode = payload.get("parse_mode")
        return cls(
            text=text,
            parse_mode=parse_mode if isinstance(parse_mode, str) else None,
            entities=tuple(payload.get("entities") or ()),
            buttons=tuple(tuple(row) for row in payload.get("buttons") or ()),
        )

    def send_kwargs(self) -> dict[str, Any]:
        """The arguments of `send_message` for this message (link previews off)."""
        kwargs: dict[str, Any] = {
            "text": self.text,
            "link_preview_options": LinkPreviewOptions(is_disabled=True),
        }
        if self.parse_mode:
            kwargs["parse_mode"] = self.parse_mode
        if self.entities:
            kwargs["entities"] = [MessageEntity.de_json(dict(e), None) for e in self.entities]
        if self.buttons:
            kwargs["reply_markup"] = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            b["text"], url=b.get("url"), callback_data=b.get("callback_data")
                        )
                        for b in row
                    ]
                    for row in self.buttons
                ]
            )
        return kwargs
