"""Dates typed the way people type them, and every way a date can be refused."""

from __future__ import annotations

from datetime import date

import pytest

from core.dates import DateAmbiguous, DateOk, DateRejected, Problem, parse_date

TODAY = date(2026, 11, 27)
JAN_15 = date(2027, 1, 15)


@pytest.mark.parametrize(
    "typed",
    [
        "15.01.2027",
        "15.01.27",
        "2027-01-15",
        "15 января 2027",
        "15 января 2027 г.",
        "15 янв 2027",
        "15 jan 2027",
        "15 January 2027",
        "January 15, 2027",
        "jan 15 2027",
        "15 січня 2027",
        "  15.1.2027 ",
        "15/01/2027",
        "01/15/2027",
        "15 января",
    ],
)
def test_future_dates_people_type(typed: str) -> None:
    assert parse_date(typed, TODAY, future=True) == DateOk(JAN_15)


def test_us_slash_date_with_two_real_readings_is_ambiguous() -> None:
    assert parse_date("01/02/2027", TODAY, future=True) == DateAmbiguous(
        month_first=date(2027, 1, 2), day_first=date(2027, 2, 1)
    )


def test_same_reading_both_ways_is_not_ambiguous() -> None:
    assert parse_date("03/03/2027", TODAY, future=True) == DateOk(date(2027, 3, 3))


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("30.02.2027", Problem.IMPOSSIBLE),
        ("31.04.2027", Problem.IMPOSSIBLE),
        ("15.13.2027", Problem.IMPOSSIBLE),
        ("01.11.2026", Problem.PAST),
        ("15.01.2030", Problem.TOO_FAR),
        ("завтра утром", Problem.NONSENSE),
        ("asdf", Problem.NONSENSE),
        ("15 бананов 2027", Problem.NONSENSE),
        ("", Problem.NONSENSE),
    ],
)
def test_refused_dates_say_why(typed: str, problem: Problem) -> None:
    assert parse_date(typed, TODAY, future=True) == DateRejected(problem)


def test_past_dates_for_an_arrival() -> None:
    assert parse_date("03.09.2025", TODAY, future=False) == DateOk(date(2025, 9, 3))
    assert parse_date("3 сентября", TODAY, future=False) == DateOk(date(2026, 9, 3))
    assert parse_date("15 декабря", TODAY, future=False) == DateOk(date(2025, 12, 15))
    assert parse_date("01.12.2026", TODAY, future=False) == DateRejected(Problem.FUTURE)


def test_a_leap_day_without_a_year_finds_the_next_leap_year_or_none() -> None:
    assert parse_date("29.02.2028", TODAY, future=True) == DateOk(date(2028, 2, 29))
    assert parse_date("29.02.2027", TODAY, future=True) == DateRejected(Problem.IMPOSSIBLE)
