"""Every reply goes through one rate budget, and survives Telegram's hiccups.

**One budget.** Telegram lets a bot send about 30 messages a second in all. The replies people
wait for and the outbox sender (reminder alerts, then announcements) spend the same global
token bucket (`delivery.pacing.Pacer`): a reply takes its token at once, never queued behind a
bulk message, and may run the bucket into a short debt; the sender waits until the bucket is
positive again, so its rate falls while people are active and climbs back when they are quiet.
Replies wait only when replies alone outrun the budget (more than a second of debt). One
process holds the budget: with several processes, each would need its share of the rate
(README, "Concurrency").

**429s.** Telegram's "retry after" for one chat pauses that chat's replies only, then the reply
is sent again; a 429 that names no chat pauses the whole budget (`Pacer.throttled`). Before,
python-telegram-bot's AIORateLimiter paused every request of the bot for any chat's 429.

**Hiccups.** A reply met by a 5xx, a dropped connection or a timeout is retried, spaced
RETRY_DELAYS apart (python-telegram-bot retries getUpdates by itself). Not retried: 400s
(retrying changes nothing) and 403s. A request that timed out may have reached Telegram all the
same: a retried sendMessage then arrives twice (rare, and better than no answer), and a retried
answerCallbackQuery or edit is refused as already done, which counts as done.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from delivery.pacing import Pacer

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]

# Start-up and polling have their own retry loops in python-telegram-bot: not retried here, so
# an unreachable Bot API at start is reported at once instead of after minutes.
NOT_REPLIES = frozenset({"getMe", "getUpdates", "deleteWebhook", "setWebhook", "close", "logOut"})
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds before each retry: 15.5 s in all
ALREADY_DONE = ("query is too old", "message is not modified")
MAX_429_RETRIES = 3
# The requests that count against Telegram's message limits (what the budget is about).
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendContact",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
    }
)


def retryable(error: BaseException) -> bool:
    """A 5xx answer, a broken connection, or no answer in time."""
    return type(error) in (NetworkError, TimedOut)


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds."""
    value: Any = error.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


class ReplyRetry(BaseRateLimiter[int]):
    """The replies' side of the shared budget, with per-chat 429s and retries of hiccups."""

    def __init__(
        self,
        pacer: Pacer,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep,
    ) -> None:
        self.pacer = pacer
        self.monotonic = monotonic
        self.sleep = sleep
        self._chat_paused_until: dict[object, float] = {}
        self.throttled = 0  # 429s met by replies (reported by the load benchmark)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Spend the budget, send; on a 429 or a hiccup wait and send again."""
        chat = data.get("chat_id")
        throttles = 0
        for attempt, delay in enumerate((*RETRY_DELAYS, None)):
            if endpoint in MESSAGE_METHODS:
                await self._take_turn(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self.throttled += 1
                throttles += 1
                self._throttle(chat, retry_after_seconds(error))
                if throttles > MAX_429_RETRIES:
                    raise
                continue
            except BadRequest as error:
                done = any(text in error.message.lower() for text in ALREADY_DONE)
                if attempt > 0 and done and endpoint != "sendMessage":
                    return True  # the attempt that broke off had gone through
                raise
            except NetworkError as error:
                if delay is None or not retryable(error) or endpoint in NOT_REPLIES:
                    raise
                log.warning("request_retried method=%s attempt=%s", endpoint, attempt + 1)
                await self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _take_turn(self, chat: object) -> None:
        """Wait out this chat's 429 pause and the budget's, then spend one token."""
        while True:
            wait = max(
                self._chat_paused_until.get(chat, 0.0) - self.monotonic(),
                self.pacer.interactive_delay(),
            )
            if wait <= 0:
                break
            await self.sleep(wait)
        self._chat_paused_until.pop(chat, None)
        self.pacer.spend_interactive()

    def _throttle(self, chat: object, seconds: float) -> None:
        if chat is None:  # Telegram's limit for the whole bot: everybody waits
            self.pacer.throttled(seconds)
            log.warning("reply_throttled scope=bot retry_after=%s", seconds)
            return
        self._chat_paused_until[chat] = self.monotonic() + seconds
        log.warning("reply_throttled scope=chat retry_after=%s", seconds)
