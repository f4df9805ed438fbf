"""Staff announcements end to end: the real bot, the emulator enforcing 30 messages a second
(429s) and answering 403 for users who blocked the bot, and a thousand simulated users.

Time is fake and shared (tests/unit/test_sender.py `FakeTime`): the emulator's flood limits,
the sender's pacer and sleeps, and the bot's clock all read it, so 1,000 messages at 25/s take
40 virtual seconds and a second or two of real time. The staff member speaks English here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import build_application
from core.announcements import parse_when
from delivery.pacing import Pacer
from delivery.sender import Sender
from emulator.client import SimulatedUser
from emulator.server import BotApiEmulator, ChatMessage
from handlers.broadcast_progress import refresh_all
from handlers.context import SERVICES_KEY, Services
from tests.harness import STAFF_ID, BotHarness, make_settings
from tests.unit.test_sender import FakeTime, spin_until

EN_TEXT = "<b>Bond hearings</b> are stopped in the Fifth Circuit until further notice."
RU_TEXT = "<b>Слушания о залоге</b> в Пятом округе остановлены до особого распоряжения."
LINK = "EOIR status\nhttps://www.justice.gov/eoir"


@dataclass
class PacedHarness(BotHarness):
    """The bot as bot.py builds it, with the sender on fake time (see the module docstring)."""

    time: FakeTime = field(default_factory=FakeTime)
    crashed: bool = False

    async def start(self) -> None:
        """Build the app, put the sender on fake time, start as BotHarness does."""
        self.app = build_application(self.settings, self.clock)
        svc = self.services
        built = svc.sender
        paced = Sender(
            built.bot,
            svc.outbox,
            svc.users,
            self.clock,
            Pacer(monotonic=self.time.manual),
            sleep=self.time.sleep,
            compose=built.compose,
            close_bot=True,
        )
        self.app.bot_data[SERVICES_KEY] = replace(svc, sender=paced)  # Services is frozen
        self.time.sender = paced
        await self.app.initialize()
        if self.app.post_init is not None:
            await self.app.post_init(self.app)
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1)

    async def crash(self) -> None:
        """Die as a killed process does: the sender is cancelled mid-send, nothing is settled."""
        sender = self.sender
        assert sender.task is not None
        sender.task.cancel()
        self.time.release()
        with contextlib.suppress(asyncio.CancelledError):  # the cancellation is the point
            await sender.task
        assert self.app.updater is not None
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()
        await sender.bot.shutdown()  # the sockets a dead process leaves are closed by the OS
        self.crashed = True

    async def stop(self) -> None:
        """Stop cleanly (nothing to do after a crash)."""
        if not self.crashed:
            await super().stop()

    def human_pause(self) -> None:
        """A person's second passes for the flood limits too."""
        super().human_pause()
        self.time.manual.advance(1.0)

    @property
    def services(self) -> Services:
        found: Services = self.app.bot_data["services"]
        return found

    @property
    def sender(self) -> Sender:
        sender = self.services.sender
        assert sender is not None
        return sender

    async def deliver(self) -> None:
        """Let the sender send everything due, then refresh the progress reports."""
        await self.sender.run_until_idle()
        await refresh_all(self.app.bot, self.services)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def emulator(fake_time: FakeTime) -> AsyncIterator[BotApiEmulator]:
    """The emulator, its flood limits (30/s, 1/s per chat with bursts) on fake time."""
    async with BotApiEmulator(monotonic=fake_time.manual) as emu:
        yield emu


@pytest.fixture
async def bot(
    emulator: BotApiEmulator, tmp_path: Path, fake_time: FakeTime
) -> AsyncIterator[PacedHarness]:
    emulator.user(user_id=STAFF_ID, first_name="Staff", language_code="en")
    harness = PacedHarness(
        emulator, make_settings(emulator, tmp_path), clock=fake_time.clock, time=fake_time
    )
    await harness.start()
    try:
        yield harness
    finally:
        fake_time.release()  # a failed test may have left time stopped
        await harness.stop()


def seed(bot: PacedHarness, emulator: BotApiEmulator, languages: dict[str, int]) -> list[int]:
    """Simulated users who opened the bot (in its database too), ids from 10,000 up."""
    ids: list[int] = []
    today = bot.clock.now().date()
    uid = 10_000
    for lang, count in languages.items():
        for _ in range(count):
            emulator.user(uid, f"U{uid}", language_code=lang)
            bot.services.users.seen(uid, lang, today)
            ids.append(uid)
            uid += 1
    return ids


