"""One person cannot freeze the bot (issue 17.2): a flood of presses costs no request per
dropped press, a press answered too late gets no apology, and the flood counter of a person
who used /forget is gone at once."""

from __future__ import annotations

from emulator.server import BotApiEmulator
from tests.harness import BotHarness

APOLOGY = "Sorry, something went wrong on my side"


def answers_sent(emulator: BotApiEmulator) -> int:
    return sum(1 for r in emulator.requests if r.method == "answerCallbackQuery")


async def test_a_flood_of_presses_costs_no_request_per_dropped_press(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    flooder = emulator.user(user_id=5301, first_name="Flood", language_code="en")
    calm = emulator.user(user_id=5302, first_name="Calm", language_code="en")
    await bot.say(flooder, "/menu")
    menu = flooder.last
    data = menu.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]
    before = answers_sent(emulator)
    last = 0
    for _ in range(60):  # sixty presses in the same second
        last = emulator.press_button(flooder.chat, flooder.person, menu, data) or last
    await bot.settle(last)
    # The burst the gate lets through (10), and one answer for the first dropped press.
    assert answers_sent(emulator) - before <= 11
    assert sum("Too many messages at once" in m.body for m in flooder.bot_messages) == 1
    await bot.say(calm, "/help")
    assert calm.last.body.startswith("What I can do")


async def test_a_press_answered_too_late_gets_no_apology(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=5303, first_name="Late", language_code="en")
    await bot.say(user, "/menu")
    menu = user.last
    data = menu.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]
    update_id = emulator.press_button(user.chat, user.person, menu, data)
    newest = max(emulator.callback_queries, key=int)
    emulator.callback_queries[newest].created -= 20  # Telegram's 15 s are over when it is handled
    await bot.settle(update_id or 0)
    assert all(APOLOGY not in m.body for m in user.bot_messages)
    late = [e for e in emulator.errors if e.method == "answerCallbackQuery"]
    assert len(late) == 1  # the late answer was refused, as Telegram would
    emulator.errors[:] = [e for e in emulator.errors if e not in late]


async def test_forget_drops_the_flood_counter_at_once(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=5304, first_name="Gone", language_code="en")
    await bot.say(user, "/help")
    flood = bot.app.bot_data["services"].flood
    assert flood.knows(5304)
    await bot.say(user, "/forget")
    await bot.press(user, next(b for b in user.last.buttons if "Erase" in b or "erase" in b))
    assert not flood.knows(5304)
