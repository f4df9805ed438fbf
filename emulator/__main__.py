"""Run the Bot API emulator on its own: ``python -m emulator --port 8081 [--chat]``.

Prints the base URL to give the bot (``TELEGRAM_BASE_URL``-style). With ``--chat`` the terminal
becomes a simulated user's Telegram: type a message or a /command, type ``[Button label]`` to tap a
button; the bot's messages and edits are printed as they arrive.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from emulator.client import SimulatedUser, describe
from emulator.server import EXAMPLE_TOKEN, BotApiEmulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--chat", action="store_true", help="talk to the bot as a simulated user")
    parser.add_argument("--user-id", type=int, default=1001)
    parser.add_argument("--name", default="Иван")
    parser.add_argument("--language", default="ru")
    return parser.parse_args(argv)


async def print_bot_messages(user: SimulatedUser) -> None:
    """Print every new or edited bot message in the user's chat."""
    while True:
        with contextlib.suppress(TimeoutError):
            message = await user.wait_for_bot(timeout=3600)
            edited = " (edited)" if message.edit_date else ""
            print(f"\n< {describe(message)}{edited}")
            for row in message.button_rows:
                print("  " + " ".join(f"[{label}]" for label in row))


async def chat_loop(user: SimulatedUser) -> None:
    """Read lines from the terminal and send them as the user."""
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        line = line.strip()
        if not line:
            continue
        try:
            if line.startswith("[") and line.endswith("]"):
                await user.press(line[1:-1])
            else:
                await user.send(line)
        except (KeyError, ValueError) as error:
            print(f"! {error}")


async def main(argv: list[str] | None = None) -> None:
    """Start the emulator and keep it running until interrupted."""
    args = parse_args(argv)
    emu = BotApiEmulator()
    await emu.start(args.host, args.port)
    print(f"Bot API emulator on {emu.base_url}  (base_file_url {emu.base_file_url})")
    print(f"Any token shaped like Telegram's works, e.g. {EXAMPLE_TOKEN}", flush=True)
    try:
        if args.chat:
            user = emu.user(args.user_id, args.name, language_code=args.language)
            print(f"You are {args.name} (id {args.user_id}). Type /start; [label] taps a button.")
            printer = asyncio.create_task(print_bot_messages(user))
            await chat_loop(user)
            printer.cancel()
        else:
            await asyncio.Event().wait()
    finally:
        await emu.stop()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
