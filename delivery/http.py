"""The HTTP clients the bot talks to Telegram with: one TLS context for all of them.

python-telegram-bot builds an httpx client per request object (the bot's replies, getUpdates,
the outbox sender), and httpx loads the whole certificate bundle for each one (about 30 ms of
CPU). One context, built once and shared (an `ssl.SSLContext` is safe to share), is loaded once:
a faster start, and an end-to-end test suite that starts a bot per test no longer pays it each
time.
"""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import certifi
from telegram.request import HTTPXRequest


@cache
def tls_context() -> ssl.SSLContext:
    """The certificate-verifying TLS context every client shares (httpx's own defaults)."""
    return ssl.create_default_context(cafile=certifi.where())


def httpx_options() -> dict[str, Any]:
    """Extra httpx client options for every HTTPXRequest of the bot."""
    return {"verify": tls_context()}


def telegram_request(connection_pool_size: int) -> HTTPXRequest:
    """An HTTPXRequest with `connection_pool_size` connections and the shared TLS context."""
    return HTTPXRequest(connection_pool_size=connection_pool_size, httpx_kwargs=httpx_options())
