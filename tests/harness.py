"""Runs the real bot in-process against the emulator, and waits on events instead of sleeping.

`BotHarness.start()` builds the application exactly as bot.py does (same settings, same
handlers), points python-telegram-bot at the emulator, and polls. After a simulated user acts,
`settle()` waits until the bot has confirmed the update (getUpdates offset moved past it) and
has finished processing everything it fetched.
"""

from __future__ import annotations

import asyncio
import functools
import os
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot import build_application
from core.clock import FakeClock
from core.settings import Settings
from emulator.client import SimulatedUser
from emulator.server import BotApiEmulator, ChatMessage
from storage.db import open_database

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
STAFF_ID = 900001
SETTLE_TIMEOUT = 10.0
HUMAN_PAUSE = timedelta(seconds=1)


@functools.cache
def _migrated_database() -> bytes:
    """The bytes of an empty database with every migration applied, made once per process:
    each end-to-end test starts from a copy instead of migrating its own (issue 15.7)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.sqlite3"
        open_database(path).close()  # the last connection folds the WAL into the file
        return path.read_bytes()


def fresh_database(path: Path) -> Path:
    """A new, migrated database at `path` (owner-only, as the bot creates its own)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(_migrated_database())
    return path


def make_settings(emulator: BotApiEmulator, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings as the tests use them: the emulator's URL, a fresh database, one staff id."""
    values: dict[str, Any] = {
        "token": TOKEN,
        "api_base_url": emulator.base_url,
        "db_path": fresh_database(tmp_path / "bot.sqlite3"),
        "admin_ids": frozenset({STAFF_ID}),
        "content_dir": ROOT / "content",
    }
    values.update(overrides)
    return Settings(**values)


# The "Where am I?" button and its Skip, by language (what people press).
TRIAGE_START = {
    "ru": "🧭 Где я сейчас? Несколько вопросов",
    "en": "🧭 Where am I? A few questions",
    "uk": "🧭 Де я зараз? Кілька запитань",
}
SKIP = {"ru": "Пропустить", "en": "Skip", "uk": "Пропустити"}
# Released after a positive fear interview, a court date on the NTA, the I-589 not yet filed:
# the answers up to the arrival-date question, in English.
RELEASED_WITH_A_COURT_DATE = (
    "Myself",
    "Russia",
    "No",
    "Yes",
    "Positive (passed)",
    "Yes, with a court date",
    "Not yet",
)


@dataclass
class BotHarness:
    """The bot under test, the emulator it talks to, and the fake clock it reads."""

    emulator: BotApiEmulator
    settings: Settings
    clock: FakeClock = field(default_factory=FakeClock)
    app: Application = field(init=False)  # type: ignore[type-arg]

    async def start(self) -> None:
        """Build and start the bot; returns once it polls."""
        self.app = build_application(self.settings, self.clock)
        await self.app.initialize()
        if self.app.post_init is not None:
            await self.app.post_init(self.app)
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1)

    async def stop(self) -> None:
        """Stop polling and shut the bot down cleanly."""
        assert self.app.updater is not None
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()
        if self.app.post_shutdown is not None:
            await self.app.post_shutdown(self.app)

    async def settle(self, update_id: int) -> None:
        """Wait until the bot fetched update `update_id` and processed all it fetched."""
        await self.emulator.wait_confirmed(update_id, timeout=SETTLE_TIMEOUT)
        await asyncio.wait_for(self.app.update_queue.join(), SETTLE_TIMEOUT)

    def human_pause(self) -> None:
        """A person takes about a second between actions (keeps flood control out of stories)."""
        self.clock.advance(HUMAN_PAUSE)

    async def say(self, user: SimulatedUser, text: str) -> None:
        """The user sends `text`; returns when the bot has handled it."""
        self.human_pause()
        await self.settle(_sent(await user.send(text)))

    async def press(self, user: SimulatedUser, label: str) -> None:
        """The user presses the button labelled `label`; returns when the bot has handled it."""
        self.human_pause()
        await self.settle(_sent(await user.press(label)))

    async def where_am_i(self, user: SimulatedUser, *labels: str, skip_rest: bool = False) -> None:
        """From the menu, start "Where am I?" in the user's language, press `labels` in turn,
        and, with `skip_rest`, press Skip until the checklist comes."""
        lang = user.person.language_code or "ru"
        await self.say(user, "/menu")
        await self.press(user, TRIAGE_START[lang])
        for label in labels:
            await self.press(user, label)
        while skip_rest and SKIP[lang] in user.last.buttons:
            await self.press(user, SKIP[lang])

    async def press_forged(self, user: SimulatedUser, data: str) -> None:
        """A button press carrying `data` the bot never sent (on the newest bot message)."""
        message = user.last_bot_message
        assert message is not None
        self.human_pause()
        await self.settle(_sent(self.emulator.press_button(user.chat, user.person, message, data)))

    async def send(self, update_id: int | None) -> None:
        """Wait for an update the test queued some other way (a sticker, a photo)."""
        self.human_pause()
        await self.settle(_sent(update_id))

    async def press_data(self, user: SimulatedUser, message: ChatMessage, data: str) -> None:
        """Press the button carrying `data` on `message`, as Telegram would send it."""
        self.human_pause()
        await self.settle(_sent(self.emulator.press_button(user.chat, user.person, message, data)))


def _sent(update_id: int | None) -> int:
    assert update_id is not None, "the emulator did not queue the update"
    return update_id
