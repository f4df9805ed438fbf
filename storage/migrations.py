"""The schema, declared as numbered sqlite-utils migrations (applied once each, recorded).

Never change a migration that has shipped: add a new numbered one. Every table that holds
anything about a user references `users(user_id)` with ON DELETE CASCADE, so that deleting the
user row (/forget) erases everything at once.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("asylum_bot")


@MIGRATIONS(name="0001_users")
def m0001_users(db: Database) -> None:
    """Users: only the Telegram id, language, first/last seen dates, opt-ins and status.

    `announcements` (staff messages to everyone) is on until the user stops it; `news` (policy
    news digests) is off until the user asks for it.
    """
    db.execute(
        """
        CREATE TABLE users (
            user_id INTEGER PRIMARY KEY,
            language TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            announcements INTEGER NOT NULL DEFAULT 1,
            news INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked'))
        )
        """
    )
    db.execute("CREATE INDEX users_status_language ON users (status, language)")


@MIGRATIONS(name="0002_audit_log")
def m0002_audit_log(db: Database) -> None:
    """Audit log of staff actions (the staff member's id is kept: staff consented to it)."""
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            staff_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            audience INTEGER
        )
        """
    )
    db.execute("CREATE INDEX audit_log_at ON audit_log (at)")


@MIGRATIONS(name="0003_conversations")
def m0003_conversations(db: Database) -> None:
    """The step a user is at in a multi-step conversation, so a restart does not lose it.

    Kept only while the conversation lasts; deleted when it ends, on /cancel, and after a day.
    """
    db.execute(
        """
        CREATE TABLE conversations (
            user_id INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
            flow TEXT NOT NULL,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )


@MIGRATIONS(name="0004_outbox")
def m0004_outbox(db: Database) -> None:
    """The durable outbox: one row per message to one user, written before anything is sent.

    `ref` names what the message is (an announcement, one alert of one reminder); the unique
    (user_id, ref) pair is what makes "never twice to the same user" hold.
    """
    db.execute(
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            priority INTEGER NOT NULL,
            ref TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (
                status IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'cancelled')
            ),
            attempts INTEGER NOT NULL DEFAULT 0,
            due_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            error TEXT,
            UNIQUE (user_id, ref)
        )
        """
    )
    db.execute("CREATE INDEX outbox_due ON outbox (status, priority, due_at, id)")
    db.execute("CREATE INDEX outbox_ref ON outbox (ref, status)")


# ---- 0005: reminders (the reminders feature adds its migration below this line) ----

# ---- 0006: announcements (the staff feature adds its migration below this line) ----
