"""Telegram's reading of a message text: ``parse_mode`` or ``entities`` into text + MessageEntity.

Owns everything the real Bot API does between receiving ``text``/``caption`` with a
``parse_mode`` (HTML, MarkdownV2, legacy Markdown) or explicit ``entities`` and storing the
message: parsing the markup, refusing what Telegram refuses (with Telegram's words), cleaning the
text, fixing overlapping entities, trimming outer whitespace, and finding the entities Telegram
adds by itself (mentions, hashtags, cashtags, bot commands, URLs, e-mail addresses).

The algorithms are a port of TDLib (``td/telegram/MessageEntity.cpp``: ``parse_html``,
``parse_markdown_v2``, ``parse_markdown``, ``fix_formatted_text``, ``find_entities``;
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

MarkdownV2
  * ``Character '.' is reserved and must be escaped with the preceding '\\'``
  * ``Can't find end of Bold entity at byte offset N`` (also Italic, Underline, Strikethrough,
    Spoiler, Code, Pre, PreCode, TextUrl, CustomEmoji)
  * ``Can't find end of a URL at byte offset N``
  * ``Custom emoji entity must contain a tg://emoji URL``
  * ``Can't find end of a custom emoji URL at byte offset N``
  * ``Custom emoji URL must have scheme tg`` and the other custom-emoji URL errors

Markdown (legacy)
  * ``Can't find end of the entity starting at byte offset N``

An unknown ``parse_mode`` raises :class:`UnsupportedParseMode` ("Bad Request: unsupported
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
Quirks are kept on purpose: legacy Markdown's ``[text]`` without ``(url)`` reads the URL back
from TDLib's half-rewritten buffer (``[example.com]`` links to ``http://xample.comm/``). A text
that is empty after parsing and trimming comes back as ``""``; the caller answers "message text
is empty" as Telegram does.

Lengths: the server checks 1..MAX_MESSAGE_LENGTH / 0..MAX_CAPTION_LENGTH on the returned text.
Telegram documents the limits in "characters after entities parsing"; this module counts them
as Python ``len()`` (Unicode code points), which is what users see; :func:`utf16_len` gives the
UTF-16 length when needed.

Not reproduced: phone_number and bank_card_number detection (done by Telegram's servers), the
full list of ~1,500 top-level domains (a common subset is used), IDN conversion of link hosts,
and resolving ``tg://user?id=`` links to real users (a ``text_mention`` carries ``{"id": N}``).
"""

from __future__ import annotations

import ipaddress
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

PARSE_MODES = ("HTML", "MarkdownV2", "Markdown")


# --- errors ------------------------------------------------------------------------------------


def bot_api_detail(message: str) -> str:
    """TDLib's message as the Bot API shows it: the first letter lower-cased unless an acronym."""
    if len(message) >= 2 and message[0].isupper() and not message[1].isupper():
        return message[0].lower() + message[1:]
    return message


class FormattingError(ValueError):
    """Text or entities that Telegram refuses; ``description`` is the whole Bot API answer."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail
        self.description = f"Bad Request: {detail}"


class UnsupportedParseMode(FormattingError):
    """A parse_mode other than HTML, MarkdownV2, Markdown or none."""

    def __init__(self, parse_mode: str) -> None:
        super().__init__("unsupported parse_mode", "unsupported parse_mode")
        self.parse_mode = parse_mode


class EntityParseError(FormattingError):
    """Raised with the part of the error after "Bad Request: can't parse entities: "."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message, detail or f"can't parse entities: {message}")


class InvalidEntitiesError(EntityParseError):
    """Explicit ``entities`` that Telegram refuses; their description has no parse prefix."""

    def __init__(self, message: str) -> None:
        super().__init__(message, bot_api_detail(message))


class _LinkError(Exception):
    """A URL that TDLib's link check refuses (the message is TDLib's)."""


# --- entities ----------------------------------------------------------------------------------

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


# --- byte-level helpers --------------------------------------------------------------------------

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


# --- links (TDLib LinkManager::check_link, HttpUrl parse_url) ------------------------------------


def _ascii_lower(text: str) -> str:
    return "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in text)


def _check_url_part(part: str, name: str, allow_colon: bool) -> None:
    index = 0
    while index < len(part):
        ch = part[index]
        if ch.isascii() and (
            ch.isalnum() or ch in ".-_!$,~*'();&+=" or (allow_colon and ch == ":")
        ):
            index += 1
            continue
        if ch == "%":
            pair = part[index + 1 : index + 3]
            if len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair):
                index += 3
                continue
            raise _LinkError(f"Wrong percent-encoded symbol in URL {name}")
        if ord(ch) >= 128:
            index += 1
            continue
        raise _LinkError(f"Disallowed character in URL {name}")


@dataclass
class _HttpUrl:
    protocol: str
    userinfo: str
    host: str
    is_ipv6: bool
    specified_port: int
    query: str

    def get_url(self) -> str:
        userinfo = f"{self.userinfo}@" if self.userinfo else ""
        port = f":{self.specified_port}" if self.specified_port > 0 else ""
        return f"{self.protocol}://{userinfo}{self.host}{port}{self.query}"


def _parse_url(url: str) -> _HttpUrl:
    cut = 0
    while cut < len(url) and url[cut] not in ":/?#@[]":
        cut += 1
    protocol_name = _ascii_lower(url[:cut])
    if url.startswith("://", cut):
        if protocol_name not in ("http", "https"):
            raise _LinkError("Unsupported URL protocol")
        protocol, rest = protocol_name, url[cut + 3 :]
    else:
        protocol, rest = "http", url
    cut = 0
    while cut < len(rest) and rest[cut] not in "/?#":
        cut += 1
    userinfo_host_port, query = rest[:cut], rest[cut:]

    port = 0
    colon = len(userinfo_host_port) - 1
    while colon > 0 and userinfo_host_port[colon] not in ":]@":
        colon -= 1
    if colon > 0 and userinfo_host_port[colon] == ":":
        port_text = userinfo_host_port[colon + 1 :]
        while len(port_text) > 1 and port_text[0] == "0":
            port_text = port_text[1:]
        number = _to_int64(port_text)
        port = -1 if number is None or number == 0 or number >= 2**31 else number
        userinfo_host = userinfo_host_port[:colon]
    else:
        userinfo_host = userinfo_host_port
    if port < 0 or port > 65535:
        raise _LinkError("Wrong port number specified in the URL")

    at = userinfo_host.rfind("@")
    userinfo = userinfo_host[:at] if at >= 0 else ""
    host = userinfo_host[at + 1 :]
    is_ipv6 = False
    if host.startswith("[") and host.endswith("]") and len(host) >= 2:
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise _LinkError("Wrong IPv6 address specified in the URL") from None
        is_ipv6 = True
    if not host:
        raise _LinkError("URL host is empty")
    if host == ".":
        raise _LinkError("Host is invalid")

    query = query.rstrip(" \t\r\n\0\v") or "/"
    escaped = "" if query.startswith("/") else "/"
    escaped += "".join(f"%{ord(ch):02X}" if ord(ch) <= 0x20 else ch for ch in query)
    host = _ascii_lower(host)
    if not is_ipv6:
        _check_url_part(host, "host", False)
    _check_url_part(userinfo, "userinfo", True)
    return _HttpUrl(protocol, userinfo, host, is_ipv6, port, escaped)