async def block(bot: PacedHarness, emulator: BotApiEmulator, ids: list[int]) -> None:
    """These users blocked the bot while it was down: it missed the my_chat_member updates and
    learns only from the 403s (a live block is tested in test_commands.py)."""
    del bot
    for uid in ids:
        emulator.chats[uid].blocked = True


def received(emulator: BotApiEmulator, ids: list[int], part: str) -> Counter[int]:
    """How many messages containing `part` each of `ids` got."""
    got: Counter[int] = Counter()
    for uid in ids:
        for event in emulator.chats[uid].events:
            if event.kind == "sent" and part in (event.message.text or ""):
                got[uid] += 1
    return got


def errors(emulator: BotApiEmulator) -> Counter[int]:
    return Counter(e.error_code for e in emulator.errors)


async def write_announcement(bot: PacedHarness, staff: SimulatedUser) -> None:
    """English text, a Russian text, one link button: up to the audience screen."""
    await bot.say(staff, "/broadcast")
    assert staff.last.body.startswith("New announcement")
    await bot.press(staff, "English")
    assert staff.last.body.startswith("Send the announcement in English")
    await bot.say(staff, EN_TEXT)
    await bot.press(staff, "➕ Text in Русский")
    await bot.say(staff, RU_TEXT)
    await bot.press(staff, "🔗 Add a link button")
    await bot.say(staff, LINK)
    draft = staff.last
    assert draft.body.splitlines()[:4] == [
        "👆 Above: the preview, exactly as users will get it.",
        "Draft announcement",
        "Texts: English, Русский",
        "Link button: EOIR status → https://www.justice.gov/eoir",
    ]
    await bot.press(staff, "👥 Choose who gets it")


def report_of(staff: SimulatedUser) -> ChatMessage:
    return next(m for m in reversed(staff.bot_messages) if m.body.startswith("📣 Announcement"))


async def test_a_two_language_announcement_reaches_every_active_user_once(
    bot: PacedHarness, emulator: BotApiEmulator
) -> None:
    ids = seed(bot, emulator, {"ru": 600, "en": 300, "uk": 100})
    blocked = [ids[5], ids[700], ids[950]]
    await block(bot, emulator, blocked)
    bot.services.users.set_announcements(ids[10], False)  # stopped them earlier
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    # 1,000 users and the staff member, less the one who stopped announcements; the bot does
    # not know yet who blocked it
    await bot.press(staff, "Everyone (1000)")
    ready = staff.last
    assert ready.body.splitlines() == [
        "Ready to send",
        "Who: everyone",
        "1000 recipients",
        "• Русский: 599",
        "• English: 301",
        "• Українська: 100 (get the Русский text)",
        "⚠️ 100 users who chose Українська will get the Русский text.",  # issue 16.6
    ]
    assert ready.buttons[0] == "➕ Text in Українська"  # add it before sending, if you can
    previews = staff.bot_messages[-3:-1]
    assert [p.body for p in previews] == [
        "Bond hearings are stopped in the Fifth Circuit until further notice.",
        "Слушания о залоге в Пятом округе остановлены до особого распоряжения.",
    ]
    assert previews[0].button_rows == [["EOIR status"], ["🔕 Stop announcements"]]
    assert bot.services.outbox is not None
    assert bot.services.outbox.backlog() == 0  # nothing is stored before Send
    await bot.press(staff, "✅ Send now")
    assert report_of(staff).body.splitlines()[:2] == [
        "📣 Announcement #1 is being sent",
        "░░░░░░░░░░ 0 %",
    ]
    await bot.deliver()

    active = [uid for uid in ids if uid not in blocked and uid != ids[10]]
    english = [uid for uid in active if 10_600 <= uid < 10_900]
    others = [uid for uid in active if uid not in english]
    assert received(emulator, english, "Bond hearings") == Counter(dict.fromkeys(english, 1))
    assert received(emulator, others, "Слушания о залоге") == Counter(dict.fromkeys(others, 1))
    assert received(emulator, [*blocked, ids[10]], "") == Counter()
    for uid in blocked:
        assert bot.services.users.get(uid).active is False  # type: ignore[union-attr]
    got = emulator.chats[ids[900]].visible()[-1]  # a Ukrainian speaker: the Russian text
    assert got.body.startswith("Слушания о залоге")
    assert got.entities[0]["type"] == "bold"
    assert got.button_rows[0] == ["EOIR status"]
    assert len(got.button_rows) == 2  # and the stop button, in Ukrainian
    assert errors(emulator) == Counter({403: 3})  # paced under 30/s: not one 429
    assert 39.0 <= bot.time.slept <= 41.0  # 1,000 messages at 25/s
    final = report_of(staff).body.splitlines()
    assert final[0] == "📣 Announcement #1 ✅ done in 40 s"
    assert final[2] == "Sent 997 · failed 0 · blocked 3 · left 0"


