"""Explicit ``entities`` (Bot API ``Client::get_text_entity``): each MessageEntity object read and
checked as the Bot API server does."""

from __future__ import annotations

from typing import Any

from emulator.formatting.entities import AUTO_TYPES, USER_TYPES, _Entity, _to_int64
from emulator.formatting.errors import InvalidEntitiesError, _LinkError
from emulator.formatting.links import _check_link, _link_user_id


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
