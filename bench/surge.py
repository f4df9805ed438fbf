"""Surges, an announcement while people use the bot, and floods, as deployed (issues 13, 17).

Run from the repository root (figures go to bench/README.md, "Surge, announcement, flood"):
    python -m bench.surge surge [--people 50 200] [--bots bare ours]
    python -m bench.surge announce [--people 30] [--recipients 600] [--seconds 30]
    python -m bench.surge flood [--scenario one-300 eight-37 start-500] [--root DIR]

The bot runs as its own process (`python bot.py`, or bench/bare_bot.py: python-telegram-bot
with AIORateLimiter and 8 updates at once), against the emulator in this process with
Telegram's limits on (30 messages a second overall, about one a second per chat with bursts).
Measured at the emulator (bench/load.py's MeasuringEmulator): the time from handing an update
out in getUpdates to the bot's first reply in that chat; API requests per user action; 429s.

* surge: N people open the bot within 2 seconds; each sends /start, presses two buttons (the
  topics, then a section) and types a question, waiting for each answer as on a phone.
* announce: R recipients in the bot's database, P people using the bot (a tap or a question
  every 2-4 s); after 5 s an announcement to everyone is queued (as staff pressing Send would).
  The people's reply latency with and without it, the announcement's rate and its 429s.
* flood: a 50 ms network delay on every request (as with api.telegram.org); a flood (one
  person pressing a button 300 times at once, eight people 37 times each, or 500 people
  sending /start at once) while 20 other people use the bot; those others' reply latency.
  `--root DIR` runs the bot of another checkout (for the "before" figures).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.botproc import ROOT, BotProcess, machine, percentile, snapshot_content, start_bot
from bench.load import MeasuringEmulator
from emulator.client import SimulatedUser

START_TIMEOUT = 60.0
REPLY_TIMEOUT = 30.0
QUESTION = "как заплатить залог"


@dataclass
class Figures:
    """Latencies (ms) of the watched people's updates, and what the bot sent."""

    name: str
    latencies: list[float] = field(default_factory=list)
    unanswered: int = 0
    actions: int = 0
    requests: int = 0
    throttled: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        values = sorted(self.latencies) or [math.nan]
        per_action = self.requests / self.actions if self.actions else math.nan
        extra = " ".join(f"{k}={v}" for k, v in self.extra.items())
        return (
            f"{self.name}: n={len(self.latencies)} p50={statistics.median(values):.0f}ms "
            f"p95={percentile(values, 0.95):.0f}ms max={values[-1]:.0f}ms "
            f"unanswered={self.unanswered} requests/action={per_action:.2f} "
            f"429s={self.throttled} {extra}"
        ).strip()


def _requests(emu: MeasuringEmulator) -> int:
    return sum(1 for r in emu.requests if r.method != "getUpdates")


def _throttled(emu: MeasuringEmulator) -> int:
    return sum(1 for e in emu.errors if e.error_code == 429)


async def _start(
    emu: MeasuringEmulator, script: str, workdir: Path, root: Path = ROOT
) -> BotProcess:
    if root != ROOT:
        import bench.botproc as botproc

        botproc.ROOT = root  # start_bot runs the script of that checkout
    process = start_bot(
        script, emu.base_url, workdir / "bot.sqlite3", content_dir=snapshot_content(workdir)
    )
    await emu.wait_for_request("getUpdates", timeout=START_TIMEOUT)
    await asyncio.sleep(1.5)  # start-up calls (setMyCommands...) done
    return process


