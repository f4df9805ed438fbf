"""Load benchmark: many simulated people using the bot at once, against bare PTB baselines.

Run from the repository root:
    python -m bench.load [--users 50 200 1000] [--no-limit-users 200] [--seconds 30]
                         [--pace 1.0] [--bots bare ours shaped] [--profile DIR] [--stalls DIR]

This process runs the Bot API emulator and the simulated people; the bot under test runs in
another process (`python bot.py`, or `python bench/bare_bot.py`), as in production, so each
gets a core and the people's own cost does not count against the bot. Every simulated person
repeats a session like a real one: /start, a few menu taps, a topic walkthrough (▶ ▶), a
typed question and a tap on an answer, then adding a hearing reminder (menu, ⏰, kind, for
me, a typed date, a time, a time zone, save) when the main menu offers one. Between two
actions a person reads or types for a while (`SESSION`: nominal seconds ×0.5-1.5 at random,
×--pace); nobody acts again before the bot has answered, as on a phone. People start over
RAMP_SECONDS. Before each measured run, WARM_UP_PEOPLE people go through one quick session
(not measured), so the figures describe a bot that has been running, not its first seconds.

Three bots go through the same load in the same run: "bare" (bench/bare_bot.py: one short
reply per update), "ours" (bot.py), and "shaped" (bench/bare_bot.py replaying the replies
bot.py made in the run just before: the same calls with the same texts and keyboards, and no
logic). ours ÷ bare is the issue's ratio; ours ÷ shaped is the cost of the project's own
code; shaped ÷ bare is what PTB charges for bigger messages.

Measured at the emulator: the time from handing an update out in a getUpdates response to the
bot's first reply to it (sendMessage, editMessageText or answerCallbackQuery in that chat), as
p50, p95, p99 and max; updates handled per second; and the bot process's CPU time (utime +
stime from /proc) divided by the updates it handled. The emulator's flood limits are lifted.
The bots' own limit is not, unless --no-limit-users: both bots use PTB's AIORateLimiter, which
holds every request carrying a chat_id to Telegram's ~30 messages/s; --no-limit-users runs
those numbers of people again with that overall limit lifted (bench/nolimit.py), to measure
what the code itself can do.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import random
import re
import resource
import shutil
import signal
import sqlite3
import statistics
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.botproc import ROOT, BotProcess, machine, percentile, snapshot_content, start_bot
from core.i18n import LANGUAGES, translator
from emulator.client import SimulatedUser
from emulator.server import BotApiEmulator, CallContext, ChatMessage
from handlers.menus import main_menu
from handlers.start import welcome_text

USER_IDS = 500_000  # simulated people get ids from here
WARM_UP_IDS = 400_000
WARM_UP_PEOPLE = 5
WARM_UP_THINK = 0.3  # seconds between a warm-up person's actions (within the flood gate)
START_TIMEOUT = 60.0
REPLY_TIMEOUT = 15.0  # a person waits this long for an answer, then counts it as missing
DRAIN_TIMEOUT = 20.0
RAMP_SECONDS = 10.0  # people start their first session spread over this long
GOAL_RATIO = 1.3
GOAL_P99_MS = 100.0
GOAL_USERS = 200

QUESTIONS = {
    "ru": ["как заплатить залог", "когда мой суд", "что такое интервью о страхе", "где адвокат"],
    "en": ["how to pay bond", "when is my court hearing", "credible fear interview", "free lawyer"],
}
HEARING_DATE_TEXTS = {"ru": ["15.03.2027", "3 апреля 2027"], "en": ["15 March 2027", "04/20/2027"]}


@dataclass(frozen=True)
class Say:
    """Type a message (per language)."""

    texts: dict[str, list[str]]


@dataclass(frozen=True)
class Press:
    """Tap a button on the newest bot message that has one matching (by data or label)."""

    data: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Step:
    """Read or type for `think` seconds (nominal), then act."""

    think: float
    action: Say | Press


START = Step(4.0, Say({"ru": ["/start"], "en": ["/start"]}))
SESSION: tuple[Step, ...] = (
    START,
    Step(6.0, Press(data=r"^s$")),  # 📚 Topics
    Step(4.0, Press(data=r"^s:")),  # a section
    Step(4.0, Press(data=r"^t:[^:]+:0$")),  # a topic: its first page
    Step(20.0, Press(label="▶")),  # read the page, next page
    Step(20.0, Press(label="▶")),
    Step(15.0, Press(data=r"^m$")),  # ☰ Menu
    Step(12.0, Say(QUESTIONS)),  # type a question
    Step(5.0, Press(data=r"^t:")),  # tap one of the answers
)
REMINDER_LABEL = "⏰"
REMINDER_STEPS: tuple[Step, ...] = (  # from the answer's page: menu, ⏰, add a hearing
    Step(8.0, Press(data=r"^m$")),  # ☰ Menu
    Step(5.0, Press(data=r"^rm$")),  # ⏰ Reminders
    Step(4.0, Press(data=r"^rm:new$")),  # ➕ Hearing or appointment
    Step(4.0, Press(data=r"^ra:k:(master|individual)$")),  # which hearing
    Step(3.0, Press(data=r"^ra:w:me$")),  # 👤 For me
    Step(10.0, Say(HEARING_DATE_TEXTS)),  # type the date from the notice
    Step(4.0, Press(data=r"^ra:t:")),  # a time
    Step(4.0, Press(data=r"^ra:z:")),  # a time zone
    Step(6.0, Press(data=r"^ra:ok$")),  # ✅ Save
)


@dataclass
class RunResult:
    """The figures of one run (one bot, one number of people)."""

    bot: str
    users: int
    seconds: float
    handled: int
    unanswered: int
    latencies_ms: list[float]
    cpu_seconds: float
    bot_rss_mib: float
    driver_cpu_share: float
    requests: Counter[str]
    errors: Counter[str]
    start_seconds: float
    alive: bool
    skipped: int = 0
    reminders_saved: int | None = None
    limited: bool = True
    repeat: int = 0

    @property
    def limit(self) -> str:
        """Telegram's ~30 messages/s enforced by AIORateLimiter, or lifted (--no-limit)."""
        return "30/s" if self.limited else "off"

    @property
    def per_second(self) -> float:
        """Updates handled per second of the run."""
        return self.handled / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_update(self) -> float:
        """The bot process's CPU milliseconds per update handled."""
        return 1000 * self.cpu_seconds / self.handled if self.handled else math.nan

    def line(self) -> str:
        """One line of the report."""
        lat = self.latencies_ms
        return (
            f"{self.bot:6} users {self.users:5} limit {self.limit:4}: {self.handled:6} updates in "
            f"{self.seconds:.0f} s "
            f"= {self.per_second:6.1f}/s; reply p50 {percentile(lat, 0.5):6.1f} ms, "
            f"p95 {percentile(lat, 0.95):6.1f} ms, p99 {percentile(lat, 0.99):7.1f} ms, "
            f"max {max(lat, default=0):7.1f} ms; CPU {self.cpu_ms_per_update:.2f} ms/update "
            f"({100 * self.cpu_seconds / self.seconds:.0f}% of a core); RSS "
            f"{self.bot_rss_mib:.0f} MiB; no reply in {REPLY_TIMEOUT:.0f} s {self.unanswered}; "
            f"driver CPU {100 * self.driver_cpu_share:.0f}%"
        )


