"""Backup: a consistent, owner-only copy of a database that is being written to, and restore."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import date
from pathlib import Path

import pytest

from storage.db import open_database
from storage.health import backup, integrity
from storage.users import UserStore
from tools import backup as tool


class Writer(threading.Thread):
    """Keeps writing pairs of rows, each pair in one transaction, until told to stop."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.written = 0

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        conn.execute("PRAGMA journal_mode = WAL")
        while not self.stop.is_set():
            n = self.written
            conn.execute("BEGIN")
            conn.execute("INSERT INTO pairs (n, half) VALUES (?, 'a')", [n])
            conn.execute("INSERT INTO pairs (n, half) VALUES (?, 'b')", [n])
            conn.execute("COMMIT")
            self.written += 1
        conn.close()


@pytest.fixture
def live_db(tmp_path: Path) -> Path:
    """The bot's database with some users, plus a table another thread writes to."""
    path = tmp_path / "data" / "bot.sqlite3"
    db = open_database(path)
    users = UserStore(db)
    for user_id in range(1, 201):
        users.seen(user_id, "ru", date(2026, 11, 27))
    db.execute("CREATE TABLE pairs (n INTEGER NOT NULL, half TEXT NOT NULL)")
    db.close()
    return path


def test_a_backup_taken_during_writes_is_consistent_private_and_whole(
    live_db: Path, tmp_path: Path
) -> None:
    writer = Writer(live_db)
    writer.start()
    try:
        while writer.written < 200:  # the writer is well under way
            writer.join(0.001)
        copies = [tmp_path / f"copy{n}.sqlite3" for n in range(3)]
        for copy in copies:
            assert backup(live_db, copy) > 0
    finally:
        writer.stop.set()
        writer.join()
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert integrity(copy) == "ok"
        assert not copy.with_name(copy.name + "-wal").exists()
        conn = sqlite3.connect(copy)
        halves = dict(conn.execute("SELECT half, COUNT(*) FROM pairs GROUP BY half").fetchall())
        assert halves["a"] == halves["b"] > 0  # never half a transaction
        assert conn.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 200
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()
    counts = [
        sqlite3.connect(c).execute("SELECT COUNT(*) FROM pairs").fetchone()[0] for c in copies
    ]
    assert counts == sorted(counts)
    assert counts[-1] <= 2 * writer.written


def test_the_command_names_the_copy_in_a_folder_and_prints_one_line(
    live_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    assert tool.main([str(folder), "--db", str(live_db)]) == 0
    (made,) = folder.iterdir()
    assert made.name.startswith("bot-")
    assert made.suffix == ".sqlite3"
    out = capsys.readouterr().out
    assert out.startswith(f"backup ok: {made} (")
    assert "integrity ok, mode 0600" in out
    assert out.count("\n") == 1


def test_a_missing_database_fails_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.sqlite3"
    assert tool.main([str(target), "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "backup failed: no database at" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_restore_is_copying_the_backup_over_the_stopped_bots_database(
    live_db: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.sqlite3"
    backup(live_db, saved)
    db = open_database(live_db)
    UserStore(db).forget(7)  # a change after the backup
    db.close()
    # The README's restore steps: stop the bot, remove -wal/-shm, copy the backup into place.
    for extra in ("-wal", "-shm"):
        live_db.with_name(live_db.name + extra).unlink(missing_ok=True)
    live_db.write_bytes(saved.read_bytes())
    restored = open_database(live_db)
    assert UserStore(restored).get(7) is not None
    assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restored.close()


def test_backups_older_than_the_kept_days_are_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A person's /forget reaches the backups: they expire (30 days unless told otherwise)."""
    import os
    import time

    from storage.db import open_database

    db_path = tmp_path / "bot.sqlite3"
    open_database(db_path).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    old, recent = folder / "bot-20260101-000000.sqlite3", folder / "bot-20261201-000000.sqlite3"
    for path, days in ((old, 40), (recent, 3)):
        path.write_bytes(b"x")
        stamp = time.time() - days * 86_400
        os.utime(path, (stamp, stamp))
    assert tool.main([str(folder), "--db", str(db_path)]) == 0
    assert "1 older than 30 days deleted" in capsys.readouterr().out
    assert not old.exists()
    assert recent.exists()
