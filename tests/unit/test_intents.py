"""Messages that are not questions: greetings, thanks, cries for help, emergencies."""

from __future__ import annotations

import pytest

from core.intents import Intent, intent_of


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("помогите", Intent.HELP),
        ("Помогите, пожалуйста!!!", Intent.HELP),
        ("что мне делать", Intent.HELP),
        ("что делать дальше?", Intent.HELP),
        ("не знаю что делать", Intent.HELP),
        ("допоможіть", Intent.HELP),
        ("що мені робити", Intent.HELP),
        ("what do I do now", Intent.HELP),
        ("pomogite", Intent.HELP),
        ("😭🙏", Intent.HELP),
        ("спасибо", Intent.THANKS),
        ("Спасибо большое!", Intent.THANKS),
        ("дякую", Intent.THANKS),
        ("thank you very much", Intent.THANKS),
        ("spasibo", Intent.THANKS),
        ("привет", Intent.GREETING),
        ("Добрый день!", Intent.GREETING),
        ("hello", Intent.GREETING),
        ("privet", Intent.GREETING),
        ("вітаю", Intent.GREETING),
        ("ICE стучат в дверь", Intent.EMERGENCY),
        ("айс пришли домой что делать", Intent.EMERGENCY),
        ("ICE is at the door", Intent.EMERGENCY),
        ("ICE забрали мужа", Intent.EMERGENCY),
    ],
)
def test_messages_that_are_not_questions(typed: str, intent: Intent) -> None:
    assert intent_of(typed) is intent


@pytest.mark.parametrize(
    "typed",
    [
        "помогите найти мой суд",  # a question: search it
        "как заплатить залог",
        "спасибо, а сколько стоит залог?",
        "what is ICE",
        "",
        "...",
        "задержал ICE " + "и потом было долгое интервью о страхе, " * 5,  # a story: search it
    ],
)
def test_questions_and_stories_are_searched(typed: str) -> None:
    assert intent_of(typed) is None
