"""The Bot API as data, and the checks the emulator makes on every call's parameters.

Owns: finding and loading ``api.min.json`` (Bot API methods with their parameters and types),
turning form / multipart / JSON / query-string values into Python values of the documented type,
and Telegram's rules on structured values (reply markup, bot commands, command scopes).

Error texts are Telegram's (taken from the open-source Bot API server, tdlib/telegram-bot-api),
except where marked EMULATOR-ONLY: those cover cases where real Telegram silently ignores or
misreads a value (an unknown parameter, a non-numeric integer, broken JSON in ``entities``) and
the emulator refuses instead, so that typos in the bot fail loudly in tests.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# A copy kept in the repository (see emulator/api/README.md for its origin and how to refresh it).
DEFAULT_SPEC_PATH = Path(__file__).resolve().parent / "api" / "api.min.json"
SPEC_ENV_VAR = "TELEGRAM_API_SPEC"

# Texts shared by several modules.
TEXT_BUTTONS_UNALLOWED = (
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = (
    100  # approximation: Telegram refuses big keyboards as "reply markup is too long"
)

_INT_RE = re.compile(r"^[+-]?\d+$")
_COMMAND_RE = re.compile(r"^[a-z0-9_]+$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")

# Messages for a missing required parameter, as Telegram words them.
_MISSING_TEXTS = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
    "action": "wrong parameter action in request",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
    "latitude": "latitude is empty",
    "longitude": "longitude is empty",
}
_MEDIA_FIELDS = {
    "photo": "photo",
    "document": "document",
    "audio": "audio",
    "video": "video",
    "voice": "voice",
    "video_note": "video note",
    "animation": "animation",
    "sticker": "sticker",
}
_MISSING_IN_METHOD = {("deleteMessage", "chat_id"): "chat identifier is not specified"}
# Telegram checks a message's content before its chat, so report those first.
_MISSING_ORDER = ("text", *_MEDIA_FIELDS, "action", "callback_query_id", "chat_id", "message_id")

_JSON_NAMES = {
    "reply_markup": "reply keyboard markup",
    "reply_parameters": "reply parameters",
    "link_preview_options": "link preview options",
    "scope": "BotCommandScope",
    "commands": "commands",
    "entities": "entities",
    "caption_entities": "entities",
    "allowed_updates": "allowed updates",
    "menu_button": "menu button",
}


class ApiError(Exception):
    """An error answer: HTTP status = ``error_code``, Telegram's ``description`` text."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """A 403 error with Telegram's "Forbidden: " prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 flood-control error carrying ``parameters.retry_after``."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request."""

    part: str
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class FieldSpec:
    """One documented parameter of a method."""

    name: str
    required: bool
    types: tuple[str, ...]


@dataclass(frozen=True)
class MethodSpec:
    """One documented Bot API method."""

    name: str
    fields: Mapping[str, FieldSpec]


def resolve_spec_path(spec_path: Path = DEFAULT_SPEC_PATH) -> Path:
    """The spec file to use: TELEGRAM_API_SPEC overrides the default location."""
    env = os.environ.get(SPEC_ENV_VAR)
    if env and spec_path == DEFAULT_SPEC_PATH:
        return Path(env)
    return spec_path


