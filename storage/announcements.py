"""Staff announcements: the announcement rows, their audiences, and queueing them in the outbox.

An announcement is written together with one outbox row per recipient in a single transaction
(`create`), before the sender sends anything. The rows carry only a reference,
{"announcement": id}, which the sender resolves at send time (handlers/broadcast.py `compose`).

Audiences (`Audience.code`): "all" (every active user), "lang:<code>" (one language),
"news" (users who opted in to news), "court:<id>" (users with a reminder at that court).
Every audience is limited to users who are active (not blocked) and have announcements on:
the "🔕 Stop announcements" button stops every staff message, news included.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.outbox import Outbox

REF_PREFIX = "announcement:"


QUEUE_BATCH = 2_000  # recipients per write transaction when queueing an announcement


def queue_recipients(db_path: Path, announcement_id: int, now: datetime) -> int:
    """In a worker thread, with its own connection: write an announcement's outbox rows in
    batches (`AnnouncementStore.fill`); returns how many recipients it has."""
    from storage.db import open_database  # storage.db imports the migrations, not this module

    db = open_database(db_path)
    try:
        return AnnouncementStore(db).fill(announcement_id, now)
    finally:
        db.close()


def ref_of(announcement_id: int) -> str:
    """The outbox ref of an announcement's rows."""
    return f"{REF_PREFIX}{announcement_id}"


@dataclass(frozen=True)
class Audience:
    """Who an announcement is for: kind "all", "lang", "news" or "court", and its value."""

    kind: str
    value: str = ""

    @property
    def code(self) -> str:
        """The stored form: "all", "news", "lang:en", "court:miami"."""
        return f"{self.kind}:{self.value}" if self.value else self.kind

    @staticmethod
    def parse(code: str) -> Audience:
        """The audience stored as `code`."""
        kind, _, value = code.partition(":")
        return Audience(kind, value)


@dataclass(frozen=True)
class Announcement:
    """One announcement: texts per language (HTML), optional link button, audience, state."""

    id: int
    created_at: datetime
    staff_id: int
    texts: dict[str, str]
    button: dict[str, str] | None
    audience: Audience
    recipients: int
    due_at: datetime
    status: str  # scheduled | sending | done
    cancelled_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    report_chat_id: int | None
    report_message_id: int | None
    shown: str
    zone: str = "UTC"  # the clock the staff member scheduled it on

    @property
    def ref(self) -> str:
        """The outbox ref of its rows."""
        return ref_of(self.id)


