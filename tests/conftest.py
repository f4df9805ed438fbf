"""Shared fixtures: the emulator, and the real bot running against it with a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator.server import BotApiEmulator
from tests.harness import STAFF_ID, BotHarness, make_settings


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A fresh Bot API emulator on 127.0.0.1."""
    async with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
async def bot(emulator: BotApiEmulator, tmp_path: Path) -> AsyncIterator[BotHarness]:
    """The real bot, started against the emulator, with a fresh database."""
    emulator.user(user_id=STAFF_ID, first_name="Staff", language_code="ru")  # staff opened the bot
    harness = BotHarness(emulator, make_settings(emulator, tmp_path))
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
        assert emulator.errors == [], f"the emulator refused the bot: {emulator.errors}"
