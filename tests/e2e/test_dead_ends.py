"""Nobody who writes to the bot meets a dead end.

People in the trial wrote "помогите", "спасибо", "privet", "😭🙏", "ICE стучат в дверь", a
long story of what happened, or a question the explainers do not answer, and got "I did not find
an answer" and nothing else. Each story below is one of them.
"""

from __future__ import annotations

import pytest

from emulator.client import SimulatedUser
from emulator.server import BotApiEmulator
from tests.harness import BotHarness

WAYS_ON_RU = [
    "🧭 Где я сейчас? Несколько вопросов",
    "📚 Темы",
    "🆘 Бесплатная помощь юриста",
]


@pytest.fixture
def olga(emulator: BotApiEmulator) -> SimulatedUser:
    return emulator.user(user_id=5101, first_name="Ольга", language_code="ru")


@pytest.mark.parametrize("cry", ["помогите", "Помогите пожалуйста!!", "что мне делать", "😭🙏"])
async def test_a_cry_for_help_is_answered_and_leads_to_where_am_i(
    bot: BotHarness, olga: SimulatedUser, cry: str
) -> None:
    await bot.say(olga, cry)
    assert olga.last.body.startswith("Я помогу. Начнём с того, где вы сейчас")
    assert olga.last.buttons[:3] == WAYS_ON_RU
    assert "☎️ Официальные контакты" in olga.last.buttons
    await bot.press(olga, "🧭 Где я сейчас? Несколько вопросов")
    assert "?" in olga.last.body  # the first "where am I" question


async def test_greetings_and_thanks_get_a_human_answer(
    bot: BotHarness, olga: SimulatedUser, emulator: BotApiEmulator
) -> None:
    await bot.say(olga, "privet")
    assert olga.last.body.startswith("Здравствуйте! Я простыми словами объясняю")
    assert olga.last.buttons[:3] == WAYS_ON_RU
    await bot.say(olga, "спасибо большое")
    assert olga.last.body == (
        "Пожалуйста. Берегите себя. Если появится вопрос, просто напишите его мне."
    )
    john = emulator.user(user_id=5102, first_name="John", language_code="en")
    await bot.say(john, "hello")
    assert john.last.body.startswith("Hello! I explain the US asylum process")


async def test_ice_at_the_door_points_to_the_emergency_contacts_first(
    bot: BotHarness, olga: SimulatedUser
) -> None:
    await bot.say(olga, "ICE стучат в дверь")
    assert olga.last.body.startswith("Если это происходит сейчас:")
    assert olga.last.buttons[0] == "☎️ Официальные контакты"
    await bot.press(olga, "☎️ Официальные контакты")
    assert olga.last.body  # the contacts explainer opens


async def test_a_question_without_an_answer_still_shows_the_way_on(
    bot: BotHarness, olga: SimulatedUser
) -> None:
    await bot.say(olga, "где купить дешёвый велосипед в Майами")
    assert olga.last.body.startswith("У меня нет ответа на этот вопрос.")
    assert olga.last.buttons[:3] == WAYS_ON_RU


async def test_a_long_story_is_read_and_answered_with_the_closest_topics(
    bot: BotHarness, olga: SimulatedUser
) -> None:
    story = (
        "Здравствуйте. Мой муж уехал из России осенью 2022 года, когда объявили мобилизацию. "
        "Он перешёл границу, его задержал ICE, потом было интервью о страхе, и ему отказали. "
        "Сейчас он в Луизиане в центре задержания, адвоката у нас нет. Нам сказали, что "
        "залог 25 тысяч долларов, но я в России и не знаю, как заплатить. Он говорит, что "
        "скоро суд, а дату мы не знаем. Подскажите, что нам делать и как найти юриста? "
    ) * 3
    assert len(story) > 1000
    await bot.say(olga, story)
    assert olga.last.body.startswith("Я прочитал ваше сообщение (я его не сохраняю).")
    assert len(olga.last.buttons) >= 3
    # Free legal help is always offered once: as the closest topic or as the extra button.
    legal_help = {"🆘 Бесплатная помощь юриста", "Бесплатная юридическая помощь"}
    assert len(legal_help & set(olga.last.buttons)) == 1


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("kogda moi sud", "Как узнать дату суда"),
        ("асайлум", "Заявление на убежище (форма I-589)"),
    ],
)
async def test_words_people_use_find_the_right_page_first(
    bot: BotHarness, olga: SimulatedUser, typed: str, first: str
) -> None:
    await bot.say(olga, typed)
    assert olga.last.body == "Вот что я нашёл. Выберите:"
    assert olga.last.buttons[0].startswith(first)
