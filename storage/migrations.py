"""The schema, declared as numbered sqlite-utils migrations (applied once each, recorded).

Never change a migration that has shipped: add a new numbered one. Every table that holds
anything about a user references `users(user_id)` with ON DELETE CASCADE, so that deleting the
user row (/forget) erases everything at once.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core.tzrules import rules_version

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


@MIGRATIONS(name="0005_reminders")
def m0005_reminders(db: Database) -> None:
    """Reminders the user confirmed, their pending alerts, and the log of alerts handled.

    Every time is UTC (ISO 8601, to the second) beside the event's IANA time zone. `person` is
    only a first name or nickname the user chose to give (NULL: the user themself); `label` is
    the user's short name for an "other" event. `reminder_alerts` holds only alerts still to
    come (the sweep deletes each as it settles it), indexed by due time; `alert_log` has one row
    per alert ever settled, unique per reminder and alert key, so no alert is sent twice.
    A reminder is deleted after `expires_at` (30 days after the event) unless the user keeps it.
    """
    db.execute(
        """
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            label TEXT,
            person TEXT,
            event_at TEXT NOT NULL,
            timezone TEXT NOT NULL,
            has_time INTEGER NOT NULL DEFAULT 1,
            court_id TEXT,
            basis_date TEXT,
            weekly INTEGER NOT NULL DEFAULT 0,
            keep INTEGER NOT NULL DEFAULT 0,
            stopped INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 1,
            expires_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX reminders_user ON reminders (user_id, event_at)")
    db.execute(
        "CREATE INDEX reminders_expires ON reminders (expires_at) WHERE expires_at IS NOT NULL"
    )
    # Staff announcements to "users with a reminder at this court" (storage/announcements.py).
    db.execute("CREATE INDEX reminders_court ON reminders (court_id) WHERE court_id IS NOT NULL")
    db.execute(
        """
        CREATE TABLE reminder_alerts (
            id INTEGER PRIMARY KEY,
            reminder_id INTEGER NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            revision INTEGER NOT NULL,
            due_at TEXT NOT NULL,
            UNIQUE (reminder_id, kind, revision)
        )
        """
    )
    db.execute("CREATE INDEX reminder_alerts_due ON reminder_alerts (due_at)")
    db.execute("CREATE INDEX reminder_alerts_user ON reminder_alerts (user_id)")
    db.execute(
        """
        CREATE TABLE alert_log (
            id INTEGER PRIMARY KEY,
            reminder_id INTEGER NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
            alert_key TEXT NOT NULL,
            due_at TEXT NOT NULL,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('queued', 'missed', 'superseded', 'blocked')),
            settled_at TEXT NOT NULL,
            UNIQUE (reminder_id, alert_key)
        )
        """
    )
    db.execute("CREATE INDEX alert_log_user ON alert_log (user_id)")


# ---- 0006: announcements (the staff feature adds its migration below this line) ----


@MIGRATIONS(name="0006_announcements")
def m0006_announcements(db: Database) -> None:
    """Staff announcements: the texts (per language), the optional link button, the audience,
    when they go, and the staff message that shows their progress.

    Nothing about a recipient is kept here: who gets it is in the outbox (one row per user,
    ref "announcement:<id>", cascading with the user). `staff_id` is the staff member's id
    (staff consented to it, as for the audit log). `shown` is the progress text last shown,
    so that an unchanged report is never edited again.
    """
    db.execute(
        """
        CREATE TABLE announcements (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            staff_id INTEGER NOT NULL,
            texts TEXT NOT NULL,
            button TEXT,
            audience TEXT NOT NULL,
            recipients INTEGER NOT NULL DEFAULT 0,
            due_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'scheduled'
                CHECK (status IN ('scheduled', 'sending', 'done')),
            cancelled_at TEXT,
            started_at TEXT,
            finished_at TEXT,
            report_chat_id INTEGER,
            report_message_id INTEGER,
            shown TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX announcements_status ON announcements (status, due_at)")


# ---- 0007: health (the operations heartbeat; nothing about any user) ----


@MIGRATIONS(name="0007_health")
def m0007_health(db: Database) -> None:
    """The bot's heartbeat: one row, rewritten every half minute, read by tools/health.py.

    `polled_at` is when getUpdates last succeeded (NULL in webhook mode or before the first).
    """
    db.execute(
        """
        CREATE TABLE heartbeat (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            beat_at TEXT NOT NULL,
            polled_at TEXT,
            mode TEXT NOT NULL CHECK (mode IN ('polling', 'webhook')),
            version TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at TEXT NOT NULL
        )
        """
    )


# ---- 0008: reminders keep the wall-clock time people were given ----


@MIGRATIONS(name="0008_reminder_wall_clock")
def m0008_reminder_wall_clock(db: Database) -> None:
    """Reminders store the local date and time people typed, and the tz rules edition used.

    `local_date` (YYYY-MM-DD) and `local_time` (HH:MM:SS, NULL for an all-day deadline) in
    `timezone` are what the person was given; `event_at` (UTC) is derived from them with the
    rules of `tz_rules` (core/tzrules.py), and derived again with the pending alerts when the
    rules change. Today's rows are carried over with the rules in force now.
    """
    db.execute("ALTER TABLE reminders ADD COLUMN local_date TEXT")
    db.execute("ALTER TABLE reminders ADD COLUMN local_time TEXT")
    db.execute("ALTER TABLE reminders ADD COLUMN tz_rules TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE reminders SET tz_rules = ?", [rules_version()])
    rows = list(db.query("SELECT id, event_at, timezone, has_time FROM reminders"))
    for row in rows:
        local = datetime.fromisoformat(row["event_at"]).astimezone(ZoneInfo(row["timezone"]))
        db.execute(
            "UPDATE reminders SET local_date = ?, local_time = ? WHERE id = ?",
            [
                local.date().isoformat(),
                local.time().replace(tzinfo=None).isoformat() if row["has_time"] else None,
                row["id"],
            ],
        )


# ---- 0009: announcements are queued in batches, off the event loop ----


@MIGRATIONS(name="0009_announcement_queueing")
def m0009_announcement_queueing(db: Database) -> None:
    """`queued` is 0 while an announcement's recipients are being written to the outbox (in
    batches, by a worker thread: storage/announcements.py `queue_recipients`) and 1 once they
    all are; a start-up finds any left at 0 by a crash and finishes them."""
    db.execute("ALTER TABLE announcements ADD COLUMN queued INTEGER NOT NULL DEFAULT 1")


# ---- 0010: which of a time the clocks show twice ----


@MIGRATIONS(name="0010_reminder_fold")
def m0010_reminder_fold(db: Database) -> None:
    """`local_fold` is 1 when the person chose the second of a time the clocks show twice (the
    night they go back an hour), 0 otherwise (core.reminders.Draft.fold)."""
    db.execute("ALTER TABLE reminders ADD COLUMN local_fold INTEGER NOT NULL DEFAULT 0")


# ---- 0011: the time zone a staff member scheduled an announcement in ----


@MIGRATIONS(name="0011_announcement_zone")
def m0011_announcement_zone(db: Database) -> None:
    """`zone` is the IANA zone the staff member typed the time in (UTC by default): the report
    shows the time on that clock, and the next draft of the same staff member starts in it."""
    db.execute("ALTER TABLE announcements ADD COLUMN zone TEXT NOT NULL DEFAULT 'UTC'")