@contextlib.asynccontextmanager
async def running_bot(
    script: str,
    prefix: str,
    *,
    root: Path = ROOT,
    recipients: list[int] | None = None,
    network_delay: float = 0.0,
) -> AsyncIterator[tuple[MeasuringEmulator, Path]]:
    """The emulator and the bot process for one run (with `recipients` already in the bot's
    database and the emulator); everything stopped and removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    emu = MeasuringEmulator()
    await emu.start()
    process: BotProcess | None = None
    try:
        for user_id in recipients or []:
            emu.user(user_id, f"R{user_id}", language_code="ru")
        if recipients:
            _seed_recipients(workdir / "bot.sqlite3", recipients)
        emu.set_network_delay(network_delay)
        process = await _start(emu, script, workdir, root)
        yield emu, workdir
    finally:
        if process is not None:
            await asyncio.to_thread(process.stop)
        await emu.stop()
        shutil.rmtree(workdir, ignore_errors=True)


async def _wait(emu: MeasuringEmulator, update_id: int | None, figures: Figures) -> None:
    if update_id is None:
        return
    figures.actions += 1
    try:
        await asyncio.wait_for(emu.answered[update_id].wait(), REPLY_TIMEOUT)
        figures.latencies.append(emu.latency_ms[update_id])
    except TimeoutError:
        figures.unanswered += 1


def _button(user: SimulatedUser, prefix: str | None) -> tuple[Any, str] | None:
    for message in reversed(user.bot_messages):
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        data = [b["callback_data"] for row in rows for b in row if "callback_data" in b]
        if prefix is not None:
            data = [d for d in data if d.split(":")[0] == prefix]
        if data:
            return message, data[0]
    return None


async def _press(emu: MeasuringEmulator, user: SimulatedUser, prefix: str | None) -> int | None:
    found = _button(user, prefix)
    if found is None:
        return None
    message, data = found
    return emu.press_button(user.chat, user.person, message, data)


async def _session(
    emu: MeasuringEmulator, user: SimulatedUser, figures: Figures, bare: bool, delay: float
) -> None:
    """/start, the topics, a section, a typed question; each answered before the next."""
    await asyncio.sleep(delay)
    await _wait(emu, await user.send("/start"), figures)
    await _wait(emu, await _press(emu, user, None if bare else "s"), figures)
    await _wait(emu, await _press(emu, user, None if bare else "s"), figures)
    await _wait(emu, await user.send(QUESTION), figures)


async def surge(people: int, bot: str, seed: int) -> Figures:
    """`people` open the bot within 2 seconds."""
    script = "bot.py" if bot == "ours" else "bench/bare_bot.py"
    figures = Figures(f"surge {people} {bot}")
    async with running_bot(script, "bench-surge-") as (emu, _workdir):
        rng = random.Random(seed)
        users = [emu.user(10_000 + n, f"P{n}", language_code="ru") for n in range(people)]
        before = _requests(emu)
        await asyncio.gather(
            *(_session(emu, u, figures, bot == "bare", rng.uniform(0, 2)) for u in users)
        )
        figures.requests = _requests(emu) - before
        figures.throttled = _throttled(emu)
        return figures


def _seed_recipients(db_path: Path, recipients: list[int]) -> None:
    from storage.db import open_database
    from storage.users import UserStore

    db = open_database(db_path)
    users = UserStore(db)
    for user_id in recipients:
        users.seen(user_id, "ru", datetime.now(UTC).date())
    db.close()


def _queue_announcement(db_path: Path) -> int:
    from storage.announcements import AnnouncementStore, Audience
    from storage.db import open_database

    db = open_database(db_path)
    try:
        store = AnnouncementStore(db)
        announcement = store.create(
            staff_id=1,
            texts={"ru": "Изменились правила: подробности в меню."},
            button=None,
            audience=Audience("all"),
            now=datetime.now(UTC),
        )
        return announcement.recipients
    finally:
        db.close()


async def _busy_person(
    emu: MeasuringEmulator, user: SimulatedUser, figures: Figures, stop_at: float, seed: int
) -> None:
    rng = random.Random(seed)
    await _wait(emu, await user.send("/menu"), figures)
    while time.monotonic() < stop_at:
        await asyncio.sleep(rng.uniform(2.0, 4.0))
        if rng.random() < 0.3:
            await _wait(emu, await user.send(QUESTION), figures)
        else:
            await _wait(emu, await _press(emu, user, rng.choice(["s", "m", "t"])), figures)


async def announce(
    people: int, recipients: int, seconds: float, with_announcement: bool
) -> Figures:
    """People use the bot; after 5 s an announcement to everyone is queued (or not)."""
    ids = list(range(50_000, 50_000 + recipients))
    label = "with" if with_announcement else "without"
    figures = Figures(f"announce {people} people {label} announcement")
    async with running_bot("bot.py", "bench-announce-", recipients=ids) as (emu, workdir):
        stop_at = time.monotonic() + seconds
        users = [emu.user(20_000 + n, f"P{n}", language_code="ru") for n in range(people)]
        tasks = [
            asyncio.create_task(_busy_person(emu, u, figures, stop_at, n))
            for n, u in enumerate(users)
        ]
        if with_announcement:
            await asyncio.sleep(5.0)
            started = time.monotonic()
            queued = await asyncio.to_thread(_queue_announcement, workdir / "bot.sqlite3")
            recipients_set = set(ids) | {u.person.id for u in users}
            done_at = None
            while time.monotonic() < stop_at + 60:
                sent = sum(
                    1
                    for r in emu.requests
                    if r.method == "sendMessage"
                    and r.params.get("chat_id") in recipients_set
                    and "Изменились правила" in str(r.params.get("text", ""))
                )
                if sent >= queued:
                    done_at = time.monotonic()
                    break
                await asyncio.sleep(0.2)
            took = (done_at or time.monotonic()) - started
            figures.extra.update(
                recipients=str(queued), took_s=f"{took:.1f}", rate_per_s=f"{queued / took:.1f}"
            )
        await asyncio.gather(*tasks)
        figures.throttled = _throttled(emu)
        return figures


async def _flood_presses(emu: MeasuringEmulator, user: SimulatedUser, presses: int) -> None:
    await emu.answered[await user.send("/menu") or 0].wait()
    found = _button(user, None)
    if found is None:
        return
    message, data = found
    for _ in range(presses):
        emu.press_button(user.chat, user.person, message, data)


async def flood(scenario: str, others: int, seconds: float, root: Path) -> Figures:
    """A flood while `others` people use the bot; their latency (50 ms network delay)."""
    figures = Figures(f"flood {scenario} ({'before' if root != ROOT else 'after'})")
    async with running_bot("bot.py", "bench-flood-", root=root, network_delay=0.05) as (emu, _):
        stop_at = time.monotonic() + seconds
        users = [emu.user(30_000 + n, f"P{n}", language_code="ru") for n in range(others)]
        calm = [
            asyncio.create_task(_busy_person(emu, u, figures, stop_at, n))
            for n, u in enumerate(users)
        ]
        await asyncio.sleep(3.0)
        if scenario == "one-300":
            await _flood_presses(emu, emu.user(40_000, "Flood", language_code="ru"), 300)
        elif scenario == "eight-37":
            flooders = [emu.user(40_000 + n, f"F{n}", language_code="ru") for n in range(8)]
            await asyncio.gather(*(_flood_presses(emu, f, 37) for f in flooders))
        else:  # start-500
            for n in range(500):
                await emu.user(41_000 + n, f"S{n}", language_code="ru").send("/start")
        await asyncio.gather(*calm)
        figures.throttled = _throttled(emu)
        return figures


async def main_async(args: argparse.Namespace) -> int:
    print(machine())
    results: list[Figures] = []
    if args.what == "surge":
        for people in args.people or [50, 200]:
            for bot in args.bots:
                results.append(await surge(people, bot, seed=people))
                print(results[-1].line(), flush=True)
    elif args.what == "announce":
        for people in args.people or [30]:
            for with_it in (False, True):
                results.append(await announce(people, args.recipients, args.seconds, with_it))
                print(results[-1].line(), flush=True)
    else:
        for scenario in args.scenario:
            results.append(await flood(scenario, 20, args.seconds, Path(args.root)))
            print(results[-1].line(), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["surge", "announce", "flood"])
    parser.add_argument("--people", type=int, nargs="*")
    parser.add_argument("--bots", nargs="*", default=["bare", "ours"])
    parser.add_argument("--recipients", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--scenario", nargs="*", default=["one-300", "eight-37", "start-500"])
    parser.add_argument("--root", default=str(ROOT))
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
