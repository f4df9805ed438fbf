"""Dates and times as people in the trial wrote them (issue: "meet people where they are").

The table was written before the parsers learnt these forms: every entry was refused then.
Each row is a way of writing that a frightened person copies from a notice or says aloud.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from core.dates import DateAmbiguous, DateOk, DateRejected, Problem, parse_date
from core.times import TimeOk, parse_time

TODAY = date(2026, 12, 3)  # a Thursday
FEB_1 = date(2027, 2, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "MONDAY, FEBRUARY 1, 2027",  # as EOIR's notices print it
        "Monday, February 1, 2027",
        "1-Feb-2027",  # as the automated case status line prints it
        "01-FEB-2027",
        "1 fevralya 2027",  # Russian in Latin letters
        "1 fevral 2027",
        "1го февраля 2027",
        "1-го февраля 2027",
        "1-е февраля 2027 года",
        "первое февраля 2027",
        "понедельник, 1 февраля 2027",
        "1 лютого 2027",
        "February 1st, 2027",
        "Feb. 1, 2027",
        "01.02.2027г.",
    ],
)
def test_future_dates_as_written(typed: str) -> None:
    assert parse_date(typed, TODAY, future=True) == DateOk(FEB_1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("второе января", date(2027, 1, 2)),
        ("двадцать пятое января", date(2027, 1, 25)),
        ("тридцать первое декабря", date(2026, 12, 31)),
        ("сегодня", TODAY),
        ("завтра", date(2026, 12, 4)),
        ("послезавтра", date(2026, 12, 5)),
        ("today", TODAY),
        ("tomorrow", date(2026, 12, 4)),
        ("сьогодні", TODAY),
        ("завтра.", date(2026, 12, 4)),
    ],
)
def test_words_people_say_for_a_future_date(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY, future=True) == DateOk(expected)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("вчера", date(2026, 12, 2)),
        ("позавчера", date(2026, 12, 1)),
        ("сегодня", TODAY),
        ("yesterday", date(2026, 12, 2)),
        ("вчора", date(2026, 12, 2)),
        ("10 сентября 2026", date(2026, 9, 10)),
        ("10-го сентября 2026", date(2026, 9, 10)),
        ("10 sentyabrya 2026", date(2026, 9, 10)),
    ],
)
def test_words_people_say_for_a_past_date(typed: str, expected: date) -> None:
    assert parse_date(typed, TODAY, future=False) == DateOk(expected)


def test_numbers_separated_by_spaces_read_two_ways_are_asked_about() -> None:
    assert parse_date("01 02 2027", TODAY, future=True) == DateAmbiguous(
        month_first=date(2027, 1, 2), day_first=date(2027, 2, 1)
    )


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("вчера", Problem.PAST),  # a hearing cannot be yesterday
        ("сорок второе января", Problem.NONSENSE),
        ("TUESDAY, FEBRUARY 1, 2027", Problem.NONSENSE),  # the weekday contradicts the date
        ("1 bananov 2027", Problem.NONSENSE),
    ],
)
def test_still_refused(typed: str, problem: Problem) -> None:
    assert parse_date(typed, TODAY, future=True) == DateRejected(problem)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("в 8:30", time(8, 30)),
        ("в 9 утра", time(9, 0)),
        ("о 9 ранку", time(9, 0)),
        ("at 8:30 AM", time(8, 30)),
        ("9 AM CST", time(9, 0)),
        ("8:30 AM Central", time(8, 30)),
        ("8:30 A.M. CENTRAL TIME", time(8, 30)),
        ("1:00 PM ET", time(13, 0)),
        ("08:30 EST", time(8, 30)),
        ("в 13:00 по местному времени", time(13, 0)),
        ("9:00 am pacific", time(9, 0)),
        ("в 8.30 утра", time(8, 30)),
    ],
)
def test_times_as_written(typed: str, expected: time) -> None:
    assert parse_time(typed) == TimeOk(expected)


@pytest.mark.parametrize(
    ("typed", "earliest", "month_only"),
    [
        ("сентябрь 2026", date(2026, 9, 1), True),
        ("в сентябре 2026", date(2026, 9, 1), True),
        ("September 2026", date(2026, 9, 1), True),
        ("вересень 2026", date(2026, 9, 1), True),
        ("09.2026", date(2026, 9, 1), True),
        ("в сентябре 2026 где-то 10-го", date(2026, 9, 10), False),
        ("примерно 10 сентября 2026", date(2026, 9, 10), False),
        ("about Sept 10, 2026", date(2026, 9, 10), False),
    ],
)
def test_dates_remembered_roughly_count_from_their_earliest_day(
    typed: str, earliest: date, month_only: bool
) -> None:
    """Issue 16.2: "в сентябре 2026 где-то 10-го" and "сентябрь 2026" are accepted; a month
    without a day counts from its 1st, so the one-year deadline is never too late."""
    from core.dates import Approximate, parse_approximate

    assert parse_approximate(typed, date(2026, 12, 3)) == Approximate(earliest, month_only)


@pytest.mark.parametrize("typed", ["15.09.2026", "next week", "декабрь 2027", "где-то"])
def test_a_rough_date_is_not_read_into_anything_else(typed: str) -> None:
    from core.dates import parse_approximate

    assert parse_approximate(typed, date(2026, 12, 3)) is None
