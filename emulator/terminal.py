"""The terminal demo: chat with the real bot through the local emulator, no token needed.

`make demo` runs `python -m emulator.terminal`: it starts the emulator on 127.0.0.1, starts
`python bot.py` pointed at it (a made-up token, a demo database under data/), and turns this
terminal into the chat. Formatting is shown with terminal styles, buttons are numbered: type the
number to press one. A line ending in a backslash continues on the next line (for messages of
several lines). /quit leaves. The bot's own log goes to data/demo-bot.log.

Each flavour (`--lang ru`, `--lang en`, `--staff`) has its own database, emptied at start, so
every demo begins as a new user in its own language.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from emulator.client import SimulatedUser, describe
from emulator.server import BotApiEmulator
from emulator.state import BotEvent, ChatMessage

ROOT = Path(__file__).resolve().parent.parent
DEMO_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
DEMO_USER_ID = 1001
READY_TIMEOUT = 20.0
STAFF_AUDIENCE = 5  # simulated users who receive a staff member's announcements in the demo

BOLD, ITALIC, UNDERLINE = "\033[1m", "\033[3m", "\033[4m"
DIM, CYAN, RESET = "\033[2m", "\033[36m", "\033[0m"
STYLE = {"bold": BOLD, "italic": ITALIC, "underline": UNDERLINE, "code": CYAN, "pre": CYAN}


def styled(text: str, entities: list[dict[str, Any]], colour: bool) -> str:
    """Show Telegram entities with terminal styles; links as "text ‹url›"; quotes with a bar."""
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    quoted: list[tuple[int, int]] = []
    for entity in entities:
        start, end, kind = entity["offset"], entity["offset"] + entity["length"], entity["type"]
        if kind == "text_link":
            url = f"‹{entity['url']}›"
            closes.setdefault(end, []).append(f" {DIM}{url}{RESET}" if colour else f" {url}")
        elif kind in ("blockquote", "expandable_blockquote"):
            quoted.append((start, end))
        elif colour and kind in STYLE:
            opens.setdefault(start, []).append(STYLE[kind])
            closes.setdefault(end, []).append(RESET)
    out: list[str] = []
    position = 0  # in UTF-16 code units, as Telegram counts
    for char in [*text, ""]:
        out.extend(closes.get(position, []))
        if any(start == position for start, _ in quoted):
            out.append("│ ")
        out.extend(opens.get(position, []))
        out.append(char)
        if char == "\n" and any(start <= position < end - 1 for start, end in quoted):
            out.append("│ ")
        position += len(char.encode("utf-16-le")) // 2
    return "".join(out)


class TerminalChat:
    """Prints what the bot does in the user's chat and numbers the buttons to press."""

    def __init__(self, user: SimulatedUser, colour: bool) -> None:
        self.user = user
        self.colour = colour
        self.cursor = 0
        self.numbered: list[tuple[ChatMessage, str]] = []

    def print_new_events(self) -> None:
        """Print every bot action since the last call."""
        events = self.user.chat.events
        while self.cursor < len(events):
            event: BotEvent = events[self.cursor]
            self.cursor += 1
            self.print_event(event)

    def print_event(self, event: BotEvent) -> None:
        """One sent, edited or deleted message."""
        message = event.message
        if event.kind == "deleted":
            print(self._dim("  (the bot deleted a message)"))
            return
        head = "✎ edited" if event.kind == "edited" else "🤖"
        if message.kind == "text":
            body = styled(message.text or "", message.entities, self.colour)
        else:
            caption = styled(message.caption or "", message.caption_entities, self.colour)
            body = f"[{describe(message).split(']')[0].lstrip('[')}] {caption}".strip()
        print(f"\n{self._dim(head)}\n{body}")
        rows = message.button_rows
        if rows:
            self.numbered = []
            for row in rows:
                cells = []
                for label in row:
                    self.numbered.append((message, label))
                    cells.append(f"[{len(self.numbered)}] {label}")
                print("   " + "   ".join(cells))

    def button(self, number: int) -> tuple[ChatMessage, str] | None:
        """The button shown with this number, if any."""
        return self.numbered[number - 1] if 1 <= number <= len(self.numbered) else None

    def _dim(self, text: str) -> str:
        return f"{DIM}{text}{RESET}" if self.colour else text


def audience_report(audience: list[SimulatedUser]) -> str:
    """What the other simulated users received, so staff can see an announcement arrived once."""
    lines = ["", "What the other simulated users received (besides the greeting and menu):"]
    for person in audience:
        extra = [m.body.splitlines()[0][:60] for m in person.bot_messages[2:] if m.body]
        lines.append(
            f"  {person.person.first_name} ({person.person.language_code}): "
            + ("; ".join(extra) if extra else "nothing else")
        )
    return "\n".join(lines)


def demo_database(lang: str, staff: bool) -> Path:
    """The flavour's own database file: a demo in one language never inherits another's user."""
    return ROOT / "data" / f"demo-{lang}{'-staff' if staff else ''}.sqlite3"