def _check_link(link: str) -> str:
    """The link as Telegram stores it, or _LinkError with TDLib's reason."""
    scheme = ""
    lowered = _ascii_lower(link[:4])
    if lowered.startswith("tg:"):
        scheme, link = "tg", link[3:]
    elif lowered.startswith("ton:"):
        scheme, link = "ton", link[4:]
    if scheme and link.startswith("//"):
        link = link[2:]
    url = _parse_url(link)
    if scheme:
        wrong = f"Wrong {scheme} URL"
        if (
            _ascii_lower(link[:7]) == "http://"
            or url.protocol == "https"
            or url.userinfo
            or url.specified_port
            or url.is_ipv6
        ):
            raise _LinkError(wrong)
        query = url.query[1:] if url.query.startswith("/?") else url.query
        if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in url.host):
            raise _LinkError(wrong)
        return f"{scheme}://{url.host}{query}"
    if "." not in url.host and not url.is_ipv6:
        raise _LinkError("Wrong HTTP URL")
    return url.get_url()


def _checked_link(link: str) -> str:
    """LinkManager::get_checked_link: the stored link, or "" when Telegram drops it."""
    try:
        return _check_link(link)
    except _LinkError:
        return ""


def _link_user_id(url: str) -> int:
    """LinkManager::get_link_user_id: N for tg://user?id=N (any case), else 0."""
    rest = url.lower()
    if not rest.startswith("tg:"):
        return 0
    rest = rest[3:]
    if rest.startswith("//"):
        rest = rest[2:]
    if not rest.startswith("user"):
        return 0
    rest = rest[4:]
    if rest.startswith("/"):
        rest = rest[1:]
    if not rest.startswith("?"):
        return 0
    for parameter in rest[1:].split("#", 1)[0].split("&"):
        key, _, value = parameter.partition("=")
        if key == "id":
            user_id = _to_int64(value)
            return user_id if user_id is not None and 0 < user_id < 2**53 else 0
    return 0


def _link_custom_emoji_id(url: str) -> int:
    """LinkManager::get_link_custom_emoji_id, raising EntityParseError like TDLib."""
    lowered = url.lower()
    if not lowered.startswith("tg:"):
        raise EntityParseError("Custom emoji URL must have scheme tg")
    rest = lowered[3:]
    if rest.startswith("//"):
        rest = rest[2:]
    host_end = min((rest.find(ch) for ch in "/?#" if ch in rest), default=len(rest))
    if rest[:host_end] != "emoji":
        raise EntityParseError('Custom emoji URL must have host "emoji"')
    rest = rest[host_end:]
    if rest.startswith("/"):
        rest = rest[1:]
    if rest and rest[0] not in "?#":
        raise EntityParseError("Custom emoji URL must have an empty path")
    if rest.startswith("?"):
        for part in rest[1:].rsplit("#", 1)[0].split("&"):
            key, _, value = part.partition("=")
            if key == "id":
                emoji_id = _to_int64(value)
                if not emoji_id:
                    raise EntityParseError("Invalid custom emoji identifier specified")
                return emoji_id
    raise EntityParseError("Custom emoji URL must have an emoji identifier")


def _link_entity(offset: int, length: int, url: str) -> _Entity | None:
    """A parsed link: a text_mention for tg://user?id=N, a text_link, or None if dropped."""
    user_id = _link_user_id(url)
    if user_id:
        return _Entity("text_mention", offset, length, user_id=user_id)
    checked = _checked_link(url)
    return _Entity("text_link", offset, length, url=checked) if checked else None


# --- legacy Markdown (TDLib parse_markdown) ------------------------------------------------------


def _parse_markdown_raw(text: str) -> tuple[str, list[_Entity]]:
    buf = bytearray(_encode(text))  # TDLib edits the string in place; so does this port
    at = _Bytes(buf)
    size = len(buf)
    entities: list[_Entity] = []
    result_size = 0
    utf16 = 0
    i = 0
    while i < size:
        c = buf[i]
        if c == 0x5C and at(i + 1) in b"_*`[":
            i += 1
            buf[result_size] = buf[i]
            result_size += 1
            utf16 += 1
            i += 1
            continue
        if c not in b"_*`[":
            if _is_first_unit(c):
                utf16 += _utf16_units(c)
            buf[result_size] = c
            result_size += 1
            i += 1
            continue

        begin_pos = i
        end_character = ord("]") if c == ord("[") else c
        is_pre = False
        i += 1
        language = ""
        if c == ord("`") and at(i) == ord("`") and at(i + 1) == ord("`"):
            i += 2
            is_pre = True
            language_end = i
            while at(language_end) not in _TD_SPACES and at(language_end) != ord("`"):
                language_end += 1
            if i != language_end and language_end < size and at(language_end) != ord("`"):
                language = _decode(buf[i:language_end])
                i = language_end
            if at(i) in b"\n\r":
                if at(i + 1) in b"\n\r" and at(i) != at(i + 1):
                    i += 2
                else:
                    i += 1

        entity_offset = utf16
        while i < size and (
            at(i) != end_character
            or (is_pre and not (at(i + 1) == ord("`") and at(i + 2) == ord("`")))
        ):
            if _is_first_unit(buf[i]):
                utf16 += _utf16_units(buf[i])
            buf[result_size] = buf[i]
            result_size += 1
            i += 1
        if i == size:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {begin_pos}"
            )

        if entity_offset != utf16:
            length = utf16 - entity_offset
            if c == ord("_"):
                entities.append(_Entity("italic", entity_offset, length))
            elif c == ord("*"):
                entities.append(_Entity("bold", entity_offset, length))
            elif c == ord("["):
                if at(i + 1) != ord("("):
                    # TDLib reads the text back from the already shifted buffer
                    url = bytes(buf[begin_pos + 1 : i])
                else:
                    i += 2
                    url_begin = i
                    while i < size and buf[i] != ord(")"):
                        i += 1
                    url = bytes(buf[url_begin:i])
                link = _link_entity(entity_offset, length, url.decode("utf-8", "replace"))
                if link is not None:
                    entities.append(link)
            elif is_pre:
                entities.append(_Entity("pre", entity_offset, length, language=language))
            else:
                entities.append(_Entity("code", entity_offset, length))
        if is_pre:
            i += 2
        i += 1
    return _decode(buf[:result_size]), entities


# --- MarkdownV2 (TDLib parse_markdown_v2) --------------------------------------------------------

_V2_TYPES = {
    "Bold": "bold",
    "Italic": "italic",
    "Underline": "underline",
    "Strikethrough": "strikethrough",
    "Spoiler": "spoiler",
    "Code": "code",
    "Pre": "pre",
    "PreCode": "pre",
    "TextUrl": "text_link",
    "CustomEmoji": "custom_emoji",
    "BlockQuote": "blockquote",
    "ExpandableBlockQuote": "expandable_blockquote",
}
_V2_RESERVED = frozenset(b"_*[]()~`>#+-=|{}.!\n")


@dataclass
class _Open:
    """An entity whose end has not been seen yet."""

    type: str
    argument: str
    utf16_offset: int
    byte_offset: int
    begin_pos: int  # position in the result text


def _reserved(c: int) -> EntityParseError:
    return EntityParseError(
        f"Character '{chr(c)}' is reserved and must be escaped with the preceding '\\'"
    )


def _no_end(entity: _Open) -> EntityParseError:
    return EntityParseError(
        f"Can't find end of {entity.type} entity at byte offset {entity.byte_offset}"
    )


def _read_v2_url(data: bytes, at: _Bytes, i: int) -> tuple[bytes, int]:
    url = bytearray()
    while i < len(data) and data[i] != ord(")"):
        if data[i] == 0x5C and 0 < at(i + 1) <= 126:
            url.append(data[i + 1])
            i += 2
            continue
        url.append(data[i])
        i += 1
    return bytes(url), i


