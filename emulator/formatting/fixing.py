"""Fixing a parsed text (TDLib ``fix_formatted_text``): overlapping entities resolved, splittable
ones split around others, removed characters cleaned, outer whitespace trimmed."""

from __future__ import annotations

from emulator.formatting.autodetect import _find_entities
from emulator.formatting.entities import (
    _BLOCKQUOTE,
    _CONTINUOUS,
    _PRE_KINDS,
    _SPLITTABLE,
    SPLITTABLE_TYPES,
    _decode,
    _encode,
    _Entity,
    _is_first_unit,
    _remove_intersecting,
    _sort,
    _utf16_units,
)
from emulator.formatting.errors import InvalidEntitiesError


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
