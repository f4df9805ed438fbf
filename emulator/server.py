"""Local Telegram Bot API emulator: an aiohttp server that answers a bot like api.telegram.org.

Owns: the HTTP endpoint ``/bot<token>/<method>``, the state of chats and messages (so edits and
deletes act on what was really sent), the update queue (``getUpdates`` long polling or webhook
push), flood limits, failure injection for tests, and the records tests read (``requests``,
``errors``, confirmed updates). Simulated users who talk to the bot live in ``client.py``.

Answers follow Telegram: ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N,
"description": "...", "parameters": {"retry_after": N}}`` with HTTP status N, and the error texts
of the open-source Bot API server. Known differences, on purpose:

* unknown parameters and badly typed values are refused (Telegram ignores or misreads them);
* a webhook may use plain http on 127.0.0.1 / localhost (Telegram wants https on 443, 80, 88
  or 8443 and checks the certificate);
* nothing is fetched from the network: a photo "sent by URL" gets a made-up file;
* flood limits are token buckets (``limits.py``), an approximation of Telegram's secret rules;
* inline mode, payments, games, polls, business accounts, forum topics and media groups are not
  emulated: those methods answer 400 "method ... is not supported by the emulator";
* an inline button with more than one action field is refused (Telegram uses the first one).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import logging
import re
import struct
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from emulator.formatting import (
    MAX_CAPTION_LENGTH,
    MAX_MESSAGE_LENGTH,
    EntityParseError,
    UnsupportedParseMode,
    parse_text,
)
from emulator.limits import FloodLimiter
from emulator.spec import (
    DEFAULT_SPEC_PATH,
    ApiError,
    ApiSpec,
    UploadedFile,
    bad_request,
    check_commands,
    check_language_code,
    check_reply_markup,
    resolve_spec_path,
    scope_key,
)
from emulator.state import (
    DEFAULT_ALLOWED_UPDATES,
    BotEvent,
    CallbackAnswer,
    CallbackQueryState,
    CallContext,
    Chat,
    ChatMessage,
    EmulatorState,
    Handler,
    Person,
    Signal,
    StoredFile,
    Webhook,
    WithDescription,
)

if TYPE_CHECKING:
    from emulator.client import GroupChat, SimulatedUser

__all__ = [
    "EXAMPLE_TOKEN",
    "BotApiEmulator",
    "BotEvent",
    "CallContext",
    "CallbackAnswer",
    "Chat",
    "ChatMessage",
    "ErrorRecord",
    "Person",
    "RequestRecord",
    "StoredFile",
]

log = logging.getLogger(__name__)

TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
EXAMPLE_TOKEN = "7000000001:AAEmulatorTestToken-abcdefghijklmnopq"

CALLBACK_QUERY_TIMEOUT = 15.0  # seconds a callback query can still be answered
MAX_CALLBACK_ANSWER_LENGTH = 200
DELETE_WINDOW = 48 * 3600  # a message can only be deleted for everyone within 48 hours
MAX_LONG_POLL_TIMEOUT = 50
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
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
# Texts the emulator had to choose (no authoritative source for Telegram's wording).
STORE_LIMITS = {
    "description": (512, "description is too long"),
    "short_description": (120, "short description is too long"),
    "name": (64, "name is too long"),
}
MEDIA_METHODS = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendAudio": "audio",
    "sendVideo": "video",
    "sendAnimation": "animation",
    "sendVoice": "voice",
    "sendVideoNote": "video_note",
    "sendSticker": "sticker",
}
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)

FailureKind = Literal["500", "502", "drop"]


class ErrorRecord(NamedTuple):
    """One error answered to the bot."""

    method: str
    error_code: int
    description: str


class RequestRecord(NamedTuple):
    """One call that reached a method, with its parameters after type coercion."""

    method: str
    params: dict[str, Any]


class BotApiEmulator(EmulatorState):
    """The emulated Bot API server; see the module docstring."""

    def __init__(
        self,
        *,
        spec_path: Path = DEFAULT_SPEC_PATH,
        bot_username: str = "asylum_guide_bot",
        bot_name: str = "Asylum Guide",
        global_rate_per_second: float = 30.0,
        chat_rate_per_second: float = 1.0,
        chat_burst: int = 20,
        group_rate_per_minute: float = 20.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            bot_id=int(EXAMPLE_TOKEN.split(":", 1)[0]),
            bot_username=bot_username,
            bot_name=bot_name,
            limiter=FloodLimiter(
                global_rate=global_rate_per_second,
                chat_rate=chat_rate_per_second,
                chat_burst=chat_burst,
                group_rate_per_minute=group_rate_per_minute,
                monotonic=monotonic,
            ),
            monotonic=monotonic,
            wall_clock=wall_clock,
        )
        self.spec = ApiSpec.load(resolve_spec_path(spec_path))
        # Seconds each request (but getUpdates) takes on the wire, as with the real Telegram
        # (about 50 ms); 0 on loopback. Set by benchmarks (`set_network_delay`).
        self.network_delay = 0.0
        # Records for tests.
        self.requests: list[RequestRecord] = []
        self.errors: list[ErrorRecord] = []
        # Simulated people and groups (client.py).
        self.users: dict[int, SimulatedUser] = {}
        self.groups: dict[int, GroupChat] = {}
        self._request_signal = Signal()
        self._failures: list[FailureKind] = []
        self._resumed = asyncio.Event()
        self._resumed.set()
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None
        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": self._log_out,
            "close": self._log_out,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "getMyDescription": self._get_my_description,
            "setMyShortDescription": self._set_my_short_description,
            "getMyShortDescription": self._get_my_short_description,
            "setMyName": self._set_my_name,
            "getMyName": self._get_my_name,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "sendMessage": self._send_message,
            "sendLocation": self._send_location,
            "sendContact": self._send_contact,
            "sendDice": self._send_dice,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "getFile": self._get_file,
        }
        for method in MEDIA_METHODS:
            self._handlers[method] = self._send_media

    # ---- lifetime --------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (port 0 picks a free one)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_not_found)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        address = self._runner.addresses[0]
        self._host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        self._port = int(address[1])
        self._closing = False

    async def stop(self) -> None:
        """Stop serving; long polls and paused requests end."""
        self._closing = True
        self._updates_signal.fire()
        self._resumed.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """What to pass as python-telegram-bot's base_url ("http://127.0.0.1:PORT/bot")."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What to pass as python-telegram-bot's base_file_url."""
        return f"http://{self._host}:{self.port}/file/bot"

    @staticmethod
    def token_ok(token: str) -> bool:
        """True for any token shaped like Telegram's ("<digits>:<30+ letters, digits, _ or ->")."""
        return TOKEN_RE.match(token) is not None

    # ---- test hooks ------------------------------------------------------------------------------

    def set_limits(
        self,
        *,
        global_rate_per_second: float | None = None,
        chat_rate_per_second: float | None = None,
        chat_burst: int | None = None,
        group_rate_per_minute: float | None = None,
    ) -> None:
        """Change flood limits at runtime (math.inf = unlimited); all buckets start full."""
        self.limiter.configure(
            global_rate=global_rate_per_second,
            chat_rate=chat_rate_per_second,
            chat_burst=chat_burst,
            group_rate_per_minute=group_rate_per_minute,
        )

    def set_network_delay(self, seconds: float) -> None:
        """Make every request but getUpdates take `seconds` before it is handled."""
        self.network_delay = max(0.0, seconds)

    def inject_429(self, count: int, retry_after: int) -> None:
        """The next ``count`` message sends get 429 with this retry_after."""
        self._forced_429.extend([retry_after] * count)

    def inject_failure(self, kind: FailureKind, count: int = 1) -> None:
        """The next ``count`` requests get 500, a 502 HTML page, or a dropped connection."""
        if kind not in ("500", "502", "drop"):
            raise ValueError(f"unknown failure kind {kind!r}")
        self._failures.extend([kind] * count)

    def pause(self) -> None:
        """Stop answering: requests hang (the bot's read timeout fires) until resume()."""
        self._resumed.clear()

    def resume(self) -> None:
        """Answer again, including the requests that were held."""
        self._resumed.set()

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        opened: bool = True,
    ) -> SimulatedUser:
        """A simulated person with a private chat with the bot (opened unless told otherwise)."""
        from emulator.client import SimulatedUser

        if user_id <= 0:
            raise ValueError("user ids are positive")
        existing = self.users.get(user_id)
        if existing is not None:
            return existing
        person = Person(user_id, first_name, last_name, username, language_code)
        self.chats[user_id] = Chat(id=user_id, type="private", user=person, opened=opened)
        simulated = SimulatedUser(self, person)
        self.users[user_id] = simulated
        return simulated

    def group(self, chat_id: int, title: str, *, username: str | None = None) -> GroupChat:
        """A group chat (negative id) that has the bot as a member."""
        from emulator.client import GroupChat

        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        existing = self.groups.get(chat_id)
        if existing is not None:
            return existing
        self.chats[chat_id] = Chat(id=chat_id, type="group", title=title, username=username)
        group = GroupChat(self, chat_id)
        self.groups[chat_id] = group
        return group

    async def wait_confirmed(self, update_id: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has confirmed this update (getUpdates offset > id, or webhook 200)."""
        await self._confirm_signal.wait_until(
            lambda: self.confirmed_update_id >= update_id, timeout
        )

    async def wait_for_request(self, method: str, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has called `method` at least once (e.g. getUpdates: it is polling)."""
        await self._request_signal.wait_until(
            lambda: any(r.method == method for r in self.requests), timeout
        )

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (copies)."""
        return copy.deepcopy(self._pending)

    # ---- updates ---------------------------------------------------------------------------------

    def _confirm_below(self, offset: int) -> None:
        kept = [u for u in self._pending if u["update_id"] >= offset]
        if len(kept) != len(self._pending) or offset - 1 > self.confirmed_update_id:
            self._pending = kept
            self.confirmed_update_id = max(self.confirmed_update_id, offset - 1)
            self._confirm_signal.fire()

    def _set_allowed_updates(self, allowed: list[str] | None) -> None:
        if allowed is None:
            return
        chosen = frozenset(a.lower() for a in allowed) & (
            DEFAULT_ALLOWED_UPDATES | {"chat_member", "message_reaction", "message_reaction_count"}
        )
        self._allowed_updates = chosen or DEFAULT_ALLOWED_UPDATES

    # ---- HTTP ------------------------------------------------------------------------------------

    async def _handle_not_found(self, request: web.Request) -> web.StreamResponse:
        return self._error_response("?", ApiError(404, "Not Found"))

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if not self.token_ok(request.match_info["token"]):
            return self._error_response("file", ApiError(404, "Not Found"))
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return self._error_response("file", ApiError(404, "Not Found"))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method_name = request.match_info["method"]
        if not self._resumed.is_set():
            await self._resumed.wait()
        if self.network_delay > 0 and method_name.lower() != "getupdates":
            await asyncio.sleep(self.network_delay)  # the round trip to api.telegram.org
        if self._failures:
            failure = self._failures.pop(0)
            return await self._fail(request, method_name, failure)
        token = request.match_info["token"]
        if not self.token_ok(token):
            return self._error_response(method_name, ApiError(404, "Not Found"))
        method = self.spec.method(method_name)
        if method is None:
            return self._error_response(method_name, ApiError(404, "Not Found"))
        try:
            raw, files = await self._read_params(request)
            try:
                params = self.spec.coerce(method, raw, files)
            except ApiError:
                self.requests.append(RequestRecord(method.name, dict(raw)))
                raise
            self.requests.append(RequestRecord(method.name, params))
            self._request_signal.fire()
            handler = self._handlers.get(method.name)
            if handler is None:
                raise bad_request(f"method {method.name} is not supported by the emulator")
            self.bot_id = int(token.split(":", 1)[0])
            result = await handler(CallContext(self._bot_person(), method.name), params)
        except ApiError as error:
            return self._error_response(method.name, error)
        except Exception as exc:  # an emulator bug: answer like Telegram's 500, keep the trace
            log.exception("emulator failure in %s", method.name)
            bug = ApiError(500, f"Internal Server Error: emulator failure: {exc!r}")
            return self._error_response(method.name, bug)
        body: dict[str, Any] = {"ok": True}
        if isinstance(result, WithDescription):
            body["result"] = result.result
            body["description"] = result.description
        else:
            body["result"] = result
        return web.json_response(body)

    async def _fail(
        self, request: web.Request, method: str, failure: FailureKind
    ) -> web.StreamResponse:
        if failure == "500":
            return self._error_response(method, ApiError(500, "Internal Server Error"))
        if failure == "502":
            self.errors.append(ErrorRecord(method, 502, "Bad Gateway"))
            return web.Response(status=502, body=BAD_GATEWAY_PAGE, content_type="text/html")
        self.errors.append(ErrorRecord(method, 0, "connection dropped"))
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError  # nothing is written back: the client sees a broken link

    def _error_response(self, method: str, error: ApiError) -> web.Response:
        self.errors.append(ErrorRecord(method, error.error_code, error.description))
        body: dict[str, Any] = {
            "ok": False,
            "error_code": error.error_code,
            "description": error.description,
        }
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return web.json_response(body, status=error.error_code)

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if not request.can_read_body:
            return raw, files
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request") from None
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON encoded request")
            raw.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    uploaded = UploadedFile(
                        part=key,
                        filename=value.filename,
                        content_type=value.content_type,
                        data=value.file.read(),
                    )
                    files[key] = uploaded
                    raw[key] = uploaded
                else:
                    raw[key] = value
        return raw, files

    # ---- helpers used by methods -----------------------------------------------------------------

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

    def _new_file(
        self, kind: str, data: bytes, *, file_name: str | None = None, mime: str | None = None
    ) -> StoredFile:
        number = next(self._file_ids)
        unique = hashlib.sha1(f"{kind}:{number}".encode()).hexdigest()[:16]
        width, height = _image_size(data) if kind == "photo" else (0, 0)
        stored = StoredFile(
            file_id=f"{_FILE_PREFIX.get(kind, 'BQAC')}Emu{number:06d}{unique}",
            file_unique_id=f"AQAD{unique[:12]}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime,
            width=width or (512 if kind == "sticker" else 1280),
            height=height or (512 if kind == "sticker" else 720),
            duration=3 if kind in ("voice", "audio", "video", "animation", "video_note") else 0,
        )
        self.files[stored.file_id] = stored
        return stored

    def media_json(self, stored: StoredFile) -> dict[str, Any]:
        """The Message field describing a file ({"photo": [...]}, {"document": {...}}, ...)."""
        base: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        kind = stored.kind
        if kind == "photo":
            small = dict(base, width=max(1, stored.width // 8), height=max(1, stored.height // 8))
            small["file_size"] = max(1, len(stored.data) // 16)
            small["file_unique_id"] = stored.file_unique_id + "s"
            return {"photo": [small, dict(base, width=stored.width, height=stored.height)]}
        if kind == "sticker":
            base.update(
                type="regular",
                width=stored.width,
                height=stored.height,
                is_animated=False,
                is_video=False,
                emoji=stored.file_name or "👍",
            )
            return {"sticker": base}
        if kind in ("document", "audio", "voice", "video", "animation"):
            if stored.file_name and kind != "voice":
                base["file_name"] = stored.file_name
            if stored.mime_type:
                base["mime_type"] = stored.mime_type
        if kind in ("audio", "voice", "video", "animation", "video_note"):
            base["duration"] = stored.duration
        if kind in ("video", "animation"):
            base.update(width=stored.width, height=stored.height)
        if kind == "video_note":
            base["length"] = stored.width
        return {kind: base}

    def _input_file(self, kind: str, value: UploadedFile | str) -> StoredFile:
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            mime = value.content_type or None
            return self._new_file(kind, value.data, file_name=value.filename or None, mime=mime)
        known = self.files.get(value.strip())
        if known is not None:
            return known
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https") and parts.hostname:
            # No network: a URL "upload" becomes a small made-up file.
            name = Path(parts.path).name or None
            return self._new_file(kind, b"downloaded:" + value.encode(), file_name=name)
        raise bad_request("wrong file identifier/HTTP URL specified")

    # ---- methods: bot identity and settings ------------------------------------------------------

    async def _get_me(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        data = ctx.bot.to_json()
        data.update(
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        return data

    async def _log_out(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return True

    async def _set_my_commands(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        commands = check_commands(p["commands"])
        key = (scope_key(p.get("scope")), check_language_code(p.get("language_code", "")))
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        key = (scope_key(p.get("scope")), check_language_code(p.get("language_code", "")))
        return copy.deepcopy(self.commands.get(key, []))

    async def _delete_my_commands(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        key = (scope_key(p.get("scope")), check_language_code(p.get("language_code", "")))
        self.commands.pop(key, None)
        return True

    def _store_text(self, store: dict[str, str], field_name: str, p: dict[str, Any]) -> bool:
        language = check_language_code(p.get("language_code", ""))
        value = p.get(field_name, "")
        limit, message = STORE_LIMITS[field_name]
        if len(value) > limit:
            raise bad_request(message)
        if value:
            store[language] = value
        else:
            store.pop(language, None)
        return True

    def _read_text(self, store: dict[str, str], field_name: str, p: dict[str, Any]) -> Any:
        language = check_language_code(p.get("language_code", ""))
        default = self.bot_name if field_name == "name" else ""
        return {field_name: store.get(language, store.get("", default))}

    async def _set_my_description(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._store_text(self.descriptions, "description", p)

    async def _get_my_description(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._read_text(self.descriptions, "description", p)

    async def _set_my_short_description(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._store_text(self.short_descriptions, "short_description", p)

    async def _get_my_short_description(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._read_text(self.short_descriptions, "short_description", p)

    async def _set_my_name(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._store_text(self.names, "name", p)

    async def _get_my_name(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        return self._read_text(self.names, "name", p)

    async def _set_chat_menu_button(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        chat_id = p.get("chat_id")
        if chat_id is not None:
            self._find_chat(chat_id)
        self.menu_buttons[chat_id] = p.get("menu_button", {"type": "default"})
        return True

    async def _get_chat_menu_button(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        chat_id = p.get("chat_id")
        return self.menu_buttons.get(chat_id, self.menu_buttons.get(None, {"type": "commands"}))

    # ---- methods: updates and webhook ------------------------------------------------------------

    async def _get_updates(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.get("offset", 0)
        limit = min(max(p.get("limit", 100), 1), 100)
        timeout = min(max(p.get("timeout", 0), 0), MAX_LONG_POLL_TIMEOUT)
        self._set_allowed_updates(p.get("allowed_updates"))
        if offset < 0:
            dropped = self._pending[:offset]
            if dropped:
                self._confirm_below(dropped[-1]["update_id"] + 1)
        elif offset > 0:
            self._confirm_below(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.fire()  # an older long poll learns it was replaced
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            batch = [u for u in self._pending if u["update_id"] >= offset][:limit]
            if batch or self._closing:
                return copy.deepcopy(batch)
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self._updates_signal.wait()
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self.webhook is not None:
                raise ApiError(409, "Conflict: terminated by setWebhook request")

    async def _set_webhook(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        url = p["url"].strip()
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            raise bad_request("invalid webhook URL specified") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("invalid webhook URL specified")
        is_local = parts.hostname in LOCAL_HOSTS
        if parts.scheme != "https" and not is_local:
            raise bad_request("bad webhook: HTTPS url must be provided for webhook")
        if not is_local and (port or 443) not in WEBHOOK_PORTS:
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        secret = p.get("secret_token") or None
        if secret is not None:
            if len(secret) > 256:
                raise bad_request("secret token is too long")
            if not re.fullmatch(r"[A-Za-z0-9_-]+", secret):
                raise bad_request("secret token contains unallowed characters")
        allowed = p.get("allowed_updates")
        new = Webhook(url, secret, min(max(p.get("max_connections", 40), 1), 100), allowed)
        if p.get("drop_pending_updates"):
            self._drop_pending()
        old = self.webhook
        self._set_allowed_updates(allowed)
        if old is not None and (old.url, old.secret_token, old.max_connections) == (
            new.url,
            new.secret_token,
            new.max_connections,
        ):
            return WithDescription(True, "Webhook is already set")
        self.webhook = new
        self._updates_signal.fire()  # a running long poll ends with a conflict
        self._restart_webhook_delivery()
        return WithDescription(True, "Webhook was set")

    async def _delete_webhook(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        if p.get("drop_pending_updates"):
            self._drop_pending()
        if self.webhook is None:
            return WithDescription(True, "Webhook is already deleted")
        self.webhook = None
        self._restart_webhook_delivery()
        return WithDescription(True, "Webhook was deleted")

    async def _get_webhook_info(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        hook = self.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            info["ip_address"] = "127.0.0.1"
            if hook.allowed_updates is not None:
                info["allowed_updates"] = hook.allowed_updates
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    def _drop_pending(self) -> None:
        if self._pending:
            self._confirm_below(self._pending[-1]["update_id"] + 1)

    def _restart_webhook_delivery(self) -> None:
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None
        if self.webhook is not None:
            self._webhook_task = asyncio.get_running_loop().create_task(
                self._deliver_webhook(self.webhook)
            )

    async def _deliver_webhook(self, hook: Webhook) -> None:
        """POST pending updates one by one to the webhook, retrying until it answers 200."""
        delay = 0.05
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self.webhook is hook and not self._closing:
                if not self._pending:
                    await self._updates_signal.wait()
                    continue
                update = self._pending[0]
                error = await self._post_update(session, hook, update)
                if error is None:
                    delay = 0.05
                    if self._pending and self._pending[0] is update:
                        self._confirm_below(update["update_id"] + 1)
                    continue
                hook.last_error_date = self.now()
                hook.last_error_message = error
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    @staticmethod
    async def _post_update(
        session: aiohttp.ClientSession, hook: Webhook, update: dict[str, Any]
    ) -> str | None:
        """POST one update; None on 200, else Telegram-style last_error_message."""
        if urlsplit(hook.url).hostname not in LOCAL_HOSTS:
            # No network access: a test can point hook.url at a local listener meanwhile.
            return "The emulator delivers webhook updates to 127.0.0.1 or localhost only"
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": hook.secret_token} if hook.secret_token else {}
        )
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            return f"Connection failed: {exc!r}"
        return None

    # ---- methods: messages -----------------------------------------------------------------------

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

    async def _send_media(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        kind = MEDIA_METHODS[ctx.method]
        stored = self._input_file(kind, p[kind])
        caption, caption_entities = (
            self._caption(p) if kind not in ("sticker", "video_note") else (None, [])
        )
        markup = check_reply_markup(p["reply_markup"]) if "reply_markup" in p else None
        chat = self._writable_chat(p["chat_id"])
        reply_to = self._reply_to(chat, p)
        self._flood_check(chat)
        if kind == "sticker" and p.get("emoji"):
            stored.file_name = p["emoji"]
        message = self._store_bot_message(
            chat,
            ctx,
            media=self.media_json(stored),
            caption=caption,
            caption_entities=caption_entities,
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

    async def _answer_callback_query(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        query = self.callback_queries.get(p["callback_query_id"])
        if (
            query is None
            or query.answered
            or self.monotonic() - query.created > CALLBACK_QUERY_TIMEOUT
        ):
            raise bad_request(QUERY_INVALID)
        text = p.get("text", "")
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        answer = CallbackAnswer(query.id, text, bool(p.get("show_alert", False)), p.get("url"))
        self.callback_answers.setdefault(query.user_id, []).append(answer)
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

    async def _get_file(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        stored = self.files.get(p["file_id"])
        if stored is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    # ---- used by simulated users (client.py) -----------------------------------------------------

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

    def press_button(
        self, chat: Chat, sender: Person, message: ChatMessage, data: str
    ) -> int | None:
        """Queue a callback_query for a press on an inline button carrying ``data``."""
        query_id = str(next(self._query_ids))
        self.callback_queries[query_id] = CallbackQueryState(
            id=query_id,
            user_id=sender.id,
            chat_id=chat.id,
            message_id=message.message_id,
            created=self.monotonic(),
        )
        instance = int(hashlib.sha1(f"{chat.id}".encode()).hexdigest()[:15], 16)
        payload = {
            "id": query_id,
            "from": sender.to_json(),
            "message": message.to_json(chat),
            "chat_instance": str(instance),
            "data": data,
        }
        return self.enqueue("callback_query", payload)

    def new_user_file(self, kind: str, data: bytes, **details: Any) -> StoredFile:
        """A file a simulated user sends (photo, voice, sticker, document)."""
        stored = self._new_file(
            kind, data, file_name=details.get("file_name"), mime=details.get("mime")
        )
        if "duration" in details:
            stored.duration = int(details["duration"])
        return stored


_FILE_PREFIX = {
    "photo": "AgACAgIAAxkBAAI",
    "document": "BQACAgIAAxkBAAI",
    "sticker": "CAACAgIAAxkBAAI",
    "voice": "AwACAgIAAxkBAAI",
    "audio": "CQACAgIAAxkBAAI",
    "video": "BAACAgIAAxkBAAI",
    "animation": "CgACAgIAAxkBAAI",
    "video_note": "DQACAgIAAxkBAAI",
}


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, or (0, 0) when unknown."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                break
            marker = data[index + 1]
            length = int.from_bytes(data[index + 2 : index + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return int(width), int(height)
            index += 2 + length
    return 0, 0
