"""Receiving updates by webhook: the secret checked before anything is read, nothing logged.

python-telegram-bot's own webhook server reads the whole body (up to 100 MB) before it checks
the secret token, and logs an update it cannot parse in full at CRITICAL (a message text in the
log). This server, on aiohttp (already pinned for the emulator), follows python-telegram-bot's
documented custom-webhook pattern (updates put on `Application.update_queue`):

* the `X-Telegram-Bot-Api-Secret-Token` header is checked first: without it, 403, and the body
  is never read;
* a body larger than `MAX_UPDATE_BYTES` is refused (413) from its Content-Length, unread;
* an update that cannot be parsed is dropped with one log line carrying no content (and
  answered 200, or Telegram would send it again for ever).
"""

from __future__ import annotations

import hmac
import json
import logging
from http import HTTPStatus
from typing import Any

from aiohttp import web
from telegram import Update

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1024 * 1024  # Telegram's updates are a few KiB; 1 MiB is generous
SERVING_KEY = "webhook_serving"  # bot_data: True while the server listens (health reads it)


def make_server(app: Any, path: str, secret: str) -> web.Application:
    """The aiohttp application that takes Telegram's POSTs at `/path` for `app`."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook_refused reason=secret")
            return web.Response(status=HTTPStatus.FORBIDDEN)
        length = request.content_length
        if length is None or length > MAX_UPDATE_BYTES:
            log.warning("webhook_refused reason=size bytes=%s", length)
            return web.Response(status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, app.bot)
        except Exception as error:  # whatever it is, its content is not logged
            log.warning("webhook_update_unparseable error=%s", type(error).__name__)
            return web.Response(status=HTTPStatus.OK)
        if update is not None:
            await app.update_queue.put(update)
        return web.Response(status=HTTPStatus.OK)

    server = web.Application(client_max_size=MAX_UPDATE_BYTES)
    server.router.add_post("/" + path.lstrip("/"), receive)
    return server
