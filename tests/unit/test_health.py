"""Health: the heartbeat row, the write probe, the outbox lag, and tools/health.py's verdicts."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from core.clock import FakeClock
from core.logs import OneLine
from core.reminders import Draft, PlannedAlert
from emulator.server import BotApiEmulator
from handlers import health as health_job
from storage.db import open_database
from storage.health import HealthStore, Heartbeat, open_existing, problem
from storage.outbox import Outbox
from storage.reminders import ReminderStore
from storage.users import UserStore
from tests.harness import TOKEN, BotHarness
from tools import health as tool

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _beat(
    store: HealthStore, beat_ago: float, polled_ago: float | None, started_ago: float = 3600
) -> None:
    store.beat(
        Heartbeat(
            beat_at=NOW - timedelta(seconds=beat_ago),
            polled_at=None if polled_ago is None else NOW - timedelta(seconds=polled_ago),
            mode="polling",
            version="1.2.3",
            pid=4242,
            started_at=NOW - timedelta(seconds=started_ago),
        )
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A migrated database file, closed again."""
    path = tmp_path / "bot.sqlite3"
    open_database(path).close()
    return path


def _check(db_path: Path, **kwargs: float) -> tuple[bool, list[str]]:
    return tool.run_checks(
        db_path,
        kwargs.get("max_age", 120.0),
        kwargs.get("max_lag", 600.0),
        FakeClock(NOW),
    )


def test_the_heartbeat_row_is_kept_and_replaced(db_path: Path) -> None:
    store = HealthStore(open_database(db_path))
    assert store.last() is None
    _beat(store, 60, 65)
    _beat(store, 5, 7)
    last = store.last()
    assert last is not None
    assert last.beat_at == NOW - timedelta(seconds=5)
    assert last.polled_at == NOW - timedelta(seconds=7)
    assert (last.mode, last.version, last.pid) == ("polling", "1.2.3", 4242)


def test_a_healthy_bot_passes_every_check(db_path: Path) -> None:
    _beat(HealthStore(open_database(db_path)), 10, 4)
    healthy, lines = _check(db_path)
    assert healthy
    assert lines == [
        "ok   polling: last getUpdates 4 s ago (pid 4242, version 1.2.3, started 60 min ago)",
        "ok   database: writable",
        "ok   sender: nothing due (0 waiting)",
        "ok   alerts: none overdue",
    ]


def test_a_stopped_bot_and_a_silent_telegram_fail_the_polling_check(db_path: Path) -> None:
    store = HealthStore(open_database(db_path))
    _beat(store, 300, 300)
    healthy, lines = _check(db_path)
    assert not healthy
    assert lines[0].startswith("FAIL polling: heartbeat 5 min ago: the bot is not running")
    _beat(store, 10, 400)
    healthy, lines = _check(db_path)
    assert not healthy
    assert lines[0] == (
        "FAIL polling: last getUpdates 7 min ago (pid 4242, version 1.2.3, started 60 min ago)"
        ": Telegram has not answered for too long"
    )


def test_a_bot_that_just_started_is_not_reported_yet(db_path: Path) -> None:
    store = HealthStore(open_database(db_path))
    _beat(store, 1, None, started_ago=2)
    assert _check(db_path)[0]
    _beat(store, 1, None, started_ago=600)
    healthy, lines = _check(db_path)
    assert not healthy
    assert lines[0].startswith("FAIL polling: no successful getUpdates since the start")


def test_no_heartbeat_and_no_database_are_failures(db_path: Path, tmp_path: Path) -> None:
    healthy, lines = _check(db_path)
    assert not healthy
    assert lines[0] == "FAIL polling: no heartbeat yet (the bot has not run with this database)"
    missing = tmp_path / "missing.sqlite3"
    healthy, lines = _check(missing)
    assert not healthy
    assert lines == [f"FAIL database: cannot open {missing} (no such file)"]
    assert not missing.exists()  # the check never creates a database


def test_the_write_probe_changes_nothing_and_reports_a_read_only_database(
    db_path: Path,
) -> None:
    db = open_database(db_path)
    store = HealthStore(db)
    before = [r["name"] for r in db.query("SELECT name FROM sqlite_master ORDER BY name")]
    store.probe_write()
    after = [r["name"] for r in db.query("SELECT name FROM sqlite_master ORDER BY name")]
    assert after == before
    db.execute("PRAGMA query_only = 1")
    with pytest.raises(sqlite3.OperationalError) as caught:
        store.probe_write()
    assert problem(caught.value) == "database_read_only"
    assert tool.check_database(store) == (False, "database: cannot write (database_read_only)")


