"""Conversations end to end: "where am I?" (and its state across a restart) and typed questions."""

from __future__ import annotations

from pathlib import Path

from emulator.server import BotApiEmulator
from tests.harness import RELEASED_WITH_A_COURT_DATE, BotHarness, make_settings


async def test_where_am_i_ends_with_a_checklist_and_keeps_nothing(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=4001, first_name="Anna", language_code="en")
    await bot.say(user, "/menu")
    await bot.press(user, "🧭 Where am I? A few questions")
    assert "Question 1 of up to 9" in user.last.body
    for label in RELEASED_WITH_A_COURT_DATE:
        await bot.press(user, label)
    assert "On what date did you last arrive in the US?" in user.last.body
    await bot.say(user, "30.02.2026")
    assert user.last.body.startswith("There is no such date in the calendar.")
    await bot.say(user, "next week")
    assert user.last.body.startswith("I could not read a date there.")
    await bot.say(user, "01.12.2026")
    assert user.last.body.startswith("This date has not come yet")
    await bot.say(user, "01/02/2026")
    assert user.last.body.startswith("This date can be read two ways")
    assert user.last.buttons == ["Sunday, February 1, 2026", "Friday, January 2, 2026"]
    await bot.press(user, "Sunday, February 1, 2026")
    checklist = user.last.body
    assert checklist.startswith("Your next steps")
    assert "Deadline to file the asylum application (I-589): February 1, 2027. 66 days left." in (
        checklist
    )
    assert "https://acis.eoir.justice.gov" in checklist
    assert checklist.endswith("Your answers were used only for this list and are not kept.")
    assert "Finding your hearing date" in user.last.buttons
    assert user.last.buttons[:2] == [
        "⏰ Remind me of the one-year deadline",
        "⏰ Add a hearing reminder",
    ]
    services = bot.app.bot_data["services"]
    assert services.conversations.get(4001, bot.clock.now()) is None
    assert services.reminders.count_for(4001) == 0  # nothing stored by the questions
    await bot.press(user, "⏰ Remind me of the one-year deadline")
    assert user.last.body.startswith("In which time zone do you live?")
    assert emulator.errors == []


async def test_where_am_i_in_russian_with_skips(bot: BotHarness, emulator: BotApiEmulator) -> None:
    user = emulator.user(user_id=4002, first_name="Иван", language_code="ru")
    await bot.say(user, "/menu")
    await bot.press(user, "🧭 Где я сейчас? Несколько вопросов")
    while "Пропустить" in user.last.buttons:
        await bot.press(user, "Пропустить")
    assert user.last.body.startswith("Ваши следующие шаги")
    assert "Ваши ответы нужны были только для этого списка" in user.last.body


async def test_questions_survive_a_restart(emulator: BotApiEmulator, tmp_path: Path) -> None:
    user = emulator.user(user_id=4003, first_name="Anna", language_code="en")
    first = BotHarness(emulator, make_settings(emulator, tmp_path))
    await first.start()
    await first.say(user, "/menu")
    await first.press(user, "🧭 Where am I? A few questions")
    await first.press(user, "A relative or friend; I am in the US")
    await first.press(user, "Russia")
    await first.stop()
    second = BotHarness(emulator, make_settings(emulator, tmp_path), clock=first.clock)
    await second.start()
    try:
        await second.press(user, "No")  # on the message sent before the restart
        assert "Has the person had a credible fear interview?" in user.last.body
        await second.say(user, "/cancel")
        assert user.last.body.startswith("Stopped. Nothing was saved.")
        await second.press_data(user, user.bot_messages[-2], "w:cfi:yes")
        assert user.last.body.startswith("These questions were interrupted")
    finally:
        await second.stop()
    assert emulator.errors == []


async def test_typed_questions_find_the_right_explainer(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    ivan = emulator.user(user_id=4004, first_name="Иван", language_code="ru")
    await bot.say(ivan, "как заплатить залог за мужа")
    assert ivan.last.body == "Вот что я нашёл. Выберите:"
    assert "Залог (bond)" in ivan.last.buttons
    await bot.press(ivan, "Залог (bond)")
    assert ivan.last.body.startswith("Как заплатить залог")  # straight to the step that answers
    await bot.say(ivan, "zalog skolko stoit")
    assert "Залог (bond)" in ivan.last.buttons
    anna = emulator.user(user_id=4005, first_name="Anna", language_code="en")
    await bot.say(anna, "how do I find my court date")
    assert "Finding your hearing date" in anna.last.buttons
    await bot.say(anna, "qwrtzxcv")
    assert anna.last.body.startswith("I have no answer to this question")
    assert anna.last.buttons[:3] == [
        "🧭 Where am I? A few questions",
        "📚 Topics",
        "🆘 Free legal help",
    ]


async def test_an_nta_without_a_date_is_told_to_file_with_uscis_now_in_russian(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    # 8 CFR 208.2(b), 1003.14(a): until DHS files the NTA with the court, USCIS takes the I-589
    # and its receipt date stops the one-year clock. Never "wait for the court's letter".
    user = emulator.user(user_id=4004, first_name="Иван", language_code="ru")
    await bot.say(user, "/menu")
    await bot.press(user, "🧭 Где я сейчас? Несколько вопросов")
    assert "Вопрос 1 (всего не больше 9)" in user.last.body
    for label in ("О себе", "Россия", "Нет", "Нет", "NTA есть, но без даты", "Ещё нет"):
        await bot.press(user, label)
    await bot.say(user, "01.06.2026")
    checklist = user.last.body
    assert "Срок подачи заявления на убежище (I-589): 1 июня 2027. Осталось 186 дней." in checklist
    assert "заявление на убежище (I-589) можно подать в USCIS уже сейчас" in checklist
    assert "Не ждите письма из суда." in checklist
    assert "суд пришлёт её по почте" not in checklist
    assert "форма AR-11, https://www.uscis.gov/ar-11" in checklist
    assert ".." not in checklist
    assert emulator.errors == []
