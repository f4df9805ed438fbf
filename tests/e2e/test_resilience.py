"""Resilience: Telegram stops answering, answers 500s, drops connections; the disk fills up or
the database turns read-only. The bot keeps running, answers every update, recovers by itself,
logs one clear line, and leaves a database that passes `PRAGMA integrity_check`.

The outage here lasts OUTAGE_SECONDS (a few seconds, real time: the emulator holds the HTTP
requests, and HTTP timeouts are real); the 30-second outage of the issue is run by
`bench/resilience.py` (`make bench`) and recorded in bench/README.md ("Resilience"). Failures
are injected into the emulator, so no other test sleeps: they wait for the updates to settle.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3

import pytest

from emulator.client import SimulatedUser
from emulator.server import BotApiEmulator
from tests.harness import BotHarness

OUTAGE_SECONDS = 3.0
RECOVERY_TIMEOUT = 30.0  # PTB backs off 1 s, 1.5 s, 2.25 s ... between failed getUpdates


def _people(emulator: BotApiEmulator, count: int, first_id: int) -> list[SimulatedUser]:
    return [
        emulator.user(user_id=first_id + n, first_name=f"P{n}", language_code="en")
        for n in range(count)
    ]


async def _settle_all(bot: BotHarness, update_ids: list[int | None]) -> None:
    """Wait until the bot has taken and handled every update (however long recovery takes)."""
    for update_id in update_ids:
        assert update_id is not None
        await bot.emulator.wait_confirmed(update_id, timeout=RECOVERY_TIMEOUT)
    await asyncio.wait_for(bot.app.update_queue.join(), RECOVERY_TIMEOUT)


async def _received(person: SimulatedUser, text: str) -> None:
    """Wait until `text` has reached the person."""
    chat = person.chat
    await chat.changed.wait_until(
        lambda: any(m.body == text for m in chat.visible()), RECOVERY_TIMEOUT
    )


def _integrity(bot: BotHarness) -> str:
    conn = sqlite3.connect(bot.settings.db_path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


async def test_an_outage_loses_no_update_and_the_bot_recovers_by_itself(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    people = _people(emulator, 5, 7001)
    for person in people:
        await bot.say(person, "/start")
    bot.emulator.pause()  # Telegram stops answering: every request of the bot hangs
    sent = [await person.send("/help") for person in people]
    svc = bot.app.bot_data["services"]
    for person in people:  # alerts come due during the outage too
        payload = {"text": f"Alert {person.id}", "parse_mode": None, "entities": None}
        svc.outbox.enqueue(person.id, "alert", f"test:{person.id}", payload, bot.clock.now())
    svc.sender.wake()
    await asyncio.sleep(OUTAGE_SECONDS)
    bot.emulator.resume()
    await _settle_all(bot, sent)
    for person in people:
        await _received(person, f"Alert {person.id}")
    await svc.sender.run_until_idle()
    for person in people:
        assert [m.body for m in person.bot_messages].count(f"Alert {person.id}") == 1
        latest = [m.body for m in person.bot_messages[-2:]]  # the help and the alert
        assert any(body.startswith("What I can do") for body in latest), person.transcript()
        assert svc.outbox.progress(f"test:{person.id}").sent == 1
    assert bot.app.updater is not None
    assert bot.app.updater.running
    await bot.say(people[0], "/menu")  # and it goes on as before
    assert people[0].last.body.startswith("Main menu")


@pytest.mark.parametrize("kind", ["500", "502", "drop"])
async def test_server_errors_and_dropped_connections_lose_no_update(
    bot: BotHarness, emulator: BotApiEmulator, kind: str
) -> None:
    people = _people(emulator, 4, 7101)
    for person in people:
        await bot.say(person, "/start")
    emulator.inject_failure(kind, 3)  # type: ignore[arg-type]
    sent = [await person.send("/help") for person in people]
    await _settle_all(bot, sent)
    for person in people:
        assert person.last.body.startswith("What I can do"), person.transcript()
        assert not any("went wrong" in m.body for m in person.bot_messages), person.transcript()
    assert bot.app.updater is not None
    assert bot.app.updater.running
    failed = [e for e in emulator.errors if e.error_code in (0, 500, 502)]
    assert len(failed) == 3
    emulator.errors.clear()  # the injected failures, and nothing else


def _insert_user(conn: sqlite3.Connection, user_id: int) -> bool:
    """Insert a padding user; False once the database is full."""
    try:
        conn.execute(
            "INSERT INTO users (user_id, language, first_seen, last_seen) "
            "VALUES (?, 'en', '2026-01-01', '2026-01-01')",
            [user_id],
        )
    except sqlite3.OperationalError as error:
        if "database or disk is full" not in str(error):
            raise
        return False
    return True


def _fill_database(bot: BotHarness) -> None:
    """Make the database full: pad the users table until SQLite cannot grow the file, then cap
    the bot's own connection at that size (PRAGMA max_page_count is per connection)."""
    conn = sqlite3.connect(bot.settings.db_path, isolation_level=None)
    try:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        next_id = 100_000_000
        while _insert_user(conn, next_id):
            next_id += 1
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()
    db = bot.app.bot_data["services"].users._db  # the bot's own connection
    db.execute(f"PRAGMA max_page_count = {pages}")


async def test_a_full_disk_gives_one_clear_line_and_the_bot_answers_what_it_can(
    bot: BotHarness, emulator: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    known = emulator.user(user_id=7201, first_name="Known", language_code="en")
    await bot.say(known, "/start")
    _fill_database(bot)
    newcomer = emulator.user(user_id=7202, first_name="New", language_code="en")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await bot.say(newcomer, "/start")  # cannot be recorded: the disk is full
        await bot.say(known, "/help")
        await bot.press(known, "☰ Menu")
    assert "Main menu" in newcomer.last.body, newcomer.transcript()
    assert known.last.body.startswith("Main menu")
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems, "the full disk was not logged"
    assert all("database_full" in r.getMessage() for r in problems), problems
    for record in problems:
        assert "\n" not in record.getMessage()
        assert record.exc_info is None
        assert "New" not in record.getMessage()
    assert _integrity(bot) == "ok"


async def test_a_read_only_database_gives_one_clear_line_and_the_bot_answers_what_it_can(
    bot: BotHarness, emulator: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    known = emulator.user(user_id=7301, first_name="Known", language_code="en")
    await bot.say(known, "/start")
    # As root, chmod 0400 would not stop SQLite: query_only refuses every write the same way.
    bot.app.bot_data["services"].users._db.execute("PRAGMA query_only = 1")
    newcomer = emulator.user(user_id=7302, first_name="New", language_code="en")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await bot.say(newcomer, "/start")
        await bot.say(known, "/menu")
        await bot.press(known, "📚 Topics")
    assert "Main menu" in newcomer.last.body, newcomer.transcript()
    assert known.last.body.startswith("<b>Topics</b>") or "Topics" in known.last.body
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems, "the read-only database was not logged"
    assert all("database_read_only" in r.getMessage() for r in problems), problems
    bot.app.bot_data["services"].users._db.execute("PRAGMA query_only = 0")
    assert _integrity(bot) == "ok"
