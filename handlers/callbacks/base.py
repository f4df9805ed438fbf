"""The shared encoding of callback data: a frozen dataclass per kind of button.

A codec names its prefix (and, for features with several kinds, an action word), then its
fields in order, all joined by ":" as on the wire since the first release:

    @dataclass(frozen=True)
    class TopicPage(CallbackData, prefix=Prefix.TOPIC):
        topic: str
        page: Annotated[int, AtMost(99)]

    TopicPage("bond", 2).pack() == "t:bond:2"
    TopicPage.unpack("t:bond:2") == TopicPage("bond", 2)

Field types: `str` (no ":"), `int` (ASCII digits, never above 2**53 or its `AtMost`), `bool`
("1" or "0"), `date` (YYYYMMDD), a `Literal` of words, and any of these `| None` at the end
(left off the wire when None). `pack` refuses what Telegram would (over 64 bytes); `unpack`
returns None for anything else than this kind of button, forged or malformed, and never raises.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Self

from handlers.callbacks.prefixes import Prefix

SEPARATOR = ":"
MAX_BYTES = 64  # Telegram refuses longer callback data
MAX_INT = 2**53  # ids and counts in callback data are far below; SQLite takes 2**63


@dataclass(frozen=True)
class AtMost:
    """A limit on an int field: `Annotated[int, AtMost(99)]` refuses a forged 100."""

    limit: int


def parse_int(text: str, limit: int = MAX_INT) -> int | None:
    """A whole number from callback data, or None for anything forged: only ASCII digits
    ("²" and "٣" pass str.isdigit but are not numbers to int), never above `limit`."""
    if not text or len(text) > 16 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= limit else None


def parse_date(text: str) -> date | None:
    """A calendar date written YYYYMMDD in callback data, or None (forged or impossible)."""
    if len(text) != 8 or parse_int(text) is None:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


@dataclass(frozen=True)
class _Field:
    name: str
    kind: Any  # str, int, bool, date, or a tuple of the words a Literal allows
    limit: int
    optional: bool


class CallbackData:
    """The base of every codec: subclass with `prefix=` (and `action=`), as a frozen dataclass."""

    PREFIX: ClassVar[Prefix]
    ACTION: ClassVar[str | None]
    CODECS: ClassVar[list[type[CallbackData]]] = []  # every codec, for the tests

    def __init_subclass__(cls, *, prefix: Prefix, action: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if action is not None and (not action or SEPARATOR in action):
            raise ValueError(f"bad action for {cls.__name__}: {action!r}")
        cls.PREFIX = prefix
        cls.ACTION = action
        CallbackData.CODECS.append(cls)

    def pack(self) -> str:
        """The callback string; ValueError for a value the wire cannot carry."""
        parts: list[str] = [self._head()]
        values = [(f, getattr(self, f.name)) for f in _fields(type(self))]
        while values and values[-1][0].optional and values[-1][1] is None:
            values.pop()
        for field, value in values:
            parts.append(_encode(type(self).__name__, field, value))
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """This kind of button from its callback string, or None for anything else."""
        if not data:
            return None
        head, *parts = data.split(SEPARATOR)
        if head != cls.PREFIX.value:
            return None
        if cls.ACTION is not None:
            if not parts or parts[0] != cls.ACTION:
                return None
            parts = parts[1:]
        fields = _fields(cls)
        required = sum(1 for f in fields if not f.optional)
        if not required <= len(parts) <= len(fields):
            return None
        values: dict[str, Any] = {}
        for field, part in zip(fields, parts, strict=False):
            value = _decode(field, part)
            if value is None:
                return None
            values[field.name] = value
        try:
            return cls(**values)
        except (TypeError, ValueError):  # a check of the codec's own refused it
            return None

    @classmethod
    def pattern(cls) -> str:
        """The regex a CallbackQueryHandler uses to take this kind: exactly the prefix for a
        codec that carries nothing more, else the prefix (and action) followed by anything."""
        if cls.ACTION is None and not _fields(cls):
            return rf"^{cls.PREFIX.value}$"
        if cls.ACTION is None:
            return rf"^{cls.PREFIX.value}:"
        return rf"^{cls.PREFIX.value}:{cls.ACTION}(:|$)"

    def _head(self) -> str:
        if self.ACTION is None:
            return self.PREFIX.value
        return f"{self.PREFIX.value}{SEPARATOR}{self.ACTION}"


_LAYOUTS: dict[str, tuple[_Field, ...]] = {}


def _fields(cls: type[CallbackData]) -> tuple[_Field, ...]:
    """The codec's fields in order, with what each may hold (read once per codec)."""
    key = f"{cls.__module__}.{cls.__qualname__}"
    if key not in _LAYOUTS:
        _LAYOUTS[key] = _read_fields(cls)
    return _LAYOUTS[key]


def _read_fields(cls: type[CallbackData]) -> tuple[_Field, ...]:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} must be a dataclass")
    hints = typing.get_type_hints(cls, include_extras=True)
    found: list[_Field] = []
    for field in dataclasses.fields(cls):
        hint, limit, optional = hints[field.name], MAX_INT, False
        if typing.get_origin(hint) is Annotated:
            hint, *marks = typing.get_args(hint)
            limit = min([m.limit for m in marks if isinstance(m, AtMost)] or [MAX_INT])
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"{cls.__name__}.{field.name}: one type, or it | None")
            hint, optional = args[0], True
        if typing.get_origin(hint) is Literal:
            hint = tuple(typing.get_args(hint))
        elif hint not in (str, int, bool, date):
            raise TypeError(f"{cls.__name__}.{field.name}: {hint!r} cannot go in callback data")
        if found and found[-1].optional and not optional:
            raise TypeError(f"{cls.__name__}.{field.name}: optional fields go last")
        found.append(_Field(field.name, hint, limit, optional))
    return tuple(found)


def _encode(codec: str, field: _Field, value: Any) -> str:
    kind = field.kind
    if isinstance(kind, tuple):
        text = value if value in kind else None
    elif kind is bool:
        text = ("1" if value else "0") if isinstance(value, bool) else None
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= field.limit
        text = str(value) if ok else None
    elif kind is date:
        text = f"{value:%Y%m%d}" if isinstance(value, date) and value.year >= 1000 else None
    else:
        text = value if isinstance(value, str) and SEPARATOR not in value else None
    if text is None:
        raise ValueError(f"{codec}.{field.name} cannot carry {value!r}")
    return str(text)


def _decode(field: _Field, text: str) -> Any:
    """The field's value from its part of the data, or None when it cannot be one."""
    kind = field.kind
    if isinstance(kind, tuple):
        return text if text in kind else None
    if kind is bool:
        return {"1": True, "0": False}.get(text)
    if kind is int:
        return parse_int(text, field.limit)
    if kind is date:
        return parse_date(text)
    return text
