"""Reminder rules: typed times, alert times across time zones and DST, holidays, deadlines,
what to do with a due alert, and the alert texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.content.courts import Court
from core.holidays import Closed, closed_reasons, federal_holidays, holiday_name
from core.i18n import translator
from core.reminder_texts import (
    alert_times_text,
    closed_warnings,
    compose_alert,
    deadline_summary,
    when_text,
)
from core.reminders import (
    Draft,
    Outcome,
    clean_short_text,
    deadline_due,
    expires_at,
    looks_like_full_name,
    morning_of,
    next_weekly,
    plan_alerts,
    settle_due,
)
from core.times import TimeOk, TimeProblem, TimeRejected, parse_time
from core.triage import ACIS_URL, ONE_YEAR_SOURCE_URL
from core.zones import zone_label

CHICAGO = "America/Chicago"
PHOENIX = "America/Phoenix"
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
EN = translator("en")
RU = translator("ru")
COURT = Court(
    id="chicago",
    name="Chicago Immigration Court",
    city="Chicago",
    state="IL",
    address="525 West Van Buren Street, Suite 500, Chicago, IL 60607",
    timezone=CHICAGO,
)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def kinds_and_times(draft: Draft, now: datetime = NOW) -> list[tuple[str, datetime]]:
    return [(a.kind, a.due_at) for a in plan_alerts(draft, now)]


# --- typed times -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8:30", time(8, 30)),
        ("08:30", time(8, 30)),
        ("08.30", time(8, 30)),
        ("8-30", time(8, 30)),
        ("830", time(8, 30)),
        ("0830", time(8, 30)),
        ("1330", time(13, 30)),
        ("8", time(8, 0)),
        ("8 ч 30 мин", time(8, 30)),
        ("8ч30", time(8, 30)),
        ("8:30 am", time(8, 30)),
        ("8:30 AM", time(8, 30)),
        ("8.30 a.m.", time(8, 30)),
        ("1:00 PM", time(13, 0)),
        ("1 pm", time(13, 0)),
        ("12:15 am", time(0, 15)),
        ("12 pm", time(12, 0)),
        ("8 утра", time(8, 0)),
        ("2 дня", time(14, 0)),
        ("7 вечера", time(19, 0)),
        ("8 часов", time(8, 0)),
        ("noon", time(12, 0)),
        ("  13:00 ", time(13, 0)),
    ],
)
def test_times_people_type(typed: str, expected: time) -> None:
    assert parse_time(typed) == TimeOk(expected)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("25:00", TimeProblem.IMPOSSIBLE),
        ("8:75", TimeProblem.IMPOSSIBLE),
        ("13 pm", TimeProblem.IMPOSSIBLE),
        ("0 am", TimeProblem.IMPOSSIBLE),
        ("2575", TimeProblem.IMPOSSIBLE),
        ("утром", TimeProblem.NONSENSE),
        ("asdf", TimeProblem.NONSENSE),
        ("", TimeProblem.NONSENSE),
        ("8:30:15:00", TimeProblem.NONSENSE),
        ("12345", TimeProblem.NONSENSE),
    ],
)
def test_refused_times_say_why(typed: str, problem: TimeProblem) -> None:
    assert parse_time(typed) == TimeRejected(problem)


# --- alert times -----------------------------------------------------------------------------


def test_hearing_alerts_in_the_evening_before_and_early_on_the_morning_of() -> None:
    hearing = Draft("master", date(2027, 1, 15), time(8, 30), CHICAGO, court_id="chicago")
    assert kinds_and_times(hearing) == [
        ("d7", utc(2027, 1, 9, 0)),  # 18:00 CST on Friday 8 January
        ("d3", utc(2027, 1, 13, 0)),
        ("d1", utc(2027, 1, 15, 0)),
        ("d0", utc(2027, 1, 15, 11, 30)),  # 05:30 CST: 3 hours before an 08:30 hearing
    ]


def test_morning_of_rule() -> None:
    day = date(2027, 1, 15)
    assert morning_of(day, time(13, 0)) == time(7, 0)
    assert morning_of(day, time(10, 0)) == time(7, 0)
    assert morning_of(day, time(9, 30)) == time(6, 30)
    assert morning_of(day, time(7, 30)) == time(5, 0)  # never before 05:00
    assert morning_of(day, time(5, 0)) is None  # nothing sensible before a 05:00 event
    assert morning_of(day, None) == time(7, 0)


def test_only_alerts_still_ahead_are_planned() -> None:
    hearing = Draft("individual", date(2026, 11, 30), time(13, 0), CHICAGO)
    # 27 Nov 12:00 UTC: the 7-day alert is past, the 3-day one (18:00 CST today) is not.
    assert [kind for kind, _ in kinds_and_times(hearing)] == ["d3", "d1", "d0"]
    soon = Draft("checkin", date(2026, 11, 27), time(9, 0), CHICAGO)
    assert kinds_and_times(soon) == []  # 06:00 CST came before now


def test_the_end_of_daylight_saving_time_moves_utc_times_not_wall_clocks() -> None:
    # DST ends in Chicago at 02:00 on Sunday 1 November 2026.
    before = utc(2026, 10, 20, 12)
    hearing = Draft("master", date(2026, 11, 2), time(9, 0), CHICAGO)
    assert hearing.starts_at == utc(2026, 11, 2, 15)  # 09:00 CST = UTC-6
    assert kinds_and_times(hearing, before) == [
        ("d7", utc(2026, 10, 26, 23)),  # 18:00 CDT = UTC-5
        ("d3", utc(2026, 10, 30, 23)),
        ("d1", utc(2026, 11, 2, 0)),  # 18:00 CST on 1 November = UTC-6
        ("d0", utc(2026, 11, 2, 12)),  # 06:00 CST, 3 hours before 09:00
    ]
    # A deadline's last-day alert at 09:00 Chicago time, just after the change.
    moved = Draft("address", date(2026, 11, 2), None, CHICAGO, basis=date(2026, 10, 26))
    assert kinds_and_times(moved, before)[-1] == ("d0", utc(2026, 11, 2, 15))


def test_arizona_keeps_standard_time_when_the_rest_of_the_mountain_zone_springs_forward() -> None:
    # DST starts on 14 March 2027; Phoenix stays at UTC-7, Denver goes to UTC-6.
    phoenix = Draft("master", date(2027, 3, 15), time(9, 0), PHOENIX, court_id="phoenix")
    denver = Draft("master", date(2027, 3, 15), time(9, 0), "America/Denver")
    assert phoenix.starts_at == utc(2027, 3, 15, 16)
    assert denver.starts_at == utc(2027, 3, 15, 15)
    assert kinds_and_times(phoenix)[-2:] == [
        ("d1", utc(2027, 3, 15, 1)),  # 18:00 MST on 14 March
        ("d0", utc(2027, 3, 15, 13)),  # 06:00 MST
    ]
    assert kinds_and_times(denver)[-2] == ("d1", utc(2027, 3, 15, 0))  # 18:00 MDT


def test_weekly_checks_come_every_seven_days_until_the_seven_day_alert() -> None:
    hearing = Draft("master", date(2027, 1, 15), time(8, 30), CHICAGO, weekly=True)
    first = next_weekly(hearing, NOW)
    assert first is not None
    # 7 weeks before Friday 15 January is today, Friday 27 November: 12:00 CST is still ahead.
    assert (first.kind, first.due_at) == ("wk20261127", utc(2026, 11, 27, 18))
    assert "wk20261127" in [kind for kind, _ in kinds_and_times(hearing)]
    chain = []
    moment = NOW
    while (following := next_weekly(hearing, moment)) is not None:
        chain.append(following.kind)
        moment = following.due_at
    assert chain == [
        "wk20261127",
        "wk20261204",
        "wk20261211",
        "wk20261218",
        "wk20261225",
        "wk20270101",
    ]
    # A deadline and a non-court appointment have no weekly check.
    checkin = Draft("checkin", date(2027, 1, 15), time(8, 30), CHICAGO, weekly=True)
    assert not [k for k, _ in kinds_and_times(checkin) if k.startswith("wk")]


def test_a_reminder_expires_thirty_days_after_its_event() -> None:
    hearing = Draft("master", date(2027, 1, 15), time(8, 30), CHICAGO)
    assert expires_at(hearing) == hearing.starts_at + timedelta(days=30)
    deadline = Draft("one_year", date(2027, 9, 3), None, CHICAGO, basis=date(2026, 9, 3))
    assert expires_at(deadline) == utc(2027, 10, 4, 5)  # end of the last day + 30 days


# --- due alerts ------------------------------------------------------------------------------


def test_a_due_alert_goes_out_while_the_event_is_ahead() -> None:
    due = [("d1", utc(2027, 1, 15, 0))]
    ends = utc(2027, 1, 15, 14, 30)
    assert settle_due(due, ends, utc(2027, 1, 15, 0), True) == {"d1": Outcome.SEND}


def test_overdue_alerts_only_the_latest_goes_and_after_the_event_all_are_missed() -> None:
    due = [("d7", utc(2027, 1, 9)), ("d3", utc(2027, 1, 13)), ("d1", utc(2027, 1, 15))]
    ends = utc(2027, 1, 15, 14, 30)
    assert settle_due(due, ends, utc(2027, 1, 15, 9), True) == {
        "d7": Outcome.SUPERSEDED,
        "d3": Outcome.SUPERSEDED,
        "d1": Outcome.SEND,
    }
    assert set(settle_due(due, ends, utc(2027, 1, 15, 14, 30), True).values()) == {Outcome.MISSED}
    assert set(settle_due(due, ends, utc(2027, 1, 15, 9), False).values()) == {Outcome.BLOCKED}
    assert settle_due([], ends, utc(2027, 1, 15), True) == {}


# --- holidays, closed days, deadlines -------------------------------------------------------


def test_federal_holidays_2027_with_observed_days() -> None:
    assert federal_holidays(2027) == {
        date(2027, 1, 1): "New Year's Day",
        date(2027, 1, 18): "Birthday of Martin Luther King, Jr.",
        date(2027, 2, 15): "Washington's Birthday",
        date(2027, 5, 31): "Memorial Day",
        date(2027, 6, 18): "Juneteenth National Independence Day",  # 19 June is a Saturday
        date(2027, 7, 5): "Independence Day",  # 4 July is a Sunday
        date(2027, 9, 6): "Labor Day",
        date(2027, 10, 11): "Columbus Day",
        date(2027, 11, 11): "Veterans Day",
        date(2027, 11, 25): "Thanksgiving Day",
        date(2027, 12, 24): "Christmas Day",  # 25 December is a Saturday
        date(2027, 12, 31): "New Year's Day",  # 1 January 2028 is a Saturday
    }


def test_federal_holidays_2026_and_2022() -> None:
    days = federal_holidays(2026)
    assert len(days) == 11
    assert days[date(2026, 7, 3)] == "Independence Day"  # 4 July 2026 is a Saturday
    assert days[date(2026, 11, 26)] == "Thanksgiving Day"
    assert days[date(2026, 5, 25)] == "Memorial Day"
    # 1 January 2022 was a Saturday: observed on 31 December 2021, so 2022 has 10 in its year.
    assert date(2022, 1, 1) not in federal_holidays(2022)
    assert federal_holidays(2021)[date(2021, 12, 31)] == "New Year's Day"
    assert holiday_name(date(2027, 1, 18)) == "Birthday of Martin Luther King, Jr."
    assert holiday_name(date(2027, 1, 19)) is None
    assert date(2020, 6, 19) not in federal_holidays(2020)  # Juneteenth since 2021


def test_closed_days_and_hours() -> None:
    assert closed_reasons(date(2027, 1, 16), time(9, 0)) == [(Closed.WEEKEND, None)]
    assert closed_reasons(date(2027, 1, 18), time(9, 0)) == [
        (Closed.HOLIDAY, "Birthday of Martin Luther King, Jr.")
    ]
    assert closed_reasons(date(2027, 1, 15), time(20, 0)) == [(Closed.HOURS, None)]
    assert closed_reasons(date(2027, 1, 15), time(6, 59)) == [(Closed.HOURS, None)]
    assert closed_reasons(date(2027, 1, 15), time(8, 30)) == []


def test_closed_warnings_point_to_eoir_for_hearings_and_to_the_letter_otherwise() -> None:
    hearing = Draft("master", date(2027, 1, 16), time(8, 30), CHICAGO)
    lines = closed_warnings(EN, hearing)
    assert lines[0].startswith("⚠️ This is a Saturday: courts usually do not")
    assert ACIS_URL in lines[-1]
    assert "1-800-898-7180" in lines[-1]
    checkin = Draft("checkin", date(2027, 1, 18), time(21, 0), CHICAGO)
    lines = closed_warnings(EN, checkin)
    assert "federal holiday (Birthday of Martin Luther King, Jr.)" in lines[0]
    assert "offices are usually closed" in lines[0]
    assert lines[1] == "⚠️ Offices are usually closed at this time of day."
    assert "appointment letter" in lines[-1]
    assert closed_warnings(EN, Draft("master", date(2027, 1, 15), time(8, 30), CHICAGO)) == []


def test_a_weekend_warning_names_the_day_it_is() -> None:
    sunday = Draft("checkin", date(2027, 1, 17), time(9, 0), CHICAGO)
    assert closed_warnings(EN, sunday)[0] == "⚠️ This is a Sunday: offices are usually closed then."
    saturday = Draft("checkin", date(2027, 1, 16), time(9, 0), CHICAGO)
    assert closed_warnings(RU, saturday)[0] == "⚠️ Это суббота: офисы в этот день обычно закрыты."
    hearing = Draft("master", date(2027, 1, 17), time(9, 0), CHICAGO)
    assert closed_warnings(RU, hearing)[0] == (
        "⚠️ Это воскресенье: суды в этот день обычно не проводят слушаний."
    )


def test_russian_and_ukrainian_dates_end_a_sentence_with_one_full_stop() -> None:
    # CLDR writes "2027 г." and "2027 р."; followed by a full stop it read "2027 г..".
    assert translator("ru").date(date(2027, 5, 3), "full") == "понедельник, 3 мая 2027"
    assert translator("uk").date(date(2027, 5, 3), "long") == "3 травня 2027"
    assert translator("en").date(date(2027, 5, 3), "long") == "May 3, 2027"
    moved = Draft("address", date(2027, 5, 3), None, CHICAGO, basis=date(2027, 4, 28))
    for lang in ("ru", "uk"):
        text = compose_alert(translator(lang), moved, "d0", utc(2027, 5, 3, 14), None)
        assert ".." not in text
        assert ".." not in deadline_summary(translator(lang), moved)


def test_deadline_rules() -> None:
    assert deadline_due("one_year", date(2026, 9, 3)) == date(2027, 9, 3)
    assert deadline_due("one_year", date(2024, 2, 29)) == date(2025, 2, 28)
    assert deadline_due("bia", date(2027, 1, 15)) == date(2027, 2, 14)
    assert deadline_due("work", date(2026, 11, 27)) == date(2027, 4, 26)
    assert deadline_due("address", date(2026, 12, 18)) == date(2026, 12, 23)
    with pytest.raises(ValueError, match="not a deadline"):
        deadline_due("master", date(2027, 1, 1))


def test_the_eoir33_deadline_counts_calendar_days_not_working_days() -> None:
    # 8 CFR 1003.15(d)(2) and Practice Manual 2.2(c): "within 5 days". A move on Friday
    # 18 December 2026 must reach the court by Wednesday the 23rd, not after Christmas.
    assert deadline_due("address", date(2026, 12, 18)) == date(2026, 12, 23)
    # Weekends and holidays do not stretch it: Friday 15 January 2027 (MLK Day on the 18th).
    assert deadline_due("address", date(2027, 1, 15)) == date(2027, 1, 20)
    # A last day on a weekend is not moved later either.
    assert deadline_due("address", date(2027, 1, 11)) == date(2027, 1, 16)  # a Saturday


def test_the_bia_deadline_is_thirty_calendar_days_from_the_date_on_the_paper() -> None:
    # 8 CFR 1003.38(b): 30 days from the oral decision or the mailing date; a last day on a
    # Sunday is shown as is (the earlier date), never moved later.
    assert deadline_due("bia", date(2027, 1, 15)) == date(2027, 2, 14)  # a Sunday
    assert deadline_due("bia", date(2026, 12, 1)) == date(2026, 12, 31)


def test_deadline_alert_days() -> None:
    one_year = Draft("one_year", date(2027, 9, 3), None, CHICAGO, basis=date(2026, 9, 3))
    assert kinds_and_times(one_year) == [
        ("d60", utc(2027, 7, 5, 23)),  # 18:00 CDT
        ("d30", utc(2027, 8, 4, 23)),
        ("d7", utc(2027, 8, 27, 23)),
    ]
    bia = Draft("bia", date(2027, 2, 14), None, CHICAGO, basis=date(2027, 1, 15))
    assert [k for k, _ in kinds_and_times(bia)] == ["d14", "d7", "d3"]
    work = Draft("work", date(2027, 4, 26), None, CHICAGO, basis=date(2026, 11, 27))
    assert kinds_and_times(work) == [("d0", utc(2027, 4, 26, 14))]  # 09:00 CDT


# --- texts -----------------------------------------------------------------------------------


def test_the_event_is_repeated_unmistakably() -> None:
    hearing = Draft("master", date(2027, 1, 15), time(8, 30), CHICAGO, court_id="chicago")
    ru = translator("ru")
    assert when_text(EN, hearing, COURT) == "Friday, January 15, 2027, 8:30 AM court time (Chicago)"
    assert when_text(ru, hearing, COURT).startswith("пятница, 15 января 2027, 08:30")
    assert (
        when_text(EN, hearing, None) == "Friday, January 15, 2027, 8:30 AM, Central time (Chicago)"
    )
    assert zone_label("America/Kentucky/Louisville") == "Eastern time (New York)"
    assert zone_label("Europe/Moscow") == "Europe/Moscow"
    alerts = plan_alerts(hearing, NOW)
    assert alert_times_text(EN, hearing, alerts) == (
        "January 8, 6:00 PM · January 12, 6:00 PM · January 14, 6:00 PM · January 15, 5:30 AM"
    )


def test_a_hearing_alert_names_the_consequence_the_plan_and_the_source() -> None:
    hearing = Draft(
        "master", date(2027, 1, 15), time(8, 30), CHICAGO, court_id="chicago", person="<Маша>"
    )
    text = compose_alert(EN, hearing, "d7", utc(2027, 1, 9), COURT)
    assert text.startswith("⏰ <b>Master calendar hearing: in 7 days</b>\nFor: &lt;Маша&gt;")
    assert "Friday, January 15, 2027, 8:30 AM court time (Chicago)" in text
    assert "525 West Van Buren Street" in text
    assert "in absentia" in text
    assert "https://acis.eoir.justice.gov or 1-800-898-7180" in text
    assert "Bring your NTA" in text
    assert "leave early" in text
    assert text.endswith("Source: https://www.justice.gov/eoir/reference-materials/ic/chapter-5/9")
    assert "tomorrow" in compose_alert(EN, hearing, "d1", utc(2027, 1, 15), COURT)
    assert ": today</b>" in compose_alert(EN, hearing, "d0", utc(2027, 1, 15, 11, 30), COURT)
    weekly = compose_alert(EN, hearing, "wk20261204", utc(2026, 12, 4, 18), COURT)
    assert weekly.startswith("🔁 <b>Weekly check: Master calendar hearing</b>")
    assert "Hearing dates change" in weekly


def test_other_kinds_and_deadlines_name_their_sources() -> None:
    biometrics = Draft("biometrics", date(2027, 1, 15), time(10, 0), CHICAGO)
    text = compose_alert(EN, biometrics, "d3", utc(2027, 1, 13), None)
    assert "stops the work-permit clock" in text
    assert "appointment letter" in text
    assert "immigrationequality.org" in text
    other = Draft("other", date(2027, 1, 15), time(10, 0), CHICAGO, label="Lawyer")
    assert compose_alert(EN, other, "d3", utc(2027, 1, 13), None).startswith(
        "⏰ <b>Lawyer: in 3 days</b>"
    )
    one_year = Draft("one_year", date(2027, 9, 3), None, CHICAGO, basis=date(2026, 9, 3))
    text = compose_alert(EN, one_year, "d60", utc(2027, 7, 5, 23), None)
    assert text.startswith("⏰ <b>One-year deadline for the asylum application: in 60 days</b>")
    assert "Friday, September 3, 2027" in text
    assert ONE_YEAR_SOURCE_URL in text
    work = Draft("work", date(2027, 4, 26), None, CHICAGO, basis=date(2026, 11, 27))
    text = compose_alert(EN, work, "d0", utc(2027, 4, 26, 14), None)
    assert "Under the current rule (8 CFR 208.7)" in text
    assert "proposed in February 2026" in text
    # 90 FR 48799 (no automatic extension of renewals) and the 18-month (c)(8) permits.
    assert "at most 18 months" in text
    assert "not extended automatically" in text
    assert "up to 180 days before it expires" in text


def test_the_address_alert_counts_five_days_and_names_the_uscis_duty() -> None:
    address = Draft("address", date(2026, 12, 23), None, CHICAGO, basis=date(2026, 12, 18))
    text = compose_alert(EN, address, "d0", utc(2026, 12, 23, 15), None)
    assert "within 5 days: by Wednesday, December 23, 2026" in text
    assert "working" not in text
    assert "respondentaccess.eoir.justice.gov" in text
    # INA 265, 8 CFR 265.1: USCIS within 10 days, Form AR-11.
    assert "within 10 days of the move: Form AR-11, online at https://www.uscis.gov/ar-11" in text
    assert text.endswith("Source: https://www.justice.gov/eoir/reference-materials/ic/chapter-2/2")
    assert "5 days after the move" in deadline_summary(EN, address)


def test_the_bia_alert_says_the_appeal_must_arrive_counted_from_the_paper_date() -> None:
    bia = Draft("bia", date(2027, 2, 14), None, CHICAGO, basis=date(2027, 1, 15))
    text = compose_alert(EN, bia, "d7", utc(2027, 2, 8, 0), None)
    assert text.startswith("⏰ <b>Appeal to the BIA: the last day is February 14, 2027</b>")
    assert "must reach the Board of Immigration Appeals by Sunday, February 14, 2027" in text
    assert "30 calendar days from January 15, 2027" in text
    assert "the date of the oral decision or the mailing date on the written decision" in text
    assert "the postmark does not count" in text
    assert "https://epay.eoir.justice.gov" in text
    assert "$900" not in text
    assert text.endswith("Source: https://www.justice.gov/eoir/reference-materials/ic/chapter-6/2")
    assert "the date of the decision on the paper" in deadline_summary(EN, bia)


def test_short_texts_the_user_types() -> None:
    assert clean_short_text("  Маша  ", 30) == "Маша"
    assert clean_short_text("брат   Саша", 30) == "брат Саша"
    assert clean_short_text("x" * 31, 30) is None
    assert clean_short_text("12345", 30) is None
    assert clean_short_text("<b>hi</b>", 30) is None
    assert clean_short_text("", 30) is None
    assert looks_like_full_name("Иван Иванович Петров")
    assert not looks_like_full_name("брат Саша")


@pytest.mark.parametrize(
    ("kind", "basis", "last_day"),
    [
        ("ar11", date(2026, 11, 25), date(2026, 12, 5)),  # 8 CFR 265.1: 10 days
        ("review", date(2026, 11, 20), date(2026, 12, 20)),  # 8 U.S.C. 1252(b)(1): 30 days
        ("reopen", date(2026, 11, 1), date(2027, 1, 30)),  # 8 CFR 1003.23(b)(1): 90 days
        ("ead_renew", date(2027, 6, 30), date(2027, 6, 30)),  # the card's own last day
        ("annual_fee", date(2026, 11, 20), date(2026, 12, 20)),  # 30 days after the notice
    ],
)
def test_the_new_deadlines_are_counted_in_calendar_days(
    kind: str, basis: date, last_day: date
) -> None:
    from core.reminders import deadline_due

    assert deadline_due(kind, basis) == last_day


def test_a_work_permit_renewal_is_announced_180_90_and_30_days_ahead() -> None:
    from core.reminders import Draft, plan_alerts

    end = date(2027, 6, 30)
    draft = Draft("ead_renew", end, None, "America/New_York", basis=end)
    kinds = [a.kind for a in plan_alerts(draft, datetime(2026, 12, 1, tzinfo=UTC))]
    assert kinds == ["d180", "d90", "d30", "d0"]


@pytest.mark.parametrize("typed", ["Chicago", "чикаго", "Чикаго суд", "chikago", "Чікаго"])
def test_a_court_is_found_however_its_city_is_typed(typed: str) -> None:
    from pathlib import Path

    from core.content.courts import load_courts
    from core.court_search import find_courts

    courts = tuple(load_courts(Path("content/data/courts.csv"))[0])
    assert "chicago" in [court.id for court in find_courts(courts, typed)]
