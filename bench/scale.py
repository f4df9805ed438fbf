"""Scale benchmark: start-up time and memory of `python bot.py` with 10k, 100k and 1M users.

Run from the repository root:  python -m bench.scale [--sizes 10000 100000 1000000]

For each size a database is generated with SQL (migrations applied first, then one
transaction): N users (1 in 50 blocked); if the reminders tables exist, N reminders (hearings
40 to 400 days ahead) with their pending alerts; if the outbox exists, N sent rows of one past
announcement (what a broadcast to everyone leaves behind). Generated databases are kept for a
week under --data-dir (the 1M one takes about a minute to make) and copied for each run.
Then `python bot.py` is started on a copy against the emulator (this process). Measured: the
time from starting the process to its first getUpdates; its resident memory (VmRSS) then;
and again after PEOPLE people (half of them in the database, with a reminder, half newcomers)
went through the load benchmark's session once (about 720 updates). The bot runs with
Telegram's 30 messages/s lifted (bench/nolimit.py): this measures memory, not pace.
Goals: memory that does not grow with N (nothing loads all users), start-up under 2 s at 1M.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlite_utils import Database

from bench.botproc import ROOT, machine, snapshot_content, start_bot
from bench.load import (
    REPLY_TIMEOUT,
    MeasuringEmulator,
    Person_,
    _live,
    session_steps,
)
from core.clock import SystemClock
from storage.db import open_database
from storage.migrations import MIGRATIONS

START_TIMEOUT = 60.0
PEOPLE = 40  # people acting after start-up: half known to the database, half newcomers
PACE = 0.07  # bench.load's think times x this: about 0.5 s between one person's actions
GOAL_START_SECONDS = 2.0
CHUNK = 50_000
WEEK = 7 * 24 * 3600


@dataclass
class ScaleResult:
    """The figures for one database size."""

    users: int
    reminders: int
    outbox_rows: int
    db_mib: float
    generate_seconds: float
    start_seconds: float
    rss_start_mib: float
    rss_after_mib: float
    updates: int
    unanswered: int

    def line(self) -> str:
        """One line of the report."""
        return (
            f"{self.users:>9,} users, {self.reminders:>9,} reminders, {self.outbox_rows:>9,} "
            f"outbox rows ({self.db_mib:.0f} MiB, generated in {self.generate_seconds:.0f} s): "
            f"start {self.start_seconds:.2f} s, RSS {self.rss_start_mib:.1f} MiB at start, "
            f"{self.rss_after_mib:.1f} MiB after {self.updates} updates "
            f"(unanswered {self.unanswered})"
        )


def _chunks(total: int) -> Iterator[range]:
    for start in range(0, total, CHUNK):
        yield range(start, min(total, start + CHUNK))


def generate(path: Path, users: int, seed: int = 7) -> tuple[int, int]:
    """Create the database at `path` with `users` users (and reminders, outbox rows)."""
    open_database(path).close()
    now = SystemClock().now()  # the bot reads the same clock: no alert is due at its start
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")  # one big write, no copy through the WAL
    conn.execute("PRAGMA synchronous = OFF")  # a throwaway file: no fsync
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB: random index inserts stay in memory
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    day = now.date()
    conn.execute("BEGIN")
    for chunk in _chunks(users):
        conn.executemany(
            "INSERT INTO users (user_id, language, first_seen, last_seen, status) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                (
                    uid + 1,
                    "ru" if uid % 10 < 7 else ("en" if uid % 10 < 9 else "uk"),
                    (day - timedelta(days=uid % 700)).isoformat(),
                    (day - timedelta(days=uid % 90)).isoformat(),
                    "blocked" if uid % 50 == 0 else "active",
                )
                for uid in chunk
            ),
        )
    reminders = 0
    if {"reminders", "reminder_alerts"} <= tables:
        created = now.isoformat()
        for chunk in _chunks(users):
            rows = []
            alerts = []
            for uid in chunk:
                event = now + timedelta(hours=rng.randint(24 * 40, 24 * 400))
                rows.append(
                    (
                        uid + 1,
                        uid + 1,
                        ("master", "individual", "checkin", "interview")[uid % 4],
                        event.isoformat(),
                        "America/New_York",
                        (event + timedelta(days=30)).isoformat(),
                        created,
                        created,
                    )
                )
                for kind, before in (("d7", 7), ("d1", 1), ("d0", 0)):
                    due = event - timedelta(days=before, hours=3)
                    if due > now:
                        alerts.append((uid + 1, uid + 1, kind, 1, due.isoformat()))
            conn.executemany(
                "INSERT INTO reminders (id, user_id, kind, event_at, timezone, expires_at, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.executemany(
                "INSERT INTO reminder_alerts (reminder_id, user_id, kind, revision, due_at) "
                "VALUES (?, ?, ?, ?, ?)",
                alerts,
            )
        reminders = users
    outbox = 0
    if "outbox" in tables:
        stamp = (now - timedelta(days=3)).isoformat()
        for chunk in _chunks(users):
            conn.executemany(
                "INSERT INTO outbox (user_id, kind, priority, ref, payload, status, attempts, "
                "due_at, created_at, sent_at) VALUES (?, 'announcement', 1, 'ann:1', "
                "'{\"announcement\": 1}', 'sent', 1, ?, ?, ?)",
                ((uid + 1, stamp, stamp, stamp) for uid in chunk),
            )
        outbox = users
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")  # as the bot leaves it
    conn.close()
    return reminders, outbox


def cached(data_dir: Path, target: Path, users: int, seed: int) -> tuple[int, int]:
    """Copy a generated database to `target`, generating it first unless a recent one exists.

    The cache is keyed by size, seed and the schema (the migrations' names); it is used for a
    week (every alert is due at least 40 days after generation, so none comes due meanwhile).
    """
    names = [m.name for m in MIGRATIONS.pending(Database(memory=True))]
    schema = hashlib.sha1("|".join(names).encode()).hexdigest()[:10]
    data_dir.mkdir(parents=True, exist_ok=True)
    source = data_dir / f"scale-{users}-{seed}-{schema}.sqlite3"
    counts = source.with_suffix(".json")
    fresh = source.exists() and counts.exists() and time.time() - source.stat().st_mtime < WEEK
    if not fresh:
        for stale in data_dir.glob(f"scale-{users}-*"):
            stale.unlink()
        reminders, outbox = generate(source, users, seed)
        counts.write_text(json.dumps([reminders, outbox]))
    shutil.copyfile(source, target)
    reminders, outbox = json.loads(counts.read_text())
    return int(reminders), int(outbox)


async def measure(users: int, seed: int, data_dir: Path) -> ScaleResult:
    """Generate a database of `users` users, start the bot on it, measure."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        db_path = workdir / "bot.sqlite3"
        began = time.perf_counter()
        reminders, outbox = await asyncio.to_thread(cached, data_dir, db_path, users, seed)
        generated = time.perf_counter() - began
        db_mib = db_path.stat().st_size / 1024 / 1024
        emu = MeasuringEmulator()
        await emu.start()
        emu.set_limits(global_rate_per_second=math.inf, chat_rate_per_second=math.inf)
        content = snapshot_content(workdir)
        started = time.perf_counter()
        process = start_bot(
            "bot.py",
            emu.base_url,
            db_path,
            content_dir=content,
            wrapper=(str(ROOT / "bench" / "nolimit.py"),),  # memory, not Telegram's pace
        )
        try:
            await emu.wait_for_request("getUpdates", timeout=START_TIMEOUT)
            start_seconds = time.perf_counter() - started
            await asyncio.sleep(2.0)
            rss_start = process.rss()
            people = []
            for n in range(PEOPLE):
                uid = 1 + n * max(1, users // PEOPLE) if n % 2 == 0 else 900_000_000 + n
                lang = "ru" if n % 3 else "en"
                user = emu.user(uid, f"S{n}", language_code=lang)
                people.append(Person_(user, lang, random.Random(seed + n)))
            steps = session_steps()
            emu.latency_ms.clear()
            stop_at = time.monotonic() + 2 * PACE * sum(s.think for s in steps) + REPLY_TIMEOUT
            await asyncio.gather(
                *(
                    _live(emu, p, steps, PACE, p.rng.uniform(0, 2), stop_at, False, once=True)
                    for p in people
                )
            )
            await asyncio.sleep(1.0)
            rss_after = process.rss()
            return ScaleResult(
                users=users,
                reminders=reminders,
                outbox_rows=outbox,
                db_mib=db_mib,
                generate_seconds=generated,
                start_seconds=start_seconds,
                rss_start_mib=rss_start,
                rss_after_mib=rss_after,
                updates=len(emu.latency_ms),
                unanswered=sum(p.unanswered for p in people),
            )
        finally:
            await asyncio.to_thread(process.stop)
            await emu.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


async def main_async(sizes: list[int], seed: int, data_dir: Path) -> int:
    """Measure every size and print the report."""
    print(f"machine: {machine()}")
    results = []
    for size in sizes:
        result = await measure(size, seed, data_dir)
        results.append(result)
        print(result.line(), flush=True)
    print()
    print("| Users | Reminders | DB MiB | Start s | RSS at start MiB | RSS after updates MiB |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.users:,} | {r.reminders:,} | {r.db_mib:.0f} | {r.start_seconds:.2f} | "
            f"{r.rss_start_mib:.1f} | {r.rss_after_mib:.1f} |"
        )
    largest = max(results, key=lambda r: r.users)
    smallest = min(results, key=lambda r: r.users)
    growth = largest.rss_after_mib - smallest.rss_after_mib
    start_ok = largest.start_seconds < GOAL_START_SECONDS
    print(
        f"goal: start-up under {GOAL_START_SECONDS:.0f} s at {largest.users:,} users: "
        f"{largest.start_seconds:.2f} s: {'met' if start_ok else 'NOT met'}"
    )
    flat = growth < 5.0
    print(
        f"goal: memory flat with users: {smallest.users:,} -> {largest.users:,} users changes RSS "
        f"by {growth:+.1f} MiB: {'met' if flat else 'NOT met'}"
    )
    failed = any(r.unanswered for r in results)
    return 0 if start_ok and flat and not failed else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "bench-scale",
        help="where generated databases are kept for a week (the 1M one takes a minute)",
    )
    args = parser.parse_args(argv)
    return asyncio.run(main_async(args.sizes, args.seed, args.data_dir))


if __name__ == "__main__":
    raise SystemExit(main())
