"""One rate budget for everything the bot sends (issue 13.1): replies first, the outbox sender
with what is left, and a 429 for one chat pauses that chat only (issue 17.2)."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import RetryAfter

from delivery.pacing import Pacer
from handlers.resilience import ReplyRetry


class Clock:
    """Fake monotonic time; sleeping moves it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limiter(clock: Clock, rate: float = 30.0) -> tuple[Pacer, ReplyRetry]:
    pacer = Pacer(rate, monotonic=clock)
    return pacer, ReplyRetry(pacer, monotonic=clock, sleep=clock.sleep)


async def send(limiter: ReplyRetry, chat: int, answer: Any = True) -> Any:
    async def call() -> Any:
        if isinstance(answer, Exception):
            raise answer
        return answer

    return await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": chat}, None)


async def test_replies_take_their_turn_at_once_and_the_sender_waits_for_what_is_left() -> None:
    clock = Clock()
    pacer, replies = limiter(clock)
    for chat in range(20):  # twenty people answered in the same instant
        await send(replies, chat)
    assert clock.slept == []  # nobody waited behind anybody
    # The outbox sender, sharing the budget, must now wait about 20 tokens' worth (20/30 s).
    assert 0.6 <= pacer.global_delay() <= 0.75


async def test_replies_wait_only_when_they_alone_outrun_the_budget() -> None:
    clock = Clock()
    _, replies = limiter(clock, rate=30.0)
    for chat in range(70):  # 70 replies at once: 30 a second is Telegram's limit
        await send(replies, chat)
    assert sum(clock.slept) == pytest.approx(70 / 30 - 1.0 - 1.0 / 30, abs=0.1)


async def test_a_429_for_one_chat_pauses_that_chat_only() -> None:
    clock = Clock()
    _, replies = limiter(clock)
    calls = {"n": 0}

    async def throttled_once() -> bool:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RetryAfter(20)
        return True

    await replies.process_request(throttled_once, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert clock.slept == [pytest.approx(20.0)]  # chat 1 waited its 20 s, then went
    clock.slept.clear()
    clock.now -= 20.0  # back to the moment of the 429: another chat is not held
    await send(replies, 2)
    assert clock.slept == []
    assert replies.throttled == 1
