"""Is the bot healthy? One line per check; exit status 0 when every check passes, 1 otherwise.

Run on the bot's machine, from the repository root (cron, a systemd timer, a monitoring agent):
    python tools/health.py [--db PATH] [--max-age SECONDS] [--max-lag SECONDS]
                           [--max-overdue SECONDS]
The database is $BOT_DB_PATH (default data/bot.sqlite3) unless --db is given. Checks:

* polling: the bot wrote its heartbeat less than --max-age seconds ago (default 120; it writes
  every 30 s) and its last successful getUpdates is as recent (in webhook mode: the webhook
  server was running at the last heartbeat);
* database: the database takes a write (made inside a transaction that is rolled back);
* sender: the outbox's oldest due message has waited less than --max-lag seconds (default 600),
  with the number of messages waiting; skipped when the database has no outbox;
* alerts: no reminder alert has been due for more than --max-overdue seconds (default 300)
  without being settled: the alert job runs within seconds of each one, so an older one means
  reminders have stopped (a missed hearing is a removal order).

Nothing personal is printed: times, counts, the pid and the version only.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

from core.clock import Clock, SystemClock  # noqa: E402
from core.settings import DEFAULT_DB_PATH  # noqa: E402
from storage.health import HealthStore, open_existing, problem  # noqa: E402

DEFAULT_MAX_AGE = 120.0
DEFAULT_MAX_LAG = 600.0
DEFAULT_MAX_OVERDUE = 300.0


def _ago(moment: datetime, now: datetime) -> str:
    seconds = max(0.0, (now - moment).total_seconds())
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    return f"{seconds / 3600:.1f} h ago"


def check_polling(store: HealthStore, now: datetime, max_age: float) -> tuple[bool, str]:
    """Whether the bot wrote its heartbeat and got updates within `max_age` seconds."""
    heartbeat = store.last()
    if heartbeat is None:
        return False, "polling: no heartbeat yet (the bot has not run with this database)"
    started = _ago(heartbeat.started_at, now)
    who = f"pid {heartbeat.pid}, version {heartbeat.version}, started {started}"
    beat_age = (now - heartbeat.beat_at).total_seconds()
    if beat_age > max_age:
        beat = _ago(heartbeat.beat_at, now)
        return False, f"polling: heartbeat {beat}: the bot is not running ({who})"
    what = "getUpdates" if heartbeat.mode == "polling" else "webhook server"
    if heartbeat.polled_at is None:
        if (now - heartbeat.started_at).total_seconds() <= max_age:
            return True, f"polling: starting, no {what} answer yet ({who})"
        return False, f"polling: no successful {what} since the start ({who})"
    poll_age = (now - heartbeat.polled_at).total_seconds()
    line = f"{heartbeat.mode}: last {what} {_ago(heartbeat.polled_at, now)} ({who})"
    if poll_age > max_age:
        return False, line + ": Telegram has not answered for too long"
    return True, line


def check_database(store: HealthStore) -> tuple[bool, str]:
    """Whether the database takes a write (rolled back)."""
    try:
        store.probe_write()
    except sqlite3.Error as error:
        return False, f"database: cannot write ({problem(error)})"
    return True, "database: writable"


def check_sender(store: HealthStore, now: datetime, max_lag: float) -> tuple[bool, str]:
    """Whether the outbox's oldest due message has waited less than `max_lag` seconds."""
    lag = store.outbox_lag(now)
    if lag is None:
        return True, "sender: no outbox in this database"
    if lag.oldest_due_seconds is None:
        return True, f"sender: nothing due ({lag.backlog} waiting)"
    line = f"sender: {lag.backlog} waiting, the oldest due one for {lag.oldest_due_seconds:.0f} s"
    if lag.oldest_due_seconds > max_lag:
        return False, line + f" (over {max_lag:.0f} s: the sender is not keeping up)"
    return True, line


def check_alerts(store: HealthStore, now: datetime, max_overdue: float) -> tuple[bool, str]:
    """Whether every reminder alert due more than `max_overdue` seconds ago has been settled."""
    late = store.overdue_alert_seconds(now)
    if late is None:
        return True, "alerts: none overdue"
    line = f"alerts: the oldest unsettled alert has been due for {late:.0f} s"
    if late > max_overdue:
        return False, line + f" (over {max_overdue:.0f} s: the alert job is not running)"
    return True, line


def run_checks(
    db_path: Path,
    max_age: float,
    max_lag: float,
    clock: Clock | None = None,
    max_overdue: float = DEFAULT_MAX_OVERDUE,
) -> tuple[bool, list[str]]:
    """Every check as "ok ..." or "FAIL ..." lines; True when all pass."""
    now = (clock or SystemClock()).now()
    try:
        db = open_existing(db_path)
    except (FileNotFoundError, sqlite3.Error) as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else problem(error)
        return False, [f"FAIL database: cannot open {db_path} ({reason})"]
    try:
        store = HealthStore(db)
        results: list[tuple[bool, str]] = []
        checks: list[Callable[[], tuple[bool, str]]] = [
            lambda: check_polling(store, now, max_age),
            lambda: check_database(store),
            lambda: check_sender(store, now, max_lag),
            lambda: check_alerts(store, now, max_overdue),
        ]
        for check in checks:
            try:
                results.append(check())
            except sqlite3.Error as error:
                results.append((False, f"check failed: {problem(error)}"))
    finally:
        db.close()
    lines = [f"{'ok  ' if ok else 'FAIL'} {text}" for ok, text in results]
    return all(ok for ok, _ in results), lines


def main(argv: list[str] | None = None) -> int:
    """Print one line per check; 0 when healthy, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the database (default: $BOT_DB_PATH)")
    parser.add_argument("--max-age", type=float, default=DEFAULT_MAX_AGE)
    parser.add_argument("--max-lag", type=float, default=DEFAULT_MAX_LAG)
    parser.add_argument("--max-overdue", type=float, default=DEFAULT_MAX_OVERDUE)
    args = parser.parse_args(argv)
    db_path = args.db or Path(os.environ.get("BOT_DB_PATH", "").strip() or DEFAULT_DB_PATH)
    healthy, lines = run_checks(db_path, args.max_age, args.max_lag, max_overdue=args.max_overdue)
    for line in lines:
        print(line)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
