"""Fixtures for the emulator tests: fake clocks, a running emulator, a python-telegram-bot Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from emulator.limits import ManualClock
from emulator.server import EXAMPLE_TOKEN, BotApiEmulator

START_WALL_TIME = 1_795_000_000.0  # 2026-11-18, a fixed date for message dates


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta retry_after, so reading it does not warn."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def clock() -> ManualClock:
    """The emulator's monotonic clock (flood limits, callback query age)."""
    return ManualClock(1000.0)


@pytest.fixture
def wall() -> ManualClock:
    """The emulator's wall clock (message dates, the 48-hour delete window)."""
    return ManualClock(START_WALL_TIME)


@pytest.fixture
async def emu(clock: ManualClock, wall: ManualClock) -> AsyncIterator[BotApiEmulator]:
    """A running emulator on a free port."""
    async with BotApiEmulator(monotonic=clock, wall_clock=wall) as emulator:
        yield emulator


@pytest.fixture
def make_bot(emu: BotApiEmulator) -> Callable[..., Bot]:
    """Build the real python-telegram-bot Bot pointed at the emulator (not yet initialized)."""

    def build(token: str = EXAMPLE_TOKEN, read_timeout: float = 3.0) -> Bot:
        return Bot(
            token,
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            request=HTTPXRequest(connection_pool_size=8, read_timeout=read_timeout),
            get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=read_timeout),
        )

    return build


@pytest.fixture
async def bot(make_bot: Callable[..., Bot]) -> AsyncIterator[Bot]:
    """An initialized Bot talking to the emulator."""
    async with make_bot() as telegram_bot:
        yield telegram_bot