class ApiSpec:
    """All Bot API methods from ``api.min.json``, looked up case-insensitively like Telegram."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = str(data.get("version", ""))
        self.methods: dict[str, MethodSpec] = {}
        for name, method in data["methods"].items():
            fields = {
                f["name"]: FieldSpec(f["name"], bool(f["required"]), tuple(f["types"]))
                for f in method.get("fields", [])
            }
            self.methods[name] = MethodSpec(name, fields)
        self._by_lower = {name.lower(): spec for name, spec in self.methods.items()}

    @staticmethod
    @lru_cache(maxsize=4)
    def load(path: Path) -> ApiSpec:
        """Read and index the spec file (cached per path)."""
        with path.open(encoding="utf-8") as handle:
            return ApiSpec(json.load(handle))

    def method(self, name: str) -> MethodSpec | None:
        """The method called ``name`` (any letter case), or None."""
        return self._by_lower.get(name.lower())

    def coerce(
        self, method: MethodSpec, raw: Mapping[str, Any], files: Mapping[str, UploadedFile]
    ) -> dict[str, Any]:
        """Check the parameters of one call and convert them to their documented types."""
        attached = {
            value[len("attach://") :]
            for value in raw.values()
            if isinstance(value, str) and value.startswith("attach://")
        }
        for name in raw:
            if name not in method.fields and name not in attached:
                # EMULATOR-ONLY: Telegram ignores unknown parameters; a typo should fail a test.
                raise bad_request(f'unknown parameter "{name}"')
        params: dict[str, Any] = {}
        for name, field in method.fields.items():
            if name not in raw:
                continue
            value = raw[name]
            if value is None or (field.required and value == ""):
                continue  # JSON null and empty required values count as absent, as in Telegram
            params[name] = coerce_value(field, value, files)
        missing = [n for n, f in method.fields.items() if f.required and n not in params]
        if missing:
            raise missing_parameter(min(missing, key=_missing_rank), method.name)
        return params


def _missing_rank(name: str) -> int:
    return _MISSING_ORDER.index(name) if name in _MISSING_ORDER else len(_MISSING_ORDER)


def missing_parameter(name: str, method: str = "") -> ApiError:
    """Telegram's complaint about a missing required parameter."""
    if (method, name) in _MISSING_IN_METHOD:
        return bad_request(_MISSING_IN_METHOD[method, name])
    if name in _MISSING_TEXTS:
        return bad_request(_MISSING_TEXTS[name])
    if name in _MEDIA_FIELDS:
        return bad_request(f"there is no {_MEDIA_FIELDS[name]} in the request")
    return bad_request(f'parameter "{name}" is required')


def _type_error(name: str, types: tuple[str, ...]) -> ApiError:
    # EMULATOR-ONLY: Telegram reads a malformed number as 0 and fails later, or not at all.
    return bad_request(f'field "{name}" must be of type {" or ".join(types)}')


def coerce_value(field: FieldSpec, value: Any, files: Mapping[str, UploadedFile]) -> Any:
    """Convert one raw value (form string, JSON value or uploaded file) to its documented type."""
    name, types = field.name, field.types
    if isinstance(value, UploadedFile):
        if "InputFile" in types:
            return value
        raise _type_error(name, types)
    if "InputFile" in types:
        if isinstance(value, str) and value.startswith("attach://"):
            part = files.get(value[len("attach://") :])
            if part is None:
                raise missing_parameter(name)
            return part
        if "String" in types and isinstance(value, str):
            return value
        raise _type_error(name, types)
    if types == ("Integer", "String"):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            text = value.strip()
            return int(text) if _INT_RE.match(text) else text
        raise _type_error(name, types)
    if len(types) == 1 and types[0] in ("String", "Integer", "Float", "Boolean"):
        return _coerce_scalar(name, types[0], value)
    return _coerce_json(name, types, value)


def _coerce_scalar(name: str, kind: str, value: Any) -> Any:
    if kind == "String":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise _type_error(name, (kind,))
    if kind == "Integer":
        if isinstance(value, bool):
            raise _type_error(name, (kind,))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INT_RE.match(value.strip()):
            return int(value.strip())
        raise _type_error(name, (kind,))
    if kind == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                raise _type_error(name, (kind,)) from None
        raise _type_error(name, (kind,))
    # Boolean
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no", ""):
            return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _type_error(name, ("Boolean",))


