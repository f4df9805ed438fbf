"""Message entities as TDLib keeps them while parsing (UTF-16 offsets), their kinds and
priorities, and the byte-level helpers the parsers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SPLITTABLE_TYPES = ("bold", "italic", "underline", "strikethrough", "spoiler")
BLOCKQUOTE_TYPES = ("blockquote", "expandable_blockquote")
AUTO_TYPES = (
    "mention",
    "hashtag",
    "cashtag",
    "bot_command",
    "url",
    "email",
    "phone_number",
    "bank_card_number",
)
USER_TYPES = (
    *SPLITTABLE_TYPES,
    *BLOCKQUOTE_TYPES,
    "code",
    "pre",
    "text_link",
    "text_mention",
    "custom_emoji",
    "date_time",
)

# TDLib's MessageEntity::get_type_priority; "pre_code" is a pre with a language.
_PRIORITY = {
    "mention": 50,
    "hashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "pre_code": 10,
    "text_link": 49,
    "text_mention": 49,
    "cashtag": 50,
    "phone_number": 50,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "bank_card_number": 50,
    "spoiler": 94,
    "custom_emoji": 99,
    "expandable_blockquote": 0,
    "date_time": 50,
}
_PRE_KINDS = frozenset({"pre", "pre_code", "code"})
_SPLITTABLE = frozenset(SPLITTABLE_TYPES)
_BLOCKQUOTE = frozenset(BLOCKQUOTE_TYPES)
_CONTINUOUS = frozenset(AUTO_TYPES) | {"text_link", "text_mention", "custom_emoji", "date_time"}


@dataclass
class _Entity:
    """One entity in TDLib's terms, offsets in UTF-16 code units."""

    type: str
    offset: int
    length: int
    url: str = ""
    language: str = ""
    user_id: int = 0
    custom_emoji_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.offset + self.length

    @property
    def kind(self) -> str:
        return "pre_code" if self.type == "pre" and self.language else self.type

    def key(self) -> tuple[int, int, int]:
        return (self.offset, -self.length, _PRIORITY[self.kind])

    def copy(self, offset: int, length: int) -> _Entity:
        return _Entity(
            self.type,
            offset,
            length,
            self.url,
            self.language,
            self.user_id,
            self.custom_emoji_id,
            dict(self.extra),
        )

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.type == "text_link":
            result["url"] = self.url
        elif self.type == "text_mention":
            result["user"] = {"id": self.user_id}
        elif self.type == "pre" and self.language:
            result["language"] = self.language
        elif self.type == "custom_emoji":
            result["custom_emoji_id"] = str(self.custom_emoji_id)
        result.update(self.extra)
        return result


def _sort(entities: list[_Entity]) -> None:
    entities.sort(key=_Entity.key)


_TD_SPACES = frozenset(b" \t\r\n\0\v")  # td::is_space; '\0' is the end of a C string


def _is_first_unit(byte: int) -> bool:
    return (byte & 0xC0) != 0x80


def _utf16_units(first_byte: int) -> int:
    return 2 if first_byte >= 0xF0 else 1


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _decode(data: bytes | bytearray) -> str:
    return bytes(data).decode("utf-8", "surrogatepass")


class _Bytes:
    """UTF-8 text read like a C string: reading past the end gives 0."""

    def __init__(self, data: bytes | bytearray) -> None:
        self.data = data
        self.size = len(data)

    def __call__(self, index: int) -> int:
        return self.data[index] if index < self.size else 0


def _is_ascii_alnum(byte: int) -> bool:
    return 48 <= byte <= 57 or 65 <= byte <= 90 or 97 <= byte <= 122


def _is_ascii_alpha(byte: int) -> bool:
    return 65 <= byte <= 90 or 97 <= byte <= 122


def _to_int64(value: str) -> int | None:
    """td::to_integer_safe<int64>: a canonical decimal integer that fits, or None."""
    body = value[1:] if value.startswith("-") else value
    if not body.isascii() or not body.isdigit():
        return None
    number = int(value)
    if str(number) != value or not -(2**63) <= number < 2**63:
        return None
    return number


def _remove_intersecting(entities: list[_Entity]) -> list[_Entity]:
    """Keep only entities that start after every kept one ends (drops nested ones too)."""
    kept: list[_Entity] = []
    last_end = 0
    for entity in entities:
        if entity.offset >= last_end:
            last_end = entity.end
            kept.append(entity)
    return kept
