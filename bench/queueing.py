"""Queueing an announcement to everyone, and the event loop meanwhile (issue 13.3).

Run from the repository root:  python -m bench.queueing [--users 100000 1000000]

A database with N active users is made with SQL. Then, in one event loop, as the bot does when
staff press Send (handlers/broadcast.py): the announcement is written on the loop, its
recipients are queued by a worker thread with its own connection (storage/announcements.py,
batches of 2,000), and meanwhile the loop keeps doing what it does for people: a small write
(the user's "last seen") every 20 ms. Measured: the time to queue, and the longest the event
loop was held (a ticker that should wake every 10 ms; its worst lateness), against doing the
whole INSERT ... SELECT on the loop as before.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.botproc import machine
from storage.announcements import AnnouncementStore, Audience, queue_recipients
from storage.db import open_database
from storage.users import UserStore

TICK = 0.01


def make_database(path: Path, users: int) -> None:
    db = open_database(path)
    today = datetime.now(UTC).date().isoformat()
    with db.atomic():
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO users (user_id, language, status, first_seen, last_seen) "
            "SELECT i, 'ru', 'active', ?, ? FROM n",
            [users, today, today],
        )
    db.close()


async def measure(path: Path, off_loop: bool) -> tuple[float, float, int]:
    """(seconds to queue, worst loop lateness in ms, recipients)."""
    db = open_database(path)
    store, users = AnnouncementStore(db), UserStore(db)
    now = datetime.now(UTC)
    worst = 0.0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal worst
        while not stop.is_set():
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            worst = max(worst, time.perf_counter() - before - TICK)

    async def people() -> None:
        n = 0
        while not stop.is_set():
            users.seen(2_000_000_000 + n % 100, "ru", now.date())
            n += 1
            await asyncio.sleep(0.02)

    tasks = [asyncio.create_task(ticker()), asyncio.create_task(people())]
    await asyncio.sleep(0.2)
    started = time.perf_counter()
    if off_loop:
        announcement = store.begin(
            staff_id=1, texts={"ru": "x"}, button=None, audience=Audience("all"), now=now
        )
        count = await asyncio.to_thread(queue_recipients, path, announcement.id, now)
        store.finish_queueing(announcement.id, count)
    else:  # as before: one INSERT ... SELECT on the loop
        sql, params = store._audience(Audience("all"), now)
        count = store._outbox.enqueue_selected(
            "announcement", "announcement:999999", {"x": 1}, (sql, params), now
        )
    took = time.perf_counter() - started
    await asyncio.sleep(0.2)
    stop.set()
    await asyncio.gather(*tasks)
    db.close()
    return took, worst * 1000, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="*", default=[100_000, 1_000_000])
    args = parser.parse_args(argv)
    print(machine())
    for users in args.users:
        folder = Path(tempfile.mkdtemp(prefix="bench-queueing-"))
        try:
            make_database(folder / "made.sqlite3", users)
            for off_loop in (False, True):
                copy = folder / "bot.sqlite3"
                shutil.copy(folder / "made.sqlite3", copy)
                took, worst, count = asyncio.run(measure(copy, off_loop))
                how = "worker thread, batches" if off_loop else "on the loop, one statement"
                print(
                    f"{users} users, {how}: {count} queued in {took:.2f} s, "
                    f"longest event-loop stall {worst:.0f} ms",
                    flush=True,
                )
                copy.unlink()
                for suffix in ("-wal", "-shm"):
                    copy.with_name(copy.name + suffix).unlink(missing_ok=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