async def test_progress_is_shown_while_sending_and_never_edited_unchanged(
    bot: PacedHarness, emulator: BotApiEmulator
) -> None:
    seed(bot, emulator, {"ru": 500})
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "One language…")
    await bot.press(staff, "Русский (500)")
    outbox = bot.services.outbox
    assert outbox is not None
    bot.time.hold(lambda: outbox.progress("announcement:1").sent >= 200)
    await bot.press(staff, "✅ Send now")
    await bot.time.held.wait()
    await refresh_all(bot.app.bot, bot.services)
    lines = report_of(staff).body.splitlines()
    assert lines[0] == "📣 Announcement #1 is being sent"
    assert lines[1] == "▓▓▓▓░░░░░░ 40 %"
    assert lines[2] == "Sent 200 · failed 0 · blocked 0 · left 300"
    assert lines[3] == "Time left: about 12 s"
    assert "⏹ Stop sending" in report_of(staff).buttons
    edits = sum(r.method == "editMessageText" for r in emulator.requests)
    await refresh_all(bot.app.bot, bot.services)  # nothing changed: no edit
    assert sum(r.method == "editMessageText" for r in emulator.requests) == edits
    bot.time.release()
    await bot.deliver()
    assert report_of(staff).body.startswith("📣 Announcement #1 ✅ done in 20 s")
    assert report_of(staff).buttons == []
    assert emulator.errors == []


async def test_killed_mid_announcement_it_finishes_after_restart(
    bot: PacedHarness, emulator: BotApiEmulator, tmp_path: Path
) -> None:
    ids = seed(bot, emulator, {"ru": 700, "en": 300})
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "Everyone (1001)")
    outbox = bot.services.outbox
    assert outbox is not None
    # killed at the worst moment: one request on the wire
    bot.time.hold(lambda: outbox.progress("announcement:1").sent >= 400, settle_wire=False)
    await bot.press(staff, "✅ Send now")
    await bot.time.held.wait()
    assert bot.sender.on_wire == 1
    sends = sum(r.method == "sendMessage" for r in emulator.requests)
    # the worst moment: Telegram has the request, the bot has not recorded the answer yet
    await spin_until(lambda: sum(r.method == "sendMessage" for r in emulator.requests) > sends)
    await bot.crash()  # no graceful stop: the sender's task dies mid-run
    with sqlite3.connect(bot.settings.db_path) as conn:
        left_sending = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
        assert left_sending.fetchone()[0] <= 1

    again = PacedHarness(emulator, bot.settings, clock=bot.clock, time=bot.time)
    await again.start()  # same database file: it carries on where it stopped
    try:
        await again.deliver()
        got = received(emulator, ids[:700], "Слушания") + received(emulator, ids[700:], "Bond")
        assert set(got) == set(ids)  # nobody missing
        assert sum(n - 1 for n in got.values()) <= 1  # at most the one message in flight
        final = report_of(staff).body.splitlines()
        assert final[0].startswith("📣 Announcement #1 ✅ done")
        assert final[2] == "Sent 1001 · failed 0 · blocked 0 · left 0"
    finally:
        await again.stop()
    assert errors(emulator)[429] == 0


async def test_a_burst_of_429s_is_honoured(bot: PacedHarness, emulator: BotApiEmulator) -> None:
    ids = seed(bot, emulator, {"en": 200})
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "Everyone (201)")
    bot.time.hold(lambda: True)  # stop time after the first message: no reply is in the way
    await bot.press(staff, "✅ Send now")
    await bot.time.held.wait()
    emulator.inject_429(count=4, retry_after=5)  # the next four sends are refused
    before = bot.time.slept
    bot.time.release()
    await bot.deliver()
    assert received(emulator, ids, "Bond") == Counter(dict.fromkeys(ids, 1))
    assert errors(emulator) == Counter({429: 4})
    assert bot.sender.stats.throttled == 4
    assert bot.time.slept - before >= 8.0 + 4 * 5  # 200 more at 25/s, plus four 5-s pauses
    assert "Sent 201 · failed 0 · blocked 0 · left 0" in report_of(staff).body


