"""/forget leaves no byte of the person in the database files (issue 17.5): not in the main
file's free pages, not in the write-ahead log, not in the shared-memory file."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from core.reminders import Draft, plan_alerts
from storage.db import open_database
from storage.reminders import ReminderStore
from storage.users import UserStore

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
NAME = "Zhenechka-Qx7"  # the relative's first name, as a person would type it


def database_bytes(path: Path) -> bytes:
    """Everything SQLite keeps on disk for this database."""
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def test_forget_leaves_no_trace_of_the_person_in_any_database_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = open_database(path)
    users, store = UserStore(db), ReminderStore(db)
    for user_id in range(1, 40):  # other people's rows around the erased one
        users.seen(user_id, "ru", NOW.date())
    draft = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago", person=NAME)
    store.add(7, draft, plan_alerts(draft, NOW), NOW)
    for n in range(20):  # later writes of other people
        users.seen(100 + n, "en", NOW.date())
    assert NAME.encode() in database_bytes(path)

    users.forget(7)

    assert NAME.encode() not in database_bytes(path)
    db.close()


def test_deleting_a_reminder_leaves_no_trace_of_its_names(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = open_database(path)
    users, store = UserStore(db), ReminderStore(db)
    users.seen(7, "ru", NOW.date())
    draft = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago", person=NAME)
    reminder = store.add(7, draft, plan_alerts(draft, NOW), NOW)

    assert store.delete(7, reminder.id)

    assert NAME.encode() not in database_bytes(path)
    db.close()
