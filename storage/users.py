"""The users table: who uses the bot, in which language, what they opted into, and their status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from storage.db import scrub_log


@dataclass(frozen=True)
class User:
    """Everything the bot keeps about one user."""

    user_id: int
    language: str
    first_seen: date
    last_seen: date
    announcements: bool
    news: bool
    active: bool


@dataclass(frozen=True)
class UserCounts:
    """Aggregate counts for /stats: no individual is ever shown."""

    active_by_language: dict[str, int]
    blocked: int
    new_since: int


def _user(row: dict[str, Any]) -> User:
    return User(
        user_id=row["user_id"],
        language=row["language"],
        first_seen=date.fromisoformat(row["first_seen"]),
        last_seen=date.fromisoformat(row["last_seen"]),
        announcements=bool(row["announcements"]),
        news=bool(row["news"]),
        active=row["status"] == "active",
    )


class UserStore:
    """Reads and writes users; callers get `User` values, never rows."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, user_id: int) -> User | None:
        """The user, or None if the bot keeps nothing about them."""
        rows = list(self._db.query("SELECT * FROM users WHERE user_id = ?", [user_id]))
        return _user(rows[0]) if rows else None

    def seen(self, user_id: int, language: str, today: date) -> User:
        """Record that the user wrote today (creating them with `language` if new); mark active."""
        self._db.execute(
            """
            INSERT INTO users (user_id, language, first_seen, last_seen)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE
            SET last_seen = excluded.last_seen, status = 'active'
            """,
            [user_id, language, today.isoformat(), today.isoformat()],
        )
        user = self.get(user_id)
        assert user is not None
        return user

    def set_language(self, user_id: int, language: str) -> None:
        """Keep the user's chosen interface language."""
        self._db.execute("UPDATE users SET language = ? WHERE user_id = ?", [language, user_id])

    def set_announcements(self, user_id: int, on: bool) -> None:
        """Turn staff announcements on or off for the user."""
        self._db.execute("UPDATE users SET announcements = ? WHERE user_id = ?", [int(on), user_id])

    def set_news(self, user_id: int, on: bool) -> None:
        """Opt the user in to (or out of) policy news."""
        self._db.execute("UPDATE users SET news = ? WHERE user_id = ?", [int(on), user_id])

    def mark_blocked(self, user_id: int) -> None:
        """The user blocked the bot: stop sending to them until they write again."""
        self._db.execute("UPDATE users SET status = 'blocked' WHERE user_id = ?", [user_id])

    def forget(self, user_id: int) -> None:
        """Erase every row about the user (other tables cascade from users), leaving no copy of
        them in the database files (storage/db.py: secure_delete, `scrub_log`)."""
        self._db.execute("DELETE FROM users WHERE user_id = ?", [user_id])
        scrub_log(self._db)

    def counts(self, since: date) -> UserCounts:
        """Active users by language, blocked users, and users first seen on or after `since`."""
        by_language = {
            row["language"]: row["n"]
            for row in self._db.query(
                "SELECT language, COUNT(*) AS n FROM users WHERE status = 'active' "
                "GROUP BY language ORDER BY language"
            )
        }
        blocked = self._scalar("SELECT COUNT(*) FROM users WHERE status = 'blocked'")
        new = self._scalar("SELECT COUNT(*) FROM users WHERE first_seen >= ?", [since.isoformat()])
        return UserCounts(active_by_language=by_language, blocked=blocked, new_since=new)

    def _scalar(self, sql: str, params: list[Any] | None = None) -> int:
        return int(self._db.execute(sql, params or []).fetchone()[0])
