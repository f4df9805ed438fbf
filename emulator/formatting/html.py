"""``parse_mode=HTML`` (TDLib ``parse_html``): tags, attributes and character references into
text and entities, refused with Telegram's words where Telegram refuses."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.formatting.entities import (
    _TD_SPACES,
    _Bytes,
    _decode,
    _encode,
    _Entity,
    _is_ascii_alnum,
    _is_ascii_alpha,
    _is_first_unit,
    _sort,
    _to_int64,
    _utf16_units,
)
from emulator.formatting.errors import EntityParseError
from emulator.formatting.links import _link_entity


@dataclass
class _Open:
    """An entity whose end has not been seen yet."""

    type: str
    argument: str
    utf16_offset: int
    byte_offset: int
    begin_pos: int  # position in the result text


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
