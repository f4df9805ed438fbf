"""Telegram's reading of a message text: ``parse_mode`` or ``entities`` into text + MessageEntity.

Owns everything the real Bot API does between receiving ``text``/``caption`` with a
``parse_mode`` (HTML) or explicit ``entities`` and storing the
message: parsing the markup, refusing what Telegram refuses (with Telegram's words), cleaning the
text, fixing overlapping entities, trimming outer whitespace, and finding the entities Telegram
adds by itself (mentions, hashtags, cashtags, bot commands, URLs, e-mail addresses).

The algorithms are a port of TDLib (``td/telegram/MessageEntity.cpp``: ``parse_html``,
``fix_formatted_text``, ``find_entities``;
``LinkManager`` and ``HttpUrl`` for link checks) and of the Bot API server
(``Client::get_formatted_text``), which is what Telegram runs. Byte offsets in errors are UTF-8
byte offsets into the original text; entity offsets and lengths are UTF-16 code units.

Errors. Every refusal is a :class:`FormattingError` whose ``description`` is the exact Bot API
answer ("Bad Request: ..."; the Bot API lower-cases TDLib's first letter) and whose ``detail`` is
that answer without "Bad Request: ". With ``parse_mode`` (:class:`EntityParseError`, ``str(exc)``
is the part after "Bad Request: can't parse entities: "):

HTML
  * ``Unsupported start tag "div" at byte offset 0`` (also ``"a < b"``: tag name ``""``)
  * ``Unclosed start tag at byte offset N`` / ``Unclosed start tag "a" at byte offset N``
  * ``Empty attribute name in the tag "a" at byte offset N``
  * ``Unexpected end of name token at byte offset N``
  * ``Tag "span" must have class "tg-spoiler" at byte offset N``
  * ``Unexpected end tag at byte offset N`` / ``Unclosed end tag at byte offset N``
  * ``Unmatched end tag at byte offset N, expected "</b>", found "</i>"``
  * ``Can't find end tag corresponding to start tag "b"``
  * ``Invalid custom emoji identifier specified``
  * ``Text contains invalid Unicode characters after decoding HTML entities, check for unmatched
    surrogate code units``

  Only ``&lt; &gt; &amp; &quot;`` and numeric ``&#NNN; &#xHH;`` references are decoded; anything
  else after ``&`` (``&nbsp;``, a lone ``&``) stays as literal text, as in Telegram.

MarkdownV2 and legacy Markdown are not emulated: the bot writes HTML only, and no test needs
them (they were ported from TDLib once; git history has them). They, and any unknown
``parse_mode``, raise :class:`UnsupportedParseMode` ("Bad Request: unsupported
parse_mode"). Explicit ``entities`` raise :class:`InvalidEntitiesError` (a subclass of
EntityParseError whose description has no "can't parse entities" prefix):

  * ``can't parse MessageEntity: Unsupported type specified`` (also ``Can't find field "url"``,
    ``Type is not specified``, ``Field "offset" must be a valid Number``, ``expected an Object``)
  * ``entity URL 'localhost' is invalid: Wrong HTTP URL`` (and other URL errors)
  * ``invalid custom emoji identifier specified``
  * ``receive an entity with incorrect offset -1`` / ``... incorrect length N``
  * ``entity beginning at UTF-16 offset 0 ends after the end of the text at UTF-16 offset 100``
  * ``entity begins after the end of the text at UTF-16 offset N``
  * ``entity begins in a middle of a UTF-16 symbol at byte offset N`` (and ``ends in a middle``)

What Telegram silently forgives is forgiven here too: a link whose URL is invalid loses its
link, empty entities vanish, auto-detected types in ``entities`` (mention, url, ...) are ignored
and found again, overlapping entities are resolved, bold/italic/... are split around other
entities, and ``\\r`` is dropped.
A text
that is empty after parsing and trimming comes back as ``""``; the caller answers "message text
is empty" as Telegram does.

Lengths: the server checks 1..MAX_MESSAGE_LENGTH / 0..MAX_CAPTION_LENGTH on the returned text.
Telegram documents the limits in "characters after entities parsing"; this module counts them
as Python ``len()`` (Unicode code points), which is what users see; :func:`utf16_len` gives the
UTF-16 length when needed.

Not reproduced: phone_number and bank_card_number detection (done by Telegram's servers), the
full list of ~1,500 top-level domains (a common subset is used), IDN conversion of link hosts,
and resolving ``tg://user?id=`` links to real users (a ``text_mention`` carries ``{"id": N}``).

The package is split by what each part reads: ``html`` (the markup), ``explicit`` (the
``entities`` field), ``autodetect`` (what Telegram finds by itself), ``links`` (URL checks),
``fixing`` (overlaps, cleaning, trimming), over ``entities`` (the entity model and byte helpers)
and ``errors``; this module is the public face the server and client use.
"""

