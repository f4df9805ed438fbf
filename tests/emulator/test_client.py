"""Simulated users: the updates they produce, what they see, and a story with a real PTB bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from emulator.limits import ManualClock
from emulator.server import EXAMPLE_TOKEN, BotApiEmulator

USER = 1001


def menu(*labels: str) -> InlineKeyboardMarkup:
    """One callback button per row; the data is the label's first word in lower case."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label.split()[0].lower())] for label in labels]
    )


async def only_update(bot: Bot, update_id: int | None) -> Update:
    """The single pending update, which must have this id."""
    updates = await bot.get_updates(offset=update_id)
    assert [u.update_id for u in updates] == [update_id]
    return updates[0]


# ---- updates a user produces ---------------------------------------------------------------------


async def test_command_becomes_a_message_update_with_a_bot_command_entity(
    emu: BotApiEmulator, bot: Bot, wall: ManualClock
) -> None:
    ivan = emu.user(USER, "Иван", last_name="Петров", username="ivan_p", language_code="ru")
    update = await only_update(bot, await ivan.send("/start@asylum_guide_bot court"))
    message = update.message
    assert message is not None
    assert message.from_user is not None
    assert message.text == "/start@asylum_guide_bot court"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 23)]
    assert (message.from_user.id, message.from_user.username) == (USER, "ivan_p")
    assert message.from_user.language_code == "ru"
    assert (message.chat.id, message.chat.type) == (USER, "private")
    assert message.date.timestamp() == int(wall.now)


async def test_plain_text_has_only_telegrams_own_entities(emu: BotApiEmulator, bot: Bot) -> None:
    ivan = emu.user(USER, "Иван")
    update = await only_update(bot, await ivan.send("  Где суд? https://www.justice.gov/eoir  "))
    assert update.message is not None
    assert update.message.text == "Где суд? https://www.justice.gov/eoir"
    assert [e.type for e in update.message.entities] == ["url"]


async def test_media_messages_parse_in_ptb(emu: BotApiEmulator, bot: Bot) -> None:
    ivan = emu.user(USER, "Иван")
    await ivan.send_sticker("🙏")
    await ivan.send_photo(caption="Повестка")
    await ivan.send_voice(duration=12)
    await ivan.send_document("notice.pdf", caption="NTA")
    sticker, photo, voice, doc = [u.message for u in await bot.get_updates()]
    assert sticker is not None
    assert sticker.sticker is not None
    assert sticker.sticker.emoji == "🙏"
    assert photo is not None
    assert photo.caption == "Повестка"
    assert len(photo.photo) == 2
    assert voice is not None
    assert voice.voice is not None
    assert voice.voice.duration == dtm.timedelta(seconds=12)
    assert doc is not None
    assert doc.document is not None
    assert (doc.document.file_name, doc.document.mime_type) == ("notice.pdf", "application/pdf")
    file = await bot.get_file(doc.document.file_id)
    assert bytes(await file.download_as_bytearray()).startswith(b"%PDF")


async def test_press_sends_a_callback_query_for_the_newest_message_with_the_label(
    emu: BotApiEmulator, bot: Bot
) -> None:
    ivan = emu.user(USER, "Иван")
    await bot.send_message(USER, "Старое меню", reply_markup=menu("Назад"))
    newest = await bot.send_message(USER, "Новое меню", reply_markup=menu("Назад", "Дальше"))
    update = await only_update(bot, await ivan.press("Назад"))
    query = update.callback_query
    assert query is not None
    assert query.message is not None
    assert (query.data, query.from_user.id, query.message.message_id) == (
        "назад",
        USER,
        newest.message_id,
    )
    assert query.chat_instance


async def test_press_on_a_given_message_and_missing_labels(emu: BotApiEmulator, bot: Bot) -> None:
    ivan = emu.user(USER, "Иван")
    old = await bot.send_message(USER, "Старое", reply_markup=menu("Назад"))
    await bot.send_message(USER, "Новое", reply_markup=menu("Назад"))
    update = await only_update(bot, await ivan.press("Назад", message=ivan.messages[0]))
    assert update.callback_query is not None
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == old.message_id
    with pytest.raises(KeyError, match="visible buttons: \\['Назад', 'Назад'\\]"):
        await ivan.press("Вперёд")
    link = InlineKeyboardMarkup([[InlineKeyboardButton("USCIS", url="https://www.uscis.gov")]])
    await bot.send_message(USER, "Ссылка", reply_markup=link)
    with pytest.raises(ValueError, match="url button"):
        await ivan.press("USCIS")


async def test_reply_keyboard_button_sends_its_text(emu: BotApiEmulator, bot: Bot) -> None:
    ivan = emu.user(USER, "Иван")
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Русский"), "English"]], one_time_keyboard=True)
    await bot.send_message(USER, "Язык?", reply_markup=keyboard)
    assert ivan.reply_keyboard == [["Русский", "English"]]
    update = await only_update(bot, await ivan.press("English"))
    assert update.message is not None
    assert update.message.text == "English"
    assert ivan.reply_keyboard == []


# ---- what a user sees ----------------------------------------------------------------------------


