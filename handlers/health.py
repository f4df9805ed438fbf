"""Health: the heartbeat the bot writes for tools/health.py, and knowing that getUpdates works.

`PollWatch` is the HTTP client of the getUpdates calls (PTB's own HTTPXRequest, with the one
connection PTB gives them by default) that also remembers when one last succeeded, and logs
one line when getUpdates starts failing and one when Telegram answers again. Every
HEARTBEAT_SECONDS a JobQueue job writes the moment of the last successful getUpdates, the
bot's version and its pid to the heartbeat row (storage/health.py), so tools/health.py can
tell whether the bot is alive and polling without talking to Telegram. A failed write is one
log line, retried at the next beat.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram.error import NetworkError
from telegram.ext import Application
from telegram.request import HTTPXRequest

from core.clock import Clock
from delivery.http import httpx_options
from handlers.context import SERVICES_KEY, Context, Services
from handlers.webhook import SERVING_KEY as WEBHOOK_SERVING
from storage.health import HealthStore, Heartbeat, problem

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30.0
FIRST_BEAT_SECONDS = 5.0
HEALTH_KEY = "health"
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def bot_version() -> str:
    """The version in pyproject.toml ("unknown" if it cannot be read)."""
    try:
        return str(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


class PollWatch(HTTPXRequest):
    """The getUpdates HTTP client; `last_ok` is when a getUpdates call last got an answer.

    It also logs one line when getUpdates starts failing (PTB retries quietly) and one when
    Telegram answers again, with how long it took.
    """

    def __init__(self, clock: Clock) -> None:
        super().__init__(connection_pool_size=1, httpx_kwargs=httpx_options())
        self._clock = clock
        self.last_ok: datetime | None = None
        self.failing_since: datetime | None = None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send the request; note the time when Telegram answered it with a success."""
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except NetworkError as error:  # also TimedOut
            self._failing(type(error).__name__)
            raise
        if 200 <= code < 300:
            now = self._clock.now()
            if self.failing_since is not None:
                down = (now - self.failing_since).total_seconds()
                log.info("telegram_reachable_again after_seconds=%.0f", down)
                self.failing_since = None
            self.last_ok = now
        elif code >= 500:
            self._failing(f"http_{code}")
        return code, payload

    def _failing(self, what: str) -> None:
        if self.failing_since is None:
            self.failing_since = self._clock.now()
            log.warning("telegram_unreachable error=%s", what)


@dataclass
class Health:
    """What the heartbeat job needs: where to write, what polling saw, when the bot started."""

    store: HealthStore
    watch: PollWatch
    started_at: datetime
    version: str


def attach(app: Application, store: HealthStore, watch: PollWatch, clock: Clock) -> None:  # type: ignore[type-arg]
    """Keep what the heartbeat needs in bot_data (bot.py calls this after building the app)."""
    app.bot_data[HEALTH_KEY] = Health(store, watch, clock.now(), bot_version())


def schedule(app: Application) -> None:  # type: ignore[type-arg]
    """Write a first heartbeat now, then every HEARTBEAT_SECONDS (bot.py's post_init)."""
    health: Health | None = app.bot_data.get(HEALTH_KEY)
    if health is None:
        return
    write(app, health)
    if app.job_queue is not None:
        # A job due before the scheduler starts would be skipped: the first beat is a bit later.
        app.job_queue.run_repeating(
            beat, interval=HEARTBEAT_SECONDS, first=FIRST_BEAT_SECONDS, name="heartbeat"
        )


async def beat(context: Context) -> None:
    """The heartbeat job."""
    health: Health | None = context.application.bot_data.get(HEALTH_KEY)
    if health is not None:
        write(context.application, health)


def write(app: Application, health: Health) -> None:  # type: ignore[type-arg]
    """Write the heartbeat row: now, the last successful getUpdates, version, pid."""
    svc: Services = app.bot_data[SERVICES_KEY]
    now = svc.clock.now()
    serving = bool(app.bot_data.get(WEBHOOK_SERVING))  # our webhook server (bot.py)
    receiving = serving or (app.updater is not None and app.updater.running)
    webhook = svc.settings.webhook_url is not None
    polled_at = (now if receiving else None) if webhook else health.watch.last_ok
    heartbeat = Heartbeat(
        beat_at=now,
        polled_at=polled_at,
        mode="webhook" if webhook else "polling",
        version=health.version,
        pid=os.getpid(),
        started_at=health.started_at,
    )
    try:
        health.store.beat(heartbeat)
    except sqlite3.Error as error:
        log.error("heartbeat_not_written reason=%s", problem(error))
