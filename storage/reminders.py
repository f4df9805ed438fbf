"""Reminders, their pending alerts and the alert log (tables of migration 0005_reminders).

SQLite is the source of truth for the schedule: `reminder_alerts` holds only the alerts still
to come, indexed by due time, so the next due time and the due batch are index lookups however
many reminders are stored. The alert path goes one way: `due_alerts` reads a due batch and what
each alert comes to; the caller (handlers/alerts_job.py) composes the messages to send; `record`
settles the batch in one transaction: it logs each alert under its unique (reminder, alert key)
and hands the ones to send to the outbox, so that a process killed at any moment loses nothing
and can never send an alert twice. Storage never calls back into handler code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlite_utils import Database

from core.reminders import (
    Draft,
    Outcome,
    PlannedAlert,
    alert_due_at,
    expires_at,
    is_weekly,
    next_weekly,
    settle_due,
)
from core.tzrules import rules_version
from storage.db import scrub_log
from storage.outbox import Outbox


@dataclass(frozen=True)
class Reminder:
    """One stored reminder: what the user confirmed, and its state."""

    id: int
    user_id: int
    draft: Draft
    keep: bool
    stopped: bool
    revision: int

    def alert_key(self, alert_kind: str) -> str:
        """The alert's key in the log and in the outbox ref ("d7.1": kind and revision)."""
        return f"{alert_kind}.{self.revision}"

    def outbox_ref(self, alert_kind: str) -> str:
        """The outbox ref of one alert of this reminder."""
        return f"{ref_prefix(self.id)}{self.alert_key(alert_kind)}"


@dataclass(frozen=True)
class LogEntry:
    """One settled alert."""

    alert_key: str
    due_at: datetime
    outcome: Outcome
    settled_at: datetime


@dataclass
class SettleReport:
    """What one sweep did: counts per outcome, and the refs handed to the outbox."""

    counts: dict[Outcome, int] = field(default_factory=dict)
    queued_refs: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Alerts settled."""
        return sum(self.counts.values())

    def add(self, other: SettleReport) -> None:
        """Fold another batch's report into this one."""
        for outcome, n in other.counts.items():
            self.counts[outcome] = self.counts.get(outcome, 0) + n
        self.queued_refs.extend(other.queued_refs)


@dataclass(frozen=True)
class DueAlert:
    """One due alert as read: its reminder, the owner's language, and what it comes to."""

    reminder: Reminder
    language: str
    kind: str
    due_at: str  # as stored (UTC, to the second)
    outcome: Outcome

    @property
    def ref(self) -> str:
        """Its outbox ref."""
        return self.reminder.outbox_ref(self.kind)


@dataclass(frozen=True)
class DueBatch:
    """Due alerts read in one go: every row read (to delete once settled), the alerts of
    reminders' current revisions, and the reminders whose weekly check came due."""

    row_ids: tuple[int, ...] = ()
    alerts: tuple[DueAlert, ...] = ()
    weekly: tuple[Reminder, ...] = ()


def ref_prefix(reminder_id: int) -> str:
    """The outbox ref prefix of every alert of a reminder ("alert:12:")."""
    return f"alert:{reminder_id}:"


