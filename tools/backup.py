"""Back up the live database: a consistent, owner-only copy, checked before it is kept.

Run from the repository root, while the bot runs or not:
    python tools/backup.py DEST [--db PATH] [--keep-days N]
The database is $BOT_DB_PATH (default data/bot.sqlite3) unless --db is given. DEST is a file,
or a folder that gets bot-YYYYMMDD-HHMMSS.sqlite3. The copy is taken with SQLite's online
backup API (one snapshot, while the bot keeps writing), is a single file (no -wal), has
permissions 0600, and passes `PRAGMA integrity_check`; otherwise it is deleted. Prints one
line; exit status 0 on success, 1 on failure. Restoring is described in README.md
("Operations").

Backups hold what the bot keeps about people, including people who later used /forget: so
they expire. When DEST is a folder, every bot-*.sqlite3 in it older than --keep-days (default
30) is deleted after a successful backup, and the line says how many; a person's /forget
therefore reaches the backups within that many days.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

from core.clock import SystemClock  # noqa: E402
from core.settings import DEFAULT_DB_PATH  # noqa: E402
from storage.health import backup, integrity, problem  # noqa: E402


def destination(dest: Path) -> Path:
    """DEST itself, or a time-stamped file inside it when DEST is a folder."""
    if dest.is_dir():
        stamp = SystemClock().now().strftime("%Y%m%d-%H%M%S")
        return dest / f"bot-{stamp}.sqlite3"
    return dest


def run_backup(source: Path, dest: Path) -> tuple[bool, str]:
    """Copy and check; (success, the line to print)."""
    if not source.is_file():
        return False, f"backup failed: no database at {source}"
    target = destination(dest)
    started = time.monotonic()
    try:
        pages = backup(source, target)
    except (sqlite3.Error, OSError) as error:
        reason = problem(error) if isinstance(error, sqlite3.Error) else type(error).__name__
        return False, f"backup failed: {reason}"
    verdict = integrity(target)
    if verdict != "ok":
        target.unlink(missing_ok=True)
        return False, "backup failed: the copy did not pass integrity_check (deleted)"
    size = target.stat().st_size
    return True, (
        f"backup ok: {target} ({pages} pages, {size / 1024 / 1024:.1f} MiB, "
        f"{time.monotonic() - started:.1f} s, integrity ok, mode 0600)"
    )


DEFAULT_KEEP_DAYS = 30


def expire(folder: Path, keep_days: float, now: float | None = None) -> int:
    """Delete the backups (bot-*.sqlite3) in `folder` older than `keep_days`; how many."""
    limit = (time.time() if now is None else now) - keep_days * 86_400
    old = [f for f in folder.glob("bot-*.sqlite3") if f.stat().st_mtime < limit]
    for backup_file in old:
        backup_file.unlink(missing_ok=True)
    return len(old)


def main(argv: list[str] | None = None) -> int:
    """Back up $BOT_DB_PATH (or --db) to DEST."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="the backup file, or a folder for it")
    parser.add_argument("--db", type=Path, help="the database (default: $BOT_DB_PATH)")
    parser.add_argument(
        "--keep-days",
        type=float,
        default=DEFAULT_KEEP_DAYS,
        help="delete backups in DEST older than this many days (default 30)",
    )
    args = parser.parse_args(argv)
    source = args.db or Path(os.environ.get("BOT_DB_PATH", "").strip() or DEFAULT_DB_PATH)
    ok, line = run_backup(source, args.dest)
    if ok and args.dest.is_dir():
        line += f"; {expire(args.dest, args.keep_days)} older than {args.keep_days:g} days deleted"
    print(line, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
