"""The nights the clocks change (issue 17.9): a hearing time that does not exist is never saved
silently as another time, and one that happens twice is asked about."""

from __future__ import annotations

from datetime import UTC, datetime

from emulator.client import SimulatedUser
from tests.e2e.test_reminders import add_hearing, en_user, store
from tests.harness import BotHarness

__all__ = ["en_user"]


async def hearing_at(
    bot: BotHarness, user: SimulatedUser, typed_date: str, typed_time: str
) -> None:
    """A hearing at the Chicago court, typed as on the notice, not yet saved."""
    await add_hearing(bot, user, typed_date, typed_time=typed_time, save=False)


async def test_a_time_the_clocks_skip_is_asked_about_not_moved_silently(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await hearing_at(bot, en_user, "03/14/2027", "2:30 AM")  # clocks jump 2:00 -> 3:00
    assert "does not exist" in en_user.last.body
    assert "✅ Save" not in en_user.last.buttons
    await bot.press(en_user, "3:30 AM")
    assert "✅ Save" in en_user.last.buttons
    await bot.press(en_user, "✅ Save")
    (saved,) = store(bot).list_for(en_user.person.id)
    assert saved.draft.at is not None
    assert saved.draft.at.strftime("%H:%M") == "03:30"
    assert saved.draft.starts_at == datetime(2027, 3, 14, 8, 30, tzinfo=UTC)


async def test_a_time_that_happens_twice_is_asked_which(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await hearing_at(bot, en_user, "November 7, 2027", "1:30 AM")  # clocks go back 2:00 -> 1:00
    assert "happens twice" in en_user.last.body
    await bot.press(en_user, "The second 1:30 AM (winter time)")
    await bot.press(en_user, "✅ Save")
    (saved,) = store(bot).list_for(en_user.person.id)
    assert saved.draft.fold == 1
    assert saved.draft.starts_at == datetime(2027, 11, 7, 7, 30, tzinfo=UTC)  # 1:30 CST


async def test_another_time_can_be_typed_instead(bot: BotHarness, en_user: SimulatedUser) -> None:
    await hearing_at(bot, en_user, "03/14/2027", "2:30 AM")
    await bot.press(en_user, "✏️ Type another time")
    await bot.say(en_user, "9:00 AM")
    assert "✅ Save" in en_user.last.buttons