async def test_a_non_staff_broadcast_reaches_no_one(
    bot: PacedHarness, emulator: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    ids = seed(bot, emulator, {"ru": 20})
    intruder = emulator.user(5555, "Mallory", language_code="en")
    with caplog.at_level(logging.WARNING):
        await bot.say(intruder, "/broadcast")
        await bot.say(intruder, "Everyone must pay $500 to this card")
    assert intruder.bot_messages[0].body.startswith("I don't know this command.")
    await bot.press_forged(intruder, "bc:send")
    await bot.press_forged(intruder, "bc:stop:1")
    await bot.deliver()
    assert received(emulator, ids, "") == Counter()
    assert bot.services.outbox is not None
    assert bot.services.outbox.backlog() == 0
    refused = [r.getMessage() for r in caplog.records if "staff_command_refused" in r.getMessage()]
    assert refused == [
        "staff_command_refused user_id=5555 action=broadcast",
        "staff_command_refused user_id=5555 action=broadcast",
        "staff_command_refused user_id=5555 action=broadcast",
    ]
    assert not any("$500" in r.getMessage() for r in caplog.records)
    assert [e.action for e in bot.services.audit.recent()] == []
    assert emulator.errors == []


async def test_bad_formatting_is_refused_and_asked_again(
    bot: PacedHarness, emulator: BotApiEmulator
) -> None:
    seed(bot, emulator, {"en": 3})
    staff = emulator.user(STAFF_ID)
    await bot.say(staff, "/broadcast")
    await bot.press(staff, "English")
    await bot.say(staff, "<b>Unclosed bold")
    assert staff.last.body.startswith("❌ Telegram cannot show this text: Can't parse entities")
    assert "Nothing was saved" in staff.last.body
    await bot.say(staff, "Fees & forms: plain text is fine")
    assert staff.bot_messages[-2].body == "Fees & forms: plain text is fine"  # the preview
    assert staff.last.body.splitlines()[1] == "Draft announcement"
    await bot.press(staff, "🔗 Add a link button")
    await bot.say(staff, "Label only, no address")
    assert staff.last.body.startswith("Please send a short label")
    await bot.say(staff, "Site\nhttp://insecure.example")
    assert staff.last.body.startswith("Please send a short label")
    await bot.press(staff, "◀ Back")
    await bot.press(staff, "✖ Cancel")
    assert staff.last.body == "Discard this draft? The texts you typed will be lost."
    await bot.press(staff, "🗑 Yes, discard it")
    assert staff.last.body == "Cancelled. Nothing was sent or saved."
    assert bot.services.announcements.recent() == []
    assert [e.error_code for e in emulator.errors] == [400]  # the refused preview only


async def test_scheduled_later_sent_when_due_and_cancel_stops_it(
    bot: PacedHarness, emulator: BotApiEmulator
) -> None:
    ids = seed(bot, emulator, {"ru": 30, "en": 30})
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "One language…")
    await bot.press(staff, "Русский (30)")
    assert staff.last.body.splitlines()[1:3] == ["Who: users who chose Русский", "30 recipients"]
    await bot.press(staff, "⌨️ Type a time")
    await bot.say(staff, "+2h")
    assert "🕒 Scheduled for 2026-11-27 14:" in report_of(staff).body
    await bot.deliver()
    assert received(emulator, ids, "Слушания") == Counter()  # not yet
    bot.time.advance(2 * 3600)
    await bot.deliver()
    assert received(emulator, ids[:30], "Слушания") == Counter(dict.fromkeys(ids[:30], 1))
    assert received(emulator, ids[30:], "") == Counter()

    # a second one, cancelled while being sent: it stops within a second
    await write_announcement(bot, staff)
    await bot.press(staff, "Everyone (61)")
    outbox = bot.services.outbox
    assert outbox is not None
    bot.time.hold(lambda: outbox.progress("announcement:2").sent >= 20)
    await bot.press(staff, "✅ Send now")
    await bot.time.held.wait()
    stopped_at = bot.time.slept
    await bot.press(staff, "⏹ Stop sending")
    bot.time.release()
    await bot.deliver()
    progress = outbox.progress("announcement:2")
    assert progress.pending == 0
    assert progress.sent <= 21
    assert bot.time.slept - stopped_at <= 1.0
    final = report_of(staff).body.splitlines()
    assert final[0] == "📣 Announcement #2 ⏹ stopped"
    actions = [(e.action, e.audience) for e in bot.services.audit.recent()]
    assert ("broadcast cancelled", 61) in actions
    assert ("broadcast sent", 61) in actions
    assert ("broadcast scheduled", 30) in actions
    assert emulator.errors == []


