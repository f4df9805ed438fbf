"""The outbox: every message to a user that is sent later or in bulk (alerts, announcements).

Rows are written (all of an announcement's in one transaction) before the sender sends any.
A row moves pending → sending → sent (or failed, blocked, cancelled). At start-up, rows left
"sending" by a killed process go back to pending: that one message may reach its user twice,
nothing else can. Alerts have priority 0 and go before announcements (priority 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

PRIORITY = {"alert": 0, "announcement": 1}


@dataclass(frozen=True)
class OutboxItem:
    """One message waiting to be sent to one user."""

    id: int
    user_id: int
    kind: str
    ref: str
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class Progress:
    """How far the messages under one ref have got."""

    sent: int = 0
    failed: int = 0
    blocked: int = 0
    pending: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        """Every message under the ref."""
        return self.sent + self.failed + self.blocked + self.pending + self.cancelled

    @property
    def done(self) -> bool:
        """Nothing is left to send."""
        return self.pending == 0


class Outbox:
    """Writes, claims and settles outbox rows; callers get `OutboxItem` values."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def enqueue(
        self,
        user_id: int,
        kind: str,
        ref: str,
        payload: dict[str, Any],
        now: datetime,
        due_at: datetime | None = None,
    ) -> bool:
        """Queue one message; False when this user already has a message under `ref`."""
        cursor = self._db.execute(
            """
            INSERT OR IGNORE INTO outbox
                (user_id, kind, priority, ref, payload, due_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                user_id,
                kind,
                PRIORITY[kind],
                ref,
                json.dumps(payload, ensure_ascii=False),
                (due_at or now).isoformat(),
                now.isoformat(),
            ],
        )
        return bool(cursor.rowcount)

    def enqueue_many(
        self,
        kind: str,
        ref: str,
        recipients: Iterable[tuple[int, dict[str, Any]]],
        now: datetime,
        due_at: datetime | None = None,
    ) -> int:
        """Queue one message per (user_id, payload) in a single transaction; returns how many."""
        stamp, due = now.isoformat(), (due_at or now).isoformat()
        rows = [
            (
                user_id,
                kind,
                PRIORITY[kind],
                ref,
                json.dumps(payload, ensure_ascii=False),
                due,
                stamp,
            )
            for user_id, payload in recipients
        ]
        with self._db.atomic():
            before = self._count(ref)
            self._db.conn.executemany(
                """
                INSERT OR IGNORE INTO outbox
                    (user_id, kind, priority, ref, payload, due_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                rows,
            )
            return self._count(ref) - before

    def enqueue_batch(
        self,
        kind: str,
        ref: str,
        user_ids: Sequence[int],
        payload: dict[str, Any],
        now: datetime,
        due_at: datetime | None = None,
    ) -> None:
        """Queue the same `payload` for each of `user_ids` in one short write transaction,
        taken at once (BEGIN IMMEDIATE: a transaction that read first could not write after
        another connection's commit). Rows already queued under `ref` are kept."""
        stamp, due = now.isoformat(), (due_at or now).isoformat()
        text = json.dumps(payload, ensure_ascii=False)
        rows = [(user_id, kind, PRIORITY[kind], ref, text, due, stamp) for user_id in user_ids]
        conn = self._db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                """
                INSERT OR IGNORE INTO outbox
                    (user_id, kind, priority, ref, payload, due_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                rows,
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def count(self, ref: str) -> int:
        """Rows under `ref`, whatever their status."""
        return self._count(ref)

    def enqueue_selected(
        self,
        kind: str,
        ref: str,
        payload: dict[str, Any],
        recipients: tuple[str, list[Any]],
        now: datetime,
        due_at: datetime | None = None,
    ) -> int:
        """Queue one message with `payload` for every user_id the SELECT `recipients` (SQL and
        its parameters) returns, in one statement: a million recipients never enter Python."""
        sql, params = recipients
        stamp, due = now.isoformat(), (due_at or now).isoformat()
        constants = [kind, PRIORITY[kind], ref, json.dumps(payload, ensure_ascii=False), due, stamp]
        with self._db.atomic():
            before = self._count(ref)
            self._db.execute(
                f"""
                INSERT OR IGNORE INTO outbox
                    (user_id, kind, priority, ref, payload, due_at, created_at)
                SELECT user_id, ?, ?, ?, ?, ?, ? FROM ({sql})
                """,
                [*constants, *params],
            )
            return self._count(ref) - before

    def claim_due(self, now: datetime, limit: int) -> list[OutboxItem]:
        """Mark up to `limit` due rows as sending (alerts first, oldest first) and return them."""
        with self._db.atomic():
            rows = list(
                self._db.query(
                    """
                    SELECT id, user_id, kind, ref, payload, attempts FROM outbox
                    WHERE status = 'pending' AND due_at <= ?
                    ORDER BY priority, due_at, id
                    LIMIT ?
                    """,
                    [now.isoformat(), limit],
                )
            )
            if rows:
                marks = ",".join("?" * len(rows))
                self._db.execute(
                    f"UPDATE outbox SET status = 'sending' WHERE id IN ({marks})",
                    [r["id"] for r in rows],
                )
        return [
            OutboxItem(
                r["id"], r["user_id"], r["kind"], r["ref"], json.loads(r["payload"]), r["attempts"]
            )
            for r in rows
        ]

    def still_claimed(self, item_id: int) -> bool:
        """Whether a claimed row is still there to send: /forget (the user's rows cascade) or a
        deleted reminder (its alerts' rows) removes it while it waits its turn."""
        row = self._db.execute("SELECT status FROM outbox WHERE id = ?", [item_id]).fetchone()
        return row is not None and row[0] == "sending"

    def next_due_at(self) -> datetime | None:
        """When the earliest pending row comes due (None when nothing is pending)."""
        row = self._db.execute("SELECT MIN(due_at) FROM outbox WHERE status = 'pending'").fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def mark_sent(self, item_id: int, now: datetime) -> None:
        """The message reached Telegram."""
        self._db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?",
            [now.isoformat(), item_id],
        )

    def retry_later(self, item_id: int, due_at: datetime, error: str) -> None:
        """A passing failure (network, 5xx, 429): try again at `due_at`."""
        self._db.execute(
            "UPDATE outbox SET status = 'pending', due_at = ?, error = ?, "
            "attempts = attempts + 1 WHERE id = ?",
            [due_at.isoformat(), error, item_id],
        )

    def release(self, item_id: int, due_at: datetime) -> None:
        """Put a claimed row back untouched (a 429 that was not its fault)."""
        self._db.execute(
            "UPDATE outbox SET status = 'pending', due_at = ? WHERE id = ? AND status = 'sending'",
            [due_at.isoformat(), item_id],
        )

    def mark_failed(self, item_id: int, error: str) -> None:
        """A final failure: never retried."""
        self._db.execute(
            "UPDATE outbox SET status = 'failed', error = ?, attempts = attempts + 1 WHERE id = ?",
            [error, item_id],
        )

    def mark_blocked(self, item_id: int) -> None:
        """The user blocked the bot; the user's other pending rows are dropped too."""
        row = self._db.execute("SELECT user_id FROM outbox WHERE id = ?", [item_id]).fetchone()
        self._db.execute(
            "UPDATE outbox SET status = 'blocked', attempts = attempts + 1 WHERE id = ?", [item_id]
        )
        if row is not None:
            self._db.execute(
                "UPDATE outbox SET status = 'blocked' WHERE user_id = ? AND status = 'pending'",
                [row[0]],
            )

    def mark_skipped(self, item_id: int) -> None:
        """Not to be sent after all (e.g. the user stopped announcements after it was queued)."""
        self._db.execute(
            "UPDATE outbox SET status = 'cancelled' WHERE id = ? AND status = 'sending'", [item_id]
        )

    def recover_in_flight(self) -> int:
        """After a crash: rows left "sending" go back to pending; returns how many."""
        cursor = self._db.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
        return int(cursor.rowcount)

    def cancel(self, ref: str) -> int:
        """Cancel what has not been sent under `ref`; returns how many rows."""
        cursor = self._db.execute(
            "UPDATE outbox SET status = 'cancelled' WHERE ref = ? AND status = 'pending'", [ref]
        )
        return int(cursor.rowcount)

    def cancel_for_user(self, user_id: int, ref_prefix: str) -> int:
        """Cancel a user's pending rows whose ref starts with `ref_prefix` (a deleted reminder)."""
        cursor = self._db.execute(
            "UPDATE outbox SET status = 'cancelled' "
            "WHERE user_id = ? AND status = 'pending' AND ref LIKE ? ESCAPE '\\'",
            [
                user_id,
                ref_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",
            ],
        )
        return int(cursor.rowcount)

    def progress(self, ref: str) -> Progress:
        """Counts by status for `ref` ("sending" counts as pending)."""
        counts = {
            row["status"]: row["n"]
            for row in self._db.query(
                "SELECT status, COUNT(*) AS n FROM outbox WHERE ref = ? GROUP BY status", [ref]
            )
        }
        return Progress(
            sent=counts.get("sent", 0),
            failed=counts.get("failed", 0),
            blocked=counts.get("blocked", 0),
            pending=counts.get("pending", 0) + counts.get("sending", 0),
            cancelled=counts.get("cancelled", 0),
        )

    def last_sent_at(self, ref: str) -> datetime | None:
        """When the last message under `ref` reached Telegram (None if none did)."""
        row = self._db.execute(
            "SELECT MAX(sent_at) FROM outbox WHERE ref = ? AND status = 'sent'", [ref]
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def backlog(self) -> int:
        """How many rows wait to be sent (for health checks)."""
        return int(
            self._db.execute(
                "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
            ).fetchone()[0]
        )

    def _count(self, ref: str) -> int:
        return int(
            self._db.execute("SELECT COUNT(*) FROM outbox WHERE ref = ?", [ref]).fetchone()[0]
        )
