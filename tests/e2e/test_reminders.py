"""Hearing reminders end to end: a simulated user adds a hearing as printed on the notice, the
fake clock moves from alert to alert, the alert job sweeps and the paced sender delivers
through the emulator. Nothing sleeps: the clock is moved and the sweep is called.

Assertions are mostly on English text; the BIA appeal is checked in Russian, as people read it.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from core.clock import FakeClock
from core.triage import ONE_YEAR_SOURCE_URL
from delivery.pacing import Pacer
from emulator.client import SimulatedUser
from emulator.server import BotApiEmulator, ChatMessage
from handlers import alerts_job
from handlers.context import Services
from storage.reminders import ReminderStore
from tests.e2e.test_commands import rows_mentioning
from tests.harness import BotHarness, make_settings

NOTICE_TIME = "8:30 AM"
CONFIRMED = "Friday, January 15, 2027, 8:30 AM court time (Chicago)"
# The alerts of a Chicago hearing on Friday 15 January 2027 at 08:30 (CST, UTC-6).
D7 = datetime(2027, 1, 9, 0, tzinfo=UTC)  # 18:00 on the 8th
D3 = datetime(2027, 1, 13, 0, tzinfo=UTC)
D1 = datetime(2027, 1, 15, 0, tzinfo=UTC)
D0 = datetime(2027, 1, 15, 11, 30, tzinfo=UTC)  # 05:30, 3 hours before
HEARING = datetime(2027, 1, 15, 14, 30, tzinfo=UTC)


def svc(bot: BotHarness) -> Services:
    found: Services = bot.app.bot_data["services"]
    return found


def store(bot: BotHarness) -> ReminderStore:
    reminders = svc(bot).reminders
    assert reminders is not None
    return reminders


def pace_on_the_fake_clock(bot: BotHarness) -> None:
    """Nothing waits for real: the sender's pacer reads the fake clock, and the emulator's flood
    limits (which read the real one) are lifted. Pacing and 429s are the sender's own tests'
    business (tests/unit/test_sender.py); here each alert's time is what matters."""
    sender = svc(bot).sender
    assert sender is not None
    sender.pacer = Pacer(
        1000.0,
        1000.0,
        global_burst=1000.0,
        chat_burst=1000.0,
        monotonic=lambda: bot.clock.now().timestamp(),
    )
    bot.emulator.set_limits(global_rate_per_second=math.inf, chat_rate_per_second=math.inf)


async def deliver(bot: BotHarness) -> None:
    """The alert job's sweep at the clock's time, then the sender sends what it queued."""
    await alerts_job.run_sweep(bot.app)
    sender = svc(bot).sender
    assert sender is not None
    await sender.run_until_idle()


async def at(bot: BotHarness, moment: datetime) -> None:
    """Move the clock to `moment` and let due alerts go out."""
    bot.clock.set(moment)
    await deliver(bot)


def alerts(user: SimulatedUser) -> list[ChatMessage]:
    """The alert messages the user received (they carry these buttons)."""
    marks = ("✏️ The date changed", "📖 Read more")
    return [m for m in user.bot_messages if any(mark in m.buttons for mark in marks)]


async def add_hearing(
    bot: BotHarness,
    user: SimulatedUser,
    typed_date: str = "01/15/2027",
    *,
    typed_time: str = NOTICE_TIME,
    save: bool = True,
) -> None:
    """The user adds a master calendar hearing at the Chicago court, for themself."""
    await bot.say(user, "/reminders")
    await bot.press(user, "➕ Hearing or appointment")
    await bot.press(user, "🏛 Master calendar hearing (first, short)")
    await bot.press(user, "👤 For me")
    await bot.say(user, typed_date)
    await bot.say(user, typed_time)
    await bot.say(user, "Chicago")
    await bot.press(user, "Chicago Immigration Court")
    if save:
        await bot.press(user, "✅ Save")


@pytest.fixture
def en_user(bot: BotHarness, emulator: BotApiEmulator) -> SimulatedUser:
    pace_on_the_fake_clock(bot)
    return emulator.user(user_id=3001, first_name="Anna", language_code="en")


