"""Benchmark of announcement delivery: the effective send rate against the configured limit.

Run from the repository root:  python -m bench.delivery_bench [--users N]
Real time, real sockets on 127.0.0.1: the Bot API emulator enforces its flood limits (token
buckets, 429 with retry_after) on the real monotonic clock; the outbox is a SQLite file (WAL,
as in production); the sender (delivery/sender.py) drains N announcement rows with its real
pacer and asyncio.sleep. Three scenarios:

1. default: pacer 25/s against the emulator's Telegram-like 30/s (the production setting);
2. at the limit: pacer 30/s against 30/s (no headroom at all);
3. lower limit: pacer 25/s against a 20/s limit (the pacer must slow down and settle).

For each: the effective rate (sends answered ok per second, first to last), the same over the
settled part (after the first third of the run), as a share of the configured rate and of the
real limit, and the 429s in each third of the run. The figures are recorded by hand in
bench/README.md ("Delivery"). Exits 1 if scenario 1 misses the goal (>= 95 % of the
configured rate, no 429 once settled).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import telegram
from telegram.error import RetryAfter

from bench.botproc import machine
from core.clock import SystemClock
from delivery.pacing import Pacer
from delivery.sender import Sender
from emulator.server import BotApiEmulator
from storage.db import open_database
from storage.outbox import Outbox
from storage.users import UserStore

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
GOAL = 0.95


@dataclass
class Timings:
    """When each send was answered ok, and when each 429 came (monotonic seconds)."""

    ok_at: list[float] = field(default_factory=list)
    throttled_at: list[float] = field(default_factory=list)


class TimedBot(telegram.Bot):
    """A plain Bot that notes its answers in `TimedBot.timings` (PTB objects are frozen, so
    the record lives on the class; the scenarios run one after the other)."""

    timings = Timings()

    async def send_message(self, *args: Any, **kwargs: Any) -> telegram.Message:
        """Send, and note the time of the answer."""
        try:
            message = await super().send_message(*args, **kwargs)
        except RetryAfter:
            TimedBot.timings.throttled_at.append(time.monotonic())
            raise
        TimedBot.timings.ok_at.append(time.monotonic())
        return message


@dataclass
class Result:
    """One scenario's figures."""

    name: str
    configured: float
    limit: float
    users: int
    ok_at: list[float]
    throttled_at: list[float]
    elapsed: float
    thirds: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Sends answered ok per second, first to last."""
        span = self.ok_at[-1] - self.ok_at[0]
        return (len(self.ok_at) - 1) / span if span > 0 else 0.0

    @property
    def settled_rate(self) -> float:
        """The same over the last two thirds of the sends."""
        tail = self.ok_at[len(self.ok_at) // 3 :]
        span = tail[-1] - tail[0]
        return (len(tail) - 1) / span if span > 0 else 0.0

    def throttles_by_third(self) -> list[int]:
        """429s in each third of the run (by time)."""
        start, end = self.ok_at[0], self.ok_at[-1]
        step = (end - start) / 3 or 1.0
        counts = [0, 0, 0]
        for moment in self.throttled_at:
            counts[min(2, max(0, int((moment - start) // step)))] += 1
        return counts


async def scenario(name: str, configured: float, limit: float, users: int) -> Result:
    """Send one announcement to `users` users through the emulator; return the figures."""
    async with BotApiEmulator(global_rate_per_second=limit) as emu:
        with tempfile.TemporaryDirectory() as folder:
            db = open_database(Path(folder) / "bench.sqlite3")
            store, outbox, clock = UserStore(db), Outbox(db), SystemClock()
            for uid in range(1, users + 1):
                emu.user(uid, f"U{uid}", language_code="ru")
                store.seen(uid, "ru", clock.now().date())
            message = {"text": "<b>Важно</b>: слушания о залоге остановлены.", "parse_mode": "HTML"}
            outbox.enqueue_many(
                "announcement", "bench", [(u, message) for u in range(1, users + 1)], clock.now()
            )
            TimedBot.timings = timings = Timings()
            bot = TimedBot(TOKEN, base_url=emu.base_url)
            sender = Sender(bot, outbox, store, clock, Pacer(configured, 1.0))
            started = time.monotonic()
            await sender.run_until_idle()
            elapsed = time.monotonic() - started
            await bot.shutdown()
            db.close()
    return Result(name, configured, limit, users, timings.ok_at, timings.throttled_at, elapsed)


def report(result: Result) -> str:
    """One scenario as printed lines."""
    thirds = result.throttles_by_third()
    return "\n".join(
        [
            f"{result.name}: pacer {result.configured:g}/s, emulator limit {result.limit:g}/s, "
            f"{result.users} users, {result.elapsed:.1f} s",
            f"  sent ok {len(result.ok_at)}; effective {result.rate:.2f}/s "
            f"({result.rate / result.configured:.1%} of configured, "
            f"{result.rate / result.limit:.1%} of the limit)",
            f"  settled (last two thirds) {result.settled_rate:.2f}/s "
            f"({result.settled_rate / result.configured:.1%} of configured, "
            f"{result.settled_rate / result.limit:.1%} of the limit)",
            f"  429s by third of the run: {thirds[0]}, {thirds[1]}, {thirds[2]}",
        ]
    )


async def run(users: int) -> int:
    """All three scenarios; 1 if the default one misses the goal."""
    print(f"machine: {machine()}")
    results = [
        await scenario("1 default", 25.0, 30.0, users),
        await scenario("2 at the limit", 30.0, 30.0, users),
        await scenario("3 lower limit", 25.0, 20.0, users),
    ]
    for result in results:
        print(report(result), flush=True)
    default = results[0]
    missed = default.rate < GOAL * default.configured or any(default.throttles_by_third()[1:])
    print(
        f"goal: default scenario at least {GOAL:.0%} of the configured rate, no 429 once "
        f"settled ({default.rate / default.configured:.1%}, "
        f"{sum(default.throttles_by_third()[1:])} late 429s): {'FAILED' if missed else 'ok'}"
    )
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    """Parse options, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000, help="recipients per scenario")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.users))


if __name__ == "__main__":
    sys.exit(main())
