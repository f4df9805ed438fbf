"""The audit log: which staff member did what, when, and to how many users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database


@dataclass(frozen=True)
class AuditEntry:
    """One staff action."""

    at: datetime
    staff_id: int
    action: str
    detail: str
    audience: int | None


class AuditLog:
    """Appends and reads staff actions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self,
        at: datetime,
        staff_id: int,
        action: str,
        detail: str = "",
        audience: int | None = None,
    ) -> None:
        """Append one staff action."""
        self._db.execute(
            "INSERT INTO audit_log (at, staff_id, action, detail, audience) VALUES (?, ?, ?, ?, ?)",
            [at.isoformat(), staff_id, action, detail, audience],
        )

    def recent(self, limit: int = 20) -> list[AuditEntry]:
        """The newest `limit` actions, newest first."""
        rows = self._db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", [limit])
        return [
            AuditEntry(
                at=datetime.fromisoformat(r["at"]),
                staff_id=r["staff_id"],
                action=r["action"],
                detail=r["detail"],
                audience=r["audience"],
            )
            for r in rows
        ]
