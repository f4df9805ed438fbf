"""Storage: migrations applied once, pragmas on, users kept minimal, /forget erases everything."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from pathlib import Path

from storage.audit import AuditLog
from storage.db import applied_migrations, open_database
from storage.migrations import MIGRATIONS
from storage.users import User, UserStore

DAY = date(2026, 11, 27)


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = open_database(path)
    names = applied_migrations(db)
    assert names == [m.name for m in MIGRATIONS._migrations]
    db.close()
    again = open_database(path)
    assert applied_migrations(again) == names
    assert again.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert again.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_database_file_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    open_database(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_users_table_holds_only_the_minimum() -> None:
    db = open_database(":memory:")
    columns = {c.name for c in db["users"].columns}
    assert columns == {
        "user_id",
        "language",
        "first_seen",
        "last_seen",
        "announcements",
        "news",
        "status",
    }


def test_user_lifecycle() -> None:
    users = UserStore(open_database(":memory:"))
    assert users.get(7) is None
    created = users.seen(7, "en", DAY)
    assert created == User(7, "en", DAY, DAY, announcements=True, news=False, active=True)
    users.set_language(7, "uk")
    users.set_announcements(7, False)
    users.set_news(7, True)
    users.mark_blocked(7)
    later = date(2026, 12, 1)
    blocked = users.get(7)
    assert blocked == User(7, "uk", DAY, DAY, announcements=False, news=True, active=False)
    # Writing again reactivates the user and keeps their choices and first date.
    assert users.seen(7, "ru", later) == User(7, "uk", DAY, later, False, True, True)


def test_counts_are_aggregates() -> None:
    users = UserStore(open_database(":memory:"))
    users.seen(1, "ru", date(2026, 11, 1))
    users.seen(2, "ru", DAY)
    users.seen(3, "en", DAY)
    users.mark_blocked(3)
    counts = users.counts(since=date(2026, 11, 20))
    assert counts.active_by_language == {"ru": 2}
    assert counts.blocked == 1
    assert counts.new_since == 2


def test_forget_leaves_no_row_about_the_user() -> None:
    db = open_database(":memory:")
    users = UserStore(db)
    users.seen(1, "ru", DAY)
    users.seen(2, "en", DAY)
    users.forget(1)
    assert users.get(1) is None
    assert users.get(2) is not None


def test_audit_log_reads_back_newest_first() -> None:
    audit = AuditLog(open_database(":memory:"))
    audit.record(datetime(2026, 11, 27, 10, tzinfo=UTC), 42, "stats")
    audit.record(datetime(2026, 11, 27, 11, tzinfo=UTC), 42, "broadcast", "ru", audience=10)
    entries = audit.recent()
    assert [(e.action, e.audience) for e in entries] == [("broadcast", 10), ("stats", None)]


def test_an_announcement_is_queued_in_batches_and_a_crash_leaves_it_to_finish(
    tmp_path: Path,
) -> None:
    """Issue 13.3: recipients are written in short batches (by a worker thread with its own
    connection, storage.announcements.queue_recipients); a crash in the middle leaves the
    announcement marked unqueued, and running the queueing again completes it without
    writing anyone twice."""
    from datetime import UTC, datetime

    from storage.announcements import AnnouncementStore, Audience, queue_recipients
    from storage.db import open_database
    from storage.users import UserStore

    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    path = tmp_path / "bot.sqlite3"
    db = open_database(path)
    users = UserStore(db)
    for user_id in range(1, 26):
        users.seen(user_id, "ru", now.date())
    store = AnnouncementStore(db)
    announcement = store.begin(
        staff_id=9, texts={"ru": "Новости"}, button=None, audience=Audience("all"), now=now
    )
    assert store.unqueued() == [announcement.id]
    first_batches = AnnouncementStore(db).fill(announcement.id, now, batch=10)
    assert first_batches == 25
    # As if the process died before recording it: queueing again writes nobody twice.
    assert queue_recipients(path, announcement.id, now) == 25
    done = store.finish_queueing(announcement.id, 25)
    assert done.recipients == 25
    assert store.unqueued() == []
    db.close()
