"""Every command, end to end: a simulated user talks to the real bot through the emulator."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from emulator.server import BotApiEmulator
from tests.harness import STAFF_ID, BotHarness


async def test_start_greets_in_russian_and_opens_the_menu(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    ivan = emulator.user(user_id=1001, first_name="Иван", language_code="ru")
    await bot.say(ivan, "/start")
    assert len(ivan.bot_messages) == 1  # one message: greeting, the legal-advice line and menu
    greeting = ivan.last
    assert greeting.body.startswith("Здравствуйте!")
    assert "не юридическая консультация" in greeting.body
    assert "Главное меню" in greeting.body
    assert "📚 Темы" in greeting.buttons
    await bot.press(ivan, "📚 Темы")  # after the first tap the line stays on the main menu
    await bot.press(ivan, "☰ Меню")
    assert "⚖️ Это информация, а не юридическая консультация." in ivan.last.body
    user = bot.app.bot_data["services"].users.get(1001)
    assert user is not None
    assert user.language == "ru"


async def test_start_in_english_and_unknown_language_falls_back_to_russian(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    anna = emulator.user(user_id=1002, first_name="Anna", language_code="en-US")
    await bot.say(anna, "/start")
    assert anna.last.body.startswith("Hello!")
    hans = emulator.user(user_id=1003, first_name="Hans", language_code="de")
    await bot.say(hans, "/start")
    greeting = hans.last
    assert greeting.body.startswith("Здравствуйте!")
    assert {"English", "Українська"} <= set(greeting.buttons)


async def test_language_switch_is_kept(bot: BotHarness, emulator: BotApiEmulator) -> None:
    user = emulator.user(user_id=1004, first_name="Оля", language_code="ru")
    await bot.say(user, "/language")
    await bot.press(user, "English")
    assert user.last.body.startswith("Main menu")
    await bot.say(user, "/help")
    assert user.last.body.startswith("What I can do")
    await bot.say(user, "/language")
    await bot.press(user, "Українська")
    await bot.say(user, "/menu")
    assert user.last.body.startswith("Головне меню")


async def test_menu_navigation_edits_in_place(bot: BotHarness, emulator: BotApiEmulator) -> None:
    user = emulator.user(user_id=1005, first_name="Пётр", language_code="ru")
    await bot.say(user, "/menu")
    count = len(user.bot_messages)
    await bot.press(user, "📚 Темы")
    await bot.press(user, "Задержание, залог, parole")
    assert len(user.bot_messages) == count  # the same message was edited
    assert "Залог" in user.last.body or "залог" in user.last.body
    await bot.press(user, "☰ Меню")
    assert user.last.body.startswith("Главное меню")


async def test_help_privacy_and_cancel(bot: BotHarness, emulator: BotApiEmulator) -> None:
    user = emulator.user(user_id=1006, first_name="Anna", language_code="en")
    await bot.say(user, "/help")
    assert "/forget" in user.last.body
    await bot.say(user, "/privacy")
    assert user.last.body.startswith("What I keep about you")
    await bot.press(user, "🔕 Stop announcements")
    assert bot.app.bot_data["services"].users.get(1006).announcements is False
    assert "🔔 Get announcements again" in user.last.buttons
    await bot.say(user, "/cancel")
    assert user.last.body.startswith("There is nothing to stop.")


async def test_forget_asks_then_erases_every_row(bot: BotHarness, emulator: BotApiEmulator) -> None:
    user = emulator.user(user_id=1007, first_name="Маша", language_code="ru")
    await bot.say(user, "/start")
    await bot.say(user, "/forget")
    assert user.last.body.startswith("Стереть всё")
    await bot.press(user, "Нет, оставить")
    assert bot.app.bot_data["services"].users.get(1007) is not None
    await bot.say(user, "/forget")
    await bot.press(user, "Да, стереть всё")
    assert user.last.body.startswith("Готово")
    assert rows_mentioning(bot, 1007) == {}


def rows_mentioning(bot: BotHarness, user_id: int) -> dict[str, int]:
    """Count rows in every table with a user id column that hold this user."""
    found: dict[str, int] = {}
    with sqlite3.connect(bot.settings.db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                if column in ("user_id", "chat_id", "staff_id"):
                    n = conn.execute(
                        f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" = ?', [user_id]
                    ).fetchone()[0]
                    if n:
                        found[f"{table}.{column}"] = n
    return found


async def test_odd_input_gets_a_polite_localized_answer(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=1008, first_name="Иван", language_code="ru")
    await bot.say(user, "я" * 5000)  # read, not refused: nothing in it to answer
    assert user.last.body.startswith("У меня нет ответа на этот вопрос")
    assert "🧭 Где я сейчас? Несколько вопросов" in user.last.buttons
    for send in (user.send_sticker, user.send_photo, user.send_voice):
        await bot.send(await send())
        assert user.last.body.startswith("Я понимаю только текст и кнопки")
    await bot.say(user, "/doesnotexist")
    assert user.last.body.startswith("Я не знаю такой команды")
    answers_before = len(user.callback_answers)
    await bot.press_forged(user, "t:no-such-topic:99")
    await bot.press_forged(user, "garbage data")
    assert len(user.callback_answers) == answers_before + 2
    assert user.last.body.startswith("Главное меню")


async def test_staff_commands_only_for_staff(bot: BotHarness, emulator: BotApiEmulator) -> None:
    stranger = emulator.user(user_id=1009, first_name="Someone", language_code="en")
    await bot.say(stranger, "/stats")
    assert stranger.last.body.startswith("I don't know this command")
    staff = emulator.user(user_id=STAFF_ID, first_name="Staff", language_code="ru")
    await bot.say(staff, "/stats")
    assert staff.last.body.startswith("Статистика")
    await bot.say(staff, "/audit")
    assert "stats" in staff.last.body
    audit = bot.app.bot_data["services"].audit.recent()
    assert [(e.staff_id, e.action) for e in audit] == [(STAFF_ID, "audit"), (STAFF_ID, "stats")]


async def test_group_chats_get_one_line_pointing_to_a_private_chat(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=1010, first_name="Иван", language_code="ru")
    group = emulator.group(chat_id=-100500, title="Помощь")
    group.set_privacy_mode(False)  # the bot sees every message, and must still stay quiet
    await bot.send(await group.send(user, "/start"))
    replies = group.bot_messages
    assert len(replies) == 1
    assert "t.me/" in replies[0].body
    await bot.send(await group.send(user, "как заплатить залог"))
    assert len(group.bot_messages) == 1


async def test_command_menus_are_set_per_language_and_staff_sees_staff_commands(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    def names(scope: str, lang: str) -> list[str]:
        return [c["command"] for c in emulator.commands[(scope, lang)]]

    user_menu = ["start", "menu", "help", "reminders", "language", "privacy", "forget", "cancel"]
    for lang in ("", "ru", "en", "uk"):
        assert names("default", lang) == user_menu
        assert names(f"chat:{STAFF_ID}", lang)[: len(user_menu)] == user_menu
        assert {"stats", "audit", "reload", "broadcast"} <= set(names(f"chat:{STAFF_ID}", lang))
    forget = {
        lang: next(c for c in emulator.commands[("default", lang)] if c["command"] == "forget")
        for lang in ("ru", "en", "uk")
    }
    assert forget["ru"]["description"] == "Стереть всё о вас"
    assert forget["en"]["description"] == "Erase everything about you"
    assert forget["uk"]["description"] == "Стерти все про вас"
    assert emulator.descriptions["en"].endswith("Information, not legal advice.")


async def test_a_failing_handler_apologises_and_logs_no_content(
    bot: BotHarness,
    emulator: BotApiEmulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from handlers import start

    def broken(_t: object) -> str:
        raise RuntimeError("секретный текст пользователя")

    monkeypatch.setattr(start, "help_text", broken)
    user = emulator.user(user_id=1011, first_name="Секретное Имя", language_code="ru")
    with caplog.at_level(logging.INFO):
        await bot.say(user, "/help")
    assert user.last.body.startswith("Извините, у меня что-то сломалось.")
    failures = [r.getMessage() for r in caplog.records if "update_failed" in r.getMessage()]
    assert len(failures) == 1
    assert "handler=start.help_command " in failures[0]
    assert failures[0].endswith("error=RuntimeError")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("секретный", "Секретное", "/help"):
        assert secret not in logged


async def test_blocking_the_bot_marks_the_user_inactive(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=1012, first_name="Иван", language_code="ru")
    await bot.say(user, "/start")
    bot.human_pause()
    emulator.block(1012)  # Telegram tells the bot with a my_chat_member update
    await bot.settle(emulator.confirmed_update_id + 1)
    stored = bot.app.bot_data["services"].users.get(1012)
    assert stored is not None
    assert stored.active is False
