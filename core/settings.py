"""Settings: read and validate the bot's configuration from the environment.

The environment is the only source of configuration (see the README's table). Every problem is
reported as one `SettingsError` whose text names the variable and says what to set, so that
`bot.py` can print a single clear line and exit with status 2 instead of a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DB_PATH = "data/bot.sqlite3"
DEFAULT_CONTENT_DIR = "content"
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1"
DEFAULT_WEBHOOK_PORT = 8080

_TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,}$")


class SettingsError(Exception):
    """A configuration value is missing or malformed; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    """The validated configuration of one bot process."""

    token: str
    api_base_url: str
    db_path: Path
    admin_ids: frozenset[int]
    content_dir: Path
    webhook_url: str | None = None
    webhook_listen: str = DEFAULT_WEBHOOK_LISTEN
    webhook_port: int = DEFAULT_WEBHOOK_PORT

    def is_staff(self, user_id: int | None) -> bool:
        """Whether this Telegram user id is listed in BOT_ADMIN_IDS."""
        return user_id is not None and user_id in self.admin_ids


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build `Settings` from the environment, raising `SettingsError` on the first problem."""
    env = os.environ if env is None else env
    return Settings(
        token=_token(env.get("TELEGRAM_BOT_TOKEN", "").strip()),
        api_base_url=_base_url(env.get("TELEGRAM_API_BASE_URL", "").strip()),
        db_path=_db_path(env.get("BOT_DB_PATH", "").strip() or DEFAULT_DB_PATH),
        admin_ids=_admin_ids(env.get("BOT_ADMIN_IDS", "")),
        content_dir=_content_dir(env.get("BOT_CONTENT_DIR", "").strip() or DEFAULT_CONTENT_DIR),
        webhook_url=_webhook_url(env.get("TELEGRAM_WEBHOOK_URL", "").strip()),
        webhook_listen=env.get("TELEGRAM_WEBHOOK_LISTEN", "").strip() or DEFAULT_WEBHOOK_LISTEN,
        webhook_port=_port(env.get("TELEGRAM_WEBHOOK_PORT", "").strip()),
    )


def _token(value: str) -> str:
    if not value:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is not set: set it to the token @BotFather gave you "
            "(or run `make demo`, which needs no token)"
        )
    if not _TOKEN_SHAPE.match(value):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is malformed: set it to the token @BotFather gave you, "
            "shaped like 123456789:AA... (digits, a colon, then letters)"
        )
    return value


def _base_url(value: str) -> str:
    if not value:
        return DEFAULT_API_BASE_URL
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(
            "TELEGRAM_API_BASE_URL is malformed: set it to a URL such as "
            f"{DEFAULT_API_BASE_URL} or http://127.0.0.1:8081/bot, or leave it unset"
        )
    return value


def _admin_ids(value: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise SettingsError(
                "BOT_ADMIN_IDS is malformed: set it to comma-separated numeric Telegram user ids, "
                "e.g. BOT_ADMIN_IDS=12345,67890 (usernames are not accepted)"
            )
        ids.add(int(part))
    return frozenset(ids)


def _db_path(value: str) -> Path:
    path = Path(value)
    if path.exists() and path.is_dir():
        raise SettingsError(
            f"BOT_DB_PATH points to a folder ({value}): set it to a file path such as "
            f"{DEFAULT_DB_PATH}"
        )
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise SettingsError(
            f"BOT_DB_PATH is not writable: cannot create the folder {folder}; set BOT_DB_PATH "
            "to a file in a folder this user can write"
        ) from None
    writable = os.access(path, os.W_OK) if path.exists() else os.access(folder, os.W_OK)
    if not writable:
        raise SettingsError(
            f"BOT_DB_PATH is not writable ({value}): set BOT_DB_PATH to a file in a folder "
            "this user can write"
        )
    return path


def _content_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise SettingsError(
            f"BOT_CONTENT_DIR is not a folder ({value}): set it to the content folder "
            f"(default: {DEFAULT_CONTENT_DIR}, run from the repository root)"
        )
    return path


def _webhook_url(value: str) -> str | None:
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme != "https" or not parsed.netloc:
        raise SettingsError(
            "TELEGRAM_WEBHOOK_URL is malformed: set it to the public https:// URL of this bot, "
            "or leave it unset to use polling"
        )
    return value


def _port(value: str) -> int:
    if not value:
        return DEFAULT_WEBHOOK_PORT
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise SettingsError("TELEGRAM_WEBHOOK_PORT is malformed: set it to a port number 1-65535")
    return int(value)