@dataclass
class _Pending:
    handed_at: float
    update_id: int


class MeasuringEmulator(BotApiEmulator):
    """The emulator, plus the time each update is handed out and first answered."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handed: set[int] = set()
        self.waiting: dict[int, deque[_Pending]] = {}
        self.answered: dict[int, asyncio.Event] = {}
        self.latency_ms: dict[int, float] = {}
        self.calls: Counter[str] = Counter()

    def enqueue(self, update_type: str, payload: dict[str, Any]) -> int | None:
        """Queue the update and make the event its first reply will set."""
        update_id = super().enqueue(update_type, payload)
        if update_id is not None:
            self.answered[update_id] = asyncio.Event()
        return update_id

    async def _get_updates(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        batch = await super()._get_updates(ctx, p)
        now = time.perf_counter()
        for update in batch:
            update_id = update["update_id"]
            if update_id in self.handed:
                continue
            self.handed.add(update_id)
            chat_id = _chat_of(update)
            if chat_id is not None:
                self.waiting.setdefault(chat_id, deque()).append(_Pending(now, update_id))
        return batch

    def _replied(self, chat_id: int | None, method: str) -> None:
        self.calls[method] += 1
        queue = self.waiting.get(chat_id) if chat_id is not None else None
        if not queue:
            return
        pending = queue.popleft()
        self.latency_ms[pending.update_id] = 1000 * (time.perf_counter() - pending.handed_at)
        self.answered[pending.update_id].set()

    async def _send_message(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        result = await super()._send_message(ctx, p)
        self._replied(_int(p.get("chat_id")), "sendMessage")
        return result

    async def _edit_message_text(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        result = await super()._edit_message_text(ctx, p)
        self._replied(_int(p.get("chat_id")), "editMessageText")
        return result

    async def _answer_callback_query(self, ctx: CallContext, p: dict[str, Any]) -> Any:
        query = self.callback_queries.get(p["callback_query_id"])
        result = await super()._answer_callback_query(ctx, p)
        self._replied(query.chat_id if query else None, "answerCallbackQuery")
        return result


def record_replies(emu: MeasuringEmulator, path: Path) -> None:
    """Keep the replies bot.py made in this run, for the shaped bare bot (bench/bare_bot.py)."""
    greetings = {welcome_text(translator(lang)) for lang in LANGUAGES}
    pools: dict[str, list[Any]] = {"start": [], "text": [], "edit": []}
    greeted: dict[int, dict[str, Any]] = {}
    for record in emu.requests:
        params = record.params
        reply = {k: params.get(k) for k in ("text", "parse_mode", "entities", "reply_markup")}
        if record.method == "editMessageText":
            pools["edit"].append(reply)
        elif record.method == "sendMessage":
            chat = int(params["chat_id"])
            if reply["text"] in greetings:
                greeted[chat] = reply
            elif chat in greeted:
                pools["start"].append([greeted.pop(chat), reply])
            else:
                pools["text"].append(reply)
    path.write_text(json.dumps(pools, ensure_ascii=False), encoding="utf-8")


def _count_reminders(db_path: Path) -> int | None:
    """Reminders the people saved during the run (None: no reminders table)."""
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM reminders").fetchone()[0])
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _chat_of(update: dict[str, Any]) -> int | None:
    if "message" in update:
        return int(update["message"]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["message"]["chat"]["id"])
    return None


def _find_button(user: SimulatedUser, press: Press, bare: bool) -> tuple[ChatMessage, str] | None:
    """The newest bot message with a matching callback button, and the data to send."""
    for message in reversed(user.bot_messages):
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        buttons = [b for row in rows for b in row if "callback_data" in b]
        if bare:
            if buttons:
                return message, buttons[0]["callback_data"]
            continue
        matching = [
            b
            for b in buttons
            if (press.data is None or re.search(press.data, b["callback_data"]))
            and (press.label is None or b.get("text") == press.label)
        ]
        if matching:
            return message, random.choice(matching)["callback_data"]
        if buttons:
            return None  # the newest message with buttons has none of these: skip the step
    return None


@dataclass
class Person_:
    """One simulated person's state during a run."""

    user: SimulatedUser
    lang: str
    rng: random.Random
    actions: int = 0
    unanswered: int = 0
    skipped: int = 0
    extra_steps: list[Step] = field(default_factory=list)


async def _act(emu: MeasuringEmulator, person: Person_, step: Step, bare: bool) -> int | None:
    """Do one step; returns the update id, or None when the step does not apply."""
    user = person.user
    if isinstance(step.action, Say):
        text = person.rng.choice(step.action.texts[person.lang])
        return await user.send(text)
    found = _find_button(user, step.action, bare)
    if found is None:
        person.skipped += 1
        return None
    message, data = found
    return emu.press_button(user.chat, user.person, message, data)


async def _live(
    emu: MeasuringEmulator,
    person: Person_,
    steps: tuple[Step, ...],
    pace: float,
    first_delay: float,
    stop_at: float,
    bare: bool,
    *,
    once: bool = False,
) -> None:
    """Repeat sessions until `stop_at`, waiting for each answer before reading and acting.

    `pace` 0 means the warm-up's fixed WARM_UP_THINK; `once` stops after one session.
    """
    await asyncio.sleep(first_delay)
    first = True
    while time.monotonic() < stop_at:
        for step in steps:
            if not first:
                think = step.think * person.rng.uniform(0.5, 1.5) * pace if pace else WARM_UP_THINK
                if time.monotonic() + think >= stop_at:
                    return  # the run ends before this person would act again
                await asyncio.sleep(think)
            first = False
            if time.monotonic() >= stop_at:
                return
            update_id = await _act(emu, person, step, bare)
            if update_id is None:
                continue
            person.actions += 1
            try:
                await asyncio.wait_for(emu.answered[update_id].wait(), REPLY_TIMEOUT)
            except TimeoutError:
                person.unanswered += 1
        if once:
            return