def _coerce_json(name: str, types: tuple[str, ...], value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            label = _JSON_NAMES.get(name, name)
            raise bad_request(f"can't parse {label} JSON object") from None
    if any(t.startswith("Array of ") for t in types):
        if not isinstance(value, list):
            raise _type_error(name, types)
        if types == ("Array of Integer",) and not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise _type_error(name, types)
        if types == ("Array of String",) and not all(isinstance(v, str) for v in value):
            raise _type_error(name, types)
        return value
    if not isinstance(value, dict):
        if name == "reply_markup":
            raise bad_request("object expected as reply markup")
        raise _type_error(name, types)
    return value


# ---- rules on structured values -------------------------------------------------------------


def _button_error(detail: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {detail}")


def is_valid_button_url(url: str) -> bool:
    """Telegram accepts http(s) links with a host, and tg:// links."""
    if any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "tg":
        return bool(parts.netloc or parts.path)
    if scheme not in ("http", "https"):
        return False
    try:
        host = parts.hostname
    except ValueError:
        return False
    return bool(host) and re.fullmatch(r"[\w.-]+", host or "") is not None and "." in (host or "")


def check_inline_button(button: Any) -> None:
    """Raise Telegram's error for an invalid inline keyboard button."""
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise _button_error('Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _button_error('Field "text" must be of type String')
    for key in ("url", "callback_data"):
        if key in button and not isinstance(button[key], str):
            raise _button_error(f'Field "{key}" must be of type String')
    # An empty url or callback_data counts as absent, exactly like Telegram.
    actions = [
        key
        for key in INLINE_BUTTON_ACTIONS
        if key in button and not (key in ("url", "callback_data") and button[key] == "")
    ]
    # Telegram takes the first action field it finds; the emulator also refuses two of them.
    if len(actions) != 1:
        raise bad_request(TEXT_BUTTONS_UNALLOWED)
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    action = actions[0]
    if action == "callback_data":
        if len(button["callback_data"].encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif action == "url":
        if not is_valid_button_url(button["url"]):
            raise bad_request("BUTTON_URL_INVALID")
    elif action in ("web_app", "login_url"):
        inner = button[action]
        if not isinstance(inner, dict) or not isinstance(inner.get("url"), str):
            raise _button_error(f'Field "{action}" must be of type Object')


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate reply_markup like Telegram; return it, or None for an empty object."""
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        count = 0
        for row in rows:
            for button in row:
                check_inline_button(button)
                count += 1
        if count > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        return markup if count else None
    if inline_only:
        if markup:
            # The edit methods only take an inline keyboard.
            raise bad_request("REPLY_MARKUP_INVALID")
        return None
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "keyboard" must be an Array of Arrays')
        for row in rows:
            for button in row:
                if isinstance(button, str):
                    continue
                if not isinstance(button, dict):
                    raise bad_request(
                        "can't parse keyboard button: KeyboardButton must be a String or an Object"
                    )
                if not isinstance(button.get("text"), str):
                    raise bad_request("can't parse keyboard button: Can't find field \"text\"")
        return markup if any(rows) else None
    if markup.get("remove_keyboard") or markup.get("hide_keyboard") or markup.get("force_reply"):
        return markup
    return None


def inline_buttons(markup: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """All buttons of an inline keyboard, row by row."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def check_commands(commands: list[Any]) -> list[dict[str, str]]:
    """Validate setMyCommands' list like Telegram; return normalized {command, description}."""
    result: list[dict[str, str]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        for key in ("command", "description"):
            if key not in item:
                raise bad_request(f"can't parse BotCommand: Can't find field \"{key}\"")
            if not isinstance(item[key], str):
                raise bad_request(f'can\'t parse BotCommand: Field "{key}" must be of type String')
        command = item["command"].strip().removeprefix("/")
        description = item["description"].strip()
        if not command:
            raise bad_request("command must be non-empty")
        if len(command) > 32:
            raise bad_request("command length must not exceed 32")
        if not description:
            raise bad_request("command description must be non-empty")
        if len(description) > 256:
            raise bad_request("command description length must not exceed 256")
        if not _COMMAND_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        result.append({"command": command, "description": description})
    if len(result) > 100:
        raise bad_request("BOTS_TOO_MUCH")  # approximation: Telegram allows at most 100 commands
    return result


def check_language_code(language_code: str) -> str:
    """An empty string or a two-letter ISO 639-1 code."""
    if language_code and not _LANGUAGE_RE.match(language_code):
        raise bad_request("invalid language code specified")
    return language_code


def scope_key(scope: Mapping[str, Any] | None) -> str:
    """A readable key for a BotCommandScope: "default", "chat:123", "chat_member:123:45"."""
    if scope is None:
        return "default"
    kind = scope.get("type")
    if not isinstance(kind, str):
        raise bad_request("can't parse BotCommandScope: Can't find field \"type\"")
    if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
        return kind
    if kind not in ("chat", "chat_administrators", "chat_member"):
        raise bad_request("can't parse BotCommandScope: Unsupported type specified")
    chat_id = scope.get("chat_id")
    if chat_id in (None, ""):
        raise bad_request("can't parse BotCommandScope: Empty chat_id specified")
    if kind != "chat_member":
        return f"{kind}:{chat_id}"
    user_id = scope.get("user_id")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise bad_request("can't parse BotCommandScope: Invalid user_id specified")
    return f"{kind}:{chat_id}:{user_id}"
