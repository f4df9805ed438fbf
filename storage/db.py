"""Opening the database: the file (owner-only permissions), WAL, foreign keys, migrations."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import MIGRATIONS


def open_database(path: Path | str) -> Database:
    """Open (creating if needed) the bot's database at `path` and bring its schema up to date.

    `":memory:"` opens a private in-memory database, for tests.
    """
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    else:
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        if not file.exists():
            # Created with owner-only permissions before SQLite touches it.
            os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(file, check_same_thread=False, isolation_level=None, timeout=10)
    db = Database(conn)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    # Deleted rows are overwritten with zeros, not left in free pages (an erased person's name
    # must not stay readable in the file: /forget, a deleted reminder).
    db.execute("PRAGMA secure_delete = ON")
    MIGRATIONS.apply(db)
    return db


def scrub_log(db: Database) -> None:
    """After an erase: copy the write-ahead log into the database and truncate it to nothing,
    so the erased rows' old pages do not stay readable in the -wal file (with secure_delete,
    the database file's own copies are zeroed). Best effort: a reader holding the log open
    (tools/backup.py) only delays it to the next erase or the next automatic checkpoint."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def applied_migrations(db: Database) -> list[str]:
    """Names of the migrations recorded as applied, in order."""
    return [m.name for m in MIGRATIONS.applied(db)]
