"""Logging setup: one line per event, and nothing personal or secret in any line.

httpx logs every request URL at INFO, and the URL carries the bot token, so httpx and httpcore
are raised to WARNING. python-telegram-bot logs whole updates (with message texts) at DEBUG, so
its loggers stay at INFO or above whatever the root level is.
"""

from __future__ import annotations

import logging
import os

_QUIET = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "telegram.ext": logging.INFO,
    "apscheduler": logging.WARNING,
    "aiohttp.access": logging.WARNING,
}


def configure_logging(level: str | None = None) -> None:
    """Log to stderr, one line per event, at BOT_LOG_LEVEL (default INFO)."""
    chosen = (level or os.environ.get("BOT_LOG_LEVEL") or "INFO").upper()
    logging.basicConfig(
        level=getattr(logging, chosen, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        force=True,
    )
    silence_noisy_loggers()


def silence_noisy_loggers() -> None:
    """Raise the loggers that would print tokens or message texts to a safe level."""
    for name, level in _QUIET.items():
        logging.getLogger(name).setLevel(level)