def stamp(moment: datetime) -> str:
    """A UTC instant as stored: ISO 8601 to the second, "+00:00"."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _reminder(row: dict[str, Any]) -> Reminder:
    """A stored row as a `Reminder`: the date and time are the wall-clock ones people gave."""
    at = time.fromisoformat(row["local_time"]) if row["local_time"] else None
    draft = Draft(
        kind=row["kind"],
        day=date.fromisoformat(row["local_date"]),
        at=at,
        zone=row["timezone"],
        court_id=row["court_id"],
        label=row["label"],
        person=row["person"],
        basis=date.fromisoformat(row["basis_date"]) if row["basis_date"] else None,
        weekly=bool(row["weekly"]),
        fold=int(row["local_fold"]),
    )
    return Reminder(
        id=row["id"],
        user_id=row["user_id"],
        draft=draft,
        keep=bool(row["keep"]),
        stopped=bool(row["stopped"]),
        revision=row["revision"],
    )


_INSERT = """
    INSERT INTO reminders (user_id, kind, label, person, event_at, timezone, has_time, court_id,
        basis_date, weekly, local_date, local_time, tz_rules, local_fold, expires_at, created_at,
        updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def _draft_columns(draft: Draft) -> list[Any]:
    """kind, label, person, event_at, timezone, has_time, court_id, basis_date, weekly,
    local_date, local_time, tz_rules, local_fold: the wall-clock date and time, and the UTC instant
    derived from them with today's tz rules."""
    return [
        draft.kind,
        draft.label,
        draft.person,
        stamp(draft.starts_at),
        draft.zone,
        int(draft.at is not None),
        draft.court_id,
        draft.basis.isoformat() if draft.basis else None,
        int(draft.weekly),
        draft.day.isoformat(),
        draft.at.isoformat() if draft.at else None,
        rules_version(),
        draft.fold,
    ]


def _values(user_id: int, draft: Draft, now: datetime) -> list[Any]:
    return [
        user_id,
        *_draft_columns(draft),
        stamp(expires_at(draft)),
        stamp(now),
        stamp(now),
    ]


_COLUMNS = (
    "r.id, r.user_id, r.kind, r.label, r.person, r.event_at, r.timezone, r.has_time, "
    "r.court_id, r.basis_date, r.weekly, r.keep, r.stopped, r.revision, r.local_date, "
    "r.local_time, r.local_fold"
)


class ReminderStore:
    """Reads and writes reminders and their alerts; callers get `Reminder` values."""

    def __init__(self, db: Database, outbox: Outbox | None = None) -> None:
        self._db = db
        self._outbox = outbox or Outbox(db)

    # --- one user's reminders ----------------------------------------------------------------

    def add(
        self,
        user_id: int,
        draft: Draft,
        alerts: Iterable[PlannedAlert],
        now: datetime,
        *,
        end_conversation: bool = False,
    ) -> Reminder:
        """Store a confirmed reminder and its alerts; with `end_conversation`, the form that
        made it ends in the same transaction (a crash between the two would leave the form's
        Save button live, and a second press would store a second reminder)."""
        with self._db.atomic():
            cursor = self._db.execute(_INSERT, _values(user_id, draft, now))
            reminder_id = int(cursor.lastrowid or 0)
            self._insert_alerts(reminder_id, user_id, 1, alerts)
            if end_conversation:
                self._end_conversation(user_id)
        found = self.get(user_id, reminder_id)
        assert found is not None
        return found

    def add_many(
        self, items: Iterable[tuple[int, Draft, Iterable[PlannedAlert]]], now: datetime
    ) -> int:
        """Store many confirmed reminders in one transaction (benchmarks, imports)."""
        count = 0
        with self._db.atomic():
            for user_id, draft, alerts in items:
                cursor = self._db.conn.execute(_INSERT, _values(user_id, draft, now))
                self._insert_alerts(int(cursor.lastrowid or 0), user_id, 1, alerts)
                count += 1
        return count

    def replace(
        self,
        user_id: int,
        reminder_id: int,
        draft: Draft,
        alerts: Iterable[PlannedAlert],
        now: datetime,
        *,
        end_conversation: bool = False,
    ) -> Reminder | None:
        """Change a reminder (a new date, time or place): a new revision with new alerts.

        Alerts of the old revision that wait in the outbox are cancelled. With
        `end_conversation`, the form ends in the same transaction (as for `add`).
        """
        current = self.get(user_id, reminder_id)
        if current is None:
            return None
        revision = current.revision + 1
        with self._db.atomic():
            self._db.execute(
                """
                UPDATE reminders SET kind = ?, label = ?, person = ?, event_at = ?, timezone = ?,
                    has_time = ?, court_id = ?, basis_date = ?, weekly = ?, local_date = ?,
                    local_time = ?, tz_rules = ?, local_fold = ?, stopped = 0,
                    revision = ?, expires_at = ?, updated_at = ?
                WHERE id = ? AND user_id = ?
                """,
                [
                    *_draft_columns(draft),
                    revision,
                    None if current.keep else stamp(expires_at(draft)),
                    stamp(now),
                    reminder_id,
                    user_id,
                ],
            )
            self._drop_pending(user_id, reminder_id)
            self._insert_alerts(reminder_id, user_id, revision, alerts)
            if end_conversation:
                self._end_conversation(user_id)
        return self.get(user_id, reminder_id)

    def get(self, user_id: int, reminder_id: int) -> Reminder | None:
        """The user's reminder, or None (also for someone else's id)."""
        rows = list(
            self._db.query(
                f"SELECT {_COLUMNS} FROM reminders r WHERE r.id = ? AND r.user_id = ?",
                [reminder_id, user_id],
            )
        )
        return _reminder(rows[0]) if rows else None

    def list_for(self, user_id: int) -> list[Reminder]:
        """The user's reminders, soonest first."""
        return [
            _reminder(row)
            for row in self._db.query(
                f"SELECT {_COLUMNS} FROM reminders r WHERE r.user_id = ? ORDER BY r.event_at, r.id",
                [user_id],
            )
        ]

    def count_for(self, user_id: int) -> int:
        """How many reminders the user has."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM reminders WHERE user_id = ?", [user_id]
        ).fetchone()
        return int(row[0])

    def delete(self, user_id: int, reminder_id: int) -> bool:
        """Delete the reminder, its alerts and its log, and its alerts' texts in the outbox."""
        with self._db.atomic():
            self._drop_pending(user_id, reminder_id)
            self._purge_outbox(user_id, reminder_id)
            cursor = self._db.execute(
                "DELETE FROM reminders WHERE id = ? AND user_id = ?", [reminder_id, user_id]
            )
        scrub_log(self._db)  # the deleted names and dates leave the -wal file too
        return bool(cursor.rowcount)

    def stop(self, user_id: int, reminder_id: int) -> bool:
        """No more alerts for this reminder (it stays listed until it expires or is deleted)."""
        with self._db.atomic():
            cursor = self._db.execute(
                "UPDATE reminders SET stopped = 1 WHERE id = ? AND user_id = ?",
                [reminder_id, user_id],
            )
            if cursor.rowcount:
                self._drop_pending(user_id, reminder_id)
        return bool(cursor.rowcount)

    def resume(
        self, user_id: int, reminder_id: int, alerts: Iterable[PlannedAlert], now: datetime
    ) -> bool:
        """Alerts again for a stopped reminder (those still ahead)."""
        current = self.get(user_id, reminder_id)
        if current is None:
            return False
        with self._db.atomic():
            self._db.execute(
                "UPDATE reminders SET stopped = 0, updated_at = ? WHERE id = ?",
                [stamp(now), reminder_id],
            )
            self._db.execute("DELETE FROM reminder_alerts WHERE reminder_id = ?", [reminder_id])
            self._insert_alerts(reminder_id, user_id, current.revision, alerts)
        return True

    def set_keep(self, user_id: int, reminder_id: int, keep: bool) -> bool:
        """Keep the reminder after its event (or let it be deleted 30 days after)."""
        current = self.get(user_id, reminder_id)
        if current is None:
            return False
        self._db.execute(
            "UPDATE reminders SET keep = ?, expires_at = ? WHERE id = ?",
            [int(keep), None if keep else stamp(expires_at(current.draft)), reminder_id],
        )
        return True

    def set_weekly(
        self, user_id: int, reminder_id: int, weekly: bool, first: PlannedAlert | None
    ) -> bool:
        """Turn the weekly date check on (with its first alert) or off."""
        current = self.get(user_id, reminder_id)
        if current is None:
            return False
        with self._db.atomic():
            self._db.execute(
                "UPDATE reminders SET weekly = ? WHERE id = ?", [int(weekly), reminder_id]
            )
            self._db.execute(
                "DELETE FROM reminder_alerts WHERE reminder_id = ? AND kind LIKE 'wk%'",
                [reminder_id],
            )
            if weekly and first is not None and not current.stopped:
                self._insert_alerts(reminder_id, user_id, current.revision, [first])
        return True

    def replan_for_rules(self, now: datetime) -> int:
        """Derive again the UTC instants and pending alerts of reminders planned with other tz
        rules than today's (a tzdata update, a change in a zone's law): the wall-clock date and
        time people were given stay; what they mean in UTC follows the new rules. Returns how
        many reminders were re-planned. Alerts already settled are not planned again.
        """
        version = rules_version()
        stale = list(
            self._db.query(
                f"SELECT {_COLUMNS}, r.keep FROM reminders r WHERE r.tz_rules != ?", [version]
            )
        )
        with self._db.atomic():
            for row in stale:
                reminder = _reminder(row)
                draft = reminder.draft
                self._db.execute(
                    "UPDATE reminders SET event_at = ?, tz_rules = ?, expires_at = ? WHERE id = ?",
                    [
                        stamp(draft.starts_at),
                        version,
                        None if reminder.keep else stamp(expires_at(draft)),
                        reminder.id,
                    ],
                )
                for alert in self._db.query(
                    "SELECT id, kind FROM reminder_alerts WHERE reminder_id = ?", [reminder.id]
                ):
                    due = alert_due_at(draft, alert["kind"])
                    if due is None:
                        self._db.execute("DELETE FROM reminder_alerts WHERE id = ?", [alert["id"]])
                    else:
                        self._db.execute(
                            "UPDATE reminder_alerts SET due_at = ? WHERE id = ?",
                            [stamp(due), alert["id"]],
                        )
        return len(stale)

    def pending_alerts(self, reminder_id: int) -> list[PlannedAlert]:
        """The reminder's alerts still to come, earliest first."""
        return [
            PlannedAlert(row["kind"], _when(row["due_at"]))
            for row in self._db.query(
                "SELECT kind, due_at FROM reminder_alerts WHERE reminder_id = ? "
                "ORDER BY due_at, kind",
                [reminder_id],
            )
        ]

    def log(self, reminder_id: int) -> list[LogEntry]:
        """Every settled alert of a reminder, in the order they were settled."""
        return [
            LogEntry(
                row["alert_key"],
                _when(row["due_at"]),
                Outcome(row["outcome"]),
                _when(row["settled_at"]),
            )
            for row in self._db.query(
                "SELECT alert_key, due_at, outcome, settled_at FROM alert_log "
                "WHERE reminder_id = ? ORDER BY id",
                [reminder_id],
            )
        ]

    # --- the schedule ------------------------------------------------------------------------

    def next_due_at(self) -> datetime | None:
        """When the earliest pending alert comes due (an index lookup)."""
        row = self._db.execute("SELECT MIN(due_at) FROM reminder_alerts").fetchone()
        return _when(row[0]) if row and row[0] else None

    def due_alerts(self, now: datetime, limit: int) -> DueBatch:
        """Read up to `limit` due alerts and what each comes to (`core.reminders.settle_due`:
        send, missed, blocked); nothing is written. The caller composes the messages to send
        and hands them to `record`."""
        due = list(
            self._db.query(
                "SELECT id, reminder_id, kind, revision, due_at FROM reminder_alerts "
                "WHERE due_at <= ? ORDER BY due_at, id LIMIT ?",
                [stamp(now), limit],
            )
        )
        if not due:
            return DueBatch()
        owners = self._owners({row["reminder_id"] for row in due})
        by_reminder: dict[int, list[dict[str, Any]]] = {}
        for row in due:
            by_reminder.setdefault(row["reminder_id"], []).append(row)
        alerts: list[DueAlert] = []
        weekly: list[Reminder] = []
        for reminder_id, rows in by_reminder.items():
            if reminder_id not in owners:
                continue  # deleted meanwhile: its alerts went with it
            reminder, language, active = owners[reminder_id]
            current = [r for r in rows if r["revision"] == reminder.revision]
            sendable = active and not reminder.stopped
            outcomes = settle_due(
                [(r["kind"], _when(r["due_at"])) for r in current],
                reminder.draft.ends_at,
                now,
                sendable,
            )
            alerts += [
                DueAlert(reminder, language, r["kind"], r["due_at"], outcomes[r["kind"]])
                for r in current
            ]
            if any(is_weekly(r["kind"]) for r in current) and reminder.draft.weekly and sendable:
                weekly.append(reminder)
        return DueBatch(tuple(row["id"] for row in due), tuple(alerts), tuple(weekly))

    def record(
        self, batch: DueBatch, messages: Mapping[str, dict[str, Any]], now: datetime
    ) -> SettleReport:
        """Settle a batch read by `due_alerts`, in one transaction: log each alert once under
        its (reminder, alert key), queue the ones to send with their message from `messages`
        (by outbox ref), plan the next weekly check, and delete the batch's rows. An alert whose
        reminder changed or went since it was read is left to the next sweep."""
        report = SettleReport()
        if not batch.row_ids:
            return report
        with self._db.atomic():
            still = self._revisions({a.reminder.id for a in batch.alerts})
            for alert in batch.alerts:
                if still.get(alert.reminder.id) != alert.reminder.revision:
                    continue  # changed or deleted in between: its new alerts stand
                if not self._log(alert.reminder, alert.kind, alert.due_at, alert.outcome, now):
                    continue  # settled before: never twice
                report.counts[alert.outcome] = report.counts.get(alert.outcome, 0) + 1
                if alert.outcome is Outcome.SEND:
                    payload = messages[alert.ref]
                    user_id = alert.reminder.user_id
                    if self._outbox.enqueue(user_id, "alert", alert.ref, payload, now):
                        report.queued_refs.append(alert.ref)
            for reminder in batch.weekly:
                following = next_weekly(reminder.draft, now)
                if following is not None and still.get(reminder.id) == reminder.revision:
                    self._insert_alerts(
                        reminder.id, reminder.user_id, reminder.revision, [following]
                    )
            marks = ",".join("?" * len(batch.row_ids))
            self._db.execute(
                f"DELETE FROM reminder_alerts WHERE id IN ({marks})", list(batch.row_ids)
            )  # a reminder changed in between had its rows replaced: these ids are the old ones
        return report

    def delete_expired(self, now: datetime) -> int:
        """Delete reminders 30 days after their event unless kept; returns how many."""
        with self._db.atomic():
            expired = [
                (row["id"], row["user_id"])
                for row in self._db.query(
                    "SELECT id, user_id FROM reminders "
                    "WHERE expires_at IS NOT NULL AND expires_at <= ?",
                    [stamp(now)],
                )
            ]
            for reminder_id, user_id in expired:
                self._purge_outbox(user_id, reminder_id)
                self._db.execute("DELETE FROM reminders WHERE id = ?", [reminder_id])
        return len(expired)

    def due_times(self, limit: int) -> list[datetime]:
        """The next `limit` due times, earliest first (health checks and benchmarks)."""
        return [
            _when(row[0])
            for row in self._db.execute(
                "SELECT due_at FROM reminder_alerts ORDER BY due_at LIMIT ?", [limit]
            ).fetchall()
        ]

    def pending_count(self) -> int:
        """How many alerts wait to come due (for health checks and the benchmark)."""
        return int(self._db.execute("SELECT COUNT(*) FROM reminder_alerts").fetchone()[0])

    # --- helpers -----------------------------------------------------------------------------

    def _owners(self, reminder_ids: set[int]) -> dict[int, tuple[Reminder, str, bool]]:
        marks = ",".join("?" * len(reminder_ids))
        rows = self._db.query(
            f"SELECT {_COLUMNS}, u.language, u.status FROM reminders r "
            f"JOIN users u ON u.user_id = r.user_id WHERE r.id IN ({marks})",
            sorted(reminder_ids),
        )
        return {
            row["id"]: (_reminder(row), row["language"], row["status"] == "active") for row in rows
        }

    def _revisions(self, reminder_ids: set[int]) -> dict[int, int]:
        if not reminder_ids:
            return {}
        marks = ",".join("?" * len(reminder_ids))
        rows = self._db.execute(
            f"SELECT id, revision FROM reminders WHERE id IN ({marks})", sorted(reminder_ids)
        ).fetchall()
        return {row[0]: row[1] for row in rows}

    def _log(
        self, reminder: Reminder, kind: str, due_at: str, outcome: Outcome, now: datetime
    ) -> bool:
        cursor = self._db.execute(
            """
            INSERT OR IGNORE INTO alert_log
                (reminder_id, user_id, alert_key, due_at, outcome, settled_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                reminder.id,
                reminder.user_id,
                reminder.alert_key(kind),
                due_at,
                outcome.value,
                stamp(now),
            ],
        )
        return bool(cursor.rowcount)

    def _insert_alerts(
        self, reminder_id: int, user_id: int, revision: int, alerts: Iterable[PlannedAlert]
    ) -> None:
        self._db.conn.executemany(
            "INSERT OR IGNORE INTO reminder_alerts (reminder_id, user_id, kind, revision, due_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(reminder_id, user_id, a.kind, revision, stamp(a.due_at)) for a in alerts],
        )

    def _drop_pending(self, user_id: int, reminder_id: int) -> None:
        """Forget the reminder's alerts still to come, and cancel those waiting in the outbox."""
        self._db.execute(
            "DELETE FROM reminder_alerts WHERE reminder_id = ? AND user_id = ?",
            [reminder_id, user_id],
        )
        self._outbox.cancel_for_user(user_id, ref_prefix(reminder_id))

    def _end_conversation(self, user_id: int) -> None:
        self._db.execute("DELETE FROM conversations WHERE user_id = ?", [user_id])

    def _purge_outbox(self, user_id: int, reminder_id: int) -> None:
        """Delete the texts of a deleted reminder's alerts (they name its date and place), sent
        or not; a row the sender has claimed is skipped when its turn comes (delivery/sender.py:
        `still_claimed`), so only a message already on the wire can still arrive."""
        prefix = ref_prefix(reminder_id)
        self._db.execute(
            "DELETE FROM outbox WHERE user_id = ? AND ref >= ? AND ref < ?",
            [user_id, prefix, prefix[:-1] + ";"],
        )
