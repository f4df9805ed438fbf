"""Resilience run: the real bot process through a 30-second outage, 500s and dropped connections.

Run from the repository root:  python -m bench.resilience [--outage 30]

`python bot.py` runs in its own process against the emulator (this process). People start
using it; then, one after the other: the emulator stops answering for --outage seconds (every
request hangs until the bot's own timeouts fire), answers 500 to the next requests, and drops
the next connections. During each, people keep writing and, when the database has an outbox,
alerts are queued for them (written to the outbox as the reminders feature does). Afterwards
every update must have its proper answer (not an apology), every outbox row must be sent, the
process must still be running, its log must have one line per event (no traceback), and the
database must pass integrity_check. Prints one line per scenario and the recovery time (from
the end of the failure to the last answer).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.botproc import BotProcess, machine, snapshot_content, start_bot
from bench.load import MeasuringEmulator
from core.clock import SystemClock
from emulator.client import SimulatedUser
from storage.db import open_database
from storage.health import integrity
from storage.outbox import Outbox

PEOPLE = 20
FAILURES = 10  # injected 500s, and dropped connections
SETTLE_TIMEOUT = 120.0
HELP_START = "What I can do"
APOLOGY = "Sorry, something went wrong"


@dataclass
class Outcome:
    """What one scenario did to the bot."""

    name: str
    updates: int
    answered: int
    apologies: int
    outbox_rows: int
    outbox_sent: int
    recovery_seconds: float
    alive: bool

    @property
    def ok(self) -> bool:
        """Nothing lost, the process alive."""
        return (
            self.alive
            and self.answered == self.updates
            and self.apologies == 0
            and self.outbox_sent == self.outbox_rows
        )

    def line(self) -> str:
        """One line of the report."""
        return (
            f"{self.name:28} updates answered {self.answered}/{self.updates}, apologies "
            f"{self.apologies}, outbox sent {self.outbox_sent}/{self.outbox_rows}, recovered "
            f"{self.recovery_seconds:.1f} s after the failure ended, process "
            f"{'running' if self.alive else 'DEAD'}: {'ok' if self.ok else 'FAILED'}"
        )


class World:
    """The emulator, the bot process, its database, and the people."""

    def __init__(self, emu: MeasuringEmulator, process: BotProcess, db_path: Path) -> None:
        self.emu = emu
        self.process = process
        self.db_path = db_path
        self.people: list[SimulatedUser] = []
        self.round = 0

    async def answer(self, update_id: int | None) -> None:
        """Wait for the bot's first reply to an update."""
        assert update_id is not None
        await asyncio.wait_for(self.emu.answered[update_id].wait(), SETTLE_TIMEOUT)

    async def delivered(self, person: SimulatedUser, start: str, after: int) -> None:
        """Wait until a bot message starting with `start` is among the person's newer ones."""

        def arrived() -> bool:
            return any(m.body.startswith(start) for m in person.bot_messages[after:])

        with contextlib.suppress(TimeoutError):
            await person.chat.changed.wait_until(arrived, SETTLE_TIMEOUT)

    def queue_alerts(self) -> list[str]:
        """Queue one alert per person straight into the outbox (None: no outbox here)."""
        db = open_database(self.db_path)
        try:
            if not db["outbox"].exists():
                return []
            outbox = Outbox(db)
            now = SystemClock().now()
            refs = []
            for person in self.people:
                ref = f"bench:{self.round}:{person.id}"
                payload = {"text": f"Alert {ref}", "parse_mode": None, "entities": None}
                outbox.enqueue(person.id, "alert", ref, payload | {"buttons": None}, now)
                refs.append(ref)
            return refs
        finally:
            db.close()

    def sent(self, refs: list[str]) -> int:
        """How many of these outbox rows are sent."""
        if not refs:
            return 0
        conn = sqlite3.connect(self.db_path, timeout=10)
        try:
            marks = ",".join("?" * len(refs))
            row = conn.execute(
                f"SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND ref IN ({marks})", refs
            ).fetchone()
            return int(row[0])
        finally:
            conn.close()

    async def scenario(self, name: str, fail: str, outage: float) -> Outcome:
        """Break the emulator as `fail` says while people write; measure the recovery."""
        self.round += 1
        if fail == "pause":
            self.emu.pause()
        else:
            self.emu.inject_failure(fail, FAILURES)  # type: ignore[arg-type]
        before = {person.id: len(person.bot_messages) for person in self.people}
        sent = [await person.send("/help") for person in self.people]
        assert all(update_id is not None for update_id in sent)
        refs = self.queue_alerts()
        if fail == "pause":
            await asyncio.sleep(outage)
            self.emu.resume()
        ended = time.monotonic()
        for person in self.people:
            await self.delivered(person, HELP_START, after=before[person.id])
        for person, ref in zip(self.people, refs, strict=False):
            await self.delivered(person, f"Alert {ref}", after=before[person.id])
        recovered = time.monotonic() - ended
        await asyncio.sleep(1.0)  # replies after the first one (none expected)
        new = {p.id: [m.body for m in p.bot_messages[before[p.id] :]] for p in self.people}
        answered = sum(
            1 for bodies in new.values() if any(b.startswith(HELP_START) for b in bodies)
        )
        apologies = sum(1 for bodies in new.values() for b in bodies if b.startswith(APOLOGY))
        return Outcome(
            name=name,
            updates=len(sent),
            answered=answered,
            apologies=apologies,
            outbox_rows=len(refs),
            outbox_sent=self.sent(refs),
            recovery_seconds=recovered,
            alive=self.process.running(),
        )


