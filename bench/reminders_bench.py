"""Benchmark of the reminder schedule: start-up time, memory and the due-alert query at 10k, 100k
and 1M stored reminders.

Run from the repository root:  python -m bench.reminders_bench [--sizes 10000,100000,1000000]

For each size it builds a database once (under --data-dir, reused when it exists): one user
per two reminders, each reminder a hearing with its 4 pending alerts (7, 3, 1 days before and
the morning of), events spread over the next three years in the courts' time zones. Then, in a
fresh process per size (so memory is that of a bot starting, not of the generator), it measures:

* the start-up of the schedule: open the database (migrations check), settle what came due
  during a 1-day downtime, delete expired reminders, find the next due time: what
  handlers/alerts_job.py `start` does;
* the whole bot's start: `build_application` plus `alerts_job.start` (content loading included,
  no network: the sender is not started);
* memory: peak RSS of the process, and its growth from before the database was opened;
* the due-alert queries: `next_due_at` (median of 1,000) and one `settle_due` batch of 500
  due alerts (each logged, composed in the user's language and written to the outbox).

The figures are recorded by hand in bench/README.md ("Reminders").
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time as clock
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bench.botproc import machine

ROOT = Path(__file__).resolve().parents[1]
BASE = datetime(2026, 11, 27, 12, tzinfo=UTC)  # "now" when the database was filled
DOWNTIME = timedelta(days=1)
ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
)
TIMES = (time(8, 30), time(9, 0), time(10, 0), time(13, 0), time(14, 30))


def rss_kib(field: str = "VmRSS") -> int:
    """This process's resident set size (VmRSS) or its peak since exec (VmHWM), in KiB.

    VmHWM, not getrusage's ru_maxrss: a child's ru_maxrss starts from its parent's size at fork.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def build(path: Path, size: int) -> float:
    """Fill a new database with `size` reminders; returns seconds taken."""
    from core.reminders import Draft, plan_alerts
    from storage.db import open_database
    from storage.reminders import ReminderStore

    started = clock.perf_counter()
    path.unlink(missing_ok=True)
    db = open_database(path)
    users = max(1, size // 2)
    db.table("users").insert_all(
        (
            {
                "user_id": 10_000_000 + n,
                "language": ("ru", "en", "uk")[n % 3],
                "first_seen": BASE.date().isoformat(),
                "last_seen": BASE.date().isoformat(),
            }
            for n in range(users)
        ),
        batch_size=10_000,
    )
    rng = random.Random(size)

    def items() -> Iterator[tuple[int, Draft, list[Any]]]:
        for n in range(size):
            day = BASE.date() + timedelta(days=rng.randrange(1, 3 * 365))
            draft = Draft("master", day, rng.choice(TIMES), rng.choice(ZONES), court_id="chicago")
            yield 10_000_000 + n % users, draft, plan_alerts(draft, BASE)

    store = ReminderStore(db)
    chunk: list[tuple[int, Draft, list[Any]]] = []
    for item in items():
        chunk.append(item)
        if len(chunk) == 50_000:
            store.add_many(chunk, BASE)
            chunk = []
    store.add_many(chunk, BASE)
    db.execute("ANALYZE")
    db.close()
    return clock.perf_counter() - started


def measure(path: Path) -> dict[str, Any]:
    """Run in a fresh process: start-up, memory and query figures for one database."""
    from bot import build_application
    from core.clock import FakeClock
    from core.settings import Settings
    from delivery.message import OutboxMessage
    from handlers import alerts_job
    from handlers.context import SERVICES_KEY, Services
    from storage.db import open_database
    from storage.reminders import DueAlert, ReminderStore

    def plain(_alert: DueAlert) -> OutboxMessage:
        return OutboxMessage("x")

    before = rss_kib()

    # Start-up with nothing due (the bot was down a moment): open, sweep, clean up, arm.
    started = clock.perf_counter()
    db = open_database(path)
    store = ReminderStore(db)
    alerts_job.settle_batch(store, BASE, alerts_job.BATCH, plain)
    store.delete_expired(BASE)
    store.next_due_at()
    idle_start = clock.perf_counter() - started
    db.close()

    # Start-up after a day down: every alert that came due meanwhile is settled first.
    now = BASE + DOWNTIME
    started = clock.perf_counter()
    db = open_database(path)
    store = ReminderStore(db)
    settled = 0
    while True:
        read, report = alerts_job.settle_batch(store, now, alerts_job.BATCH, plain)
        settled += report.total
        if len(read.row_ids) < alerts_job.BATCH:
            break
    store.delete_expired(now)
    store.next_due_at()
    schedule_start = clock.perf_counter() - started
    after_schedule = rss_kib()
    db.close()

    # The whole bot on a copy-free second look: the same database, 1 minute later.
    fake = FakeClock(now + timedelta(minutes=1))
    settings = Settings(
        token="123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",
        api_base_url="http://127.0.0.1:9/bot",
        db_path=path,
        admin_ids=frozenset(),
        content_dir=ROOT / "content",
    )
    started = clock.perf_counter()
    app = build_application(settings, fake)
    import asyncio

    asyncio.run(alerts_job.start(app))
    bot_start = clock.perf_counter() - started
    services: Services = app.bot_data[SERVICES_KEY]
    reminders = services.reminders
    assert reminders is not None

    samples = []
    for _ in range(1000):
        t0 = clock.perf_counter()
        due = reminders.next_due_at()
        samples.append(clock.perf_counter() - t0)
    assert due is not None

    # One batch of 500 due alerts: move "now" to the 500th pending due time.
    batch_now = reminders.due_times(500)[-1]
    t0 = clock.perf_counter()

    def compose(alert: DueAlert) -> OutboxMessage:
        return alerts_job.alert_message(
            services, alert.reminder, alert.kind, alert.language, batch_now
        )

    _read, batch = alerts_job.settle_batch(reminders, batch_now, 500, compose)
    batch_seconds = clock.perf_counter() - t0
    peak = rss_kib("VmHWM")
    return {
        "idle_start_ms": idle_start * 1000,
        "schedule_start_ms": schedule_start * 1000,
        "settled_at_start": settled,
        "bot_start_ms": bot_start * 1000,
        "rss_before_kib": before,
        "rss_after_schedule_kib": after_schedule,
        "peak_rss_kib": peak,
        "next_due_p50_us": statistics.median(samples) * 1e6,
        "next_due_max_us": max(samples) * 1e6,
        "batch_alerts": batch.total,
        "batch_ms": batch_seconds * 1000,
        "db_mib": path.stat().st_size / 2**20,
    }


def main() -> int:
    """Build (or reuse) each database, measure it in a fresh process, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--data-dir", default="/tmp/reminders-bench", type=Path)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    args.data_dir.mkdir(parents=True, exist_ok=True)
    print(f"Machine: {machine()}")
    print(f"Measured {clock.strftime('%Y-%m-%d')}")
    for size in (int(s) for s in args.sizes.split(",")):
        path = args.data_dir / f"reminders-{size}.sqlite3"
        fresh = path.with_suffix(".fresh.sqlite3")
        if not path.exists():
            seconds = build(path, size)
            print(f"built {size:,} reminders in {seconds:.1f} s")
        # Each measurement settles alerts: measure a copy so runs stay comparable.
        shutil.copyfile(path, fresh)  # streamed: this process stays small
        for suffix in ("-wal", "-shm"):
            Path(str(fresh) + suffix).unlink(missing_ok=True)
        out = subprocess.run(
            [sys.executable, "-m", "bench.reminders_bench", "--measure", str(fresh)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"\n{size:,} reminders ({size * 4:,} pending alerts), {figures['db_mib']:.0f} MiB:")
        for key, value in figures.items():
            print(f"  {key}: {value:.2f}" if isinstance(value, float) else f"  {key}: {value}")
        fresh.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
