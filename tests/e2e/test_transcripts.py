"""Whole transcripts: what a new user sees, message by message, button by button."""

from __future__ import annotations

from emulator.server import BotApiEmulator
from tests.harness import BotHarness

RUSSIAN_FIRST_MINUTE = """\
> /start
< Здравствуйте! Я простыми словами объясняю, как получить убежище в США: граница, интервью о страхе, задержание и залог, иммиграционный суд, сроки.
  
  ⚖️ Это информация, а не юридическая консультация. О вашем деле говорите с юристом: в меню написано, где найти бесплатную помощь.
  
  🔒 Я храню только ваш идентификатор в Telegram (не номер телефона), язык и то, что вы сами включили. Подробнее — /privacy; стереть всё — /forget.
  
  Главное меню
  Выберите тему или напишите вопрос своими словами.
  ⚖️ Это информация, а не юридическая консультация.
  [🧭 Весь путь коротко]
  [🧭 Где я сейчас? Несколько вопросов]
  [📚 Темы]
  [⏰ Напоминания] [📰 Новости]
  [🆘 Бесплатная помощь юриста]
  [☎️ Официальные контакты]
  [🌐 Язык] [🔒 Приватность]
  [English] [Українська]
> /help
< Что я умею
  /menu — главное меню: все темы
  /reminders — напоминания о слушаниях и сроках
  /language — сменить язык
  /privacy — что я о вас храню
  /forget — стереть всё, что я о вас храню
  /cancel — прервать то, что вы делаете
  
  Можно просто написать вопрос своими словами, например: «как заплатить залог».
  [☰ Меню]"""

ENGLISH_PRIVACY = """\
> /privacy
< What I keep about you
  • your Telegram id (a number), so that I can answer you;
  • your language;
  • the dates you first and last wrote to me;
  • what you turned on: announcements, policy news, reminders.
  
  I do not keep your messages, your name or your phone number. Do not send me documents or personal details: I do not need them.
  
  /forget erases everything at once.
  [🔕 Stop announcements]
  [🗑 Erase my data]
  [☰ Menu]
> /forget
< Erase everything I keep about you?
  Your language, your settings and all your reminders will be deleted. This cannot be undone.
  [Yes, erase everything]
  [No, keep it]"""


async def test_a_russian_speakers_first_minute(bot: BotHarness, emulator: BotApiEmulator) -> None:
    user = emulator.user(user_id=6001, first_name="Иван", language_code="ru")
    await bot.say(user, "/start")
    await bot.say(user, "/help")
    assert user.transcript() == RUSSIAN_FIRST_MINUTE


async def test_an_english_speaker_reads_privacy_then_thinks_of_forgetting(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=6002, first_name="Anna", language_code="en")
    await bot.say(user, "/privacy")
    await bot.say(user, "/forget")
    assert user.transcript() == ENGLISH_PRIVACY
