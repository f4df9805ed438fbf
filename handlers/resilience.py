"""Replies that survive Telegram's hiccups: a request met by a 5xx, cut off or timed out is retried.

python-telegram-bot retries getUpdates by itself, so no update is lost in an outage; but a
reply (sendMessage, editMessageText, answerCallbackQuery...) that meets a 500, a 502 page, a
dropped connection or a timeout raises at once, and the person gets no answer, nor even the apology,
which fails the same way. `ReplyRetry` is PTB's AIORateLimiter (the same pacing, the same
429 handling) plus a few retries of exactly those failures, spaced RETRY_DELAYS apart.
PTB handles updates one at a time, so the updates behind a reply being retried wait for it:
during a Telegram hiccup the bot answers late rather than not at all.

Not retried: 400s (BadRequest: retrying changes nothing), 403s, 429s (the limiter's own
business). A request that timed out, or whose connection broke, may have reached Telegram
all the same: a retried sendMessage then arrives twice (rare, and better than no answer), and
a retried answerCallbackQuery or edit is refused as already done, which counts as done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]

# Start-up and polling have their own retry loops in python-telegram-bot: not retried here, so
# an unreachable Bot API at start is reported at once instead of after minutes.
NOT_REPLIES = frozenset({"getMe", "getUpdates", "deleteWebhook", "setWebhook", "close", "logOut"})
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds before each retry: 15.5 s in all
ALREADY_DONE = ("query is too old", "message is not modified")


def retryable(error: BaseException) -> bool:
    """A 5xx answer, a broken connection, or no answer in time."""
    return type(error) in (NetworkError, TimedOut)


class ReplyRetry(AIORateLimiter):
    """AIORateLimiter that also retries replies met by a 5xx, cut off or timed out."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Send through the limiter; on a retryable failure wait and send again."""
        for attempt, delay in enumerate((*RETRY_DELAYS, None)):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest as error:
                done = any(text in error.message.lower() for text in ALREADY_DONE)
                if attempt > 0 and done and endpoint != "sendMessage":
                    return True  # the attempt that broke off had gone through
                raise
            except NetworkError as error:
                if delay is None or not retryable(error) or endpoint in NOT_REPLIES:
                    raise
                log.warning("request_retried method=%s attempt=%s", endpoint, attempt + 1)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover
