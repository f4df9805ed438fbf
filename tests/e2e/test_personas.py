"""People as they are (issue 16): each story is one person's, told through the bot as they
would live it."""

from __future__ import annotations

from emulator.server import BotApiEmulator
from tests.harness import RELEASED_WITH_A_COURT_DATE, BotHarness


async def test_a_man_who_failed_his_fear_interview_and_has_no_nta_is_not_sent_down_wrong_roads(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Dmitry is held by ICE; his fear interview was negative and he has no NTA: expedited
    removal. He must be told about the judge's review at once, and never offered a bond
    hearing, parole, the asylum application or its one-year reminder, none of which he has."""
    dmitry = emulator.user(user_id=8101, first_name="Dmitry", language_code="en")
    await bot.where_am_i(
        dmitry, "Myself", "Russia", "Yes", "No", "Yes", "Negative (not passed)", "No"
    )
    while "On what date" in dmitry.last.body or "Skip" in dmitry.last.buttons:
        if "On what date" in dmitry.last.body:
            await bot.say(dmitry, "09/10/2026")
            if "read two ways" in dmitry.last.body:
                await bot.press(dmitry, dmitry.last.buttons[0])
        else:
            await bot.press(dmitry, "Skip")
    checklist = dmitry.last.body
    assert checklist.startswith("Your next steps")
    assert "review" in checklist.lower()
    assert "expedited removal" in checklist
    buttons = " ".join(dmitry.last.buttons)
    assert "Bond" not in buttons
    assert "Parole" not in buttons
    assert "one-year deadline" not in buttons
    assert "I-589" not in checklist.split("expedited removal")[0]


async def test_a_reminder_offered_by_the_checklist_opens_in_a_new_message(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Anna asks for the one-year reminder from her checklist; the checklist stays in the chat,
    so she can come back to it."""
    anna = emulator.user(user_id=8102, first_name="Anna", language_code="en")
    await bot.where_am_i(anna, *RELEASED_WITH_A_COURT_DATE)
    await bot.say(anna, "February 1, 2026")
    checklist = anna.last
    assert checklist.body.startswith("Your next steps")
    await bot.press(anna, "⏰ Remind me of the one-year deadline")
    assert anna.last.body.startswith("In which time zone do you live?")
    assert anna.last.message_id != checklist.message_id
    kept = next(m for m in anna.bot_messages if m.message_id == checklist.message_id)
    assert kept.body.startswith("Your next steps")


async def test_a_man_who_remembers_only_the_month_of_his_arrival_gets_a_safe_deadline(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Ivan crossed «в сентябре 2026, где-то 10-го» and is not sure: the bot accepts it, counts
    the one-year deadline from the earliest day it can be, and says so."""
    ivan = emulator.user(user_id=8103, first_name="Иван", language_code="ru")
    await bot.where_am_i(
        ivan,
        "О себе",
        "Россия",
        "Нет",
        "Да",
        "Положительный (прошёл)",
        "Да, с датой суда",
        "Ещё нет",
    )
    await bot.say(ivan, "сентябрь 2026")
    checklist = ivan.last.body
    assert checklist.startswith("Ваши следующие шаги")
    assert "1 сентября 2027" in checklist  # one year from the earliest day, 1 September 2026
    assert "помните дату въезда только примерно" in checklist


async def test_a_city_with_two_courts_shows_their_street_addresses(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.3: typing «чикаго» offered two courts with nothing to tell them apart."""
    olga = emulator.user(user_id=8104, first_name="Ольга", language_code="ru")
    await bot.say(olga, "/reminders")
    await bot.press(olga, "➕ Суд или встреча")
    await bot.press(olga, olga.last.buttons[0])  # the first kind: a master calendar hearing
    await bot.press(olga, olga.last.buttons[0])  # for me
    await bot.say(olga, "15.01.2027")
    await bot.say(olga, "в 8:30")
    await bot.say(olga, "чикаго")
    assert "55 E. Monroe Street" in olga.last.body
    assert "536 S. Clark Street" in olga.last.body


async def test_the_contacts_page_opens_with_what_to_do_in_an_emergency(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.5: the emergency part of the contacts was on page 4 of 5."""
    olga = emulator.user(user_id=8105, first_name="Ольга", language_code="ru")
    await bot.say(olga, "/start contacts")
    assert "Срочно: задержали вас или близкого" in olga.last.body


async def test_a_wife_asking_for_her_husband_is_not_asked_whether_she_fled(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.2: a relative got «Уехали от мобилизации?» as if she had fled herself."""
    olga = emulator.user(user_id=8106, first_name="Ольга", language_code="ru")
    await bot.where_am_i(olga, "О родственнике или друге; я в США", skip_rest=True)
    assert "Уехали от мобилизации" not in olga.last.body
    assert "Мобилизация и призыв в деле об убежище" in olga.last.body


async def test_a_man_released_yesterday_with_an_nta_and_no_date(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Sergey was released yesterday with an NTA that has no date. He must learn that USCIS
    takes his I-589 now if the court has no case yet (the one-year clock runs), that he must
    go to every check-in and report a move, and he must not be sent to bond or parole."""
    sergey = emulator.user(user_id=8107, first_name="Sergey", language_code="en")
    await bot.where_am_i(
        sergey,
        "Myself",
        "Russia",
        "No",
        "Yes",
        "Positive (passed)",
        "An NTA, but no date",
        "Not yet",
    )
    await bot.say(sergey, "yesterday")
    checklist = sergey.last.body
    assert checklist.startswith("Your next steps")
    assert "not yet with the court" in checklist
    assert "Check-ins with ICE or ISAP" in checklist
    assert "within 5 days (Form EOIR-33" in checklist
    buttons = " ".join(sergey.last.buttons)
    assert "Bond" not in buttons
    assert "Parole" not in buttons


async def test_a_ukrainian_speaker_is_not_sent_to_the_russian_mobilization_page(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.2: Ukrainian users were led to the page about fleeing Russian mobilization."""
    oksana = emulator.user(user_id=8108, first_name="Оксана", language_code="uk")
    await bot.where_am_i(oksana, skip_rest=True)
    assert oksana.last.body.startswith("Ваші наступні кроки")
    assert "Мобілізація" not in oksana.last.body


async def test_a_wife_learns_how_to_call_visit_and_send_money_to_her_detained_husband(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.4: nothing said how to call, visit or send money to a detained person."""
    olga = emulator.user(user_id=8109, first_name="Ольга", language_code="ru")
    await bot.say(olga, "/start relatives")
    counter = next(b for b in olga.last.buttons if "/" in b)
    await bot.press(olga, counter)
    step = next(b for b in olga.last.buttons if "Звонки, свидания и деньги" in b)
    await bot.press(olga, step)
    assert "www.ice.gov/detention-facilities" in olga.last.body
    assert "телефонной компании центра" in olga.last.body


async def test_a_ukrainian_citizen_learns_of_tps_and_is_not_sent_to_the_mobilization_page(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.2: Taras, a citizen of Ukraine writing in Russian, crossed the border and was
    released. His checklist speaks of TPS and parole for Ukrainians, never of fleeing Russia's
    mobilization."""
    taras = emulator.user(user_id=8110, first_name="Тарас", language_code="ru")
    await bot.where_am_i(taras, "О себе")
    assert "Какое у вас гражданство?" in taras.last.body
    await bot.press(taras, "Украина")
    while "Пропустить" in taras.last.buttons:
        await bot.press(taras, "Пропустить")
    checklist = taras.last.body
    assert checklist.startswith("Ваши следующие шаги")
    assert "Гражданам Украины" in checklist
    assert "временный защищённый статус (TPS)" in checklist
    assert "Мобилизация" not in checklist
    assert "Украинцам: U4U, TPS и убежище" in taras.last.buttons
    await bot.press(taras, "Украинцам: U4U, TPS и убежище")
    assert "TPS" in taras.last.body


async def test_a_ukrainian_speaker_asks_about_her_ending_u4u_parole_in_her_language(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """People trial, item 12: «у мене закінчується пароль U4U» led to release from detention,
    and «TPS для українців» to nothing."""
    oksana = emulator.user(user_id=8115, first_name="Оксана", language_code="uk")
    await bot.say(oksana, "у мене закінчується пароль U4U що робити")
    assert oksana.last.buttons[0] == "Українцям: U4U, TPS і притулок"
    await bot.say(oksana, "TPS для українців")
    assert oksana.last.buttons[0] == "Українцям: U4U, TPS і притулок"


async def test_a_wife_whose_husband_was_denied_bond_learns_of_the_30_day_appeal(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.2: Olga lives in the US; her husband is held and the judge denied bond. She
    must learn at once that the bond decision can be appealed within 30 days."""
    olga = emulator.user(user_id=8111, first_name="Ольга", language_code="ru")
    await bot.where_am_i(olga, "О родственнике или друге; я в США", "Россия", "Да")
    assert "Было ли у человека слушание о залоге" in olga.last.body
    await bot.press(olga, "Да, в залоге отказали")
    while "Пропустить" in olga.last.buttons:
        await bot.press(olga, "Пропустить")
    checklist = olga.last.body
    assert "обжаловать" in checklist
    assert "в течение 30 дней" in checklist
    assert "Поговорите с юристом сейчас" in checklist
    assert "как звонить задержанному" in checklist  # she is in the US: visits, calls, money


async def test_a_mother_in_russia_reads_how_to_help_from_afar(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.2: a mother in Russia is not told about visits she cannot make."""
    mother = emulator.user(user_id=8112, first_name="Галина", language_code="ru")
    await bot.where_am_i(mother, "О родственнике или друге; я не в США", skip_rest=True)
    checklist = mother.last.body
    assert "Родственникам и друзьям не в США" in checklist
    assert "навещать" not in checklist


async def test_a_wife_learns_what_louisiana_means_for_her_husbands_bond(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.4: Olga learned that bond depends on the state, but not what Louisiana (the
    5th Circuit) means for her husband."""
    olga = emulator.user(user_id=8113, first_name="Ольга", language_code="ru")
    await bot.say(olga, "мужа держат в луизиане дадут ли залог")
    await bot.press(olga, next(b for b in olga.last.buttons if "Залог" in b))
    counter = next(b for b in olga.last.buttons if "/" in b)
    await bot.press(olga, counter)
    await bot.press(olga, next(b for b in olga.last.buttons if "Ваш штат и его округ" in b))
    step = olga.last.body
    assert "5-й: Техас, Луизиана, Миссисипи" in step
    assert "habeas" in step
    assert "parole" in step


async def test_an_english_speaking_volunteer_helps_a_family_in_us_order(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16: Mary, a volunteer, asks in English whether the wife and kids can be on the
    man's application, and reads the answer; every date example she sees is month first,
    and the date she types as Americans do is taken as such."""
    mary = emulator.user(user_id=8114, first_name="Mary", language_code="en")
    await bot.say(mary, "can the wife and kids be on his asylum application")
    assert mary.last.buttons[0] == "Filing the I-589 in immigration court, step by step"
    await bot.press(mary, mary.last.buttons[0])
    assert "unmarried children under 21" in mary.last.body  # straight to the step that answers
    await bot.where_am_i(mary, "A relative or friend; I am in the US", "Russia", "No")
    while "On what date" not in mary.last.body:
        await bot.press(mary, "Skip")
    assert "For example: 03/15/2025 or March 15, 2025." in mary.last.body
    await bot.say(mary, "13 Sept 2025")
    assert "I could not read" not in mary.last.body
    assert mary.last.body.startswith("Your next steps")
    assert "September 13, 2026" in mary.last.body  # one year after the arrival