def _v2_is_end(top: str, c: int, at: _Bytes, i: int) -> bool:
    nxt = at(i + 1)
    if top == "Bold":
        return c == ord("*")
    if top == "Italic":
        return c == ord("_") and nxt != ord("_")
    if top == "Code":
        return c == ord("`")
    if top in ("Pre", "PreCode"):
        return c == ord("`") and nxt == ord("`") and at(i + 2) == ord("`")
    if top in ("TextUrl", "CustomEmoji"):
        return c == ord("]")
    if top == "Underline":
        return c == ord("_") and nxt == ord("_")
    if top == "Strikethrough":
        return c == ord("~")
    if top == "Spoiler":
        return c == ord("|") and nxt == ord("|")
    return False  # BlockQuote ends only at a line that does not start with '>'


def _parse_markdown_v2_raw(text: str) -> tuple[str, list[_Entity]]:
    data = _encode(text)
    at = _Bytes(data)
    size = len(data)
    out = bytearray()
    entities: list[_Entity] = []
    nested: list[_Open] = []
    utf16 = 0
    have_blockquote = False
    can_start_blockquote = True
    i = 0
    while i < size:
        c = data[i]
        if c == 0x5C and 0 < at(i + 1) <= 126:
            i += 1
            utf16 += 1
            out.append(data[i])
            if data[i] != ord("\r"):
                can_start_blockquote = data[i] == ord("\n")
            i += 1
            continue

        in_code = bool(nested) and nested[-1].type in ("Code", "Pre", "PreCode")
        if (c != ord("`")) if in_code else (c not in _V2_RESERVED):
            if _is_first_unit(c):
                utf16 += _utf16_units(c)
                if c != ord("\r"):
                    can_start_blockquote = False
            out.append(c)
            i += 1
            continue

        is_end = False
        if nested:
            if have_blockquote and c == ord("\n") and (i + 1 == size or data[i + 1] != ord(">")):
                is_end = True
            else:
                is_end = _v2_is_end(nested[-1].type, c, at, i)

        if not is_end:
            argument = ""
            byte_offset = i
            kind: str | None
            if c == ord("_"):
                if at(i + 1) == ord("_"):
                    kind = "Underline"
                    i += 1
                else:
                    kind = "Italic"
            elif c == ord("*"):
                kind = "Bold"
            elif c == ord("~"):
                kind = "Strikethrough"
            elif c == ord("|"):
                if at(i + 1) != ord("|"):
                    raise _reserved(c)
                i += 1
                kind = "Spoiler"
            elif c == ord("["):
                kind = "TextUrl"
            elif c == ord("`"):
                if at(i + 1) == ord("`") and at(i + 2) == ord("`"):
                    i += 3
                    kind = "Pre"
                    language_end = i
                    while at(language_end) not in _TD_SPACES and at(language_end) != ord("`"):
                        language_end += 1
                    if i != language_end and language_end < size and at(language_end) != ord("`"):
                        kind = "PreCode"
                        argument = _decode(data[i:language_end])
                        i = language_end
                    if at(i) in b"\n\r":
                        if at(i + 1) in b"\n\r" and at(i) != at(i + 1):
                            i += 2
                        else:
                            i += 1
                    i -= 1
                else:
                    kind = "Code"
            elif c == ord("!"):
                if at(i + 1) != ord("["):
                    raise _reserved(c)
                i += 1
                kind = "CustomEmoji"
            elif c == ord("\n"):
                utf16 += 1
                out.append(c)
                can_start_blockquote = True
                kind = None
            elif c == ord(">"):
                if not can_start_blockquote:
                    raise _reserved(c)
                if have_blockquote:
                    kind = None
                else:
                    kind = "BlockQuote"
                    have_blockquote = True
            else:
                raise _reserved(c)
            if kind is not None:
                nested.append(_Open(kind, argument, utf16, byte_offset, len(out)))
            i += 1
            continue

        # the end of an entity
        kind = nested[-1].type
        if c == ord("\n") and kind != "BlockQuote":
            top = nested[-1]
            marker = top.byte_offset == i - 2 or (
                top.byte_offset == i - 3 and bool(out) and out[-1] == ord("\r")
            )
            if kind != "Spoiler" or not marker:
                raise _no_end(top)
            nested.pop()  # "||" right before the end of an expandable blockquote
            if nested[-1].type != "BlockQuote":
                raise _no_end(nested[-1])
            kind = "ExpandableBlockQuote"
        top = nested[-1]
        argument = top.argument
        user_id = 0
        emoji_id = 0
        skip = utf16 == top.utf16_offset
        if kind in ("Underline", "Spoiler"):
            i += 1
        elif kind in ("Pre", "PreCode"):
            i += 2
        elif kind == "TextUrl":
            if at(i + 1) != ord("("):
                url = bytes(out[top.begin_pos :])
            else:
                url_begin = i + 2
                url, i = _read_v2_url(data, at, url_begin)
                if at(i) != ord(")"):
                    raise EntityParseError(f"Can't find end of a URL at byte offset {url_begin}")
            url_text = url.decode("utf-8", "replace")
            user_id = _link_user_id(url_text)
            if not user_id:
                argument = _checked_link(url_text)
                skip = skip or not argument
        elif kind == "CustomEmoji":
            if at(i + 1) != ord("("):
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            url_begin = i + 2
            url, i = _read_v2_url(data, at, url_begin)
            if at(i) != ord(")"):
                raise EntityParseError(
                    f"Can't find end of a custom emoji URL at byte offset {url_begin}"
                )
            emoji_id = _link_custom_emoji_id(url.decode("utf-8", "replace"))
        elif kind in ("BlockQuote", "ExpandableBlockQuote"):
            have_blockquote = False
            out.append(data[i])
            can_start_blockquote = True
            utf16 += 1
            skip = False

        if not skip:
            length = utf16 - top.utf16_offset
            if user_id:
                entities.append(_Entity("text_mention", top.utf16_offset, length, user_id=user_id))
            else:
                entity = _Entity(_V2_TYPES[kind], top.utf16_offset, length)
                if kind == "TextUrl":
                    entity.url = argument
                elif kind == "PreCode":
                    entity.language = argument
                elif kind == "CustomEmoji":
                    entity.custom_emoji_id = emoji_id
                entities.append(entity)
        nested.pop()
        i += 1

    if have_blockquote:
        kind = "BlockQuote"
        if nested[-1].type == "Spoiler" and nested[-1].byte_offset == size - 2:
            nested.pop()
            kind = "ExpandableBlockQuote"
        if nested[-1].type == "BlockQuote":
            top = nested.pop()
            if utf16 != top.utf16_offset:
                entities.append(
                    _Entity(_V2_TYPES[kind], top.utf16_offset, utf16 - top.utf16_offset)
                )
    if nested:
        raise _no_end(nested[-1])
    _sort(entities)
    return _decode(out), entities


# --- HTML (TDLib parse_html) ---------------------------------------------------------------------

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_HTML_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_REFERENCES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}


def _decode_html_entity(data: bytes, at: _Bytes, pos: int) -> tuple[int, int]:
    """(code point, position after the reference), or (0, pos) if '&' starts no reference."""
    end_pos = pos + 1
    code = 0
    if at(pos + 1) == ord("#"):
        end_pos += 1
        if at(pos + 2) == ord("x"):
            end_pos += 1
            while chr(at(end_pos)) in "0123456789abcdefABCDEF":
                code = code * 16 + int(chr(at(end_pos)), 16)
                end_pos += 1
        else:
            while 48 <= at(end_pos) <= 57:
                code = code * 10 + at(end_pos) - 48
                end_pos += 1
        if code == 0 or code >= 0x10FFFF or end_pos - pos >= 10:
            return 0, pos
    else:
        while _is_ascii_alpha(at(end_pos)):
            end_pos += 1
        named = _NAMED_REFERENCES.get(data[pos + 1 : end_pos])
        if named is None:
            return 0, pos
        code = named
    return code, end_pos + 1 if at(end_pos) == ord(";") else end_pos


