"""Pacing: when may the next message go out, so that Telegram never has to throttle the bot.

Pure logic, no Telegram, no I/O: token buckets read an injectable monotonic clock (seconds).

* One global bucket: `global_rate` messages a second (default 25, below Telegram's "about 30"),
  shared by the outbox sender and the replies people wait for (`spend_interactive`: a reply
  takes its token at once and may run the bucket into a second of debt, which the sender then
  waits out; handlers/resilience.py), holding at
  most `global_burst` tokens (default 1.25: messages are evenly spaced, 40 ms apart at 25/s,
  and a send that woke up a few ms late lets the next one go up to 10 ms early instead of
  losing that time; so the rate is kept, and with Telegram answering within ~30 ms only one
  request is ever on the wire, which is what bounds the duplicates after a crash to one).
* One bucket per chat: `chat_rate` (default 1 a second) with burst `chat_burst` (default 1).
* A 429 pauses everything: `throttled(retry_after)` (or `pause_until(t)`) stops all sends until
  `t` and empties the global bucket. It also lowers the global rate by a fifth (never below
  `min_share` of the configured rate; once per pause, because the messages in flight all get
  the same 429) and remembers a ceiling of 90 % of the rate that met the 429. The rate climbs
  back by 5 % of the configured rate for every `recover_seconds` without a 429, up to that
  ceiling; the ceiling is forgotten after `forget_seconds` without a 429. So against a limit
  lower than configured, the rate settles just under it after a few 429s and stays there; with
  a limit above the configured rate no 429 ever comes and nothing changes.

Usage: `wait = pacer.delay(chat_id)`; when it is 0, `pacer.take(chat_id)` and send.
Chat buckets that have refilled are dropped now and then, so a million recipients do not stay
in memory.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_GLOBAL_RATE = 25.0
DEFAULT_CHAT_RATE = 1.0
DEFAULT_GLOBAL_BURST = 1.25
DEFAULT_CHAT_BURST = 1.0
SLOWDOWN = 0.8  # the rate is multiplied by this on a 429
CEILING = 0.9  # after a 429 the rate never climbs back above this share of the rate that met it
RECOVERY_STEP = 0.05  # share of the configured rate regained per quiet `recover_seconds`
PRUNE_EVERY = 1024  # takes between two sweeps of refilled chat buckets
INTERACTIVE_DEBT = 1.0  # seconds of the global rate replies may spend ahead of the bucket
EPSILON = 1e-9  # a token short by less than this (float rounding) counts as whole


@dataclass
class Bucket:
    """A token bucket: `rate` tokens a second, at most `burst`, read at monotonic times."""

    rate: float
    burst: float
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        """Add the tokens earned since the last look."""
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)
        self.stamp = max(self.stamp, now)

    def wait(self, now: float) -> float:
        """Seconds until a whole token is there (0.0 when one is there now)."""
        self.refill(now)
        return 0.0 if self.tokens >= 1.0 - EPSILON else (1.0 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Spend one token (callers check `wait` first)."""
        self.refill(now)
        self.tokens -= 1.0

    def full(self, now: float) -> bool:
        """True when the bucket has refilled (it can be forgotten)."""
        self.refill(now)
        return self.tokens >= self.burst