async def test_users_stop_announcements_under_one_and_start_them_again(
    bot: PacedHarness, emulator: BotApiEmulator
) -> None:
    ids = seed(bot, emulator, {"en": 2})
    anna = emulator.user(ids[0])
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "Everyone (3)")
    await bot.press(staff, "✅ Send now")
    await bot.deliver()
    announcement = anna.last
    await bot.press(anna, "🔕 Stop announcements")
    assert anna.callback_answers[-1].text.startswith("Done: no more announcements.")
    assert anna.last.body == announcement.body  # the announcement stays as it was
    assert anna.last.button_rows == [["EOIR status"], ["🔔 Get announcements again"]]
    assert bot.services.users.get(ids[0]).announcements is False  # type: ignore[union-attr]
    await write_announcement(bot, staff)
    await bot.press(staff, "Everyone (2)")
    await bot.press(staff, "✅ Send now")
    await bot.deliver()
    assert received(emulator, [ids[0]], "Bond") == Counter({ids[0]: 1})
    assert received(emulator, [ids[1]], "Bond") == Counter({ids[1]: 2})
    await bot.press(anna, "🔔 Get announcements again")
    assert bot.services.users.get(ids[0]).announcements is True  # type: ignore[union-attr]
    assert anna.last.button_rows[-1] == ["🔕 Stop announcements"]
    assert emulator.errors == []


async def test_court_audience_stats_and_audit(bot: PacedHarness, emulator: BotApiEmulator) -> None:
    ids = seed(bot, emulator, {"ru": 5})
    with sqlite3.connect(bot.settings.db_path) as conn:
        for uid in ids[:2]:
            conn.execute(
                "INSERT INTO reminders (user_id, kind, event_at, timezone, court_id, created_at,"
                " updated_at) VALUES (?, 'hearing', '2027-01-15T15:00:00+00:00',"
                " 'America/New_York', 'miami-krome', '2026-11-27', '2026-11-27')",
                [uid],
            )
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "Users with a reminder at a court…")
    await bot.say(staff, "nowhere-at-all")
    assert staff.last.body.startswith("No court matches")
    await bot.say(staff, "krome")
    label = next(b for b in staff.last.buttons if "Krome" in b)
    assert label.endswith("(2)")
    await bot.press(staff, label)
    assert staff.last.body.splitlines()[2] == "2 recipients"
    await bot.press(staff, "✅ Send now")
    await bot.deliver()
    assert received(emulator, ids, "Слушания") == Counter(dict.fromkeys(ids[:2], 1))

    await bot.say(staff, "/stats")
    stats = staff.last.body
    assert "6 active users" in stats  # five users and the staff member
    assert "1 upcoming reminder" in stats or "2 upcoming reminders" in stats
    assert "#1 · 2026-11-27" in stats
    assert "sent 2, failed 0, blocked 0, left 0" in stats
    for uid in ids:  # no one is ever named or numbered
        assert str(uid) not in stats
    await bot.say(staff, "/audit")
    audit = staff.last.body
    assert f"{STAFF_ID} · broadcast sent #1 court:miami-krome en,ru → 2" in audit
    assert f"{STAFF_ID} · stats" in audit
    assert emulator.errors == []


def test_typed_times() -> None:
    now = FakeTime().clock.now()  # 2026-11-27 12:00 UTC
    assert parse_when("+2h", now) == now.replace(hour=14)
    assert parse_when("+30 min", now) == now.replace(minute=30)
    assert parse_when("+1d", now) == now.replace(day=28)
    assert parse_when("15:00", now) == now.replace(hour=15)
    assert parse_when("09:00", now) == now.replace(day=28, hour=9)
    assert parse_when("2026-12-01 15:00", now) == now.replace(month=12, day=1, hour=15)
    assert parse_when("01.12.2026 15:00", now) == now.replace(month=12, day=1, hour=15)
    assert parse_when("tomorrow", now) is None
    assert parse_when("25:00", now) is None


