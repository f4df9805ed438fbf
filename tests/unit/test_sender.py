"""The sender against the emulator, in fake time: pacing, 403, 400, 429, 5xx, crash, cancel.

The emulator's flood limits, the pacer and the outbox all read one fake time (`FakeTime`): a
pacing sleep moves it instead of waiting, so 1,000 messages at 25/s take 40 virtual seconds.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import telegram

from core.clock import FakeClock
from delivery.message import OutboxMessage
from delivery.pacing import Pacer
from delivery.sender import Sender, Skip, message_kwargs, outage_pause, row_backoff
from emulator.limits import ManualClock
from emulator.server import BotApiEmulator
from storage.db import open_database
from storage.outbox import Outbox, OutboxItem, Progress
from storage.users import UserStore

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
WIRE_TIMEOUT = 5.0


class FakeTime:
    """One fake time for the emulator (monotonic), the pacer, the sender's sleep and the Clock.

    A pacing sleep first lets the requests on the wire come back (a request to 127.0.0.1 takes
    far less than one pacing interval, 40 ms at 25/s), then moves time: virtual seconds pass,
    real ones do not.
    """

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.manual = ManualClock(1000.0)
        self.clock = clock or FakeClock()
        self.sender: Sender | None = None
        self.slept = 0.0
        # hold(): time stops (every sleeper waits) once the condition holds, until release()
        self.hold_when: Callable[[], bool] | None = None
        self.settle_wire_first = True
        self.held = asyncio.Event()
        self._released = asyncio.Event()

    def hold(self, when: Callable[[], bool], *, settle_wire: bool = True) -> None:
        """Stop time (the sender's sleeps wait) as soon as `when()` holds; with `settle_wire`
        the request on the wire (if any) is answered first, else it stays in flight."""
        self.hold_when = when
        self.settle_wire_first = settle_wire
        self.held.clear()
        self._released.clear()

    async def _maybe_hold(self) -> None:
        if self.hold_when is not None and self.hold_when():
            self.held.set()
            await self._released.wait()

    def release(self) -> None:
        """Let time move again."""
        self.hold_when = None
        self._released.set()

    def sleep(self, seconds: float) -> Awaitable[None]:
        """The sender's sleep: in-flight requests settle, then time moves to now + `seconds`.

        Sleepers that overlap share the time that passes: two tasks sleeping 1 s at once move
        time by 1 s, not 2. The wake-up time is fixed when sleep() is called, as with a real
        sleep, even if the returned awaitable starts later (wrapped in a task).
        """
        return self._until(self.manual.now + max(0.0, seconds))

    async def _until(self, target: float) -> None:
        sender = self.sender
        if not self.settle_wire_first:
            await self._maybe_hold()
        if sender is not None:
            await spin_until(lambda: not sender.on_wire)
        if self.settle_wire_first:
            await self._maybe_hold()
        self.advance(target - self.manual.now)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        """Move every clock forward."""
        self.slept += max(0.0, seconds)
        self.manual.advance(max(0.0, seconds))
        self.clock.advance(timedelta(seconds=max(0.0, seconds)))


async def spin_until(predicate: Callable[[], bool]) -> None:
    """Let the event loop run (no time passes) until `predicate()` holds; fail after
    WIRE_TIMEOUT real seconds. For counters with no event to wait on (requests on the wire)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WIRE_TIMEOUT
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("the condition never held")
        await asyncio.sleep(0)


@dataclass
class World:
    emu: BotApiEmulator
    time: FakeTime
    users: UserStore
    outbox: Outbox
    bot: telegram.Bot

    def sender(self, **options: Any) -> Sender:
        pacer = options.pop("pacer", None) or Pacer(monotonic=self.time.manual)
        sender = Sender(
            self.bot, self.outbox, self.users, self.time.clock, pacer, sleep=self.time.sleep,
            **options,
        )  # fmt: skip
        self.time.sender = sender
        return sender

    def people(self, n: int, start: int = 1, language: str = "ru") -> list[int]:
        ids = list(range(start, start + n))
        for uid in ids:
            self.emu.user(uid, f"U{uid}", language_code=language)
            self.users.seen(uid, language, self.time.clock.now().date())
        return ids

    def announce(self, ref: str, ids: list[int], **extra: Any) -> int:
        message = {"text": f"<b>News</b> {ref}", "parse_mode": "HTML", **extra}
        return self.outbox.enqueue_many(
            "announcement", ref, [(uid, message) for uid in ids], self.time.clock.now()
        )

    def received(self, text_part: str) -> Counter[int]:
        got: Counter[int] = Counter()
        for chat_id, chat in self.emu.chats.items():
            for event in chat.events:
                if event.kind == "sent" and text_part in (event.message.text or ""):
                    got[chat_id] += 1
        return got

    def sends(self) -> list[float]:
        """Virtual times are not recorded by the emulator; count sendMessage requests instead."""
        return [1.0 for r in self.emu.requests if r.method == "sendMessage"]


@pytest.fixture
async def world() -> AsyncIterator[World]:
    time = FakeTime()
    async with BotApiEmulator(monotonic=time.manual) as emu:
        db = open_database(":memory:")
        bot = telegram.Bot(TOKEN, base_url=emu.base_url)
        try:
            yield World(emu, time, UserStore(db), Outbox(db), bot)
        finally:
            await bot.shutdown()
            db.close()


def codes(emu: BotApiEmulator) -> Counter[int]:
    return Counter(e.error_code for e in emu.errors)


async def test_a_thousand_users_get_it_once_at_the_paced_rate(world: World) -> None:
    ids = world.people(1000)
    world.emu.block(17)
    world.emu.block(400)
    world.announce("ann:1", ids)
    sender = world.sender()
    await sender.run_until_idle()
    got = world.received("News ann:1")
    assert set(got) == set(ids) - {17, 400}
    assert max(got.values()) == 1
    assert world.outbox.progress("ann:1") == Progress(sent=998, blocked=2)
    assert world.users.get(17).active is False  # type: ignore[union-attr]
    assert world.users.get(18).active is True  # type: ignore[union-attr]
    assert codes(world.emu) == Counter({403: 2})  # the emulator (30/s) never had to throttle
    # 1,000 sends evenly spaced at 25/s: 40 virtual seconds (the first goes at once)
    assert 39.9 <= world.time.slept <= 40.1


async def test_messages_keep_their_formatting_and_buttons(world: World) -> None:
    (uid,) = world.people(1)
    buttons = [
        [{"text": "Site", "url": "https://example.org"}],
        [{"text": "Stop", "callback_data": "x"}],
    ]
    world.announce("ann:2", [uid], buttons=buttons)
    await world.sender().run_until_idle()
    message = world.emu.chats[uid].visible()[-1]
    assert message.body == "News ann:2"
    assert message.entities == [{"type": "bold", "offset": 0, "length": 4}]
    assert message.button_rows == [["Site"], ["Stop"]]
    assert message_kwargs({"text": "x", "entities": [{"type": "bold", "offset": 0, "length": 1}]})


async def test_one_chat_gets_at_most_one_message_a_second(world: World) -> None:
    (uid,) = world.people(1)
    for n in range(4):
        world.outbox.enqueue(
            uid, "alert", f"alert:{n}", {"text": f"alert {n}"}, world.time.clock.now()
        )
    await world.sender().run_until_idle()
    assert world.received("alert") == Counter({uid: 4})
    assert 3.0 <= world.time.slept <= 3.5
    assert world.emu.errors == []


async def test_alerts_go_before_announcements(world: World) -> None:
    ids = world.people(30)
    world.announce("ann:3", ids)
    world.outbox.enqueue(30, "alert", "alert:x", {"text": "ALERT"}, world.time.clock.now())
    await world.sender(concurrency=1).run_until_idle()
    sent = [r.params["text"] for r in world.emu.requests if r.method == "sendMessage"]
    assert sent[0] == "ALERT"


async def test_a_burst_of_429s_is_honoured_then_everything_is_sent(world: World) -> None:
    ids = world.people(100)
    world.announce("ann:4", ids)
    world.emu.inject_429(count=5, retry_after=3)
    sender = world.sender()
    await sender.run_until_idle()
    assert world.received("News ann:4") == Counter(dict.fromkeys(ids, 1))
    assert sender.stats.throttled == 5
    assert codes(world.emu) == Counter({429: 5})
    # the 429s cost at least one whole retry_after each time they came: time waited >= 3 s
    assert world.time.slept >= 4.0 + 3.0
    assert sender.pacer.rate < 25.0  # slowed down after the 429 ...
    world.time.advance(700)
    assert sender.pacer.rate == 25.0  # ... and back to the configured rate once quiet


async def test_a_limit_lower_than_configured_settles_without_429s(world: World) -> None:
    ids = world.people(1500)
    world.emu.set_limits(global_rate_per_second=20.0, chat_burst=20)
    world.outbox.enqueue_many(
        "announcement", "ann:5", [(uid, {"text": "x"}) for uid in ids], world.time.clock.now()
    )
    throttled_by_send: list[int] = []

    def compose(item: OutboxItem) -> OutboxMessage:
        throttled_by_send.append(codes(world.emu)[429])
        return OutboxMessage("paced")

    sender = world.sender(compose=compose)
    await sender.run_until_idle()
    assert world.received("paced") == Counter(dict.fromkeys(ids, 1))
    total = codes(world.emu)[429]
    assert 1 <= total <= 5, "a 25/s pacer against a 20/s limit meets a few 429s, then settles"
    assert throttled_by_send[800] == total  # none in the second half
    assert 17.0 <= sender.pacer.rate <= 20.5  # just around the real limit


async def test_blocked_and_unknown_chats_are_not_retried(world: World) -> None:
    ids = world.people(3)
    world.emu.block(2)
    world.outbox.enqueue(2, "alert", "alert:later", {"text": "later"}, world.time.clock.now())
    world.users.seen(99, "ru", world.time.clock.now().date())  # in the database, not in Telegram
    world.announce("ann:6", [*ids, 99])
    sender = world.sender()
    await sender.run_until_idle()
    assert world.outbox.progress("ann:6") == Progress(sent=2, blocked=1, failed=1)
    assert world.outbox.progress("alert:later").blocked == 1  # dropped with the user
    assert codes(world.emu) == Counter({403: 1, 400: 1})
    assert sender.stats.blocked >= 1
    assert sender.stats.failed == 1


async def test_network_errors_and_5xx_are_retried_with_backoff(world: World) -> None:
    ids = world.people(3)
    world.announce("ann:7", ids)
    world.emu.inject_failure("500", 1)
    world.emu.inject_failure("502", 1)
    world.emu.inject_failure("drop", 1)
    sender = world.sender(concurrency=1)
    await sender.run_until_idle()
    assert sender.stats.retried == 3
    assert world.received("News ann:7") == Counter(dict.fromkeys(ids, 1))
    assert world.outbox.progress("ann:7") == Progress(sent=3)
    # three network errors in a row paused every send for 0.5 s, 1 s, then 2 s
    assert world.time.slept >= 3.5
    assert row_backoff(0) == 1.0
    assert row_backoff(10) == 60.0
    assert outage_pause(1) == 0.5
    assert outage_pause(20) == 30.0


async def test_a_row_that_keeps_failing_is_given_up(world: World) -> None:
    (uid,) = world.people(1)
    world.announce("ann:8", [uid])
    sender = world.sender(max_attempts=3)
    for _ in range(3):
        world.emu.inject_failure("500", 1)
        await sender.run_until_idle()
        world.time.advance(120)
    await sender.run_until_idle()
    assert world.outbox.progress("ann:8") == Progress(failed=1)
    assert world.received("News") == Counter()


async def test_compose_resolves_references_and_can_skip(world: World) -> None:
    ids = world.people(2)
    world.outbox.enqueue_many(
        "announcement", "ann:9", [(uid, {"ref": uid}) for uid in ids], world.time.clock.now()
    )

    def compose(item: OutboxItem) -> OutboxMessage:
        if item.payload["ref"] == 2:
            raise Skip
        return OutboxMessage(f"composed for {item.payload['ref']}")

    await world.sender(compose=compose).run_until_idle()
    assert world.received("composed") == Counter({1: 1})
    assert world.outbox.progress("ann:9") == Progress(sent=1, cancelled=1)


async def test_a_crash_and_restart_loses_nobody_and_repeats_at_most_one(world: World) -> None:
    ids = world.people(300)
    world.announce("ann:10", ids)
    first = world.sender()
    await first.start()
    assert first.task is not None
    await spin_until(lambda: world.outbox.progress("ann:10").sent >= 120)
    await spin_until(lambda: first.on_wire > 0)  # kill it with a request on the wire
    first.task.cancel()  # killed: no graceful stop, rows are left "sending"
    with pytest.raises(asyncio.CancelledError):
        await first.task
    await asyncio.sleep(0)
    assert world.outbox.recover_in_flight() == 1  # only one message was in flight
    second = world.sender()
    await second.start()  # recovers the rows left "sending"
    await second.run_until_idle()
    await second.stop()
    got = world.received("News ann:10")
    assert set(got) == set(ids)
    assert sum(n - 1 for n in got.values()) <= 1
    assert world.outbox.progress("ann:10") == Progress(sent=300)


async def test_cancel_stops_sending_within_a_second(world: World) -> None:
    ids = world.people(200)
    world.announce("ann:11", ids)
    sender = world.sender()
    await sender.start()
    await spin_until(lambda: world.outbox.progress("ann:11").sent >= 50)
    world.outbox.cancel("ann:11")
    sender.wake()
    cancelled_at = world.time.slept
    await sender.run_until_idle()
    await sender.stop()
    progress = world.outbox.progress("ann:11")
    assert progress.pending == 0
    assert progress.sent <= 50 + sender.concurrency
    assert world.time.slept - cancelled_at <= 1.0


async def test_stop_finishes_what_is_on_the_wire_and_keeps_the_rest(world: World) -> None:
    ids = world.people(100)
    world.announce("ann:12", ids)
    sender = world.sender()
    await sender.start()
    await spin_until(lambda: world.outbox.progress("ann:12").sent >= 10)
    await sender.stop()
    progress = world.outbox.progress("ann:12")
    assert progress.sent + progress.pending == 100
    assert world.outbox.recover_in_flight() == 0  # nothing was left "sending"
    again = world.sender()
    await again.run_until_idle()
    assert world.received("News ann:12") == Counter(dict.fromkeys(ids, 1))


async def test_run_until_idle_waits_for_the_running_loop(world: World) -> None:
    ids = world.people(20)
    sender = world.sender()
    await sender.start()
    await sender.run_until_idle()
    world.announce("ann:13", ids)
    await sender.run_until_idle()
    assert world.outbox.progress("ann:13") == Progress(sent=20)
    await sender.stop()
    assert not sender.running


async def test_a_row_erased_while_it_waits_its_turn_is_never_sent(world: World) -> None:
    """Issue 17.4: /forget (or Delete) while the sender holds a claimed row waiting for the
    chat's pace: the row is gone, and nothing is sent after the erase."""
    (uid,) = world.people(1)
    for n in (1, 2):
        payload = {"text": f"Hearing {n}", "parse_mode": None}
        world.outbox.enqueue(uid, "alert", f"alert:1:d{n}.1", payload, world.time.clock.now())
    sender = world.sender()

    def first_sent_second_waiting() -> bool:
        second_claimed = world.outbox.still_claimed(2)  # row ids start at 1
        return sum(world.received("Hearing").values()) >= 1 and second_claimed

    world.time.hold(first_sent_second_waiting)
    run = asyncio.create_task(sender.run_until_idle())
    await asyncio.wait_for(world.time.held.wait(), WIRE_TIMEOUT)  # 1 sent, 1 waits its turn
    world.users.forget(uid)
    world.time.release()
    await asyncio.wait_for(run, WIRE_TIMEOUT)
    assert sum(world.received("Hearing").values()) == 1
    assert sender.stats.skipped == 1


async def test_outcomes_the_database_refuses_are_recorded_once_it_takes_writes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17.6: the database refuses writes while messages are on the wire (locked, full):
    no row stays "sending" (a restart would send it twice), the report reaches 100 %."""
    ids = world.people(5)
    world.announce("ann:locked", ids)
    real_mark_sent = world.outbox.mark_sent
    refusals = {"left": 3}

    def flaky_mark_sent(item_id: int, now: Any) -> None:
        if refusals["left"]:
            refusals["left"] -= 1
            raise sqlite3.OperationalError("database is locked")
        real_mark_sent(item_id, now)

    monkeypatch.setattr(world.outbox, "mark_sent", flaky_mark_sent)
    await world.sender().run_until_idle()
    assert refusals["left"] == 0
    assert world.outbox.progress("ann:locked") == Progress(sent=5)
    assert world.outbox.recover_in_flight() == 0  # nothing left "sending" to send twice
    assert sum(world.received("News ann:locked").values()) == 5
