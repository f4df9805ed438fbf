"""Reminders never silently stop (issue 17.1): a fault at an alert's due time delays the alert
by seconds and is retried; it never leaves the schedule unarmed.

Reproduced faults: another process holds the database's write lock when the alert comes due;
the event loop is busy past the scheduler's misfire grace at the due time; the alert job is gone.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta
from typing import Any

from telegram.ext import JobQueue

from emulator.client import SimulatedUser
from handlers import alerts_job
from tests.e2e.test_reminders import D7, add_hearing, alerts, deliver, en_user, store
from tests.harness import BotHarness

__all__ = ["en_user"]  # the fixture, shared with the reminders stories

HOLD_LOCK = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('BEGIN IMMEDIATE')\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"
    "conn.execute('ROLLBACK')\n"
)


def queue(bot: BotHarness) -> JobQueue[Any]:
    found = bot.app.job_queue
    assert found is not None
    return found


def armed_within(bot: BotHarness) -> float:
    """Seconds (wall clock) until the alert job next runs."""
    jobs = [j for j in queue(bot).get_jobs_by_name(alerts_job.JOB_NAME) if not j.removed]
    assert len(jobs) == 1, "the alert job must be armed, exactly once"
    next_t = jobs[0].next_t
    assert next_t is not None
    return next_t.timestamp() - time.time()


async def test_a_write_lock_held_by_another_process_at_the_due_time_is_waited_out(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await add_hearing(bot, en_user)
    store(bot)._db.execute("PRAGMA busy_timeout = 100")  # the lock is met fast, not in 10 s
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLD_LOCK,
        str(bot.settings.db_path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert (await holder.stdout.readline()).strip() == b"locked"
        bot.clock.set(D7)
        report = await alerts_job.run_sweep(bot.app)  # the due time, the database locked
        assert report.total == 0
        assert alerts(en_user) == []
        assert 0 < armed_within(bot) <= alerts_job.RETRY_FIRST.total_seconds() + 0.5
        again = await alerts_job.run_sweep(bot.app)  # still locked: retried, later
        assert again.total == 0
        assert armed_within(bot) <= 2 * alerts_job.RETRY_FIRST.total_seconds() + 0.5
    finally:
        await holder.communicate(b"")  # the other process lets go
    await deliver(bot)  # the retry
    assert len(alerts(en_user)) == 1
    assert armed_within(bot) > alerts_job.RETRY_FIRST.total_seconds()  # back to the next alert


async def test_a_busy_event_loop_at_the_due_time_delays_the_alert_and_never_drops_it(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await add_hearing(bot, en_user)
    bot.clock.set(D7 - timedelta(milliseconds=200))
    alerts_job.arm(bot.app)  # the job: 0.25 s from now
    bot.clock.set(D7 + timedelta(seconds=1))
    # The fault itself: the event loop blocked past the scheduler's 1 s misfire grace.
    time.sleep(1.6)  # noqa: ASYNC251
    alert = await en_user.wait_for_bot(lambda m: m in alerts(en_user), timeout=5.0)
    assert alert.text is not None
    assert "January 15" in alert.text


async def test_a_missing_alert_job_is_armed_again_by_the_watchdog(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await add_hearing(bot, en_user)
    for job in queue(bot).get_jobs_by_name(alerts_job.JOB_NAME):
        job.schedule_removal()
    assert not alerts_job.is_armed(bot.app)
    watchdogs = queue(bot).get_jobs_by_name(alerts_job.WATCHDOG_JOB_NAME)
    assert len(watchdogs) == 1
    await watchdogs[0].run(bot.app)
    assert alerts_job.is_armed(bot.app)


def test_failed_sweeps_are_retried_sooner_than_a_minute() -> None:
    assert [alerts_job.retry_delay(n).total_seconds() for n in range(1, 8)] == [
        2,
        4,
        8,
        16,
        32,
        60,
        60,
    ]