async def run(outage: float) -> int:
    """Every scenario against one bot process; the report."""
    print(f"machine: {machine()}")
    workdir = Path(tempfile.mkdtemp(prefix="bench-resilience-"))
    emu = MeasuringEmulator()
    await emu.start()
    emu.set_limits(global_rate_per_second=math.inf, chat_rate_per_second=math.inf)
    db_path = workdir / "bot.sqlite3"
    process = start_bot("bot.py", emu.base_url, db_path, content_dir=snapshot_content(workdir))
    outcomes = []
    try:
        await emu.wait_for_request("getUpdates", timeout=60)
        world = World(emu, process, db_path)
        world.people = [emu.user(800_000 + n, f"R{n}", language_code="en") for n in range(PEOPLE)]
        for person in world.people:
            await world.answer(await person.send("/start"))
        await asyncio.sleep(1.0)  # the menus that follow the greetings
        for name, fail in (
            (f"no answer for {outage:.0f} s", "pause"),
            (f"{FAILURES} x HTTP 500", "500"),
            (f"{FAILURES} x dropped connection", "drop"),
        ):
            outcome = await world.scenario(name, fail, outage)
            outcomes.append(outcome)
            print(outcome.line(), flush=True)
    finally:
        await asyncio.to_thread(process.stop)
        await emu.stop()
    log = process.log_text()
    lines = log.splitlines()
    tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
    continuation = sum(1 for line in lines if line[:4].strip() and not line[:4].isdigit())
    verdict = integrity(db_path)
    print(
        f"log: {len(lines)} lines, {tracebacks} tracebacks, {continuation} lines that are not "
        f"one-line events; database integrity_check: {verdict}"
    )
    problems = Counter(line[24:] for line in lines if " WARNING " in line or " ERROR " in line)
    for text, count in problems.most_common(15):
        print(f"    {count} x {text[:200]}")
    shutil.rmtree(workdir, ignore_errors=True)
    healthy = all(o.ok for o in outcomes) and not tracebacks and verdict == "ok"
    return 0 if healthy else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=30.0, help="seconds without answers")
    args = parser.parse_args(argv)
    return asyncio.run(run(args.outage))


if __name__ == "__main__":
    raise SystemExit(main())