def _html_tag_end(
    tag: str, argument: str, offset: int, length: int, inner: str, entities: list[_Entity]
) -> None:
    """Add the entity made by a closed non-empty tag (TDLib's rules for pre/code pairs)."""
    last = entities[-1] if entities else None
    same_range = last is not None and last.offset == offset and last.length == length
    if tag in _HTML_SIMPLE:
        entities.append(_Entity(_HTML_SIMPLE[tag], offset, length))
    elif tag == "tg-emoji":
        emoji_id = _to_int64(argument)
        if not emoji_id:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(_Entity("custom_emoji", offset, length, custom_emoji_id=emoji_id))
    elif tag == "a":
        link = _link_entity(offset, length, argument or inner)
        if link is not None:
            entities.append(link)
    elif tag == "pre":
        if last is not None and same_range and last.type == "code" and last.language:
            last.type = "pre"
        else:
            entities.append(_Entity("pre", offset, length))
    elif tag == "code":
        if last is not None and same_range and last.kind == "pre" and argument:
            last.language = argument
        else:
            entities.append(_Entity("code", offset, length, language=argument))
    else:
        kind = "expandable_blockquote" if argument else "blockquote"
        entities.append(_Entity(kind, offset, length))


def _parse_html_raw(text: str) -> tuple[str, list[_Entity]]:
    data = _encode(text)
    at = _Bytes(data)
    size = len(data)
    out = bytearray()
    entities: list[_Entity] = []
    nested: list[_Open] = []  # type = tag name
    utf16 = 0
    need_recheck_utf8 = False
    i = 0
    while i < size:
        c = data[i]
        if c == ord("&"):
            code, after = _decode_html_entity(data, at, i)
            if code:
                i = after
                utf16 += 2 if code > 0xFFFF else 1
                need_recheck_utf8 = need_recheck_utf8 or 0xD800 <= code <= 0xDFFF
                out += chr(code).encode("utf-8", "surrogatepass")
                continue
        if c != ord("<"):
            if _is_first_unit(c):
                utf16 += _utf16_units(c)
            out.append(c)
            i += 1
            continue

        begin_pos = i
        i += 1
        if at(i) != ord("/"):
            while at(i) not in _TD_SPACES and at(i) != ord(">"):
                i += 1
            if at(i) == 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin_pos}")
            tag = _decode(data[begin_pos + 1 : i].lower())
            if tag not in _HTML_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin_pos}')
            argument = ""
            while at(i) != ord(">"):
                while at(i) and at(i) in _TD_SPACES:
                    i += 1
                if at(i) == ord(">"):
                    break
                name_begin = i
                while at(i) not in _TD_SPACES and at(i) not in b"=>/\"'":
                    i += 1
                name = data[name_begin:i]
                if not name:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin_pos}'
                    )
                while at(i) and at(i) in _TD_SPACES:
                    i += 1
                if at(i) != ord("="):
                    if at(i) == 0:
                        raise EntityParseError(
                            f'Unclosed start tag "{tag}" at byte offset {begin_pos}'
                        )
                    if tag == "blockquote" and name == b"expandable":
                        argument = "1"
                    continue
                i += 1
                while at(i) and at(i) in _TD_SPACES:
                    i += 1
                if at(i) == 0:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin_pos}')
                if at(i) not in b"\"'":
                    token_begin = i
                    while _is_ascii_alnum(at(i)) or at(i) in b".-":
                        i += 1
                    value = _decode(data[token_begin:i].lower())
                    if at(i) not in _TD_SPACES and at(i) != ord(">"):
                        raise EntityParseError(
                            f"Unexpected end of name token at byte offset {token_begin}"
                        )
                else:
                    quote = at(i)
                    i += 1
                    raw = bytearray()
                    while at(i) != quote and at(i) != 0:
                        if at(i) == ord("&"):
                            code, after = _decode_html_entity(data, at, i)
                            if code:
                                raw += chr(code).encode("utf-8", "surrogatepass")
                                i = after
                                continue
                        raw.append(data[i])
                        i += 1
                    if at(i) == quote:
                        i += 1
                    value = raw.decode("utf-8", "replace")
                if at(i) == 0:
                    raise EntityParseError(f"Unclosed start tag at byte offset {begin_pos}")
                if tag == "a" and name == b"href":
                    argument = value
                elif tag == "code" and name == b"class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and name == b"class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and name == b"emoji-id":
                    argument = value
                elif tag == "blockquote" and name == b"expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin_pos}'
                )
            nested.append(_Open(tag, argument, utf16, begin_pos, len(out)))
        else:
            if not nested:
                raise EntityParseError(f"Unexpected end tag at byte offset {begin_pos}")
            while at(i) not in _TD_SPACES and at(i) != ord(">"):
                i += 1
            end_tag = _decode(data[begin_pos + 2 : i].lower())
            while at(i) and at(i) in _TD_SPACES:
                i += 1
            if at(i) != ord(">"):
                raise EntityParseError(f"Unclosed end tag at byte offset {begin_pos}")
            top = nested[-1]
            if end_tag and end_tag != top.type:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {begin_pos}, "
                    f'expected "</{top.type}>", found "</{end_tag}>"'
                )
            if utf16 > top.utf16_offset:
                inner = out[top.begin_pos :].decode("utf-8", "replace")
                length = utf16 - top.utf16_offset
                _html_tag_end(top.type, top.argument, top.utf16_offset, length, inner, entities)
            nested.pop()
        i += 1

    if nested:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{nested[-1].type}"'
        )
    for entity in entities:
        if entity.type == "code":
            entity.language = ""
    _sort(entities)
    if need_recheck_utf8:
        try:
            return bytes(out).decode("utf-8"), entities
        except UnicodeDecodeError:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            ) from None
    return _decode(out), entities


# --- fixing entities (TDLib fix_entities and friends) --------------------------------------------


def _are_entities_valid(entities: list[_Entity]) -> bool:
    end_pos: dict[str, int] = {}
    stack: list[_Entity] = []
    kinds: set[str] = set()
    for entity in entities:
        while stack and entity.offset >= stack[-1].end:
            kinds.discard(stack.pop().kind)
        if stack:
            if entity.end > stack[-1].end or entity.kind in kinds:
                return False
            if stack[-1].kind in _PRE_KINDS:
                return False  # pre and code contain nothing
            if entity.kind in _PRE_KINDS and kinds - _BLOCKQUOTE:
                return False  # pre and code are inside nothing but a blockquote
            if entity.kind in _CONTINUOUS | _BLOCKQUOTE and kinds & _CONTINUOUS:
                return False
            if entity.kind in _BLOCKQUOTE and kinds & _BLOCKQUOTE:
                return False
            if kinds & _SPLITTABLE:
                return False  # may need to be split
        if entity.type in _SPLITTABLE:
            if end_pos.get(entity.type, -1) >= entity.offset:
                return False  # can be merged
            end_pos[entity.type] = entity.end
        stack.append(entity)
        kinds.add(entity.kind)
    return True


def _remove_intersecting(entities: list[_Entity]) -> list[_Entity]:
    """Keep only entities that start after every kept one ends (drops nested ones too)."""
    kept: list[_Entity] = []
    last_end = 0
    for entity in entities:
        if entity.offset >= last_end:
            last_end = entity.end
            kept.append(entity)
    return kept


