"""Local Telegram Bot API emulator: an aiohttp server that answers a bot like api.telegram.org.

Owns: the HTTP side: the endpoint ``/bot<token>/<method>`` and file downloads, checking the
token and the parameters against the Bot API description (``spec.py``), dispatch to the method
families, Telegram-shaped answers and errors, the emulator's lifetime (start, stop, port), and
the test hooks (flood limits, injected 429s and failures, pause/resume, simulated users and
groups, waiting for a request or a confirmed update) with the records tests read (``requests``,
``errors``). The layout:

* ``state.py``: chats, messages, people, files, the update queue (the emulator's memory);
* ``methods/``: the Bot API methods, one module per family (see ``methods/__init__.py`` for how
  to add one);
* ``client.py``: simulated users who talk to the bot; ``limits.py``: flood limits;
  ``formatting/``: parse modes and entities.

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
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple

from aiohttp import web

from emulator.client import GroupChat, SimulatedUser
from emulator.limits import FloodLimiter
from emulator.methods import BotApiMethods
from emulator.spec import (
    DEFAULT_SPEC_PATH,
    ApiError,
    ApiSpec,
    UploadedFile,
    bad_request,
    resolve_spec_path,
)
from emulator.state import (
    BotEvent,
    CallbackAnswer,
    CallContext,
    Chat,
    ChatMessage,
    Handler,
    Person,
    Signal,
    StoredFile,
    WithDescription,
)

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


class BotApiEmulator(BotApiMethods):
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
        self._handlers: dict[str, Handler] = self._method_handlers()

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
