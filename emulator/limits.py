"""Flood limits of the emulated Bot API: token buckets driven by an injectable monotonic clock.

Telegram documents its limits only loosely ("about 30 messages per second" overall, "avoid more
than one message per second" in one chat while "short bursts" are allowed, "no more than 20
messages per minute" in a group) and does not publish the algorithm. The emulator approximates
them with token buckets:

* a global bucket: ``global_rate`` tokens per second, burst = the same number;
* one bucket per private chat: ``chat_rate`` tokens per second, burst ``chat_burst``;
* one bucket per group chat: ``group_rate_per_minute / 60`` tokens per second, burst = the
  per-minute number.

A send is allowed only if every bucket it touches has a whole token; then each loses one. A
refused send costs nothing and is told how many whole seconds (at least 1) to wait, like
Telegram's ``retry_after``. Only message-sending methods are counted (``_flood_check`` in
``state.py``, called by ``methods/messages.py`` and ``methods/files.py``).

Time comes from an injected monotonic clock; ``ManualClock`` is the one tests move by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """One bucket: ``rate`` tokens per second, holding at most ``burst`` tokens."""

    rate: float
    burst: float
    tokens: float = field(default=-1.0)
    stamp: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError("a bucket needs a positive rate and a burst of at least 1")
        if self.tokens < 0:
            self.tokens = self.burst

    def _refill(self, now: float) -> None:
        if self.stamp < 0:
            self.stamp = now
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)
        self.stamp = now

    def wait_time(self, now: float) -> float:
        """Seconds until one whole token is available (0.0 if one is available now)."""
        if math.isinf(self.rate):
            return 0.0
        self._refill(now)
        if self.tokens >= 1.0:
            return 0.0
        return (1.0 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Spend one token (the caller has checked ``wait_time`` first)."""
        if math.isinf(self.rate):
            return
        self._refill(now)
        self.tokens -= 1.0


def retry_after_seconds(wait: float) -> int:
    """Telegram's retry_after: whole seconds, rounded up, never less than 1."""
    return max(1, math.ceil(wait - 1e-9))


class FloodLimiter:
    """The global bucket plus one bucket per chat, sharing one monotonic clock."""

    def __init__(
        self,
        *,
        global_rate: float,
        chat_rate: float,
        chat_burst: float,
        group_rate_per_minute: float,
        monotonic: Callable[[], float],
    ) -> None:
        self.monotonic = monotonic
        self.global_rate = global_rate
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.group_rate_per_minute = group_rate_per_minute
        self._global = self._new_global()
        self._chats: dict[int, TokenBucket] = {}

    def _new_global(self) -> TokenBucket:
        burst = self.global_rate if not math.isinf(self.global_rate) else 1.0
        return TokenBucket(rate=self.global_rate, burst=max(1.0, burst))

    def configure(
        self,
        *,
        global_rate: float | None = None,
        chat_rate: float | None = None,
        chat_burst: float | None = None,
        group_rate_per_minute: float | None = None,
    ) -> None:
        """Change some limits; every bucket starts full again."""
        if global_rate is not None:
            self.global_rate = global_rate
        if chat_rate is not None:
            self.chat_rate = chat_rate
        if chat_burst is not None:
            self.chat_burst = chat_burst
        if group_rate_per_minute is not None:
            self.group_rate_per_minute = group_rate_per_minute
        self.reset()

    def reset(self) -> None:
        """Refill every bucket."""
        self._global = self._new_global()
        self._chats.clear()

    def _chat_bucket(self, chat_id: int, is_group: bool) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if is_group:
                per_minute = self.group_rate_per_minute
                bucket = TokenBucket(rate=per_minute / 60.0, burst=max(1.0, per_minute))
            else:
                bucket = TokenBucket(rate=self.chat_rate, burst=self.chat_burst)
            self._chats[chat_id] = bucket
        return bucket

    def acquire(self, chat_id: int, *, is_group: bool) -> int | None:
        """Spend a token for one message to ``chat_id``; or return retry_after if over a limit."""
        now = self.monotonic()
        chat = self._chat_bucket(chat_id, is_group)
        wait = max(self._global.wait_time(now), chat.wait_time(now))
        if wait > 0:
            return retry_after_seconds(wait)
        self._global.take(now)
        chat.take(now)
        return None


class ManualClock:
    """A clock for tests: returns ``now`` and moves only when told (``advance``)."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        self.now += seconds