async def test_a_new_user_adds_a_hearing_as_printed_and_gets_each_alert_once_at_its_time(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await bot.say(en_user, "/start")
    await bot.press(en_user, "⏰ Reminders")
    assert en_user.last.body.startswith("⏰ Reminders\nI can remind you of a court hearing")
    await add_hearing(bot, en_user, save=False)
    confirm = en_user.last.body
    assert confirm.startswith("Please check:\n📌 Master calendar hearing\n👤 For: you\n")
    assert f"📅 {CONFIRMED}\n🏛 Chicago Immigration Court\n55 E. Monroe Street" in confirm
    assert (
        "⏰ Reminders, Central time (Chicago): January 8, 6:00 PM · January 12, 6:00 PM · "
        "January 14, 6:00 PM · January 15, 5:30 AM." in confirm
    )
    assert "It is deleted 30 days after the event" in confirm
    assert "/forget" in confirm
    assert confirm.endswith("Nothing is stored until you press «✅ Save».")
    assert "⚠️" not in confirm  # a Friday morning: no warning
    assert store(bot).list_for(en_user.id) == []  # nothing before the confirmation
    await bot.press(en_user, "✅ Save")
    assert en_user.last.body.startswith("✅ Saved.")
    assert len(store(bot).list_for(en_user.id)) == 1

    await at(bot, D7 - timedelta(seconds=1))
    assert alerts(en_user) == []
    expected = [
        (D7, "⏰ Master calendar hearing: in 7 days"),
        (D3, "⏰ Master calendar hearing: in 3 days"),
        (D1, "⏰ Master calendar hearing: tomorrow"),
        (D0, "⏰ Master calendar hearing: today"),
    ]
    for number, (moment, title) in enumerate(expected, start=1):
        await at(bot, moment)
        assert len(alerts(en_user)) == number
        alert = alerts(en_user)[-1]
        assert alert.body.startswith(title + "\n📅 " + CONFIRMED)
        await at(bot, moment + timedelta(minutes=5))  # a second sweep sends nothing again
        assert len(alerts(en_user)) == number
    alert = alerts(en_user)[-1]
    assert "in absentia" in alert.body
    assert "https://acis.eoir.justice.gov or 1-800-898-7180" in alert.body
    assert "Source: https://www.justice.gov/eoir/reference-materials/ic/chapter-5/9" in alert.body
    assert alert.buttons == ["✏️ The date changed", "🎒 What to bring", "🔕 Stop these reminders"]
    await at(bot, HEARING + timedelta(days=1))
    assert len(alerts(en_user)) == 4


async def test_the_us_order_date_is_asked_about(bot: BotHarness, en_user: SimulatedUser) -> None:
    await bot.say(en_user, "/reminders")
    await bot.press(en_user, "➕ Hearing or appointment")
    await bot.press(en_user, "⚖️ Individual hearing (on the merits)")
    await bot.press(en_user, "👥 For a relative or friend")
    await bot.say(en_user, "Маша")
    await bot.say(en_user, "01/02/2027")
    assert en_user.last.body == (
        "«01/02/2027» can be read two ways.\n"
        "US notices print the month first; in Russia and Ukraine the day comes first. "
        "Which date is it?"
    )
    assert en_user.last.buttons == [
        "Saturday, January 2, 2027 (month first, US)",
        "Monday, February 1, 2027 (day first)",
        "❌ Cancel",
    ]
    await bot.press(en_user, "Monday, February 1, 2027 (day first)")
    assert en_user.last.body.startswith("At what time? Monday, February 1, 2027")
    await bot.say(en_user, "13:00")
    await bot.press(en_user, "Central time (Chicago)")
    confirm = en_user.last.body
    assert "👤 For: Маша" in confirm
    assert "📅 Monday, February 1, 2027, 1:00 PM, Central time (Chicago)" in confirm
    assert "the name «Маша»" in confirm


async def test_bad_input_gets_a_reason_and_the_question_again(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await bot.say(en_user, "/reminders")
    await bot.press(en_user, "➕ Hearing or appointment")
    await bot.press(en_user, "🛂 ICE or ISAP check-in")
    await bot.press(en_user, "👥 For a relative or friend")
    await bot.say(en_user, "Иван Иванович Петров")
    assert en_user.last.body.startswith(
        "Please type only a first name or a nickname, without the surname.\n\nType their first"
    )
    await bot.say(en_user, "x" * 31)
    assert en_user.last.body.startswith("Please type only a first name or a nickname, up to 30")
    await bot.say(en_user, "Саша")
    question = "ICE or ISAP check-in: on what date?"
    refused = {
        "30.02.2027": "⚠️ There is no such date in the calendar (for example, 30 February).",
        "01.11.2026": "⚠️ This date has already passed.",
        "15.01.2031": "⚠️ This date is more than 3 years ahead: please check it.",
        "вчера": "⚠️ This date has already passed.",
        "когда-нибудь": "⚠️ I could not read a date there.",
        "15 бананов 2027": "⚠️ I could not read a date there.",
    }
    for typed, reason in refused.items():
        await bot.say(en_user, typed)
        assert en_user.last.body.startswith(reason), typed
        assert question in en_user.last.body
    await bot.say(en_user, "15 jan 2027")
    for typed, reason in {
        "25:00": "⚠️ There is no such time.",
        "8:75": "⚠️ There is no such time.",
        "утром": "⚠️ I could not read a time there.",
    }.items():
        await bot.say(en_user, typed)
        assert en_user.last.body.startswith(reason + " Type it like 8:30 AM or 13:00.\n\nAt what")
    await bot.say(en_user, "0830")
    await bot.press(en_user, "Central time (Chicago)")
    assert en_user.last.body.startswith("Please check:")
    await bot.say(en_user, "hello")  # typing on the confirmation screen
    assert en_user.last.body.startswith("Please choose with the buttons below")
    assert "✅ Save" in en_user.last.buttons


async def test_an_event_already_begun_today_is_refused(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    # The clock: 27 November 2026, 12:00 UTC = 06:00 in Chicago.
    await bot.say(en_user, "/reminders")
    await bot.press(en_user, "➕ Hearing or appointment")
    await bot.press(en_user, "🖐 Biometrics appointment")
    await bot.press(en_user, "👤 For me")
    await bot.say(en_user, "27.11.2026")
    await bot.say(en_user, "5:00")
    await bot.press(en_user, "Central time (Chicago)")
    assert en_user.last.body.startswith(
        "⚠️ This date and time have already passed in the place's time zone"
    )
    await bot.say(en_user, "2026-11-27")
    await bot.press(en_user, "Keep 5:00 AM")
    assert en_user.last.body.startswith("⚠️ This date and time have already passed")
    await bot.say(en_user, "27.11.2026")
    await bot.say(en_user, "15:00")
    assert en_user.last.body.startswith("Please check:")
    assert "It is very soon" not in en_user.last.body  # the morning alert is still ahead


async def test_weekends_holidays_and_odd_hours_are_warned_and_may_still_be_saved(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await add_hearing(bot, en_user, "18.01.2027", save=False)  # Martin Luther King Jr. Day
    body = en_user.last.body
    assert (
        "⚠️ This is a US federal holiday (Birthday of Martin Luther King, Jr.): courts usually "
        "do not hold hearings then." in body
    )
    assert "Check the date and time on EOIR's site, https://acis.eoir.justice.gov" in body
    await bot.press(en_user, "✏️ Date")
    await bot.say(en_user, "16 January 2027")  # a Saturday
    await bot.say(en_user, "20:00")
    body = en_user.last.body
    assert "⚠️ This is a Saturday: courts usually do not hold hearings then." in body
    assert "⚠️ Courts usually do not hold hearings at this time of day." in body
    await bot.press(en_user, "✅ Save")
    assert en_user.last.body.startswith("✅ Saved.")


async def test_the_inline_calendar(bot: BotHarness, en_user: SimulatedUser) -> None:
    await bot.say(en_user, "/reminders")
    await bot.press(en_user, "➕ Hearing or appointment")
    await bot.press(en_user, "🏛 Master calendar hearing (first, short)")
    await bot.press(en_user, "👤 For me")
    assert "November 2026" in en_user.last.buttons
    assert "26" not in en_user.last.buttons  # yesterday cannot be chosen
    await bot.press(en_user, "▶")
    await bot.press(en_user, "▶")
    assert "January 2027" in en_user.last.buttons
    await bot.press(en_user, "15")
    assert en_user.last.body.startswith("At what time? Friday, January 15, 2027")


async def test_stop_in_one_tap_then_on_again(bot: BotHarness, en_user: SimulatedUser) -> None:
    await add_hearing(bot, en_user)
    await at(bot, D7)
    alert = alerts(en_user)[-1]
    await bot.press(en_user, "🔕 Stop these reminders")
    assert alerts(en_user)[-1].body == alert.body  # the alert stays as it was
    assert en_user.last.body.startswith("🔕 Stopped: no more reminders for this one.")
    await at(bot, D3)
    await at(bot, D1)
    assert len(alerts(en_user)) == 1
    await bot.press(en_user, "🔔 Turn reminders back on")
    await at(bot, D0)
    assert [a.body.split("\n")[0] for a in alerts(en_user)] == [
        "⏰ Master calendar hearing: in 7 days",
        "⏰ Master calendar hearing: today",
    ]


async def test_the_date_changed_from_an_alert(bot: BotHarness, en_user: SimulatedUser) -> None:
    await add_hearing(bot, en_user)
    await at(bot, D7)
    await bot.press(en_user, "✏️ The date changed")
    assert en_user.last.body.startswith("Master calendar hearing: on what date?")
    assert f"Now it is: {CONFIRMED}." in en_user.last.body
    await bot.say(en_user, "02/19/2027")
    await bot.press(en_user, "Keep 8:30 AM")
    body = en_user.last.body
    assert f"Was: {CONFIRMED}" in body
    assert "📅 Friday, February 19, 2027, 8:30 AM court time (Chicago)" in body
    await bot.press(en_user, "✅ Save")
    assert en_user.last.body.startswith("✅ Changed.")
    for moment in (D3, D1, D0):
        await at(bot, moment)
    assert len(alerts(en_user)) == 1  # the old date's alerts are gone
    await at(bot, datetime(2027, 2, 13, 0, tzinfo=UTC))
    assert alerts(en_user)[-1].body.startswith(
        "⏰ Master calendar hearing: in 7 days\n📅 Friday, February 19, 2027"
    )


async def test_what_to_bring_opens_the_topic_and_keeps_the_alert(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await add_hearing(bot, en_user)
    await at(bot, D7)
    await bot.press(en_user, "🎒 What to bring")
    assert en_user.last.body.startswith("What to bring")
    assert len(alerts(en_user)) == 1


async def test_the_calendar_file_reads_back(
    bot: BotHarness, en_user: SimulatedUser, emulator: BotApiEmulator
) -> None:
    await add_hearing(bot, en_user)
    await bot.press(en_user, "📅 Calendar file for the phone")
    document = en_user.last.media["document"]
    assert document["file_name"] == "master-2027-01-15.ics"
    calendar = icalendar.Calendar.from_ical(emulator.files[document["file_id"]].data)
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "America/Chicago"
    assert (start.hour, start.minute) == (8, 30)
    assert start.astimezone(UTC) == HEARING
    assert str(event["SUMMARY"]) == "Master calendar hearing"
    assert "55 E. Monroe Street" in str(event["LOCATION"])
    assert len(list(event.walk("VALARM"))) == 3
    uid = str(event["UID"])
    # Deleting it: the screen says the phone keeps the event, and offers the file removing it.
    await bot.press(en_user, "🗑 Delete")
    screen = next(m for m in en_user.bot_messages if "Delete this reminder?" in m.body)
    assert "the event stays there: delete it in the calendar by hand" in screen.body
    await bot.press(en_user, "📅 File that removes it from the phone")
    removal = en_user.last.media["document"]
    assert removal["file_name"] == "cancel-master-2027-01-15.ics"
    cancel = icalendar.Calendar.from_ical(emulator.files[removal["file_id"]].data)
    assert str(cancel["METHOD"]) == "CANCEL"
    assert [str(e["UID"]) for e in cancel.walk("VEVENT")] == [uid]


async def test_deadline_alerts_name_their_source(bot: BotHarness, en_user: SimulatedUser) -> None:
    await bot.say(en_user, "/reminders")
    await bot.press(en_user, "➕ Deadline alert")
    await bot.press(en_user, "📄 One year to file for asylum (from the last arrival)")
    await bot.say(en_user, "03.09.2025")  # the last day, 3 September 2026, has passed
    await bot.press(en_user, "Eastern time (New York)")
    assert "⚠️ This deadline has passed." in en_user.last.body
    assert "exceptions" in en_user.last.body
    assert "✅ Save" not in en_user.last.buttons
    await bot.press(en_user, "✏️ Date")
    await bot.say(en_user, "03.09.2026")
    body = en_user.last.body
    assert "The last day to file the asylum application (Form I-589): Friday, September 3, " in body
    assert f"Source: {ONE_YEAR_SOURCE_URL}" in body
    assert "July 5, 6:00 PM · August 4, 6:00 PM · August 27, 6:00 PM" in body
    await bot.press(en_user, "✅ Save")
    await at(bot, datetime(2027, 7, 5, 22, tzinfo=UTC))  # 18:00 EDT
    alert = alerts(en_user)[-1]
    assert alert.body.startswith("⏰ One-year deadline for the asylum application: in 60 days")
    assert f"Source: {ONE_YEAR_SOURCE_URL}" in alert.body
    assert alert.buttons == ["📖 Read more", "🆘 Free legal help", "🔕 Stop these reminders"]


async def test_deadline_alerts_from_the_triage_arrival_date(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await bot.say(en_user, "/start")
    await bot.press_forged(en_user, "rm:arr:20260903")  # the triage checklist's button
    assert en_user.last.body.startswith("In which time zone do you live?")
    assert store(bot).list_for(en_user.id) == []
    await bot.press(en_user, "Pacific time (Los Angeles)")
    assert "Friday, September 3, 2027" in en_user.last.body
    await bot.press(en_user, "✅ Save")
    reminder = store(bot).list_for(en_user.id)[0]
    assert reminder.draft.basis is not None
    assert (reminder.draft.kind, reminder.draft.basis.isoformat()) == ("one_year", "2026-09-03")


async def test_a_blocked_user_is_marked_and_gets_no_more_alerts(
    bot: BotHarness, en_user: SimulatedUser, emulator: BotApiEmulator
) -> None:
    await add_hearing(bot, en_user)
    emulator.block(en_user.id)
    await at(bot, D7)
    user = svc(bot).users.get(en_user.id)
    assert user is not None
    assert not user.active
    await at(bot, D3)
    reminder = store(bot).list_for(en_user.id)[0]
    assert [e.outcome.value for e in store(bot).log(reminder.id)] == ["queued", "blocked"]
    assert [e.error_code for e in emulator.errors] == [403]  # one try, then never again
    emulator.errors.clear()


async def test_forget_erases_reminders_at_once(bot: BotHarness, en_user: SimulatedUser) -> None:
    await add_hearing(bot, en_user)
    await at(bot, D7)
    await bot.say(en_user, "/forget")
    await bot.press(en_user, "Yes, erase everything")
    assert rows_mentioning(bot, en_user.id) == {}
    await at(bot, D0)
    assert len(alerts(en_user)) == 1


async def test_deleted_thirty_days_after_unless_kept(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await add_hearing(bot, en_user)
    await add_hearing(bot, en_user, "16.01.2027")
    await bot.press(en_user, "📌 Keep after the event")
    assert "Kept after the event" in en_user.last.body
    bot.clock.set(HEARING + timedelta(days=31))
    assert alerts_job.cleanup(bot.app) == 1
    await bot.say(en_user, "/reminders")
    assert en_user.last.body.count("Master calendar hearing") == 1
    assert "January 16, 2027" in en_user.last.body


async def test_delete_asks_then_deletes(bot: BotHarness, en_user: SimulatedUser) -> None:
    await add_hearing(bot, en_user)
    await bot.press(en_user, "🗑 Delete")
    assert en_user.last.body.startswith("Delete this reminder?")
    await bot.press(en_user, "No, keep it")
    await bot.press(en_user, "🗑 Delete")
    await bot.press(en_user, "🗑 Yes, delete it")
    assert en_user.last.body.startswith("🗑 Deleted: nothing about it is kept.")
    assert store(bot).list_for(en_user.id) == []
    await at(bot, D7)
    assert alerts(en_user) == []


async def test_weekly_date_check(bot: BotHarness, en_user: SimulatedUser) -> None:
    await add_hearing(bot, en_user, save=False)
    await bot.press(en_user, "🔁 Weekly check: turn on")
    assert "🔁 Weekly date check: on." in en_user.last.body
    await bot.press(en_user, "✅ Save")
    await at(bot, datetime(2026, 11, 27, 18, tzinfo=UTC))  # 12:00 CST, 7 weeks before
    weekly = alerts(en_user)[-1]
    assert weekly.body.startswith("🔁 Weekly check: Master calendar hearing")
    await bot.press(en_user, "🔕 Stop the weekly check")
    await at(bot, datetime(2026, 12, 4, 18, tzinfo=UTC))
    assert len(alerts(en_user)) == 1


async def test_stale_and_forged_buttons(bot: BotHarness, en_user: SimulatedUser) -> None:
    await add_hearing(bot, en_user)
    await bot.press_forged(en_user, "rm:v:999999")
    assert en_user.callback_answers[-1].text == "This reminder no longer exists."
    await bot.press_forged(en_user, "ra:ok")
    assert en_user.last.body.startswith("⏰ Reminders")


# --- restarts --------------------------------------------------------------------------------


@pytest.fixture
async def restartable(emulator: BotApiEmulator, tmp_path: Path) -> AsyncIterator[list[BotHarness]]:
    """Bots started one after another on the same database, with one clock."""
    running: list[BotHarness] = []
    yield running
    for harness in running:
        if harness.app.running:
            await harness.stop()
    assert emulator.errors == []


async def boot(
    emulator: BotApiEmulator, tmp_path: Path, clock: FakeClock, running: list[BotHarness]
) -> BotHarness:
    harness = BotHarness(emulator, make_settings(emulator, tmp_path), clock)
    await harness.start()
    pace_on_the_fake_clock(harness)
    running.append(harness)
    return harness


async def test_restarts_lose_nothing_and_send_nothing_twice(
    emulator: BotApiEmulator, tmp_path: Path, restartable: list[BotHarness]
) -> None:
    clock = FakeClock()
    user = emulator.user(user_id=3101, first_name="Oleg", language_code="en")
    first = await boot(emulator, tmp_path, clock, restartable)
    await add_hearing(first, user)
    # Killed at the 7-day alert: queued in the outbox, the sender never got to it.
    sender = svc(first).sender
    assert sender is not None
    await sender.stop()
    clock.set(D7)
    await alerts_job.run_sweep(first.app)
    assert alerts(user) == []
    await first.stop()

    # Started again two days later: the queued alert goes, and the 3-day one when due.
    clock.set(D7 + timedelta(days=2))
    second = await boot(emulator, tmp_path, clock, restartable)
    await deliver(second)
    assert [a.body.split("\n")[0] for a in alerts(user)] == [
        "⏰ Master calendar hearing: in 7 days"
    ]
    await at(second, D3)
    await second.stop()
    assert len(alerts(user)) == 2

    # Down through the 1-day alert; back the next morning before the hearing: it goes once.
    clock.set(D1 + timedelta(hours=3))
    third = await boot(emulator, tmp_path, clock, restartable)
    await deliver(third)
    assert alerts(user)[-1].body.startswith("⏰ Master calendar hearing: tomorrow")
    await third.stop()

    # Down through the morning alert and the hearing: logged as missed, not sent.
    clock.set(HEARING + timedelta(hours=1))
    fourth = await boot(emulator, tmp_path, clock, restartable)
    await deliver(fourth)
    assert len(alerts(user)) == 3
    reminder = store(fourth).list_for(user.id)[0]
    assert [(e.alert_key, e.outcome.value) for e in store(fourth).log(reminder.id)] == [
        ("d7.1", "queued"),
        ("d3.1", "queued"),
        ("d1.1", "queued"),
        ("d0.1", "missed"),
    ]


async def test_a_bia_appeal_is_counted_from_the_date_on_the_paper_and_must_arrive(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    # 8 CFR 1003.38(b): 30 calendar days from the oral decision or the mailing date on the
    # written one; the BIA must receive the appeal by then.
    pace_on_the_fake_clock(bot)
    user = emulator.user(user_id=3101, first_name="Иван", language_code="ru")
    await bot.say(user, "/reminders")
    await bot.press(user, "➕ Напоминание о сроке")
    await bot.press(user, "⚖️ Апелляция в BIA (после решения судьи)")
    question = user.last.body
    assert question.startswith("Какая дата стоит на решении судьи?")
    assert "дата в отметке о вручении (certificate of service)" in question
    assert "а не день, когда вы его получили" in question
    await bot.say(user, "20.11.2026")
    await bot.press(user, "восточное время (Нью-Йорк)")
    confirm = user.last.body
    assert (
        "Последний день, когда апелляция (форма EOIR-26) должна поступить в Апелляционный совет "
        "(BIA): воскресенье, 20 декабря 2026 — 30 дней от 20 ноября 2026 (дата решения в "
        "документе)." in confirm
    )
    await bot.press(user, "✅ Сохранить")
    await at(bot, datetime(2026, 12, 13, 23, tzinfo=UTC))  # 18:00 EST, 7 days before
    assert "📖 Подробнее" in user.last.buttons  # the alert, with its buttons
    alert = user.last.body
    assert alert.startswith("⏰ Апелляция в BIA: последний день — 20 декабря 2026")
    assert "в течение 30 календарных дней от 20 ноября 2026" in alert
    assert "Последний день — воскресенье, 20 декабря 2026." in alert
    assert "BIA должен её получить, почтовый штемпель не считается" in alert
    assert "https://epay.eoir.justice.gov" in alert
    assert "пошлин" not in alert
    assert ".." not in alert
    assert "Источник: https://www.justice.gov/eoir/reference-materials/ic/chapter-6/2" in alert


async def test_a_move_gives_the_court_five_calendar_days_and_names_uscis(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    # 8 CFR 1003.15(d)(2): "within 5 days" (not working days); INA 265: USCIS within 10 days.
    await bot.say(en_user, "/reminders")
    await bot.press(en_user, "➕ Deadline alert")
    await bot.press(en_user, "🏠 New address for the court (after a move)")
    await bot.say(en_user, "25.11.2026")  # a Wednesday, before Thanksgiving and a weekend
    await bot.press(en_user, "Eastern time (New York)")
    confirm = en_user.last.body
    assert "Monday, November 30, 2026, 5 days after the move on November 25, 2026." in confirm
    await bot.press(en_user, "✅ Save")
    await at(bot, datetime(2026, 11, 30, 14, tzinfo=UTC))  # 09:00 EST on the last day
    alert = alerts(en_user)[-1].body
    assert "within 5 days: by Monday, November 30, 2026" in alert
    assert "working" not in alert
    assert "Form AR-11, online at https://www.uscis.gov/ar-11" in alert
