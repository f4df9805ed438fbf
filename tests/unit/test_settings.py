"""Settings come from the environment; every bad value is one clear error naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import DEFAULT_API_BASE_URL, SettingsError, load_settings

TOKEN = "123456789:" + "A" * 35


def env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    values = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "BOT_DB_PATH": str(tmp_path / "db" / "bot.sqlite3"),
        "BOT_CONTENT_DIR": str(tmp_path),
    }
    values.update(overrides)
    return values


def test_defaults_and_parsing(tmp_path: Path) -> None:
    settings = load_settings(env(tmp_path, BOT_ADMIN_IDS=" 12, 34 ,"))
    assert settings.token == TOKEN
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.admin_ids == frozenset({12, 34})
    assert settings.db_path == tmp_path / "db" / "bot.sqlite3"
    assert settings.webhook_url is None
    assert settings.is_staff(12)
    assert not settings.is_staff(56)
    assert not settings.is_staff(None)


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
        ({"BOT_ADMIN_IDS": "12,@boss"}, "BOT_ADMIN_IDS is malformed"),
        ({"BOT_ADMIN_IDS": "12;34"}, "BOT_ADMIN_IDS is malformed"),
        ({"TELEGRAM_API_BASE_URL": "localhost:8081"}, "TELEGRAM_API_BASE_URL is malformed"),
        ({"BOT_CONTENT_DIR": "/nonexistent/content"}, "BOT_CONTENT_DIR is not a folder"),
        ({"TELEGRAM_WEBHOOK_URL": "http://example.org/hook"}, "TELEGRAM_WEBHOOK_URL is malformed"),
        ({"TELEGRAM_WEBHOOK_PORT": "99999"}, "TELEGRAM_WEBHOOK_PORT is malformed"),
    ],
)
def test_bad_values_name_the_variable(
    tmp_path: Path, overrides: dict[str, str], variable: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env(tmp_path, **overrides))
    assert str(caught.value).startswith(variable)
    assert "\n" not in str(caught.value)


def test_unwritable_db_path(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "bot.sqlite3").write_text("")
    (locked / "bot.sqlite3").chmod(0o400)
    locked.chmod(0o500)
    try:
        import os

        if os.access(locked / "bot.sqlite3", os.W_OK):  # root ignores permissions
            pytest.skip("running as a user that can write anywhere")
        with pytest.raises(SettingsError, match=r"^BOT_DB_PATH is not writable"):
            load_settings(env(tmp_path, BOT_DB_PATH=str(locked / "bot.sqlite3")))
    finally:
        locked.chmod(0o700)


def test_db_path_under_a_file_is_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SettingsError, match=r"^BOT_DB_PATH is not writable"):
        load_settings(env(tmp_path, BOT_DB_PATH=str(blocker / "bot.sqlite3")))


def test_db_path_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^BOT_DB_PATH points to a folder"):
        load_settings(env(tmp_path, BOT_DB_PATH=str(tmp_path)))
