"""Conversation state: which flow a user is in and its answers so far (JSON), until it ends."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Conversation:
    """One user's unfinished conversation."""

    flow: str
    state: dict[str, Any]
    updated_at: datetime


class ConversationStore:
    """Saves, reads and ends conversations; an old conversation counts as ended."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, user_id: int, now: datetime) -> Conversation | None:
        """The user's conversation, unless there is none or it is older than a day."""
        rows = list(
            self._db.query(
                "SELECT flow, state, updated_at FROM conversations WHERE user_id = ?", [user_id]
            )
        )
        if not rows:
            return None
        updated_at = datetime.fromisoformat(rows[0]["updated_at"])
        if now - updated_at > MAX_AGE:
            self.end(user_id)
            return None
        return Conversation(rows[0]["flow"], json.loads(rows[0]["state"]), updated_at)

    def save(self, user_id: int, flow: str, state: dict[str, Any], now: datetime) -> None:
        """Start or advance the user's conversation."""
        self._db.execute(
            """
            INSERT INTO conversations (user_id, flow, state, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE
            SET flow = excluded.flow, state = excluded.state, updated_at = excluded.updated_at
            """,
            [user_id, flow, json.dumps(state, ensure_ascii=False), now.isoformat()],
        )

    def end(self, user_id: int) -> None:
        """Forget the user's conversation."""
        self._db.execute("DELETE FROM conversations WHERE user_id = ?", [user_id])

    def end_stale(self, now: datetime) -> int:
        """Delete every conversation older than a day; returns how many."""
        cursor = self._db.execute(
            "DELETE FROM conversations WHERE updated_at < ?", [(now - MAX_AGE).isoformat()]
        )
        return int(cursor.rowcount)
