"""Forged callback data never crashes a handler (issue 17.7): every press is answered (no
spinner left turning), nothing breaks later screens, and no apology is needed.

The forgeries the adversarial pass found: digits that are not ASCII ("²" passes str.isdigit),
ids too large for SQLite, impossible dates, a calendar month past year 9999, huge staff ids.
"""

from __future__ import annotations

import pytest

from emulator.client import SimulatedUser
from emulator.server import BotApiEmulator
from tests.harness import STAFF_ID, BotHarness

APOLOGY = "Sorry, something went wrong on my side"
HUGE = "9" * 30

FORGERIES = [
    "rm:v:²",
    f"rm:v:{HUGE}",
    f"rm:del:{HUGE}",
    "rm:arr:99999999",
    "rm:arr:2026²301",
    "w:dl:99999999",
    "w:dl:²²²²²²²²",
    "w:arrival:20261399",
    "t:bond:²",
    f"t:bond:{HUGE}",
]


async def forge_all(bot: BotHarness, user: SimulatedUser, forgeries: list[str]) -> None:
    for data in forgeries:
        answers = len(user.callback_answers)
        await bot.press_forged(user, data)
        assert len(user.callback_answers) == answers + 1, f"{data}: the spinner never stopped"
        assert all(APOLOGY not in (m.body or "") for m in user.bot_messages), data


@pytest.fixture
def anna(bot: BotHarness, emulator: BotApiEmulator) -> SimulatedUser:
    return emulator.user(user_id=5101, first_name="Anna", language_code="en")


async def test_forged_ids_dates_and_pages_are_refused_politely(
    bot: BotHarness, anna: SimulatedUser
) -> None:
    await bot.say(anna, "/reminders")
    await forge_all(bot, anna, FORGERIES)


async def test_a_forged_calendar_month_is_not_saved_and_later_screens_still_work(
    bot: BotHarness, anna: SimulatedUser
) -> None:
    await bot.say(anna, "/reminders")
    await bot.press(anna, "➕ Hearing or appointment")
    await bot.press(anna, "🏛 Master calendar hearing (first, short)")
    await bot.press(anna, "👤 For me")
    await forge_all(bot, anna, ["ra:cal:999912", "ra:cal:²²²²²²", "ra:cal:000001"])
    await bot.say(anna, "01/15/2027")  # the flow goes on as if nothing happened
    assert anna.last.body.startswith("At what time?")


async def test_forged_staff_ids_are_refused_politely(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    staff = emulator.user(user_id=STAFF_ID)
    await bot.say(staff, "/broadcast")
    await forge_all(bot, staff, [f"bc:stop:{HUGE}", "bc:stop:²", f"bc:at:{HUGE}", "bc:at:²"])
