"""Navigation as a user lives it: topics page by page, deep links, a crawl of every button,
and flood control that slows one user without touching another."""

from __future__ import annotations

import re

import pytest

from emulator.server import BotApiEmulator, ChatMessage
from tests.harness import BotHarness


def callback_data(message: ChatMessage) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


async def test_a_walkthrough_pages_in_place_and_ends_with_sources(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=3001, first_name="Иван", language_code="ru")
    await bot.say(user, "/menu")
    await bot.press(user, "🧭 Весь путь коротко")
    page = user.last
    assert page.body.startswith("Весь путь")
    total = int(next(b for b in page.buttons if "/" in b).split("/")[1])
    assert total >= 3
    before = len(user.bot_messages)
    for _ in range(total - 1):
        await bot.press(user, "▶")
    last = user.last
    assert len(user.bot_messages) == before  # paging edits the same message
    assert f"{total}/{total}" in last.buttons
    assert "Источники проверены: 27 ноября 2026" in last.body
    assert "Юрист эту страницу ещё не проверял." in last.body
    assert "Источники:" not in last.body  # one tap away, not a wall of titles and links
    assert "не юридическая консультация" in last.body
    assert "🆘 Бесплатная помощь юриста" in last.buttons
    sources = next(b for b in last.buttons if b.startswith("📚 Источники ("))
    await bot.press(user, sources)
    assert "Источники:" in user.last.body
    assert any(e["type"] == "text_link" for e in user.last.entities)
    await bot.press(user, f"◀ Назад к странице {total}")
    assert f"{total}/{total}" in user.last.buttons
    await bot.press(user, "◀")
    assert f"{total - 1}/{total}" in user.last.buttons


async def test_deep_link_opens_a_topic_directly(bot: BotHarness, emulator: BotApiEmulator) -> None:
    user = emulator.user(user_id=3002, first_name="Anna", language_code="en")
    await bot.say(user, "/start bond")
    assert user.last.body.startswith("Bond")
    stranger = emulator.user(user_id=3003, first_name="Anna", language_code="en")
    await bot.say(stranger, "/start no-such-topic")
    assert "Main menu" in stranger.last.body


@pytest.mark.parametrize("lang", ["ru", "en", "uk"])
async def test_crawl_every_button_from_the_menu(
    bot: BotHarness, emulator: BotApiEmulator, lang: str
) -> None:
    user = emulator.user(
        user_id=3100 + len(lang) + ord(lang[0]), first_name="Crawler", language_code=lang
    )
    await bot.say(user, "/menu")
    skip = {"fg:yes", "ann:off", "ann:on"} | {f"lang:{code}" for code in ("ru", "en", "uk")}
    seen: set[str] = set()
    queue = callback_data(user.last)
    pressed = 0
    while queue:
        data = queue.pop()
        # A topic's list of steps is the same from every page but for its Back button: it is
        # pressed from one page of each topic (the handler and the screen are the same).
        key = re.sub(r"^(t:[^:]+:c):\d+$", r"\1", data)
        if key in seen or data in skip:
            continue
        seen.add(key)
        # Pressed on the newest screen with buttons (a picture the bot sent has none).
        message = next(m for m in reversed(user.bot_messages) if m.reply_markup)
        await bot.press_data(user, message, data)
        # Re-pressing a button that shows the screen already shown is what a double tap does:
        # Telegram answers "not modified" and the bot shrugs it off. Anything else is a bug.
        emulator.errors[:] = [e for e in emulator.errors if "not modified" not in e.description]
        assert emulator.errors == [], f"pressing {data!r} on {message.body[:60]!r}"
        pressed += 1
        for bot_message in user.bot_messages[-3:]:
            queue.extend(d for d in callback_data(bot_message) if d not in seen)
    assert pressed > 100  # every section, every topic, every page
    assert emulator.errors == []
    unanswered = [q for q in emulator.callback_queries.values() if not q.answered]
    assert unanswered == []


async def test_flooding_user_is_slowed_and_others_are_not(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    flooder = emulator.user(user_id=3201, first_name="Flood", language_code="ru")
    calm = emulator.user(user_id=3202, first_name="Calm", language_code="ru")
    last = 0
    for _ in range(40):  # forty messages in the same second
        last = await flooder.send("/help") or last
    await bot.settle(last)
    replies = [m.body for m in flooder.bot_messages]
    assert replies.count(replies[0]) < 15
    assert sum("Слишком много сообщений" in r for r in replies) == 1
    await bot.say(calm, "/help")
    assert calm.last.body.startswith("Что я умею")


async def test_the_page_counter_lists_the_steps_to_jump_to(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    """Issue 16.5: the counter "1/5" looked like a button and did nothing."""
    user = emulator.user(user_id=3010, first_name="Anna", language_code="en")
    await bot.say(user, "/start contacts")
    counter = next(b for b in user.last.buttons if "/" in b)
    await bot.press(user, counter)
    assert "The steps of this topic:" in user.last.body
    steps = [b for b in user.last.buttons if b[:1].isdigit()]
    assert steps[0].startswith("1. Urgent")
    await bot.press(user, steps[-1])
    assert next(b for b in user.last.buttons if "/" in b).split("/")[0] != "1"
    await bot.press(user, next(b for b in user.last.buttons if "/" in b))
    await bot.press(user, user.last.buttons[-1])  # back to the page it came from
    assert "/" in " ".join(user.last.buttons)
