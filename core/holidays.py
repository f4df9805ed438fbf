"""US federal holidays (5 U.S.C. 6103) and when courts and offices are usually closed.

Owns `federal_holidays` (observed dates, checked against the `holidays` package in a test)
and `closed_reasons` (a weekend, a holiday, outside usual hours): warnings, never refusals.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from enum import Enum
from typing import Final

from core.i18n import N_

SATURDAY: Final = 5  # date.weekday()
# Courts usually sit on weekday working hours; outside them we warn (never refuse).
USUAL_START: Final = time(7, 0)
USUAL_END: Final = time(18, 0)


# --- US federal holidays (5 U.S.C. 6103) -----------------------------------------------------

NEW_YEAR = N_("New Year's Day")
MLK_DAY = N_("Birthday of Martin Luther King, Jr.")
WASHINGTON = N_("Washington's Birthday")
MEMORIAL_DAY = N_("Memorial Day")
JUNETEENTH = N_("Juneteenth National Independence Day")
INDEPENDENCE_DAY = N_("Independence Day")
LABOR_DAY = N_("Labor Day")
COLUMBUS_DAY = N_("Columbus Day")
VETERANS_DAY = N_("Veterans Day")
THANKSGIVING = N_("Thanksgiving Day")
CHRISTMAS = N_("Christmas Day")


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """A holiday on Saturday is observed on Friday, on Sunday on Monday."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def federal_holidays(year: int) -> dict[date, str]:
    """The days federal offices are closed for holidays of `year` (observed dates), with names.

    New Year's Day of the next year falling on a Saturday is observed on 31 December of this one.
    """
    monday, thursday = 0, 3
    fixed = [
        (date(year, 1, 1), NEW_YEAR),
        (date(year, 7, 4), INDEPENDENCE_DAY),
        (date(year, 11, 11), VETERANS_DAY),
        (date(year, 12, 25), CHRISTMAS),
    ]
    if year >= 2021:
        fixed.append((date(year, 6, 19), JUNETEENTH))
    found = {_observed(day): name for day, name in fixed}
    next_new_year = _observed(date(year + 1, 1, 1))
    if next_new_year.year == year:
        found[next_new_year] = NEW_YEAR
    if _observed(date(year, 1, 1)).year != year:
        del found[_observed(date(year, 1, 1))]
    found[_nth_weekday(year, 1, monday, 3)] = MLK_DAY
    found[_nth_weekday(year, 2, monday, 3)] = WASHINGTON
    found[_last_weekday(year, 5, monday)] = MEMORIAL_DAY
    found[_nth_weekday(year, 9, monday, 1)] = LABOR_DAY
    found[_nth_weekday(year, 10, monday, 2)] = COLUMBUS_DAY
    found[_nth_weekday(year, 11, thursday, 4)] = THANKSGIVING
    return dict(sorted(found.items()))


def holiday_name(day: date) -> str | None:
    """The federal holiday observed on `day` (a msgid), or None."""
    return federal_holidays(day.year).get(day)


class Closed(Enum):
    """Why a court or office is usually closed at the time entered."""

    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    HOURS = "hours"


def closed_reasons(day: date, at: time | None) -> list[tuple[Closed, str | None]]:
    """Why courts and offices are usually closed then (with the holiday's name), or []."""
    reasons: list[tuple[Closed, str | None]] = []
    if day.weekday() >= 5:
        reasons.append((Closed.WEEKEND, None))
    holiday = holiday_name(day)
    if holiday is not None:
        reasons.append((Closed.HOLIDAY, holiday))
    if at is not None and not USUAL_START <= at < USUAL_END:
        reasons.append((Closed.HOURS, None))
    return reasons
