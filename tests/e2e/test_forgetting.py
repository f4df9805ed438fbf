"""Nothing is kept that was promised gone (issue 17.3): what a person typed into a step they
never finished (a hearing date, a court) is deleted a day later by the hourly job."""

from __future__ import annotations

from datetime import timedelta

from emulator.client import SimulatedUser
from handlers import housekeeping
from tests.e2e.test_reminders import add_hearing, en_user, svc
from tests.harness import BotHarness

__all__ = ["en_user"]


def stored_conversations(bot: BotHarness) -> int:
    db = svc(bot).conversations._db
    return int(db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0])


async def test_an_unfinished_reminder_is_forgotten_a_day_later(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await add_hearing(bot, en_user, save=False)  # date, time and court typed; never saved
    assert stored_conversations(bot) == 1
    jobs = bot.app.job_queue.get_jobs_by_name(housekeeping.JOB_NAME)  # type: ignore[union-attr]
    assert len(jobs) == 1
    bot.clock.advance(timedelta(hours=23))
    await jobs[0].run(bot.app)
    assert stored_conversations(bot) == 1  # still within the day: the person may come back
    bot.clock.advance(timedelta(hours=2))
    await jobs[0].run(bot.app)
    assert stored_conversations(bot) == 0