def fresh_database(path: Path) -> None:
    """Remove a previous run's database (and its WAL files) so the demo starts as a new user."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def bot_environment(base_url: str, staff: bool, database: Path) -> dict[str, str]:
    """The environment the demo bot runs with: the emulator, a demo database, maybe staff."""
    env = dict(os.environ)
    env.update(
        TELEGRAM_BOT_TOKEN=DEMO_TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        BOT_DB_PATH=str(database),
        BOT_CONTENT_DIR=env.get("BOT_CONTENT_DIR", str(ROOT / "content")),
        BOT_ADMIN_IDS=str(DEMO_USER_ID) if staff else "",
        PYTHONUNBUFFERED="1",
    )
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    return env


async def wait_until_polling(emu: BotApiEmulator, bot: asyncio.subprocess.Process) -> None:
    """Return once the bot has asked for updates (it is ready), or raise if it died."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        try:
            await emu.wait_for_request("getUpdates", timeout=0.2)
            return
        except TimeoutError:
            if bot.returncode is not None:
                message = "the bot stopped during start-up: see data/demo-bot.log"
                raise RuntimeError(message) from None
    raise RuntimeError("the bot did not start in time: see data/demo-bot.log")


async def read_line(prompt: str) -> str | None:
    """One line from the terminal without blocking the event loop; None at end of input."""
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(None, input, prompt)
    except EOFError:
        return None


async def read_message(prompt: str) -> str | None:
    """One message: lines ending in a backslash continue on the next line; None at end of input."""
    lines: list[str] = []
    while True:
        line = await read_line(prompt if not lines else "… ")
        if line is None:
            return "\n".join(lines) if lines else None
        if line.endswith("\\"):
            lines.append(line[:-1])
            continue
        lines.append(line)
        return "\n".join(lines)


async def chat_loop(user: SimulatedUser, view: TerminalChat) -> None:
    """Read what the person types and send it, printing the bot's replies as they come."""

    async def printer() -> None:
        while True:
            view.print_new_events()
            await user.chat.changed.wait()

    printing = asyncio.create_task(printer())
    try:
        while True:
            line = await read_message("\n> ")
            if line is None or line.strip() in ("/quit", "/exit"):
                return
            line = line.strip()
            if not line:
                continue
            if line.isdigit() and view.button(int(line)) is not None:
                message, label = view.button(int(line))  # type: ignore[misc]
                try:
                    await user.press(label, message)
                except (KeyError, ValueError) as problem:
                    print(f"  ({problem})")
                continue
            await user.send(line)
            with contextlib.suppress(TimeoutError):
                await user.wait_for_bot(timeout=5.0)
            await asyncio.sleep(0.3)  # let a multi-message answer arrive before the prompt
            view.print_new_events()
    finally:
        printing.cancel()


async def run_demo(lang: str, staff: bool, colour: bool) -> int:
    """Start the emulator and the bot, chat until /quit, then stop both."""
    (ROOT / "data").mkdir(exist_ok=True)
    log_path = ROOT / "data" / "demo-bot.log"
    database = demo_database(lang, staff)
    fresh_database(database)
    async with BotApiEmulator() as emu:
        user = emu.user(user_id=DEMO_USER_ID, first_name="Demo", language_code=lang)
        with log_path.open("wb") as log:
            bot = await asyncio.create_subprocess_exec(
                sys.executable,
                str(ROOT / "bot.py"),
                cwd=ROOT,
                env=bot_environment(emu.base_url, staff, database),
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
            try:
                await wait_until_polling(emu, bot)
                print(
                    "Chat with the bot. Type a message or a command (/start), "
                    "a number to press a button (the number in [brackets] before its label), "
                    "a line ending in \\ to continue on the next line, /quit to leave."
                    + (
                        f" You are staff: try /broadcast, /stats, /reload; {STAFF_AUDIENCE} "
                        "other simulated users (ru, en, uk) have started the bot."
                        if staff
                        else ""
                    )
                )
                audience = [
                    emu.user(
                        user_id=DEMO_USER_ID + n,
                        first_name=f"User {n}",
                        language_code=("ru", "en", "uk")[n % 3],
                    )
                    for n in range(1, STAFF_AUDIENCE + 1 if staff else 1)
                ]
                for other in audience:
                    await other.send("/start")
                await user.send("/start")
                with contextlib.suppress(TimeoutError):  # the greeting comes before the prompt
                    await user.wait_for_bot(timeout=5.0)
                await chat_loop(user, TerminalChat(user, colour))
                if audience:
                    print(audience_report(audience))
            except RuntimeError as problem:
                print(problem, file=sys.stderr)
                return 1
            finally:
                if bot.returncode is None:
                    bot.send_signal(signal.SIGTERM)
                    try:  # the emulator must keep answering while the bot says goodbye
                        await asyncio.wait_for(bot.wait(), 10)
                    except TimeoutError:
                        bot.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the demo's options and run it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="ru", help="the simulated user's Telegram language")
    parser.add_argument("--staff", action="store_true", help="make the demo user a staff member")
    parser.add_argument("--no-colour", action="store_true", help="plain text, no terminal styles")
    args = parser.parse_args(argv)
    colour = not args.no_colour and sys.stdout.isatty()
    try:
        return asyncio.run(run_demo(args.lang, args.staff, colour))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
