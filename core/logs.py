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
    "markdown_it": logging.WARNING,
}


class OneLine(logging.Filter):
    """Replace a traceback by the exception's type name: one line per event, and no exception
    message (which may quote a URL with the token, or a user's text) ever reaches the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Fold the exception into the message as `error=<Type>`; line breaks become \\n."""
        error = record.exc_info[1] if record.exc_info else None
        message = record.getMessage()
        if error is not None:
            message = f"{message} error={type(error).__name__}"
        if error is not None or "\n" in message or "\r" in message:
            record.msg = message.replace("\r", "\\r").replace("\n", "\\n")
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging(level: str | None = None) -> None:
    """Log to stderr, one line per event, at BOT_LOG_LEVEL (default INFO)."""
    chosen = (level or os.environ.get("BOT_LOG_LEVEL") or "INFO").upper()
    logging.basicConfig(
        level=getattr(logging, chosen, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        force=True,
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(OneLine())
    silence_noisy_loggers()


def silence_noisy_loggers() -> None:
    """Raise the loggers that would print tokens or message texts to a safe level."""
    for name, level in _QUIET.items():
        logging.getLogger(name).setLevel(level)
