"""The pacer: even spacing at the global rate, one message a second per chat, 429 pauses,
slowing down and settling under a lower real limit, and a bounded memory of chats."""

from __future__ import annotations

import itertools

import pytest

from delivery.pacing import Pacer, pacer_from_settings
from emulator.limits import ManualClock


def run(pacer: Pacer, clock: ManualClock, chats: list[int]) -> list[float]:
    """Send to `chats` in order as fast as the pacer allows; the times of the sends."""
    times: list[float] = []
    for chat in chats:
        while (wait := pacer.delay(chat)) > 0:
            clock.advance(wait)
        pacer.take(chat)
        times.append(clock.now)
    return times


def test_messages_are_evenly_spaced_at_the_global_rate() -> None:
    clock = ManualClock(100.0)
    pacer = Pacer(25.0, 1.0, monotonic=clock)
    times = run(pacer, clock, list(range(1, 1001)))
    assert times[0] == 100.0  # the first goes at once
    gaps = [round(b - a, 6) for a, b in itertools.pairwise(times)]
    assert gaps[0] == 0.03  # the quarter token kept over a quiet spell
    assert set(gaps[1:]) == {0.04}
    assert times[-1] - times[0] == pytest.approx(999 / 25 - 0.01)


def test_a_send_that_woke_late_does_not_lose_the_time() -> None:
    clock = ManualClock()
    pacer = Pacer(25.0, 1.0, monotonic=clock)
    run(pacer, clock, [1, 2])  # steady pace: the bucket is empty
    clock.advance(0.04 + 0.006)  # the sleep overshot by 6 ms
    assert pacer.delay(3) == 0.0
    pacer.take(3)
    assert pacer.delay(4) == pytest.approx(0.034)  # the next one makes up for it


def test_a_burst_lets_a_few_go_at_once_after_a_quiet_spell() -> None:
    clock = ManualClock()
    pacer = Pacer(25.0, 1.0, global_burst=5, monotonic=clock)
    times = run(pacer, clock, list(range(1, 8)))
    assert times[:5] == [0.0] * 5
    assert times[5] == pytest.approx(0.04)


def test_one_chat_gets_one_message_a_second() -> None:
    clock = ManualClock()
    pacer = Pacer(25.0, 1.0, monotonic=clock)
    times = run(pacer, clock, [7, 7, 7, 8])
    assert times == pytest.approx([0.0, 1.0, 2.0, 2.03])
    assert pacer.delay(9) == pytest.approx(0.04)  # another chat waits only for the global rate


def test_a_429_pauses_everything_and_slows_down_once_per_pause() -> None:
    clock = ManualClock()
    pacer = Pacer(25.0, 1.0, monotonic=clock)
    pacer.throttled(3.0)
    pacer.throttled(3.0)  # the other messages in flight got the same 429
    assert pacer.delay(1) == pytest.approx(3.0)
    assert pacer.paused_for == pytest.approx(3.0)
    assert pacer.rate == pytest.approx(20.0)
    clock.advance(3.0)
    assert pacer.delay(1) == pytest.approx(1 / 20)  # the bucket starts empty after a pause
    pacer.pause_until(1.0)  # an earlier end does not shorten the pause
    assert pacer.paused_for == 0.0


def test_the_rate_climbs_back_but_not_past_the_limit_it_met() -> None:
    clock = ManualClock()
    pacer = Pacer(25.0, 1.0, monotonic=clock, recover_seconds=10.0, forget_seconds=600.0)
    pacer.throttled(1.0)  # at 25/s: ceiling 22.5, rate 20
    clock.advance(10.0)
    assert pacer.rate == pytest.approx(21.25)
    clock.advance(100.0)
    assert pacer.rate == pytest.approx(22.5)  # the ceiling
    clock.advance(600.0)  # ten quiet minutes: the ceiling is forgotten
    assert pacer.rate == pytest.approx(25.0)


def test_the_rate_never_falls_below_its_floor() -> None:
    clock = ManualClock()
    pacer = Pacer(25.0, 1.0, monotonic=clock, min_share=0.2)
    for _ in range(30):
        pacer.throttled(1.0)
        clock.advance(1.0)
    assert pacer.rate == pytest.approx(5.0)


def test_chats_that_have_refilled_are_forgotten() -> None:
    clock = ManualClock()
    pacer = Pacer(1000.0, 1.0, monotonic=clock)
    run(pacer, clock, list(range(1, 5000)))
    clock.advance(2.0)
    run(pacer, clock, list(range(10_000, 10_000 + 1024)))
    assert pacer.chats_tracked <= 2048


def test_bad_settings_are_refused_and_settings_are_read() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(0.0)
    with pytest.raises(ValueError, match="at least 1"):
        Pacer(25.0, global_burst=0.5)

    class Configured:
        send_rate = 12.0
        chat_send_rate = 0.5

    pacer = pacer_from_settings(Configured())
    assert pacer.configured_rate == 12.0
    assert pacer.chat_rate == 0.5
    assert pacer_from_settings(object()).configured_rate == 25.0