def _remove_intersecting_blockquote(
    entities: list[_Entity], blockquotes: list[_Entity]
) -> list[_Entity]:
    """Drop entities that cross a blockquote boundary."""
    kept: list[_Entity] = []
    index = 0
    for entity in entities:
        while index < len(blockquotes) and (
            blockquotes[index].type not in _BLOCKQUOTE or blockquotes[index].end <= entity.offset
        ):
            index += 1
        if index < len(blockquotes):
            quote = blockquotes[index]
            if quote.end < entity.end or entity.offset < quote.offset < entity.end:
                continue
        kept.append(entity)
    return kept


def _split_entities(splittable: list[_Entity], others: list[_Entity]) -> list[_Entity]:
    """Merge same-type runs and cut bold/italic/... at every boundary of another entity."""
    begin = dict.fromkeys(SPLITTABLE_TYPES, 0)
    end = dict.fromkeys(SPLITTABLE_TYPES, 0)
    result: list[_Entity] = []
    position = 0

    def flush(offset: int) -> None:
        for kind in SPLITTABLE_TYPES:
            if end[kind] != 0 and begin[kind] < offset:
                if end[kind] <= offset:
                    result.append(_Entity(kind, begin[kind], end[kind] - begin[kind]))
                    begin[kind] = end[kind] = 0
                else:
                    result.append(_Entity(kind, begin[kind], offset - begin[kind]))
                    begin[kind] = offset

    def add_entities(end_offset: int) -> None:
        nonlocal position
        while position < len(splittable) and splittable[position].offset < end_offset:
            entity = splittable[position]
            if end[entity.type] != 0 and entity.offset <= end[entity.type]:
                end[entity.type] = max(end[entity.type], entity.end)
            else:
                flush(entity.offset)
                begin[entity.type] = entity.offset
                end[entity.type] = entity.end
            position += 1
        flush(end_offset)

    stack: list[_Entity] = []

    def add_offset(offset: int) -> None:
        while stack and offset >= stack[-1].end:
            old_size = len(result)
            add_entities(stack[-1].end)
            if stack[-1].kind in _PRE_KINDS:
                del result[old_size:]  # nothing is bold inside code
            stack.pop()
        add_entities(offset)

    for other in others:
        add_offset(other.offset)
        stack.append(other)
    add_offset(2**62)
    _sort(result)
    return result


def _resplit(splittable: list[_Entity], others: list[_Entity]) -> list[_Entity]:
    if not splittable:
        return others
    split = _split_entities(splittable, others)
    if not others:
        return split
    combined = others + split
    _sort(combined)
    return combined


def _partition(
    entities: list[_Entity],
) -> tuple[list[_Entity], list[_Entity], list[_Entity]]:
    splittable = [e for e in entities if e.type in _SPLITTABLE]
    blockquotes = [e for e in entities if e.type in _BLOCKQUOTE]
    continuous = [e for e in entities if e.type not in _SPLITTABLE and e.type not in _BLOCKQUOTE]
    return continuous, blockquotes, splittable


def _fix_entities(entities: list[_Entity]) -> list[_Entity]:
    _sort(entities)
    if _are_entities_valid(entities):
        return entities
    continuous, blockquotes, splittable = _partition(entities)
    continuous = _remove_intersecting(continuous)
    if blockquotes:
        blockquotes = _remove_intersecting(blockquotes)
        continuous = _remove_intersecting_blockquote(continuous, blockquotes)
        continuous += blockquotes
        _sort(continuous)
    return _resplit(splittable, continuous)


def _merge_new_entities(entities: list[_Entity], found: list[_Entity]) -> list[_Entity]:
    """Add auto-detected entities that do not collide with the given ones."""
    if not found:
        return entities
    continuous, blockquotes, splittable = _partition(entities)
    found = _remove_intersecting_blockquote(found, blockquotes)
    merged: list[_Entity] = []
    index = 0
    for old in continuous:
        while index < len(found) and found[index].end <= old.offset:
            merged.append(found[index])
            index += 1
        merged.append(old)
        while index < len(found) and found[index].offset < old.end:
            index += 1
    merged += found[index:]
    if blockquotes:
        merged += blockquotes
        _sort(merged)
    return _resplit(splittable, merged)


# --- cleaning and trimming (TDLib fix_formatted_text) --------------------------------------------


def _is_removed_sequence(data: bytes, pos: int) -> int:
    """Bytes of a character Telegram deletes (U+2028..U+202E, some combining marks), else 0."""
    c = data[pos]
    size = len(data)
    if c == 0xE2 and pos + 2 < size and data[pos + 1] == 0x80 and 0xA8 <= data[pos + 2] <= 0xAE:
        return 3
    if c == 0xCC and pos + 1 < size and data[pos + 1] in (0xB3, 0xBF, 0x8A):
        return 2
    return 0


def _clean_text(text: str) -> str:
    """clean_input_string: control characters become spaces (tab and newline stay), no '\\r'."""
    data = _encode(text)
    out = bytearray()
    pos = 0
    while pos < len(data):
        c = data[pos]
        if c == 13:
            pos += 1
            continue
        if c <= 32 and c not in (9, 10):
            out.append(32)
            pos += 1
            continue
        removed = _is_removed_sequence(data, pos)
        if removed:
            pos += removed
            continue
        out.append(c)
        pos += 1
    return _decode(out)


def _clean_text_with_entities(text: str, entities: list[_Entity]) -> str:
    """clean_input_string_with_entities: like _clean_text (tabs too), shifting entities."""
    data = _encode(text)
    size = len(data)
    out = bytearray()
    stack: list[tuple[_Entity, int]] = []
    current = 0
    utf16 = 0
    skipped = 0
    pos = 0
    while pos <= size:
        c = data[pos] if pos < size else 0
        is_begin = _is_first_unit(c)
        if is_begin:
            while stack:
                entity, skipped_before = stack[-1]
                if utf16 < entity.end:
                    break
                if utf16 != entity.end:
                    raise InvalidEntitiesError(
                        f"Entity beginning at UTF-16 offset {entity.offset} ends in a middle of "
                        f"a UTF-16 symbol at byte offset {pos}"
                    )
                entity.offset -= skipped_before
                entity.length -= skipped - skipped_before
                stack.pop()
            while current < len(entities) and utf16 >= entities[current].offset:
                if utf16 != entities[current].offset:
                    raise InvalidEntitiesError(
                        f"Entity begins in a middle of a UTF-16 symbol at byte offset {pos}"
                    )
                stack.append((entities[current], skipped))
                current += 1
        if pos == size:
            break
        if c == 13:
            utf16 += 1
            skipped += 1
        elif c <= 32 and c != 10:
            out.append(32)
            utf16 += 1
        else:
            if is_begin:
                utf16 += _utf16_units(c)
            removed = _is_removed_sequence(data, pos)
            if removed:
                pos += removed
                skipped += 1
                continue
            out.append(c)
        pos += 1
    if current != len(entities):
        raise InvalidEntitiesError(
            f"Entity begins after the end of the text at UTF-16 offset {entities[current].offset}"
        )
    if stack:
        entity = stack[-1][0]
        raise InvalidEntitiesError(
            f"Entity beginning at UTF-16 offset {entity.offset} ends after the end of the text "
            f"at UTF-16 offset {entity.end}"
        )
    return _decode(out)


def _last_non_whitespace(text: str) -> tuple[int, int]:
    """(index, UTF-16 offset of its last unit) of the last char other than ' ' and '\\n'."""
    index, last, last_utf16, utf16 = 0, -1, -1, 0
    for index, ch in enumerate(text):
        units = 2 if ord(ch) > 0xFFFF else 1
        if ch not in " \n":
            last, last_utf16 = index, utf16 + units - 1
        utf16 += units
    return last, last_utf16


