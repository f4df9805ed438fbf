"""`python bot.py` and `python -m emulator.terminal` as real processes: config errors, signals,
webhook mode, logs without secrets, and the demo."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from emulator.server import BotApiEmulator
from tests.harness import ROOT, TOKEN

PROCESS_TIMEOUT = 30.0


def bot_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        BOT_DB_PATH=str(tmp_path / "bot.sqlite3"),
        BOT_CONTENT_DIR=str(ROOT / "content"),
        PYTHONUNBUFFERED="1",
    )
    env.update(values)
    return env


async def run_bot(env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "bot.py",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), PROCESS_TIMEOUT)
    return process.returncode or 0, output.decode()


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN"),
        ({"BOT_ADMIN_IDS": "1,two"}, "BOT_ADMIN_IDS"),
        ({"BOT_DB_PATH": "/proc/no/such/place/bot.sqlite3"}, "BOT_DB_PATH"),
    ],
)
async def test_bad_configuration_prints_one_line_and_exits_2(
    tmp_path: Path, values: dict[str, str], variable: str
) -> None:
    code, output = await run_bot(bot_env(tmp_path, **values))
    assert code == 2
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert variable in lines[0]
    assert "Traceback" not in output


async def wait_for_polling(emulator: BotApiEmulator) -> None:
    await emulator.wait_for_request("getUpdates", timeout=PROCESS_TIMEOUT)


async def test_polling_process_answers_and_stops_gracefully_on_sigterm(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    user = emulator.user(user_id=2001, first_name="Секретное Имя", language_code="ru")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "bot.py",
        cwd=ROOT,
        env=bot_env(tmp_path, TELEGRAM_API_BASE_URL=emulator.base_url, BOT_LOG_LEVEL="DEBUG"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = asyncio.create_task(process.communicate())  # read while it runs: no full pipe
    try:
        await wait_for_polling(emulator)
        await user.send("/start мой секретный текст")
        reply = await user.wait_for_bot(timeout=PROCESS_TIMEOUT)
        assert reply.body.startswith("Здравствуйте!")
        process.send_signal(signal.SIGTERM)
        stdout, _ = await asyncio.wait_for(output, PROCESS_TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
    log = stdout.decode()
    assert process.returncode == 0, log
    assert "stopped" in log
    for secret in (TOKEN, TOKEN.split(":")[1], "секретный", "Секретное", "Имя"):
        assert secret not in log, f"the log carries {secret!r}"
    assert emulator.errors == []


async def test_webhook_mode_receives_updates_with_the_secret(
    emulator: BotApiEmulator, tmp_path: Path, unused_tcp_port: int
) -> None:
    user = emulator.user(user_id=2002, first_name="Anna", language_code="en")
    url = "https://bot.example.org/hook"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "bot.py",
        cwd=ROOT,
        env=bot_env(
            tmp_path,
            TELEGRAM_API_BASE_URL=emulator.base_url,
            TELEGRAM_WEBHOOK_URL=url,
            TELEGRAM_WEBHOOK_PORT=str(unused_tcp_port),
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = asyncio.create_task(process.communicate())
    try:
        await emulator.wait_for_request("setWebhook", timeout=PROCESS_TIMEOUT)
        assert emulator.webhook is not None
        assert emulator.webhook.secret_token
        # Deliver to the local listener instead of the public URL the bot registered.
        emulator.webhook.url = f"http://127.0.0.1:{unused_tcp_port}/hook"
        await user.send("/help")
        reply = await user.wait_for_bot(timeout=PROCESS_TIMEOUT)
        assert reply.body.startswith("What I can do")
        process.send_signal(signal.SIGTERM)
        stdout, _ = await asyncio.wait_for(output, PROCESS_TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0, stdout.decode()


async def test_demo_starts_and_answers_in_the_terminal(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "emulator.terminal",
        "--lang",
        "ru",
        "--no-colour",
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(b"/help\n1\n/quit\n"), PROCESS_TIMEOUT)
    text = output.decode()
    assert process.returncode == 0, text
    assert "Здравствуйте!" in text
    assert "Что я умею" in text
    assert "[1]" in text


async def test_unreachable_bot_api_is_one_clear_line(tmp_path: Path) -> None:
    code, output = await run_bot(bot_env(tmp_path, TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot"))
    assert code == 1
    assert (
        output.strip().splitlines()[-1].startswith("Cannot reach the Bot API at http://127.0.0.1:9")
    )
    assert "Traceback" not in output
    assert TOKEN.split(":")[1] not in output


async def run_demo_process(*args: str, typed: bytes) -> str:
    """Run `python -m emulator.terminal` with these options, type this input, return the output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "emulator.terminal",
        "--no-colour",
        *args,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(typed), PROCESS_TIMEOUT)
    text = output.decode()
    assert process.returncode == 0, text
    return text


async def test_each_demo_flavour_starts_as_a_new_user_in_its_own_language() -> None:
    # A Russian demo that switches to Ukrainian, then the English demo: it must greet in English,
    # as a new user, not in the language the previous demo left behind.
    await run_demo_process("--lang", "ru", typed=b"2\n/quit\n")
    english = await run_demo_process("--lang", "en", typed=b"/quit\n")
    assert "Hello!" in english
    assert "Здравствуйте" not in english
    russian = await run_demo_process("--lang", "ru", typed=b"/quit\n")
    assert "Здравствуйте!" in russian