def _iso(moment: datetime) -> str:
    """UTC to the second, as storage/reminders.py writes its times (so strings compare)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _announcement(row: dict[str, Any]) -> Announcement:
    return Announcement(
        id=row["id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        staff_id=row["staff_id"],
        texts=json.loads(row["texts"]),
        button=json.loads(row["button"]) if row["button"] else None,
        audience=Audience.parse(row["audience"]),
        recipients=row["recipients"],
        due_at=datetime.fromisoformat(row["due_at"]),
        status=row["status"],
        cancelled_at=_when(row["cancelled_at"]),
        started_at=_when(row["started_at"]),
        finished_at=_when(row["finished_at"]),
        report_chat_id=row["report_chat_id"],
        report_message_id=row["report_message_id"],
        shown=row["shown"],
        zone=row.get("zone") or "UTC",
    )


class AnnouncementStore:
    """Reads and writes announcements and finds their recipients."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._outbox = Outbox(db)

    # ---- audiences ---------------------------------------------------------------------------

    def count_by_language(self, audience: Audience, now: datetime) -> dict[str, int]:
        """How many users the audience reaches now, by language (counted in SQL: an audience of
        a million is never loaded)."""
        sql, params = self._audience(audience, now)
        rows = self._db.execute(
            f"SELECT language, COUNT(*) FROM ({sql}) GROUP BY language", params
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def count(self, audience: Audience, now: datetime) -> int:
        """How many users the audience reaches now."""
        return sum(self.count_by_language(audience, now).values())

    def _audience(self, audience: Audience, now: datetime) -> tuple[str, list[Any]]:
        """The SELECT of (user_id, language) of the audience: active users with announcements
        on, narrowed by language, news or a live reminder at a court."""
        sql = (
            "SELECT u.user_id AS user_id, u.language AS language FROM users u "
            "WHERE u.status = 'active' AND u.announcements = 1"
        )
        if audience.kind == "all":
            return sql, []
        if audience.kind == "lang":
            return sql + " AND u.language = ?", [audience.value]
        if audience.kind == "news":
            return sql + " AND u.news = 1", []
        if audience.kind == "court":
            return self._court(sql, audience.value, now)
        raise ValueError(f"unknown audience {audience.code!r}")

    def _court(self, sql: str, court_id: str, now: datetime) -> tuple[str, list[Any]]:
        """Users with a live reminder at the court (nobody while there is no reminders table)."""
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(reminders)").fetchall()}
        if not {"user_id", "court_id"} <= columns:
            return sql + " AND 0", []
        conditions = ["r.court_id = ?"]
        params: list[Any] = [court_id]
        if "stopped" in columns:
            conditions.append("r.stopped = 0")
        if "expires_at" in columns:  # a reminder is kept a while after its event
            conditions.append("(r.expires_at IS NULL OR r.expires_at > ?)")
            params.append(_iso(now))
        where = " AND ".join(conditions)
        return (
            sql
            + f" AND EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = u.user_id AND {where})",
            params,
        )

    # ---- announcements -----------------------------------------------------------------------

    def create(
        self,
        *,
        staff_id: int,
        texts: dict[str, str],
        button: dict[str, str] | None,
        audience: Audience,
        now: datetime,
        due_at: datetime | None = None,
    ) -> Announcement:
        """Write the announcement and one outbox row per recipient, on this connection (tests,
        benchmarks); the bot itself queues the recipients off the event loop (`begin`,
        `queue_recipients` in a worker thread, `finish_queueing`)."""
        announcement = self.begin(
            staff_id=staff_id, texts=texts, button=button, audience=audience, now=now,
            due_at=due_at,
        )  # fmt: skip
        sql, params = self._audience(audience, now)
        count = self._outbox.enqueue_selected(
            "announcement", ref_of(announcement.id), {"announcement": announcement.id},
            (sql, params), now, due_at=announcement.due_at,
        )  # fmt: skip
        return self.finish_queueing(announcement.id, count)

    def begin(
        self,
        *,
        staff_id: int,
        texts: dict[str, str],
        button: dict[str, str] | None,
        audience: Audience,
        now: datetime,
        due_at: datetime | None = None,
        zone: str = "UTC",
    ) -> Announcement:
        """Write the announcement itself, its recipients not yet queued (`queued` = 0); `zone`
        is the clock the staff member typed the time on."""
        due = due_at or now
        now_sending = due <= now
        cursor = self._db.execute(
            "INSERT INTO announcements (created_at, staff_id, texts, button, audience, due_at,"
            " status, started_at, queued, zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            [
                now.isoformat(),
                staff_id,
                json.dumps(texts, ensure_ascii=False),
                json.dumps(button, ensure_ascii=False) if button else None,
                audience.code,
                due.isoformat(),
                "sending" if now_sending else "scheduled",
                now.isoformat() if now_sending else None,
                zone,
            ],
        )
        found = self.get(int(cursor.lastrowid or 0))
        assert found is not None
        return found

    def fill(
        self,
        announcement_id: int,
        now: datetime,
        batch: int = QUEUE_BATCH,
        pause_share: float = 1.0,
    ) -> int:
        """Write one outbox row per recipient, `batch` users per short write transaction.

        The audience's ids are first copied into a temporary table of this connection (one
        read, no lock held on the bot's database afterwards), then written in batches; after
        each batch the write lock stays free as long as the batch held it (SQLite is not fair,
        and the bot's own writes on the event loop must get their turn). Returns how many rows
        the announcement's outbox ref has. Safe to run again after a crash: rows already
        written are kept (one row per user and ref)."""
        announcement = self.get(announcement_id)
        assert announcement is not None
        sql, params = self._audience(announcement.audience, now)
        payload = {"announcement": announcement_id}
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS queue_ids (user_id INTEGER PRIMARY KEY)")
        self._db.execute("DELETE FROM temp.queue_ids")
        self._db.execute(
            f"INSERT OR IGNORE INTO temp.queue_ids SELECT user_id FROM ({sql})", params
        )
        last = -1
        while True:
            ids = [
                row[0]
                for row in self._db.execute(
                    "SELECT user_id FROM temp.queue_ids WHERE user_id > ? ORDER BY user_id LIMIT ?",
                    [last, batch],
                ).fetchall()
            ]
            if not ids:
                break
            started = time.perf_counter()
            self._outbox.enqueue_batch(
                "announcement", ref_of(announcement_id), ids, payload, now, announcement.due_at
            )
            time.sleep(pause_share * (time.perf_counter() - started))
            last = ids[-1]
        self._db.execute("DELETE FROM temp.queue_ids")
        return self._outbox.count(ref_of(announcement_id))

    def finish_queueing(self, announcement_id: int, recipients: int) -> Announcement:
        """Every recipient is in the outbox: record how many."""
        self._db.execute(
            "UPDATE announcements SET recipients = ?, queued = 1 WHERE id = ?",
            [recipients, announcement_id],
        )
        found = self.get(announcement_id)
        assert found is not None
        return found

    def unqueued(self) -> list[int]:
        """Announcements whose recipients a crash left half-queued."""
        return [
            int(row[0]) for row in self._db.execute("SELECT id FROM announcements WHERE queued = 0")
        ]

    def get(self, announcement_id: int) -> Announcement | None:
        """The announcement, or None."""
        rows = list(self._db.query("SELECT * FROM announcements WHERE id = ?", [announcement_id]))
        return _announcement(rows[0]) if rows else None

    def last_zone(self, staff_id: int) -> str:
        """The zone of the staff member's latest announcement, UTC if there is none: a new
        draft starts on the clock they used last."""
        rows = list(
            self._db.query(
                "SELECT zone FROM announcements WHERE staff_id = ? ORDER BY id DESC LIMIT 1",
                [staff_id],
            )
        )
        return str(rows[0]["zone"]) if rows else "UTC"

    def unfinished(self) -> list[Announcement]:
        """Announcements scheduled or being sent, oldest first."""
        return [
            _announcement(r)
            for r in self._db.query(
                "SELECT * FROM announcements WHERE status != 'done' ORDER BY id"
            )
        ]

    def recent(self, limit: int = 5) -> list[Announcement]:
        """The newest `limit` announcements, newest first."""
        return [
            _announcement(r)
            for r in self._db.query("SELECT * FROM announcements ORDER BY id DESC LIMIT ?", [limit])
        ]

    def started(self, announcement_id: int) -> None:
        """Its time has come: it is being sent (since its due time)."""
        self._db.execute(
            "UPDATE announcements SET status = 'sending', started_at = COALESCE(started_at, due_at)"
            " WHERE id = ? AND status = 'scheduled'",
            [announcement_id],
        )

    def finished(self, announcement_id: int, at: datetime) -> None:
        """Nothing is left to send; the last message went at `at`."""
        self._db.execute(
            "UPDATE announcements SET status = 'done', finished_at = ?, "
            "started_at = COALESCE(started_at, due_at) WHERE id = ?",
            [at.isoformat(), announcement_id],
        )

    def cancel(self, announcement_id: int, now: datetime) -> int:
        """Stop it: its unsent outbox rows are cancelled; returns how many."""
        with self._db.atomic():
            self._db.execute(
                "UPDATE announcements SET cancelled_at = COALESCE(cancelled_at, ?) "
                "WHERE id = ? AND status != 'done'",
                [now.isoformat(), announcement_id],
            )
            return self._outbox.cancel(ref_of(announcement_id))

    def set_report(self, announcement_id: int, chat_id: int, message_id: int) -> None:
        """The staff message that shows its progress."""
        self._db.execute(
            "UPDATE announcements SET report_chat_id = ?, report_message_id = ? WHERE id = ?",
            [chat_id, message_id, announcement_id],
        )

    def set_shown(self, announcement_id: int, text: str) -> None:
        """The progress text now on the staff message."""
        self._db.execute("UPDATE announcements SET shown = ? WHERE id = ?", [text, announcement_id])

    def counts(self) -> dict[str, int]:
        """How many announcements there are by status (for /stats)."""
        return {
            str(r[0]): int(r[1])
            for r in self._db.execute(
                "SELECT status, COUNT(*) FROM announcements GROUP BY status"
            ).fetchall()
        }

    def reminder_counts(self, now: datetime) -> tuple[int, int]:
        """(upcoming reminders, alert messages waiting in the outbox), 0 without reminders."""
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(reminders)").fetchall()}
        upcoming = 0
        if "event_at" in columns:
            sql = "SELECT COUNT(*) FROM reminders WHERE event_at >= ?"
            if "stopped" in columns:
                sql += " AND stopped = 0"
            upcoming = int(self._db.execute(sql, [_iso(now)]).fetchone()[0])
        waiting = int(
            self._db.execute(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'alert' "
                "AND status IN ('pending', 'sending')"
            ).fetchone()[0]
        )
        return upcoming, waiting