def _trim(text: str, entities: list[_Entity]) -> tuple[str, list[_Entity]]:
    """Telegram's trim of ' ' and '\\n' at both ends; leading ones only before the first entity."""
    last, last_utf16 = _last_non_whitespace(text)
    if last < 0:
        return "", []
    text = text[: last + 1]
    entities = [e for e in entities if e.offset <= last_utf16]
    changed = False
    for entity in entities:
        if entity.end > last_utf16 + 1:
            entity.length = last_utf16 + 1 - entity.offset
            changed = True
    if changed:
        _sort(entities)
    first_entity = entities[0].offset if entities else len(text)
    start = 0
    while start < first_entity and start < len(text) and text[start] in " \n":
        start += 1
    for entity in entities:
        entity.offset -= start
    return text[start:], entities


def _fix_formatted_text(text: str, entities: list[_Entity]) -> tuple[str, list[_Entity]]:
    if not entities:
        text = _clean_text(text)
    else:
        for entity in entities:
            if not 0 <= entity.offset <= 1_000_000:
                raise InvalidEntitiesError(
                    f"Receive an entity with incorrect offset {entity.offset}"
                )
            if not 0 <= entity.length <= 1_000_000:
                raise InvalidEntitiesError(
                    f"Receive an entity with incorrect length {entity.length}"
                )
        entities = _fix_entities([e for e in entities if e.length > 0])
        text = _clean_text_with_entities(text, entities)
    entities = [e for e in entities if e.length > 0]
    if _last_non_whitespace(text)[0] < 0:
        return "", []
    entities = _fix_entities(entities)
    text, entities = _trim(text, entities)
    return text, _merge_new_entities(entities, _find_entities(text))


# --- auto-detected entities (TDLib find_entities) ------------------------------------------------


def _category(ch: str) -> str:
    """TDLib's simple Unicode category: L(etter), D(ecimal), N(umber), S(eparator) or ''."""
    cat = unicodedata.category(ch)
    if cat[0] == "L":
        return "L"
    if cat == "Nd":
        return "D"
    if cat[0] == "N":
        return "N"
    if cat[0] == "Z" or ch.isspace():
        return "S"
    return ""


def _is_word_character(ch: str) -> bool:
    return _category(ch) in ("L", "D", "N") or ch == "_"