async def test_people_turn_policy_news_on_and_only_they_get_news(
    bot: PacedHarness, emulator: BotApiEmulator
) -> None:
    ids = seed(bot, emulator, {"ru": 2, "en": 1})
    olga, _other, anna = (emulator.user(uid) for uid in ids)
    await bot.say(olga, "/menu")
    await bot.press(olga, "📰 Новости")
    assert olga.last.body.startswith("📰 Новости о правилах")
    assert olga.last.body.endswith("Сейчас: выключены.")
    assert bot.services.users.get(ids[0]).news is False  # type: ignore[union-attr]
    await bot.press(olga, "🔔 Присылать новости")
    assert olga.callback_answers[-1].text == "Новости включены."
    assert olga.last.body.endswith("Сейчас: включены.")
    assert olga.last.button_rows == [["🔕 Не присылать новости"], ["☰ Меню"]]
    # Someone who had stopped announcements and asks for news gets news again.
    await bot.say(anna, "/privacy")
    await bot.press(anna, "🔕 Stop announcements")
    await bot.say(anna, "/menu")
    await bot.press(anna, "📰 Policy news")
    await bot.press(anna, "🔔 Send me policy news")
    stored = bot.services.users.get(ids[2])
    assert stored is not None
    assert stored.news
    assert stored.announcements
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "News subscribers (2)")
    await bot.press(staff, "✅ Send now")
    await bot.deliver()
    assert received(emulator, ids, "залог") == Counter({ids[0]: 1})
    assert received(emulator, ids, "Bond") == Counter({ids[2]: 1})
    await bot.say(olga, "/menu")
    await bot.press(olga, "📰 Новости")
    await bot.press(olga, "🔕 Не присылать новости")
    assert bot.services.users.get(ids[0]).news is False  # type: ignore[union-attr]
    assert olga.last.body.endswith("Сейчас: выключены.")


async def test_the_time_question_shows_the_time_now_and_an_example_that_works(
    bot: PacedHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.6: the schedule prompt's own example used to be in the past and refused; /stats
    named the audience "all:". Now the prompt shows the time now and an example ahead of it,
    which is accepted as typed, and /stats names the audience in words."""
    seed(bot, emulator, {"en": 3})
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "Everyone (4)")
    await bot.press(staff, "⌨️ Type a time")
    await bot.press(staff, "◀ Back")  # the time step's Back keeps the draft and its audience
    assert "Everyone" in staff.last.body or "everyone" in staff.last.body
    await bot.press(staff, "⌨️ Type a time")
    await bot.press(staff, "✖ Cancel")  # asks first, and "No" keeps everything
    await bot.press(staff, "◀ No, keep the draft")
    assert "👥 Choose who gets it" in staff.last.buttons  # the draft, with its texts
    await bot.press(staff, "👥 Choose who gets it")
    await bot.press(staff, "Everyone (4)")
    await bot.press(staff, "⌨️ Type a time")
    prompt = staff.last.body
    assert "It is now 2026-11-27 12:00 (UTC)" in prompt
    example = prompt.split("Type the time on that clock: ")[1].split(",")[0]
    assert example == "2026-11-28 15:00"  # tomorrow, ahead of now
    await bot.say(staff, example)
    assert "🕒 Scheduled for 2026-11-28 15:00" in report_of(staff).body
    await bot.say(staff, "/stats")
    assert "everyone" in staff.last.body.lower()
    assert "all:" not in staff.last.body


async def test_staff_schedule_in_their_own_time_zone(
    bot: PacedHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.6: a staff member in New York types 09:00 on their own clock; the announcement
    goes at 14:00 UTC (EST is UTC-5 in November)."""
    seed(bot, emulator, {"en": 2})
    staff = emulator.user(STAFF_ID)
    await write_announcement(bot, staff)
    await bot.press(staff, "Everyone (3)")
    await bot.press(staff, "⌨️ Type a time")
    await bot.press(staff, "Eastern time (New York)")
    assert "It is now 2026-11-27 07:00 (Eastern time (New York))" in staff.last.body
    assert "✓ Eastern time (New York)" in staff.last.buttons
    await bot.say(staff, "2026-11-28 09:00")
    assert "🕒 Scheduled for 2026-11-28 09:00 (Eastern time (New York))" in report_of(staff).body
    store = bot.services.announcements
    assert store is not None
    scheduled = store.unfinished()[-1]
    assert scheduled.due_at == datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
    # The next announcement starts on the same clock: the zone is not asked for again.
    await write_announcement(bot, staff)
    await bot.press(staff, "Everyone (3)")
    await bot.press(staff, "⌨️ Type a time")
    assert "(Eastern time (New York))" in staff.last.body
    assert "✓ Eastern time (New York)" in staff.last.buttons