from typing import Any

from emulator.formatting.entities import _Entity
from emulator.formatting.errors import (
    EntityParseError,
    FormattingError,
    InvalidEntitiesError,
    UnsupportedParseMode,
    bot_api_detail,
)
from emulator.formatting.explicit import _read_entities
from emulator.formatting.fixing import (
    _clean_text_with_entities,
    _fix_entities,
    _fix_formatted_text,
    _last_non_whitespace,
)
from emulator.formatting.html import _parse_html_raw

__all__ = [
    "MAX_CAPTION_LENGTH",
    "MAX_MESSAGE_LENGTH",
    "PARSE_MODES",
    "EntityParseError",
    "FormattingError",
    "InvalidEntitiesError",
    "UnsupportedParseMode",
    "bot_api_detail",
    "parse_html",
    "parse_text",
    "strip_outer_whitespace",
    "utf16_len",
    "validate_entities",
]

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

PARSE_MODES = ("HTML",)


# --- public API ----------------------------------------------------------------------------------


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of entity offsets and lengths."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def parse_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's reading of text + parse_mode (or explicit entities): the stored text and entities.

    The returned text is what the message will contain (cleaned and trimmed; may be empty, which
    the caller reports as Telegram does); entities come sorted like Telegram's. ``parse_mode`` is
    case-insensitive; "" and "none" mean no parsing. With a parse_mode, ``entities`` are ignored.
    """
    mode = (parse_mode or "").lower()
    parsed: list[_Entity]
    if text and mode and mode != "none":
        if mode == "html":
            text, parsed = _parse_html_raw(text)
        else:
            raise UnsupportedParseMode(parse_mode or "")
    else:
        parsed = _read_entities(entities)
    text, fixed = _fix_formatted_text(text, parsed)
    return text, [entity.to_json() for entity in fixed]


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Text and entities of a message sent with parse_mode=HTML."""
    return parse_text(text, "HTML", None)


def validate_entities(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check explicit entities against ``text`` like Telegram; return them fixed and sorted.

    Offsets stay relative to ``text`` as given (no cleaning or trimming; use :func:`parse_text`
    for the stored message). Entity types Telegram detects itself are dropped.
    """
    parsed = _read_entities(entities)
    if not parsed:
        return []
    for entity in parsed:
        if not 0 <= entity.offset <= 1_000_000:
            raise InvalidEntitiesError(f"Receive an entity with incorrect offset {entity.offset}")
        if not 0 <= entity.length <= 1_000_000:
            raise InvalidEntitiesError(f"Receive an entity with incorrect length {entity.length}")
    fixed = _fix_entities([e for e in parsed if e.length > 0])
    _clean_text_with_entities(text, [e.copy(e.offset, e.length) for e in fixed])
    return [entity.to_json() for entity in fixed]


def strip_outer_whitespace(
    text: str, entities: list[dict[str, Any]]
) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's trim: drop ' ' and '\\n' at the end, and at the start before the first entity."""
    last, last_utf16 = _last_non_whitespace(text)
    if last < 0:
        return "", []
    kept = [dict(e) for e in entities if e["offset"] <= last_utf16]
    for entity in kept:
        entity["length"] = min(entity["length"], last_utf16 + 1 - entity["offset"])
    first_entity = min((e["offset"] for e in kept), default=len(text))
    start = 0
    while start < first_entity and start <= last and text[start] in " \n":
        start += 1
    for entity in kept:
        entity["offset"] -= start
    return text[start : last + 1], kept