async def run_one(
    bot: str,
    users: int,
    seconds: float,
    pace: float,
    profile: Path | None,
    seed: int,
    limited: bool,
    replies_dir: Path,
    stalls: Path | None = None,
) -> RunResult:
    """Start the emulator and one bot process, run the people for `seconds`, collect figures."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    emu = MeasuringEmulator()
    await emu.start()
    emu.set_limits(global_rate_per_second=math.inf, chat_rate_per_second=math.inf)
    script = "bot.py" if bot == "ours" else "bench/bare_bot.py"
    replies = replies_dir / f"replies-{users}-{limited}.json"
    extra_env = {"BARE_REPLIES": str(replies)} if bot == "shaped" else {}
    wrapper: tuple[str, ...] = ()
    if not limited:
        wrapper = (str(ROOT / "bench" / "nolimit.py"),)
    if profile is not None:
        name = f"{bot}-{users}{'' if limited else '-nolimit'}.prof"
        wrapper = (*wrapper, str(ROOT / "bench" / "profiled.py"), str(profile / name))
    if stalls is not None:
        name = f"{bot}-{users}{'' if limited else '-nolimit'}.stalls.txt"
        wrapper = (*wrapper, str(ROOT / "bench" / "stalls.py"), str(stalls / name))
    started = time.perf_counter()
    process = start_bot(
        script,
        emu.base_url,
        workdir / "bot.sqlite3",
        content_dir=snapshot_content(workdir),
        wrapper=wrapper,
        extra_env=extra_env,
    )
    try:
        await emu.wait_for_request("getUpdates", timeout=START_TIMEOUT)
        start_seconds = time.perf_counter() - started
        await asyncio.sleep(1.0)  # let start-up calls (setMyCommands...) finish
        result = await _drive(
            emu, process, bot, users, seconds, pace, seed, start_seconds, profile is not None
        )
        if bot == "ours":
            result.reminders_saved = _count_reminders(workdir / "bot.sqlite3")
            record_replies(emu, replies)
        result.limited = limited
        return result
    finally:
        await asyncio.to_thread(process.stop)
        await emu.stop()
        if process.process.returncode not in (0, None):
            print(f"[{bot}] exit {process.process.returncode}:\n{process.log_text()[-3000:]}")
        shutil.rmtree(workdir, ignore_errors=True)


async def _drive(
    emu: MeasuringEmulator,
    process: BotProcess,
    bot: str,
    users: int,
    seconds: float,
    pace: float,
    seed: int,
    start_seconds: float,
    profile: bool,
) -> RunResult:
    bare = bot != "ours"
    people = []
    for n in range(users):
        rng = random.Random(seed * 1_000_003 + n)
        lang = "ru" if rng.random() < 0.7 else "en"
        user = emu.user(USER_IDS + n, f"P{n}", language_code=lang)
        people.append(Person_(user, lang, rng))
    steps = session_steps()
    await _warm_up(emu, steps, bare, seed)
    emu.requests.clear()
    emu.latency_ms.clear()
    if profile:
        process.process.send_signal(signal.SIGUSR1)
    errors_before = len(emu.errors)
    cpu_before = process.cpu()
    driver_before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.monotonic()
    stop_at = began + seconds
    tasks = [
        asyncio.create_task(
            _live(emu, person, steps, pace, person.rng.uniform(0, RAMP_SECONDS), stop_at, bare)
        )
        for person in people
    ]
    await asyncio.wait(tasks, timeout=seconds + REPLY_TIMEOUT + DRAIN_TIMEOUT)
    for task in tasks:
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.gather(*tasks, return_exceptions=True)
    elapsed = time.monotonic() - began
    cpu = process.cpu() - cpu_before
    if profile:
        process.process.send_signal(signal.SIGUSR2)
    driver_after = resource.getrusage(resource.RUSAGE_SELF)
    driver_cpu = (driver_after.ru_utime + driver_after.ru_stime) - (
        driver_before.ru_utime + driver_before.ru_stime
    )
    handled = len(emu.latency_ms)
    errors = Counter(f"{e.method} {e.error_code}" for e in emu.errors[errors_before:])
    return RunResult(
        bot=bot,
        users=users,
        seconds=elapsed,
        handled=handled,
        unanswered=sum(p.unanswered for p in people),
        latencies_ms=list(emu.latency_ms.values()),
        cpu_seconds=cpu,
        bot_rss_mib=process.rss(),
        driver_cpu_share=driver_cpu / elapsed,
        requests=Counter(r.method for r in emu.requests),
        errors=errors,
        start_seconds=start_seconds,
        alive=process.running(),
        skipped=sum(p.skipped for p in people),
    )


def session_steps() -> tuple[Step, ...]:
    """The session, plus adding a reminder when the main menu offers it (a "⏰" button)."""
    menu = main_menu(translator("en"))
    labels = [button.text for row in menu.inline_keyboard for button in row]
    if any(REMINDER_LABEL in label for label in labels):
        return (*SESSION, *REMINDER_STEPS)
    return SESSION


async def _warm_up(emu: MeasuringEmulator, steps: tuple[Step, ...], bare: bool, seed: int) -> None:
    """A few people run one quick session each before the measured run (not measured).

    First-time costs (lazy imports, Babel's locale data, the first rendering of a page) then
    fall outside the figures, which describe a bot that has been running for a while.
    """
    people = []
    for n in range(WARM_UP_PEOPLE):
        rng = random.Random(-seed - n)
        lang = ("ru", "en")[n % 2]
        user = emu.user(WARM_UP_IDS + n, f"W{n}", language_code=lang)
        people.append(Person_(user, lang, rng))
    stop_at = time.monotonic() + 2 * WARM_UP_THINK * len(steps) + REPLY_TIMEOUT
    await asyncio.gather(
        *(_live(emu, p, steps, 0.0, 0.0, stop_at, bare, once=True) for p in people)
    )
    await asyncio.sleep(1.0)


@dataclass(frozen=True)
class Row:
    """One line of the summary: one run, or the median of repeated runs."""

    users: int
    limit: str
    bot: str
    per_second: float
    p50: float
    p95: float
    p99: float
    worst: float
    cpu_ms: float
    unanswered: int
    ratio: float | None


def _row(runs: list[RunResult], ratios: list[float]) -> Row:
    """The median figures of repeated runs of one bot with one number of people."""

    def median(values: list[float]) -> float:
        return statistics.median(values) if values else math.nan

    first = runs[0]
    return Row(
        users=first.users,
        limit=first.limit,
        bot=first.bot,
        per_second=median([r.per_second for r in runs]),
        p50=median([percentile(r.latencies_ms, 0.5) for r in runs]),
        p95=median([percentile(r.latencies_ms, 0.95) for r in runs]),
        p99=median([percentile(r.latencies_ms, 0.99) for r in runs]),
        worst=max(max(r.latencies_ms, default=0.0) for r in runs),
        cpu_ms=median([r.cpu_ms_per_update for r in runs]),
        unanswered=sum(r.unanswered for r in runs),
        ratio=median(ratios) if ratios else None,
    )


def summary(results: list[RunResult]) -> list[str]:
    """The comparison table (medians when runs were repeated) and the goals, as lines."""
    repeats = max((r.repeat for r in results), default=0) + 1
    by_run = {(r.bot, r.users, r.limited, r.repeat): r for r in results}
    groups: dict[tuple[str, int, bool], list[RunResult]] = {}
    for r in results:
        groups.setdefault((r.bot, r.users, r.limited), []).append(r)
    rows = []
    for (bot, users, limited), runs in groups.items():
        ratios = []
        for run in runs:
            ours = by_run.get(("ours", users, limited, run.repeat))
            if ours is not None and bot != "ours":
                ratios.append(ours.cpu_ms_per_update / run.cpu_ms_per_update)
        rows.append(_row(runs, ratios))
    what = f"median of {repeats} runs" if repeats > 1 else "one run"
    lines = [
        f"figures: {what}",
        "| People | Telegram limit | Bot | Updates/s | p50 ms | p95 ms | p99 ms | max ms | "
        f"CPU ms/update | ours ÷ this | No reply in {REPLY_TIMEOUT:.0f} s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(
            f"| {row.users} | {row.limit} | {row.bot} | {row.per_second:.1f} | {row.p50:.1f} | "
            f"{row.p95:.1f} | {row.p99:.1f} | {row.worst:.1f} | {row.cpu_ms:.2f} | {ratio} | "
            f"{row.unanswered} |"
        )
    for baseline, name in (("bare", "the bare bot's"), ("shaped", "the shaped bot's")):
        values = [row.ratio for row in rows if row.bot == baseline and row.ratio is not None]
        if values:
            worst = max(values)
            verdict = "met" if worst <= GOAL_RATIO else "NOT met"
            lines.append(
                f"goal: per-update CPU at most {GOAL_RATIO}x {name}: "
                f"{', '.join(f'{x:.2f}' for x in values)} (worst {worst:.2f}): {verdict}"
            )
    for row in rows:
        if row.bot == "ours" and row.users == GOAL_USERS:
            verdict = "met" if row.p99 <= GOAL_P99_MS and row.unanswered == 0 else "NOT met"
            lines.append(
                f"goal: p99 reply under {GOAL_P99_MS:.0f} ms with {GOAL_USERS} people "
                f"(Telegram limit {row.limit}): {row.p99:.1f} ms: {verdict}"
            )
    return lines


async def main_async(args: argparse.Namespace) -> int:
    """Run every (people, bot) combination and print the report."""
    print(f"machine: {machine()}")
    steps = session_steps()
    nominal = statistics.mean(s.think for s in steps[1:])
    reminders = "with" if len(steps) > len(SESSION) else "without (no ⏰ in the menu)"
    print(
        f"session: {len(steps)} actions {reminders} adding a reminder, mean think time "
        f"{nominal * args.pace:.1f} s (x0.5-1.5 at random), {args.seconds:.0f} s per run, "
        f"people start over {RAMP_SECONDS:.0f} s"
    )
    plan = [(users, True) for users in args.users]
    plan += [(users, False) for users in args.no_limit_users]
    plan = [step for _ in range(args.repeat) for step in plan]
    results: list[RunResult] = []
    replies = Path(tempfile.mkdtemp(prefix="bench-replies-"))
    for index, (users, limited) in enumerate(plan):
        for bot in args.bots:
            result = await run_one(
                bot,
                users,
                args.seconds,
                args.pace,
                args.profile,
                args.seed,
                limited,
                replies,
                args.stalls,
            )
            result.repeat = index // (len(plan) // args.repeat)
            results.append(result)
            print(result.line(), flush=True)
            saved = (
                ""
                if result.reminders_saved is None
                else f"; reminders saved {result.reminders_saved}"
            )
            print(
                f"      start {result.start_seconds:.2f} s; steps skipped {result.skipped}{saved}; "
                f"calls {dict(result.requests)}"
            )
            if result.errors:
                print(f"      API errors {dict(result.errors)}")
            if not result.alive:
                print(f"      the {bot} bot process died during the run")
    shutil.rmtree(replies, ignore_errors=True)
    print()
    for line in summary(results):
        print(line)
    # With Telegram's limit, late replies are the limit's doing and are shown, not failures.
    failed = any(not r.alive or (r.unanswered and not r.limited) for r in results)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="*", default=[50, 200, 1000])
    parser.add_argument(
        "--no-limit-users",
        type=int,
        nargs="*",
        default=[],
        help="also run these numbers of people with AIORateLimiter's 30/s lifted",
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each run")
    parser.add_argument("--pace", type=float, default=1.0, help="multiplies every think time")
    parser.add_argument(
        "--bots",
        nargs="+",
        choices=["bare", "ours", "shaped"],
        default=["bare", "ours", "shaped"],
        help="shaped (bench/bare_bot.py with bot.py's recorded replies) needs ours before it",
    )
    parser.add_argument("--profile", type=Path, help="write cProfile output of each bot here")
    parser.add_argument(
        "--stalls", type=Path, help="write each bot's event-loop stalls (bench/stalls.py) here"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="run it all N times: medians")
    args = parser.parse_args(argv)
    for folder in (args.profile, args.stalls):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
