"""What a short message that is not a question means: a greeting, thanks, a cry for help, or
news that ICE is at the door right now.

People write "помогите", "спасибо", "privet", "😭🙏" or "ICE стучат в дверь" to the bot; none of
these is a question the explainers answer, and a "not found" reply to them is a dead end for a
frightened person. `intent_of` recognises them (ru, uk, en, and Russian typed in Latin letters)
so the handler can answer like a person and lead to the right place.

A message is a greeting, thanks or a cry for help only when nothing else is in it (besides
politeness, punctuation and emoji): "помогите найти мой суд" is a question and goes to search.
An emergency is recognised by its words wherever they stand in a short message ("ICE у двери,
что делать?"); a long message is a story of what happened and goes to search.

Pure: no Telegram, no I/O.
"""

from __future__ import annotations

import re
from enum import Enum


class Intent(Enum):
    """The kinds of message the bot answers without searching."""

    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"  # "помогите", "что мне делать", crying emoji: lost, not asking anything yet
    EMERGENCY = "emergency"  # ICE at the door, someone just detained


SHORT_MESSAGE = 150  # characters; longer is a story, searched for what it is about

_WORD = re.compile(r"[0-9a-zа-яёіїєґ']+")

_GREETINGS = {
    "привет",
    "здравствуйте",
    "здравствуй",
    "здрасте",
    "добрый",
    "доброе",
    "доброго",
    "день",
    "вечер",
    "утро",
    "дня",
    "ранку",
    "вечора",
    "привіт",
    "вітаю",
    "добрий",
    "hello",
    "hi",
    "hey",
    "good",
    "morning",
    "afternoon",
    "evening",
    "privet",
    "zdravstvuyte",
    "zdravstvuite",
    "salam",
    "start",
}
_THANKS = {
    "спасибо",
    "спасибочки",
    "спс",
    "благодарю",
    "большое",
    "огромное",
    "дякую",
    "щиро",
    "thanks",
    "thank",
    "you",
    "much",
    "very",
    "thx",
    "spasibo",
    "spasibki",
    "dyakuyu",
}
_HELP = {
    "помогите",
    "помоги",
    "помощь",
    "спасите",
    "допоможіть",
    "допоможи",
    "допомога",
    "help",
    "pomogite",
    "pomoshch",
    "sos",
    "что",
    "мне",
    "нам",
    "делать",
    "теперь",
    "дальше",
    "не",
    "знаю",
    "що",
    "робити",
    "мені",
    "тепер",
    "далі",
    "what",
    "do",
    "i",
    "now",
    "should",
    "chto",
    "delat",
    "mne",
    "ne",
    "znayu",
}
# Politeness that may stand around any of the above.
_POLITE = {"пожалуйста", "плиз", "будь", "ласка", "please", "pls", "pozhaluysta", "очень", "дуже"}

# Someone is at the door or has just been taken: ICE (also "айс", "иммиграционная полиция")
# together with a door, a knock, an arrest or detention.
_AUTHORITY = re.compile(r"\b(ice|айс|иммиграционн\w*|міграційн\w*|immigration)\b")
_HAPPENING = re.compile(
    r"\b(двер\w*|стуч\w*|ломят\w*|пришли|приехали|забрали|задержал\w*|арестовал\w*|"
    r"схватил\w*|увезли|door|knock\w*|arrest\w*|detain\w*|took|taken|"
    r"стукают\w*|прийшли|затримал\w*|заарештувал\w*)\b"
)
_CRYING = re.compile(r"[\U0001F622\U0001F62D\U0001F64F\U0001F198\U0001F625\U0001F630\U0001F97A]")


def intent_of(text: str) -> Intent | None:
    """The intent of a message that is not a question, or None to search it."""
    if len(text) > SHORT_MESSAGE:
        return None
    lowered = text.lower().replace("ё", "е")
    if _AUTHORITY.search(lowered) and _HAPPENING.search(lowered):
        return Intent.EMERGENCY
    words = [word for word in _WORD.findall(lowered) if word not in _POLITE]
    if not words:
        return Intent.HELP if _CRYING.search(text) else None
    if all(word in _HELP for word in words) and any(
        word in _HELP - {"не", "мне", "нам", "мені", "i", "you", "now", "что", "що", "what"}
        for word in words
    ):
        return Intent.HELP
    if all(word in _THANKS for word in words):
        return Intent.THANKS
    if all(word in _GREETINGS for word in words):
        return Intent.GREETING
    return None