class Pacer:
    """Token buckets for the whole bot and for each chat; see the module docstring."""

    def __init__(
        self,
        global_rate: float = DEFAULT_GLOBAL_RATE,
        chat_rate: float = DEFAULT_CHAT_RATE,
        *,
        global_burst: float = DEFAULT_GLOBAL_BURST,
        chat_burst: float = DEFAULT_CHAT_BURST,
        monotonic: Callable[[], float] = time.monotonic,
        min_share: float = 0.2,
        recover_seconds: float = 10.0,
        forget_seconds: float = 600.0,
    ) -> None:
        if global_rate <= 0 or chat_rate <= 0 or math.isinf(global_rate) or math.isinf(chat_rate):
            raise ValueError("rates must be positive and finite")
        if global_burst < 1 or chat_burst < 1:
            raise ValueError("bursts must be at least 1")
        self.configured_rate = global_rate
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.monotonic = monotonic
        self.min_rate = global_rate * min_share
        self.recover_seconds = recover_seconds
        self.forget_seconds = forget_seconds
        now = monotonic()
        self._global = Bucket(global_rate, global_burst, global_burst, now)
        self._chats: dict[int, Bucket] = {}
        self._paused_until = now
        self._last_change = now
        self._last_throttle = now
        self._ceiling = global_rate
        self._takes = 0

    @property
    def rate(self) -> float:
        """The global rate in force now (lower than configured for a while after a 429)."""
        self._recover(self.monotonic())
        return self._global.rate

    def global_delay(self) -> float:
        """Seconds until any message may go (a pause, or the global bucket)."""
        now = self.monotonic()
        self._recover(now)
        if now < self._paused_until - EPSILON:
            return self._paused_until - now
        return self._global.wait(now)

    def spend_interactive(self) -> None:
        """A reply someone waits for spends a token now, without waiting: it may run the
        global bucket into debt (down to INTERACTIVE_DEBT seconds of the rate), which the
        outbox sender then waits out, so bulk messages use only what replies leave."""
        now = self.monotonic()
        self._recover(now)
        bucket = self._global
        bucket.refill(now)
        bucket.tokens -= 1.0

    def interactive_delay(self) -> float:
        """Seconds a reply must wait: only when replies alone have run the bucket more than
        INTERACTIVE_DEBT seconds into debt, or during a pause after a 429 for the whole bot."""
        now = self.monotonic()
        if now < self._paused_until - EPSILON:
            return self._paused_until - now
        bucket = self._global
        bucket.refill(now)
        floor = -INTERACTIVE_DEBT * bucket.rate
        return 0.0 if bucket.tokens > floor else (floor - bucket.tokens + 1.0) / bucket.rate

    def delay(self, chat_id: int) -> float:
        """Seconds to wait before this chat may be sent to (0 = now); reserve with take()."""
        wait = self.global_delay()
        bucket = self._chats.get(chat_id)
        if bucket is not None:
            wait = max(wait, bucket.wait(self.monotonic()))
        return wait

    def take(self, chat_id: int) -> None:
        """Spend the tokens of one message to `chat_id` (after delay() said 0)."""
        now = self.monotonic()
        self._global.take(now)
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = self._chats[chat_id] = Bucket(
                self.chat_rate, self.chat_burst, self.chat_burst, now
            )
        bucket.take(now)
        self._takes += 1
        if self._takes % PRUNE_EVERY == 0:
            self._chats = {c: b for c, b in self._chats.items() if not b.full(now)}

    def pause_until(self, t: float) -> None:
        """Send nothing before monotonic time `t` (a 429's retry_after); the bucket starts empty."""
        if t <= self._paused_until:
            return
        self._paused_until = t
        self._global.tokens = 0.0
        self._global.stamp = t

    def throttled(self, retry_after: float) -> None:
        """Telegram answered 429: pause for `retry_after` seconds and slow down (once a pause)."""
        now = self.monotonic()
        if now >= self._paused_until:
            self._recover(now)
            self._global.refill(now)
            self._ceiling = max(self.min_rate, self._global.rate * CEILING)
            self._global.rate = max(self.min_rate, self._global.rate * SLOWDOWN)
        self._last_change = self._last_throttle = now
        self.pause_until(now + max(0.0, retry_after))

    @property
    def paused_for(self) -> float:
        """Seconds left in the current pause (0 when not paused)."""
        return max(0.0, self._paused_until - self.monotonic())

    @property
    def chats_tracked(self) -> int:
        """How many chat buckets are kept (for tests of the memory bound)."""
        return len(self._chats)

    def _recover(self, now: float) -> None:
        bucket = self._global
        if bucket.rate >= self.configured_rate:
            return
        if now - self._last_throttle >= self.forget_seconds:
            self._ceiling = self.configured_rate
        steps = int((now - self._last_change) // self.recover_seconds)
        if steps <= 0:
            return
        self._last_change += steps * self.recover_seconds
        if bucket.rate >= self._ceiling:
            return
        bucket.refill(now)
        bucket.rate = min(self._ceiling, bucket.rate + steps * RECOVERY_STEP * self.configured_rate)


def pacer_from_settings(settings: Any, **options: Any) -> Pacer:
    """A pacer with the rates of `settings` (send_rate, chat_send_rate), else the defaults.

    The attributes are optional so that this works before the settings grow them: see the
    README ("Announcements (staff)") for BOT_SEND_RATE and BOT_CHAT_SEND_RATE.
    """
    rates: Mapping[str, Any] = {
        "global_rate": getattr(settings, "send_rate", None) or DEFAULT_GLOBAL_RATE,
        "chat_rate": getattr(settings, "chat_send_rate", None) or DEFAULT_CHAT_RATE,
    }
    return Pacer(float(rates["global_rate"]), float(rates["chat_rate"]), **options)
