"""Operations on the database itself: the heartbeat, health probes, online backup, integrity.

The bot writes one heartbeat row (storage migration 0007); tools/health.py reads it, probes
that the database takes writes (a write rolled back), and measures how far the sender lags
behind the outbox. tools/backup.py copies the live database with SQLite's online backup API,
which takes a consistent snapshot while the bot keeps writing (WAL mode). Nothing here reads
or writes anything about a user.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from storage.outbox import Outbox

SQLITE_FULL = 13
SQLITE_READONLY = 8
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

_PROBLEMS = {
    SQLITE_FULL: "database_full",
    SQLITE_READONLY: "database_read_only",
    SQLITE_BUSY: "database_busy",
    SQLITE_LOCKED: "database_locked",
    SQLITE_IOERR: "database_io_error",
    SQLITE_CORRUPT: "database_corrupt",
    SQLITE_CANTOPEN: "database_cannot_open",
    SQLITE_NOTADB: "database_corrupt",
}


def problem(error: BaseException) -> str:
    """A short stable name for a database error, for one-line logs ("database_full", ...)."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _PROBLEMS.get(code & 0xFF, f"database_error_{code & 0xFF}")
    return type(error).__name__


@dataclass(frozen=True)
class Heartbeat:
    """The bot's last sign of life."""

    beat_at: datetime
    polled_at: datetime | None
    mode: str
    version: str
    pid: int
    started_at: datetime


@dataclass(frozen=True)
class OutboxLag:
    """How far the sender is behind: rows waiting, and how long the oldest due one has waited."""

    backlog: int
    oldest_due_seconds: float | None


class HealthStore:
    """Writes and reads the heartbeat; probes writability and the outbox lag."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def beat(self, heartbeat: Heartbeat) -> None:
        """Replace the heartbeat row."""
        self._db.execute(
            """
            INSERT INTO heartbeat (id, beat_at, polled_at, mode, version, pid, started_at)
            VALUES (1, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                beat_at = excluded.beat_at, polled_at = excluded.polled_at,
                mode = excluded.mode, version = excluded.version, pid = excluded.pid,
                started_at = excluded.started_at
            """,
            [
                heartbeat.beat_at.isoformat(),
                heartbeat.polled_at.isoformat() if heartbeat.polled_at else None,
                heartbeat.mode,
                heartbeat.version,
                heartbeat.pid,
                heartbeat.started_at.isoformat(),
            ],
        )

    def last(self) -> Heartbeat | None:
        """The heartbeat row, or None when no bot has written one (or the table is missing)."""
        if not self._db["heartbeat"].exists():
            return None
        rows = list(self._db.query("SELECT * FROM heartbeat WHERE id = 1"))
        if not rows:
            return None
        row = rows[0]
        return Heartbeat(
            beat_at=datetime.fromisoformat(row["beat_at"]),
            polled_at=datetime.fromisoformat(row["polled_at"]) if row["polled_at"] else None,
            mode=row["mode"],
            version=row["version"],
            pid=row["pid"],
            started_at=datetime.fromisoformat(row["started_at"]),
        )

    def probe_write(self) -> None:
        """Take the write lock and write, then roll back; raises sqlite3.Error when it cannot."""
        conn = self._db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE health_probe (x INTEGER)")
            conn.execute("INSERT INTO health_probe (x) VALUES (1)")
        finally:
            conn.execute("ROLLBACK")

    def outbox_lag(self, now: datetime) -> OutboxLag | None:
        """Rows waiting in the outbox and the age of the oldest due one (None: no outbox)."""
        if not self._db["outbox"].exists():
            return None
        row = self._db.execute(
            "SELECT MIN(due_at) FROM outbox WHERE status IN ('pending', 'sending') AND due_at <= ?",
            [now.isoformat()],
        ).fetchone()
        oldest = (now - datetime.fromisoformat(row[0])).total_seconds() if row[0] else None
        return OutboxLag(backlog=Outbox(self._db).backlog(), oldest_due_seconds=oldest)

    def overdue_alert_seconds(self, now: datetime) -> float | None:
        """How long the oldest reminder alert still waiting to be settled has been due (None:
        nothing overdue, or no reminders table). The alert job settles each one within seconds
        of its time: an old one means the job stopped."""
        if not self._db["reminder_alerts"].exists():
            return None
        row = self._db.execute("SELECT MIN(due_at) FROM reminder_alerts").fetchone()
        if not row[0]:
            return None
        late = (now - datetime.fromisoformat(row[0])).total_seconds()
        return late if late > 0 else None


def open_existing(path: Path | str, *, busy_timeout: float = 5.0) -> Database:
    """Open an existing database for checks: never creates the file, never migrates it."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"no database at {file}")
    conn = sqlite3.connect(
        f"file:{file}?mode=rw", uri=True, isolation_level=None, timeout=busy_timeout
    )
    return Database(conn)


def backup(source: Path | str, dest: Path | str) -> int:
    """Copy the live database at `source` to `dest` (owner-only) in one consistent snapshot.

    SQLite's online backup API copies every page inside one read transaction, so writers
    carry on (WAL) and the copy is the database as of one moment. `dest` is written next to
    itself first and renamed into place, so a failed backup never leaves a half file there.
    Returns the number of pages copied.
    """
    target = Path(dest)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    src = sqlite3.connect(f"file:{Path(source)}?mode=rw", uri=True, timeout=10)
    try:
        out = sqlite3.connect(partial)
        try:
            src.backup(out)
            pages = int(out.execute("PRAGMA page_count").fetchone()[0])
            out.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
        finally:
            out.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    os.chmod(partial, 0o600)
    os.replace(partial, target)
    return pages


def integrity(path: Path | str) -> str:
    """SQLite's integrity_check of the file at `path`: "ok", or its first complaint."""
    conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        row = conn.execute("PRAGMA integrity_check").fetchone()
    finally:
        conn.close()
    return str(row[0])
