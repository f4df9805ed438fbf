"""Times of day as people type them: 8:30, 08.30, 8-30, 830, 0830, 8 ч 30, 8:30 am, 8.30 p.m.,
"8 утра", "2 дня", "8 вечера", noon / полдень; with the words around a time that people copy or
say: "в 8:30", "о 9 ранку", "at 8:30 AM", and a time-zone name after it ("9 AM CST",
"8:30 AM Central", "по местному времени"). The zone is read from the court, not from the typed
time, so the zone words are set aside.

Without am/pm (or утра/вечера) the 24-hour clock is meant: "1:00" is 01:00. The caller shows
the time back to the user, and warns when it is outside the hours courts usually sit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import Enum


class TimeProblem(Enum):
    """Why a typed time was not accepted."""

    NONSENSE = "nonsense"  # not a time at all
    IMPOSSIBLE = "impossible"  # 25:00, 8:75, 13 pm


@dataclass(frozen=True)
class TimeOk:
    """A time of day understood without doubt."""

    value: time


@dataclass(frozen=True)
class TimeRejected:
    """Not accepted, with the reason to tell the user."""

    problem: TimeProblem


ParsedTime = TimeOk | TimeRejected

# Words after the number that say which half of the day (ru, uk, en).
_MORNING = ("am", "a.m.", "a.m", "a", "утра", "утром", "ночи", "ранку", "зранку", "ночі")
_AFTERNOON = ("pm", "p.m.", "p.m", "p", "дня", "днём", "днем", "вечера", "вечером", "вечора")
_NOON = ("noon", "полдень", "полудень", "12 noon")

# "в 8:30", "во", "о 9 ранку", "об", "at 8:30", "around 9".
_LEADING = re.compile(r"^(?:в|во|о|об|at|around|about|примерно в|около)\s+")
# A time-zone name after the time: "CST", "Central", "Central Time", "по местному времени".
_ZONE = re.compile(
    r"\s+(?:(?:[ecmp][sd]?t|ak[sd]t|h[sd]t|eastern|central|mountain|pacific|alaska|hawaii)"
    r"(?:\s+(?:standard|daylight))?(?:\s+time)?|local\s+time"
    r"|по\s+(?:местному|центральному|восточному|тихоокеанскому|горному)\s+времени"
    r"|по\s+времени\s+суда|за\s+місцевим\s+часом)$"
)

_SEPARATED = re.compile(r"^(\d{1,2})\s*(?:[:.\-hч]|\s)\s*(\d{2})(?:\s*(?:мин|min)\.?)?$")
_COMPACT = re.compile(r"^(\d{3,4})$")
_HOUR_ONLY = re.compile(r"^(\d{1,2})(?:\s*(?:ч|час|часа|часов|h|o'clock|годин[аи]?)\.?)?$")


def parse_time(text: str) -> ParsedTime:
    """Understand a typed time of day (24-hour unless am/pm or утра/вечера say otherwise)."""
    cleaned = " ".join(text.strip().lower().replace("’", "'").split()).rstrip("!").strip()
    cleaned = _ZONE.sub("", _LEADING.sub("", cleaned))
    if cleaned in _NOON:
        return TimeOk(time(12, 0))
    half, core = _split_half(cleaned)
    parts = _hour_minute(core)
    if parts is None:
        return TimeRejected(TimeProblem.NONSENSE)
    hour, minute = parts
    if minute > 59:
        return TimeRejected(TimeProblem.IMPOSSIBLE)
    if half is not None:
        if not 1 <= hour <= 12:
            return TimeRejected(TimeProblem.IMPOSSIBLE)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23:
        return TimeRejected(TimeProblem.IMPOSSIBLE)
    return TimeOk(time(hour, minute))


def _split_half(text: str) -> tuple[str | None, str]:
    """("am" | "pm" | None, the rest) for a time with or without a half-of-day word."""
    for words, half in ((_AFTERNOON, "pm"), (_MORNING, "am")):
        for word in sorted(words, key=len, reverse=True):
            if text.endswith(word):
                rest = text[: -len(word)].rstrip()
                # "a"/"p" only right after a digit ("8a", "8:30p"), never inside a word.
                if rest and (rest[-1].isdigit() or len(word) > 1) and rest != text:
                    return half, rest
    return None, text


def _hour_minute(text: str) -> tuple[int, int] | None:
    if match := _SEPARATED.match(text):
        return int(match[1]), int(match[2])
    if match := _COMPACT.match(text):
        digits = match[1]
        return int(digits[:-2]), int(digits[-2:])
    if match := _HOUR_ONLY.match(text):
        return int(match[1]), 0
    return None
