"""Flood control: bursts pass, floods are dropped with one warning, other users are unaffected."""

from __future__ import annotations

from core.flood import FloodGate, Verdict


def test_a_burst_passes_then_a_flood_is_dropped_with_one_warning() -> None:
    gate = FloodGate(rate=2.0, burst=5)
    verdicts = [gate.check(1, now=100.0) for _ in range(8)]
    assert verdicts == [Verdict.PASS] * 5 + [Verdict.DROP_AND_WARN, Verdict.DROP, Verdict.DROP]


def test_tokens_come_back_with_time_and_the_warning_rearms() -> None:
    gate = FloodGate(rate=2.0, burst=2)
    assert [gate.check(1, 0.0) for _ in range(3)] == [
        Verdict.PASS,
        Verdict.PASS,
        Verdict.DROP_AND_WARN,
    ]
    assert gate.check(1, 0.5) is Verdict.PASS  # one token back after half a second
    assert gate.check(1, 0.5) is Verdict.DROP_AND_WARN


def test_one_users_flood_does_not_touch_another_user() -> None:
    gate = FloodGate(rate=1.0, burst=3)
    for _ in range(50):
        gate.check(1, 10.0)
    assert gate.check(2, 10.0) is Verdict.PASS


def test_memory_stays_flat_as_users_come_and_go() -> None:
    gate = FloodGate(rate=1.0, burst=2)
    for user_id in range(5000):
        gate.check(user_id, now=float(user_id))  # each user seen once, a second apart
    assert len(gate._buckets) < 10