async def test_messages_show_edits_and_hide_deletions_and_transcript_reads_well(
    emu: BotApiEmulator, bot: Bot
) -> None:
    ivan = emu.user(USER, "Иван")
    await ivan.send("/start")
    hello = await bot.send_message(USER, "Здравствуйте!\nЧем помочь?", reply_markup=menu("Суд"))
    temp = await bot.send_message(USER, "Секунду…")
    await bot.delete_message(USER, temp.message_id)
    await ivan.send_photo(caption="Вот бумага")
    await bot.edit_message_text(
        "Здравствуйте!\nВыберите тему:",
        USER,
        hello.message_id,
        reply_markup=menu("Суд", "Залог (bond)"),
    )
    assert [m.body for m in ivan.messages] == [
        "/start",
        "Здравствуйте!\nВыберите тему:",
        "Вот бумага",
    ]
    assert ivan.transcript() == (
        "> /start\n"
        "< Здравствуйте!\n"
        "  Выберите тему:\n"
        "  [Суд]\n"
        "  [Залог (bond)]\n"
        "> [photo] Вот бумага"
    )


async def test_wait_for_bot_sees_replies_sent_before_the_wait(
    emu: BotApiEmulator, bot: Bot
) -> None:
    ivan = emu.user(USER, "Иван")
    await ivan.send("/start")
    await bot.send_message(USER, "Ответ")
    assert (await ivan.wait_for_bot(timeout=1)).text == "Ответ"
    with pytest.raises(TimeoutError, match="> /start\n< Ответ"):
        await ivan.wait_for_bot(timeout=0.05)


async def test_wait_for_bot_with_a_predicate_and_edits(emu: BotApiEmulator, bot: Bot) -> None:
    ivan = emu.user(USER, "Иван")

    async def bot_side() -> None:
        sent = await bot.send_message(USER, "Ищу…")
        await bot.edit_message_text("Нашёл 3 суда", USER, sent.message_id)

    await ivan.send("суд Нью-Йорк")
    task = asyncio.create_task(bot_side())
    found = await ivan.wait_for_bot(lambda m: m.body.startswith("Нашёл"), timeout=2)
    await task
    assert (found.text, found.edit_date is not None) == ("Нашёл 3 суда", True)


async def test_group_chat_shows_who_wrote(emu: BotApiEmulator, bot: Bot) -> None:
    group = emu.group(-500, "Семьи задержанных")
    anna = emu.user(2001, "Анна")
    oleg = emu.user(2002, "Олег")
    update = await only_update(bot, await group.send(anna, "/help"))
    assert update.message is not None
    assert update.message.chat.title == "Семьи задержанных"
    await bot.send_message(-500, "Команды: /court")
    await group.send(oleg, "/court@other_bot")
    assert group.transcript() == "> Анна: /help\n< Команды: /court\n> Олег: /court@other_bot"


async def test_dates_follow_the_wall_clock(
    emu: BotApiEmulator, bot: Bot, wall: ManualClock
) -> None:
    ivan = emu.user(USER, "Иван")
    wall.advance(3600)
    await ivan.send("позже")
    assert ivan.messages[-1].date == int(wall.now)


# ---- a story with a real python-telegram-bot Application -----------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: greet and offer topics."""
    assert update.effective_chat is not None
    await context.bot.send_chat_action(update.effective_chat.id, "typing")
    await context.bot.send_message(
        update.effective_chat.id,
        "<b>Здравствуйте.</b> Что случилось?",
        parse_mode="HTML",
        reply_markup=menu("Задержан ICE", "Суд"),
    )


async def topic(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A topic button: answer the query and turn the menu into the topic's first step."""
    query = update.callback_query
    assert query is not None
    await query.answer("Открываю")
    await query.edit_message_text(f"Тема: {query.data}. Шаг 1 из 3.", reply_markup=menu("Дальше"))


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other text: say what the bot understood."""
    assert update.message is not None
    assert update.message.text is not None
    await update.message.reply_text(f"Вы написали: {update.message.text}")


@pytest.fixture
async def application(
    emu: BotApiEmulator,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """A PTB Application polling the emulator, with three handlers."""
    app = ApplicationBuilder().token(EXAMPLE_TOKEN).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(topic))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        yield app
        await app.updater.stop()
        await app.stop()


async def test_story_start_choose_topic_and_write(
    emu: BotApiEmulator, application: Any, clock: ManualClock
) -> None:
    ivan = emu.user(USER, "Иван")
    await ivan.send("/start")
    greeting = await ivan.wait_for_bot()
    assert greeting.text == "Здравствуйте. Что случилось?"
    assert greeting.buttons == ["Задержан ICE", "Суд"]
    assert ivan.chat_actions == ["typing"]

    await ivan.press("Задержан ICE")
    step = await ivan.wait_for_bot()
    assert (step.message_id, step.text) == (greeting.message_id, "Тема: задержан. Шаг 1 из 3.")
    assert [a.text for a in ivan.callback_answers] == ["Открываю"]

    await ivan.send("мой муж в детенции")
    assert (await ivan.wait_for_bot()).text == "Вы написали: мой муж в детенции"
    assert ivan.transcript() == (
        "> /start\n"
        "< Тема: задержан. Шаг 1 из 3.\n"
        "  [Дальше]\n"
        "> мой муж в детенции\n"
        "< Вы написали: мой муж в детенции"
    )
    assert emu.errors == []


def test_user_is_created_once(emu: BotApiEmulator) -> None:
    first: Callable[..., Any] = emu.user
    assert first(USER, "Иван") is emu.user(USER, "Другое имя")