def _is_alnum_underscore(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _is_hashtag_letter(ch: str) -> bool:
    return ch in "_\u200c\u00b7" or 0xD80 <= ord(ch) <= 0xDFF or _category(ch) in ("L", "D")


def _match_mentions(text: str) -> list[tuple[int, int]]:
    result = []
    pos = text.find("@")
    while pos >= 0:
        end = pos + 1
        if pos > 0 and _is_word_character(text[pos - 1]):
            pos = text.find("@", pos + 1)
            continue
        while end < len(text) and _is_alnum_underscore(text[end]):
            end += 1
        name = text[pos + 1 : end]
        is_name = 2 <= len(name) <= 32 and not (end < len(text) and _is_word_character(text[end]))
        if is_name and (len(name) >= 4 or name.lower() in ("gif", "vid", "pic")):
            result.append((pos, end))
        pos = text.find("@", end)
    return result


def _match_bot_commands(text: str) -> list[tuple[int, int]]:
    result = []
    pos = text.find("/")
    while pos >= 0:
        if pos > 0 and (_is_word_character(text[pos - 1]) or text[pos - 1] in "/<>"):
            pos = text.find("/", pos + 1)
            continue
        end = pos + 1
        while end < len(text) and _is_alnum_underscore(text[end]):
            end += 1
        command_end = end
        ok = 1 <= end - pos - 1 <= 64
        if ok and end < len(text) and text[end] == "@":
            end += 1
            name_begin = end
            while end < len(text) and _is_alnum_underscore(text[end]):
                end += 1
            ok = 3 <= end - name_begin <= 32
            command_end = end
        if ok and not (end < len(text) and (_is_word_character(text[end]) or text[end] in "/<>")):
            result.append((pos, command_end))
        pos = text.find("/", end)
    return result


def _match_hashtags(text: str) -> list[tuple[int, int]]:
    result = []
    pos = text.find("#")
    while pos >= 0:
        if pos > 0 and _is_hashtag_letter(text[pos - 1]):
            pos = text.find("#", pos + 1)
            continue
        end = pos + 1
        size = 0
        hashtag_end = -1
        was_letter = False
        while end < len(text) and _is_hashtag_letter(text[end]):
            end += 1
            if size == 255:
                hashtag_end = end
            if size != 256:
                was_letter = was_letter or _category(text[end - 1]) == "L"
                size += 1
        if hashtag_end < 0:
            hashtag_end = end
        if size >= 1 and not (end < len(text) and text[end] == "#") and was_letter:
            result.append((pos, hashtag_end))
        pos = text.find("#", end)
    return result


def _match_cashtags(text: str) -> list[tuple[int, int]]:
    result = []
    pos = text.find("$")
    while pos >= 0:
        if pos > 0 and (_is_hashtag_letter(text[pos - 1]) or text[pos - 1] == "$"):
            pos = text.find("$", pos + 1)
            continue
        end = pos + 1
        if text.startswith("1INCH", end):
            end += 5
        else:
            while end < len(text) and "A" <= text[end] <= "Z":
                end += 1
        if 1 <= end - pos - 1 <= 8 and not (
            end < len(text) and (_is_hashtag_letter(text[end]) or text[end] == "$")
        ):
            result.append((pos, end))
        pos = text.find("$", end)
    return result


_BAD_PATH_END = ".:;,('?!`"


def _is_url_unicode_symbol(ch: str) -> bool:
    code = ord(ch)
    if 0x2000 <= code <= 0x206F:
        return code in (0x200C, 0x200D) or 0x2010 <= code <= 0x2015
    return _category(ch) != "S"


def _is_url_path_symbol(ch: str) -> bool:
    return ch not in '\n<>"\u00ab\u00bb' and _is_url_unicode_symbol(ch)


def _is_domain_symbol(ch: str) -> bool:
    if ord(ch) < 0xC0:
        return ch == "." or ch == "~" or (ch.isascii() and (ch.isalnum() or ch in "_-"))
    return _is_url_unicode_symbol(ch)


def _is_user_data_symbol(ch: str) -> bool:
    return ch not in "\n/[]{}()'`<>\"@\u00ab\u00bb" and _is_url_unicode_symbol(ch)


def _is_protocol_symbol(ch: str) -> bool:
    if ord(ch) < 0x80:
        return ch.isalnum() or ch in "+-"
    return _category(ch) != "S"


def _url_path_end(text: str, start: int) -> int:
    """End of a path starting with the '/', '?' or '#' at ``start`` (start itself if none)."""
    end = start + 1
    while end < len(text) and _is_url_path_symbol(text[end]):
        end += 1
    while end > start + 1 and text[end - 1] in _BAD_PATH_END:
        end -= 1
    return end if text[start] == "/" or end > start + 1 else start


def _match_tg_urls(text: str) -> list[tuple[int, int]]:
    result = []
    pos = 0
    while len(text) - pos > 5:
        pos = text.find(":", pos)
        if pos < 0:
            break
        begin = -1
        if text.startswith("//", pos + 1):
            if pos >= 2 and _ascii_lower(text[pos - 2 : pos]) == "tg":
                begin = pos - 2
            elif pos >= 3 and _ascii_lower(text[pos - 3 : pos]) == "ton":
                begin = pos - 3
        if begin < 0:
            pos += 1
            continue
        pos += 3
        domain_begin = pos
        while (
            pos < len(text)
            and pos - domain_begin != 253
            and text[pos].isascii()
            and (text[pos].isalnum() or text[pos] in "_-")
        ):
            pos += 1
        if pos == domain_begin:
            continue
        if pos < len(text) and text[pos] in "/?#":
            pos = _url_path_end(text, pos)
        result.append((begin, pos))
    return result


def _match_urls(text: str) -> list[tuple[int, int]]:
    result = []
    base = 0
    size = len(text)
    while True:
        dot = text.find(".", base)
        if dot < 0 or dot + 1 == size:
            break
        if text[dot + 1] == " ":
            base = dot + 2
            continue
        domain_begin = dot
        while domain_begin > base and _is_domain_symbol(text[domain_begin - 1]):
            domain_begin -= 1
        last_at = -1
        domain_end = dot
        while domain_end < size:
            ch = text[domain_end]
            if ch == "@":
                last_at = domain_end
            elif not _is_domain_symbol(ch):
                break
            domain_end += 1
        if last_at >= 0:
            while domain_begin > base and _is_user_data_symbol(text[domain_begin - 1]):
                domain_begin -= 1

        url_end = domain_end
        if url_end < size and text[url_end] == ":":
            port_end = url_end + 1
            while port_end < size and "0" <= text[port_end] <= "9":
                port_end += 1
            port_begin = url_end + 1
            while port_begin != port_end and text[port_begin] == "0":
                port_begin += 1
            port = text[port_begin:port_end]
            if port and len(port) <= 5 and int(port) <= 65535:
                url_end = port_end
        if url_end < size and text[url_end] in "/?#":
            url_end = _url_path_end(text, url_end)
        while url_end > dot + 1 and text[url_end - 1] == ".":
            url_end -= 1

        is_bad = False
        url_begin = domain_begin
        if url_begin != base and text[url_begin - 1] == "@":
            if last_at >= 0:
                is_bad = True
            user_begin = url_begin - 1
            while user_begin > base and _is_user_data_symbol(text[user_begin - 1]):
                user_begin -= 1
            if user_begin == url_begin - 1:
                is_bad = True
            url_begin = user_begin
        if url_begin != base:
            prefix = text[base:url_begin]
            long_enough = len(prefix) >= 6 or len(_encode(prefix)) >= 6
            if long_enough and prefix.endswith("://"):
                protocol_begin = url_begin - 3
                while protocol_begin > base and _is_protocol_symbol(text[protocol_begin - 1]):
                    protocol_begin -= 1
                protocol = _ascii_lower(text[protocol_begin : url_begin - 3])
                if protocol.endswith("http") and protocol != "shttp":
                    url_begin -= 7
                elif protocol.endswith("https"):
                    url_begin -= 8
                elif protocol.endswith("ftp") and protocol not in ("tftp", "sftp"):
                    url_begin -= 6
                elif protocol.endswith("tonsite"):
                    url_begin -= 10
                else:
                    is_bad = True
            else:
                last = prefix[-1]
                if _is_word_character(last) or last in "/#@":
                    is_bad = True

        if not is_bad:
            if url_end > dot + 1:
                result.append((url_begin, url_end))
            while url_end < size and text[url_end] == ".":
                url_end += 1
        else:
            while text[url_end - 1] != ".":
                url_end -= 1
        base = max(url_end, dot + 1)
    return result


def _is_email_address(text: str) -> bool:
    user, at, domain = text.partition("@")
    if not at or not domain:
        return False

    def is_part_symbol(ch: str) -> bool:
        return ch.isascii() and (ch.isalnum() or ch in "_-")

    previous = 0
    parts = 0
    for index, ch in enumerate(user):
        if ch in ".+":
            if index - previous >= 27:
                return False
            parts += 1
            previous = index + 1
        elif not is_part_symbol(ch):
            return False
    if parts + 1 >= 12 or not 0 < len(user) - previous < 36:
        return False
    domain_parts = domain.split(".")
    if not 1 < len(domain_parts) <= 7:
        return False
    tld = domain_parts.pop()
    if not 1 < len(tld) < 9 or not (tld.isascii() and tld.isalpha()):
        return False
    for part in domain_parts:
        if not part or len(part) >= 31 or not all(is_part_symbol(ch) for ch in part):
            return False
        if not (part[0].isalnum() and part[-1].isalnum()):
            return False
    return True


# A subset of the top-level domains TDLib knows (its list has ~1,500): the country codes and
# the common generic ones.
_COMMON_TLD_NAMES = """
    ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs
    bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec
    ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy
    hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz
    la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx
    my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re
    ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th
    tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw
    aero app art asia audio auto bank bar beer best bet bid bike bio biz blog blue book box build
    business buzz cab cafe cam camera camp capital car cards care career careers cars casa cash
    cat center ceo chat cheap church city claims click clinic cloud club codes coffee college com
    community company computer consulting coop country coupons courses credit cricket dance data
    date dating day deal dental design dev diet digital direct directory discount doctor dog
    domains download earth eco edu education email energy engineer engineering enterprises estate
    events exchange expert express fail faith family fan fans farm fashion film finance financial
    fish fit fitness flights florist fm foo food football forsale forum foundation free fun fund
    furniture gallery game games garden gay gift gifts gives global gmbh gold golf gov graphics
    green group guide guru health help hiphop hockey holdings holiday homes horse hospital host
    hosting house how immigration inc industries info ink institute insurance int international
    investments jobs kim kitchen land law lawyer legal life limited link live llc loan loans lol
    love ltd luxury management market marketing mba media memorial men menu mil mobi moda moe
    money mortgage moscow movie museum music name navy net network new news ninja nyc one onl
    online ooo org page partners party pet photo photography photos pics pink pizza place plus
    porn press pro productions promo properties property pub qpon quest radio realestate realty
    recipes red rehab rent rentals repair report rest restaurant review reviews rich rip rocks
    run sale salon sbs school science services sex sexy shop shopping show site ski social
    software solar solutions space sport store stream studio study style support surf systems
    tattoo tax taxi team tech technology tel tennis theater tickets tips tires today tools top
    tours town toys trade trading training travel tube university uno vacations vegas ventures
    video villas vin vip vision vodka vote voting voyage wang watch webcam website wedding wiki
    win wine work works world wtf xxx xyz yoga you youtube zone
    бг бел дети ею католик ком мкд мон москва онлайн орг рус рф сайт срб укр қаз
"""
_COMMON_TLDS = frozenset(_COMMON_TLD_NAMES.split())


def _is_common_tld(tld: str) -> bool:
    lowered = tld.lower()
    if lowered != tld and lowered[1:] == tld[1:]:
        return False  # "Com": only the first letter is upper-case
    return lowered in _COMMON_TLDS


def _fix_url(url: str) -> int:
    """TDLib fix_url: the length of the real URL at the start of ``url``, 0 if it is none."""
    full_length = len(url)
    has_protocol = False
    rest = url
    if _ascii_lower(url[:10]).startswith(("http://", "https://", "ftp://", "tonsite://")):
        rest = url[url.find(":") + 3 :]
        has_protocol = True
    domain_end = min((rest.find(ch) for ch in "/?#" if ch in rest), default=len(rest))
    domain, path = rest[:domain_end], rest[domain_end:]
    domain = domain[domain.find("@") + 1 :]
    if ":" in domain:
        domain = domain[: domain.rfind(":")]
    if len(domain) == 12 and domain.lower() == "teiegram.org":
        return 0

    balance = {"(": 0, "[": 0, "{": 0}
    closing = {")": "(", "]": "[", "}": "{"}
    path_pos = 0
    while path_pos < len(path):
        ch = path[path_pos]
        if ch in balance:
            balance[ch] += 1
        elif ch in closing:
            balance[closing[ch]] -= 1
        if min(balance.values()) < 0:
            break
        path_pos += 1
    while path_pos > 0 and path[path_pos - 1] in _BAD_PATH_END:
        path_pos -= 1
    full_length -= len(path) - path_pos

    previous = 0
    part_count = 0
    has_non_digit = False
    is_ipv4 = True
    for index in range(len(domain) + 1):
        if index == len(domain) or domain[index] == ".":
            part = domain[previous:index]
            if not part or len(part) >= 64 or part[-1] == "-":
                return 0
            if is_ipv4 and (len(part) > 3 or (len(part) >= 2 and part[0] == "0")):
                is_ipv4 = False
            if is_ipv4 and len(part) == 3 and int(part) > 255:
                is_ipv4 = False
            part_count += 1
            if index != len(domain):
                previous = index + 1
        elif not "0" <= domain[index] <= "9":
            is_ipv4 = False
            has_non_digit = True
    if part_count == 1:
        return 0
    if is_ipv4 and part_count == 4:
        return full_length
    if not has_non_digit:
        return 0
    tld = domain[previous:]
    if len(tld) <= 1:
        return 0
    if tld.startswith("xn--"):
        if len(tld) <= 5 or not all(ch.isascii() and ch.isalnum() for ch in tld[4:]):
            return 0
    elif "_" in tld or "-" in tld or (not has_protocol and not _is_common_tld(tld)):
        return 0
    second_level = domain[: previous - 1]
    if "_" in second_level[second_level.rfind(".") + 1 :]:
        return 0
    return full_length


def _find_urls(text: str) -> list[tuple[int, int, str]]:
    result = []
    for begin, end in _match_urls(text):
        url = text[begin:end]
        if _is_email_address(url):
            result.append((begin, end, "email"))
        elif url.startswith("mailto:") and _is_email_address(url[7:]):
            result.append((begin + 7, end, "email"))
        else:
            length = _fix_url(url)
            if length:
                result.append((begin, begin + length, "url"))
    return result


def _find_entities(text: str) -> list[_Entity]:
    """Mentions, bot commands, hashtags, cashtags, URLs and e-mails Telegram finds by itself."""
    found: list[tuple[int, int, str]] = []
    found += [(b, e, "mention") for b, e in _match_mentions(text)]
    found += [(b, e, "bot_command") for b, e in _match_bot_commands(text)]
    found += [(b, e, "hashtag") for b, e in _match_hashtags(text)]
    found += [(b, e, "cashtag") for b, e in _match_cashtags(text)]
    found += [(b, e, "url") for b, e in _match_tg_urls(text)]
    found += _find_urls(text)
    if not found:
        return []
    found.sort(key=lambda item: (item[0], item[0] - item[1]))
    utf16 = [0]
    for ch in text:
        utf16.append(utf16[-1] + (2 if ord(ch) > 0xFFFF else 1))
    entities = [_Entity(kind, utf16[b], utf16[e] - utf16[b]) for b, e, kind in found]
    return _remove_intersecting(entities)


# --- explicit entities (Bot API Client::get_text_entity) -----------------------------------------


def _field_error(message: str) -> InvalidEntitiesError:
    return InvalidEntitiesError(f"Can't parse MessageEntity: {message}")


def _int_field(entity: dict[str, Any], name: str) -> int:
    value = entity.get(name)
    if value is None:
        raise _field_error(f'Can\'t find field "{name}"')
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _field_error(f'Field "{name}" must be a valid Number')
    number = value if isinstance(value, int) else _to_int64(value)
    if number is None or not -(2**31) <= number < 2**31:
        raise _field_error(f'Field "{name}" must be a valid Number')
    return number


def _string_field(entity: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = entity.get(name)
    if value is None:
        if required:
            raise _field_error(f'Can\'t find field "{name}"')
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _field_error(f'Field "{name}" must be of type String')
    return str(value)


def _read_entity(raw: Any) -> _Entity | None:
    """One entity from the request, or None for a type Telegram finds by itself."""
    if not isinstance(raw, dict):
        raise _field_error("expected an Object")
    offset = _int_field(raw, "offset")
    length = _int_field(raw, "length")
    kind = _string_field(raw, "type", required=True)
    if not kind:
        raise _field_error("Type is not specified")
    if kind in AUTO_TYPES:
        return None
    if kind not in USER_TYPES:
        raise _field_error("Unsupported type specified")
    entity = _Entity(kind, offset, length)
    if kind == "pre":
        entity.language = _string_field(raw, "language")
    elif kind == "text_link":
        entity.url = _string_field(raw, "url", required=True)  # checked by _check_entity
    elif kind == "text_mention":
        user = raw.get("user")
        if user is None:
            raise _field_error('Can\'t find field "user"')
        if not isinstance(user, dict):
            raise _field_error('Field "user" must be of type Object')
        entity.user_id = _int_field_64(user, "id")
    elif kind == "custom_emoji":
        emoji_id = _to_int64(_string_field(raw, "custom_emoji_id", required=True))
        if emoji_id is None:
            raise _field_error('Field "custom_emoji_id" must be a valid Number')
        entity.custom_emoji_id = emoji_id
    elif kind == "date_time":
        entity.extra["unix_time"] = _int_field(raw, "unix_time")
        date_time_format = _string_field(raw, "date_time_format")
        if date_time_format:
            entity.extra["date_time_format"] = date_time_format
    return entity


def _int_field_64(obj: dict[str, Any], name: str) -> int:
    value = obj.get(name)
    if value is None:
        raise _field_error(f'Can\'t find field "{name}"')
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str):
        number = _to_int64(value)
    if number is None:
        raise _field_error(f'Field "{name}" must be a valid Number')
    return number


def _check_entity(entity: _Entity) -> _Entity:
    """TDLib's checks of an entity the Bot API has read (get_message_entities)."""
    if entity.type == "text_link":
        user_id = _link_user_id(entity.url)
        if user_id:
            return _Entity("text_mention", entity.offset, entity.length, user_id=user_id)
        try:
            entity.url = _check_link(entity.url)
        except _LinkError as exc:
            raise InvalidEntitiesError(f"Entity URL '{entity.url}' is invalid: {exc}") from None
    elif entity.type == "custom_emoji" and entity.custom_emoji_id == 0:
        raise InvalidEntitiesError("Invalid custom emoji identifier specified")
    return entity


def _read_entities(entities: Any) -> list[_Entity]:
    """Explicit entities: the Bot API reads them all, then TDLib checks them one by one."""
    if not isinstance(entities, list):
        return []  # the Bot API ignores an `entities` value that is not an array
    read = [entity for raw in entities if (entity := _read_entity(raw)) is not None]
    return [_check_entity(entity) for entity in read]


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
        elif mode == "markdownv2":
            text, parsed = _parse_markdown_v2_raw(text)
        elif mode == "markdown":
            text, parsed = _parse_markdown_raw(text)
        else:
            raise UnsupportedParseMode(parse_mode or "")
    else:
        parsed = _read_entities(entities)
    text, fixed = _fix_formatted_text(text, parsed)
    return text, [entity.to_json() for entity in fixed]


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Text and entities of a message sent with parse_mode=HTML."""
    return parse_text(text, "HTML", None)


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Text and entities of a message sent with parse_mode=MarkdownV2."""
    return parse_text(text, "MarkdownV2", None)


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Text and entities of a message sent with the legacy parse_mode=Markdown."""
    return parse_text(text, "Markdown", None)


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