def test_the_sender_check_measures_the_oldest_due_message(db_path: Path) -> None:
    db = open_database(db_path)
    users = UserStore(db)
    for user_id in (1, 2, 3):
        users.seen(user_id, "ru", NOW.date())
    outbox = Outbox(db)
    _beat(HealthStore(db), 10, 4)
    outbox.enqueue(1, "announcement", "a:1", {"text": "x"}, NOW - timedelta(seconds=90))
    outbox.enqueue(2, "alert", "r:1", {"text": "y"}, NOW, due_at=NOW + timedelta(days=2))
    healthy, lines = _check(db_path)
    assert healthy
    assert lines[2] == "ok   sender: 2 waiting, the oldest due one for 90 s"
    outbox.enqueue(3, "announcement", "a:2", {"text": "z"}, NOW - timedelta(minutes=30))
    healthy, lines = _check(db_path)
    assert not healthy
    assert lines[2] == (
        "FAIL sender: 3 waiting, the oldest due one for 1800 s "
        "(over 600 s: the sender is not keeping up)"
    )


def test_an_alert_left_unsettled_past_its_time_fails_the_alerts_check(db_path: Path) -> None:
    """The alert job settles every alert within seconds of its time: one still waiting
    minutes later means reminders have stopped, and health must say so (issue 17.1)."""
    db = open_database(db_path)
    UserStore(db).seen(1, "ru", NOW.date())
    _beat(HealthStore(db), 10, 4)
    hearing = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago")
    alerts = [PlannedAlert("d7", NOW - timedelta(seconds=90))]
    ReminderStore(db).add(1, hearing, alerts, NOW - timedelta(days=1))
    healthy, lines = _check(db_path)
    assert healthy
    assert lines[3] == "ok   alerts: the oldest unsettled alert has been due for 90 s"
    healthy, lines = tool.run_checks(db_path, 120.0, 600.0, FakeClock(NOW + timedelta(minutes=10)))
    assert not healthy
    assert lines[3] == (
        "FAIL alerts: the oldest unsettled alert has been due for 690 s "
        "(over 300 s: the alert job is not running)"
    )


def test_a_database_without_an_outbox_skips_the_sender_check(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    store = HealthStore(open_existing(path))
    assert store.outbox_lag(NOW) is None
    assert tool.check_sender(store, NOW, 600) == (True, "sender: no outbox in this database")


def test_problem_names_a_full_disk(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "tiny.sqlite3", isolation_level=None)
    conn.execute("CREATE TABLE t (x TEXT)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.executemany("INSERT INTO t VALUES (?)", [["x" * 200]] * 1000)
    assert problem(caught.value) == "database_full"
    assert problem(ValueError("x")) == "ValueError"


def test_main_prints_one_line_per_check_and_exits_1_when_unhealthy(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tool.main(["--db", str(db_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4
    assert out[0].startswith("FAIL polling")


async def test_the_running_bot_writes_its_heartbeat(bot: BotHarness) -> None:
    health = bot.app.bot_data[health_job.HEALTH_KEY]
    first = health.store.last()
    assert first is not None  # written at start
    assert (first.mode, first.pid, first.version) == ("polling", os.getpid(), "0.1.0")
    user = bot.emulator.user(user_id=7401, first_name="A", language_code="en")
    await bot.say(user, "/start")  # a getUpdates has answered
    assert health.watch.last_ok is not None
    health_job.write(bot.app, health)
    last = health.store.last()
    assert last.beat_at == bot.clock.now()
    assert last.polled_at is not None
    assert last.polled_at <= bot.clock.now()
    assert bot.app.job_queue is not None
    job_names = [job.name for job in bot.app.job_queue.jobs()]
    assert "heartbeat" in job_names


def test_log_lines_stay_one_line_whatever_the_message_or_the_error() -> None:
    record = logging.LogRecord(
        "telegram", logging.ERROR, __file__, 1, 'Can not load "%s"', ("<html>\r\n<body>",), None
    )
    try:
        raise ValueError("secret\ntext")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert OneLine().filter(record)
    assert record.getMessage() == 'Can not load "<html>\\r\\n<body>" error=ValueError'
    assert record.exc_info is None


async def test_poll_watch_notes_success_and_says_once_when_telegram_fails_and_recovers(
    emulator: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(NOW)
    watch = health_job.PollWatch(clock)
    await watch.initialize()
    url = f"{emulator.base_url}{TOKEN}/getMe"
    try:
        with caplog.at_level(logging.INFO, logger="handlers.health"):
            assert (await watch.do_request(url, "POST"))[0] == 200
            assert watch.last_ok == NOW
            emulator.inject_failure("500", 2)
            clock.advance(timedelta(seconds=10))
            assert (await watch.do_request(url, "POST"))[0] == 500
            assert (await watch.do_request(url, "POST"))[0] == 500
            assert watch.last_ok == NOW
            clock.advance(timedelta(seconds=35))
            assert (await watch.do_request(url, "POST"))[0] == 200
    finally:
        await watch.shutdown()
    assert watch.last_ok == NOW + timedelta(seconds=45)
    assert [r.getMessage() for r in caplog.records] == [
        "telegram_unreachable error=http_500",
        "telegram_reachable_again after_seconds=35",
    ]
    emulator.errors.clear()
