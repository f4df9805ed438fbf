"""Per-user flood control: a token bucket per user, so one flooding user slows only themselves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    """What to do with one update from a user."""

    PASS = "pass"
    DROP_AND_WARN = "warn"  # the first update dropped in a flood: tell the user once
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class FloodGate:
    """Lets each user through at `rate` updates a second, with bursts up to `burst`."""

    PRUNE_EVERY = 1000

    def __init__(self, rate: float = 2.0, burst: int = 10) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[int, _Bucket] = {}
        self._calls = 0

    def check(self, user_id: int, now: float) -> Verdict:
        """Take one token for the user at time `now` (seconds), or say how to drop the update."""
        self._calls += 1
        if self._calls % self.PRUNE_EVERY == 0:
            self._prune(now)
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(tokens=float(self.burst), at=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Verdict.PASS
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.DROP_AND_WARN

    def forget(self, user_id: int) -> None:
        """/forget: the user's counter goes at once, not when it would have been pruned."""
        self._buckets.pop(user_id, None)

    def knows(self, user_id: int) -> bool:
        """Whether a counter is kept for the user (tests, and /forget's promise)."""
        return user_id in self._buckets

    def _prune(self, now: float) -> None:
        """Forget users whose bucket is full again (keeps memory flat as users grow)."""
        full_after = self.burst / self.rate
        self._buckets = {uid: b for uid, b in self._buckets.items() if now - b.at < full_after}
