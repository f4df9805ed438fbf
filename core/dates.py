"""Dates as people type them: 15.01.2027, 15.01.27, 2027-01-15, "15 января 2027", "15 jan 2027",
"January 15, 2027", and the US 01/02/2027, which is ambiguous and must be asked about.

Also as notices print them and as people say them: "MONDAY, FEBRUARY 1, 2027" (a weekday that
contradicts the date is refused, a weekday that picks one reading of 01/02 settles it),
"1-Feb-2027", "1го февраля", "второе января", "1 fevralya 2027" (Russian in Latin letters),
"01 02 2027" (asked about like 01/02/2027), and "сегодня", "завтра", "вчера" (ru, uk, en).

Dots mean day-first (the Russian habit); ISO is unambiguous; slashes and dashes between day
and month are how US notices print dates (month first), so when both readings are real dates
and differ the caller has to ask which one is meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

_MONTH_STEMS = {
    1: ("янв", "jan", "січ", "сiч", "yanv", "ianv"),
    2: ("фев", "feb", "лют", "fevr"),
    3: ("мар", "mar", "берез"),
    4: ("апр", "apr", "квіт", "квит"),
    5: ("мая", "май", "may", "трав", "mai"),
    6: ("июн", "jun", "черв", "iyun", "iun"),
    7: ("июл", "jul", "лип", "iyul", "iul"),
    8: ("авг", "aug", "серп", "avg"),
    9: ("сен", "sep", "верес", "sent"),
    10: ("окт", "oct", "жовт", "okt"),
    11: ("ноя", "nov", "листоп", "noya", "noia"),
    12: ("дек", "dec", "груд", "dek"),
}

# Words for a day relative to today (ru, uk, en).
_RELATIVE_DAYS = {
    "сегодня": 0,
    "сьогодні": 0,
    "today": 0,
    "завтра": 1,
    "tomorrow": 1,
    "послезавтра": 2,
    "післязавтра": 2,
    "вчера": -1,
    "вчора": -1,
    "yesterday": -1,
    "позавчера": -2,
    "позавчора": -2,
}

# Weekday names and abbreviations (ru, uk, en), Monday = 0, as printed before a date.
_WEEKDAYS = {
    **dict.fromkeys(("понедельник", "понеділок", "monday", "mon", "пн"), 0),
    **dict.fromkeys(("вторник", "вівторок", "tuesday", "tue", "tues", "вт"), 1),
    **dict.fromkeys(("среда", "среду", "середа", "wednesday", "wed", "ср"), 2),
    **dict.fromkeys(("четверг", "четвер", "thursday", "thu", "thur", "thurs", "чт"), 3),
    **dict.fromkeys(("пятница", "пятницу", "п'ятниця", "friday", "fri", "пт"), 4),
    **dict.fromkeys(("суббота", "субботу", "субота", "saturday", "sat", "сб"), 5),
    **dict.fromkeys(("воскресенье", "неділя", "sunday", "sun", "вс", "нд"), 6),
}

# Russian ordinal day words: "второе", "двадцать пятое", "тридцать первого".
_ORDINAL_STEMS = {
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четверт": 4,
    "четвёрт": 4,
    "пят": 5,
    "шест": 6,
    "седьм": 7,
    "восьм": 8,
    "девят": 9,
    "десят": 10,
    "одиннадцат": 11,
    "двенадцат": 12,
    "тринадцат": 13,
    "четырнадцат": 14,
    "пятнадцат": 15,
    "шестнадцат": 16,
    "семнадцат": 17,
    "восемнадцат": 18,
    "девятнадцат": 19,
    "двадцат": 20,
    "тридцат": 30,
}
_ORDINAL_WORD = re.compile(
    r"^(?:(двадцать|тридцать)\s+)?(" + "|".join(_ORDINAL_STEMS) + r")(ье|ьего|ое|ого|е|его)\b"
)
# "1го", "1-го", "1-е", "1st", "22nd", "3rd", "4th": the number alone is the day.
_ORDINAL_SUFFIX = re.compile(r"\b(\d{1,2})-?(?:го|ое|е|ого|st|nd|rd|th)\b")


def _month(word: str) -> int | None:
    word = word.lower().rstrip(".")
    for number, stems in _MONTH_STEMS.items():
        if any(word.startswith(stem) for stem in stems):
            return number
    return None


class Problem(Enum):
    """Why a typed date was not accepted."""

    NONSENSE = "nonsense"  # not a date at all
    IMPOSSIBLE = "impossible"  # 30.02, 31.04, month 13
    PAST = "past"  # before today, where a future date is needed
    FUTURE = "future"  # after today, where a past date is needed
    TOO_FAR = "too_far"  # more than the allowed number of years ahead


@dataclass(frozen=True)
class DateOk:
    """A date understood without doubt."""

    value: date


@dataclass(frozen=True)
class DateAmbiguous:
    """Two real dates: the month-first (US) reading and the day-first reading."""

    month_first: date
    day_first: date


@dataclass(frozen=True)
class DateRejected:
    """Not accepted, with the reason to tell the user."""

    problem: Problem


Parsed = DateOk | DateAmbiguous | DateRejected

_ISO = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})(?:[/-]|\s)(\d{1,2})(?:[/-]|\s)(\d{2}|\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})\s+([^\W\d_]+\.?)(?:\s+(\d{2}|\d{4}))?$")
_MONTH_NAME_DAY = re.compile(r"^([^\W\d_]+\.?)\s+(\d{1,2})(?:,?\s+(\d{2}|\d{4}))?$")


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    value = int(text)
    return 2000 + value if len(text) == 2 else value


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(
    text: str,
    today: date,
    *,
    future: bool,
    max_years_ahead: int = 3,
) -> Parsed:
    """Understand a typed date; `future` says whether the date must be today or later
    (a hearing) or today or earlier (an arrival). A missing year means the nearest such date."""
    cleaned = " ".join(text.strip().lower().replace(",", " ").replace("’", "'").split())
    cleaned = cleaned.rstrip(".!").strip()
    cleaned = re.sub(r"\s*(г\.?|года|год|р\.?|року|рік)$", "", cleaned)
    if cleaned in _RELATIVE_DAYS:
        value = today + timedelta(days=_RELATIVE_DAYS[cleaned])
        return check_range(value, today, future=future, max_years_ahead=max_years_ahead)
    weekday, cleaned = _split_weekday(cleaned)
    candidates = _readings(_normalise_day(cleaned), today, future)
    if candidates is None:
        return DateRejected(Problem.NONSENSE)
    real = [c for c in candidates if c is not None]
    if weekday is not None:
        real = [c for c in real if c.weekday() == weekday]
        if not real and any(c is not None for c in candidates):
            return DateRejected(Problem.NONSENSE)  # the printed weekday contradicts the date
    if not real:
        return DateRejected(Problem.IMPOSSIBLE)
    if len(real) == 2 and real[0] != real[1]:
        return DateAmbiguous(month_first=real[0], day_first=real[1])
    return check_range(real[0], today, future=future, max_years_ahead=max_years_ahead)


def _split_weekday(text: str) -> tuple[int | None, str]:
    """(the weekday printed before the date, if any; the rest): "monday february 1 2027"."""
    first, _, rest = text.partition(" ")
    weekday = _WEEKDAYS.get(first.rstrip("."))
    return (weekday, rest) if weekday is not None and rest else (None, text)


def _normalise_day(text: str) -> str:
    """The day as a plain number: "второе января" -> "2 января", "1-feb" -> "1 feb"."""
    if match := _ORDINAL_WORD.match(text):
        tens = {"двадцать": 20, "тридцать": 30}.get(match[1] or "", 0)
        day = tens + _ORDINAL_STEMS[match[2]]
        text = f"{day}{text[match.end() :]}"
    text = _ORDINAL_SUFFIX.sub(r"\1", text)
    # A dash between a number and a month name (1-feb-2027) is a space.
    return re.sub(r"(?<=\d)-(?=[^\W\d_])|(?<=[^\W\d_.])-(?=\d)", " ", text)


def check_range(value: date, today: date, *, future: bool, max_years_ahead: int = 3) -> Parsed:
    """Accept `value` only on the expected side of today (and not too far ahead)."""
    if future and value < today:
        return DateRejected(Problem.PAST)
    if not future and value > today:
        return DateRejected(Problem.FUTURE)
    if future and value > add_years(today, max_years_ahead):
        return DateRejected(Problem.TOO_FAR)
    return DateOk(value)


def add_years(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes 28 February, the earlier day."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _readings(text: str, today: date, future: bool) -> list[date | None] | None:
    """The possible dates (None where a reading is impossible), or None for no date shape."""
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return [_make(year, month, day)]
    if match := _DOTTED.match(text):
        day, month = int(match[1]), int(match[2])
        return [_make(_year(match[3]) or 0, month, day)]
    if match := _SLASHED.match(text):
        first, second, year = int(match[1]), int(match[2]), _year(match[3]) or 0
        return [_make(year, first, second), _make(year, second, first)]
    if match := _DAY_MONTH_NAME.match(text):
        named = _month(match[2])
        if named is None:
            return None
        return [_with_year(int(match[1]), named, _year(match[3]), today, future)]
    if match := _MONTH_NAME_DAY.match(text):
        named = _month(match[1])
        if named is None:
            return None
        return [_with_year(int(match[2]), named, _year(match[3]), today, future)]
    return None


def _with_year(day: int, month: int, year: int | None, today: date, future: bool) -> date | None:
    if year is not None:
        return _make(year, month, day)
    this_year = _make(today.year, month, day)
    if this_year is None:
        return _make(today.year + (1 if future else -1), month, day)
    if future and this_year < today:
        return _make(today.year + 1, month, day)
    if not future and this_year > today:
        return _make(today.year - 1, month, day)
    return this_year


# --- Dates people remember only roughly ---------------------------------------------------------

# Words that say a date is a guess: "где-то 10-го", "примерно", "about", "десь".
_HEDGES = re.compile(
    r"\b(где-?то|примерно|приблизительно|около|кажется|вроде|наверное|about|around|"
    r"approximately|approx|roughly|maybe|десь|приблизно|мабуть|близько)\b\.?",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(r"^(?:в\s+|у\s+|in\s+)?([^\W\d_]+)\.?\s+(\d{4})$")
_NUMERIC_MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{4})$")
_MONTH_YEAR_DAY = re.compile(r"^([^\W\d_]+)\s+(\d{4})\s+(\d{1,2})(?:-?(?:го|е|ого|th|st|nd|rd))?$")


@dataclass(frozen=True)
class Approximate:
    """A date remembered roughly: `earliest` is the first day it can be (a month with no day:
    its 1st), so that a deadline counted from it is never too late."""

    earliest: date
    month_only: bool


def parse_approximate(text: str, today: date) -> Approximate | None:
    """A date typed with a hedge ("в сентябре 2026 где-то 10-го": 10 September 2026) or as a
    month and year only ("сентябрь 2026", "September 2026", "09.2026": its 1st); None when it
    is neither, or not in the past."""
    cleaned = " ".join(_HEDGES.sub(" ", text.lower()).replace(",", " ").split()).strip(" .")
    hedged = cleaned != " ".join(text.lower().replace(",", " ").split()).strip(" .")
    month_year = _MONTH_YEAR.match(cleaned)
    numeric = _NUMERIC_MONTH_YEAR.match(cleaned)
    first: date | None = None
    if month_year and (month := _month(month_year.group(1))) is not None:
        first = date(int(month_year.group(2)), month, 1)
    elif numeric and 1 <= int(numeric.group(1)) <= 12:
        first = date(int(numeric.group(2)), int(numeric.group(1)), 1)
    if first is not None:
        return Approximate(first, month_only=True) if first <= today else None
    if not hedged:
        return None
    # "в сентябре 2026 где-то 10-го" -> "10 сентября 2026"
    words = re.sub(r"^(?:в|у|in)\s+", "", cleaned)
    day_first = _MONTH_YEAR_DAY.match(words)
    if day_first:
        words = f"{day_first.group(3)} {day_first.group(1)} {day_first.group(2)}"
    parsed = parse_date(words, today, future=False)
    if isinstance(parsed, DateOk):
        return Approximate(parsed.value, month_only=False)
    return None
