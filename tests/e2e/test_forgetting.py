"""Nothing is kept that was promised gone (issue 17.3): what a person typed into a step they
never finished (a hearing date, a court) is deleted a day later by the hourly job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

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


async def test_a_crash_right_after_save_never_makes_a_second_reminder(
    bot: BotHarness, en_user: SimulatedUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17.8: the process dies between storing the reminder and ending the form (here:
    ending the form fails once, as a kill -9 at that point would leave it). The form ends with
    the save itself, so pressing Save again cannot store a second reminder."""
    from handlers import flows

    real_end = flows.end
    crashed = {"once": False}

    def dies_once(update: Any, context: Any) -> bool:
        if not crashed["once"]:
            crashed["once"] = True
            raise RuntimeError("killed between the save and the end of the form")
        return real_end(update, context)

    await add_hearing(bot, en_user, save=False)
    confirm = en_user.last
    assert "✅ Save" in confirm.buttons
    monkeypatch.setattr(flows, "end", dies_once)
    await bot.press(en_user, "✅ Save")
    assert crashed["once"]
    monkeypatch.setattr(flows, "end", real_end)
    await bot.press_data(en_user, confirm, "ra:ok")  # the same Save button, pressed again
    reminders = svc(bot).reminders
    assert reminders is not None
    assert reminders.count_for(en_user.person.id) == 1
