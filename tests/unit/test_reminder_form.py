"""The add/edit reminder form (core/reminder_form.py): its steps, the draft it describes,
reopening a field, the clock-change answers, and the dict kept in the conversation store."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.reminder_form import LATEST_US_ZONE, ReminderForm
from core.reminders import Draft, deadline_due

CHICAGO = "America/Chicago"


def hearing() -> ReminderForm:
    """A court hearing with every answer given."""
    return (
        ReminderForm()
        .with_kind("master")
        .with_who("me")
        .with_day(date(2027, 1, 15))
        .with_time(time(8, 30))
        .with_court("chi", CHICAGO)
    )


def test_an_event_asks_its_steps_in_order() -> None:
    form = ReminderForm()
    assert form.next_step() == "kind"
    form = form.with_kind("other")
    assert form.next_step() == "label"
    form = form.with_label("lawyer")
    assert form.next_step() == "who"
    form = form.with_who("rel")
    assert form.next_step() == "person"
    form = form.with_person("Маша")
    assert form.next_step() == "date"
    form = form.with_day(date(2027, 1, 15))
    assert form.next_step() == "time"
    form = form.with_time(time(14, 0))
    assert form.next_step() == "place"
    form = form.with_zone(CHICAGO)
    assert form.next_step() == "confirm"
    assert form.draft() == Draft(
        kind="other", day=date(2027, 1, 15), at=time(14, 0), zone=CHICAGO, label="lawyer",
        person="Маша",
    )  # fmt: skip


def test_a_deadline_asks_only_the_date_and_the_zone() -> None:
    form = ReminderForm(deadline=True).with_kind("address")
    assert form.next_step() == "date"
    arrival = date(2026, 11, 2)
    form = form.with_day(arrival)
    assert form.next_step() == "zone"
    form = form.with_zone(CHICAGO)
    assert form.next_step() == "confirm"
    draft = form.draft()
    assert draft.basis == arrival
    assert draft.day == deadline_due("address", arrival)
    assert draft.at is None


def test_choosing_a_kind_sets_the_mode() -> None:
    assert ReminderForm().with_kind("bia").deadline
    assert not ReminderForm(deadline=True).with_kind("checkin").deadline
    with pytest.raises(ValueError, match="unknown reminder kind"):
        ReminderForm().with_kind("party")


def test_for_me_forgets_a_relatives_name() -> None:
    form = ReminderForm().with_who("rel").with_person("Маша").with_who("me")
    assert form.person is None
    with pytest.raises(ValueError, match="unknown answer"):
        ReminderForm().with_who("neighbour")


def test_only_a_court_hearing_keeps_the_court() -> None:
    assert hearing().draft().court_id == "chi"
    office = ReminderForm().with_kind("checkin").with_court("chi", CHICAGO)
    assert office.court is None
    assert office.zone == CHICAGO
    assert hearing().with_zone("America/New_York").court is None


def test_weekly_check_only_for_a_court_hearing() -> None:
    assert hearing().with_weekly_toggled().draft().weekly
    checkin = hearing().with_kind("checkin").with_weekly_toggled()
    assert checkin.weekly
    assert not checkin.draft().weekly


def test_reopening_the_date_offers_the_old_time_again() -> None:
    form = hearing().reopen("date")
    assert form.next_step() == "date"
    assert form.at is None
    assert form.prev_time == time(8, 30)
    assert form.with_day(date(2027, 2, 1)).next_step() == "time"
    assert form.with_time(time(9, 0)).prev_time is None


def test_reopening_the_time_or_the_place() -> None:
    assert hearing().reopen("time").next_step() == "time"
    assert hearing().reopen("time").prev_time == time(8, 30)
    place = hearing().reopen("place")
    assert place.next_step() == "place"
    assert place.court is None
    assert hearing().reopen("nonsense").next_step() == "confirm"


def test_an_event_already_passed_asks_the_date_and_time_again() -> None:
    form = hearing().reopen_date_and_time()
    assert (form.day, form.at, form.prev_time) == (None, None, time(8, 30))


def test_editing_a_stored_reminder_starts_from_its_answers() -> None:
    draft = Draft("master", date(2027, 1, 15), time(8, 30), CHICAGO, court_id="chi", weekly=True)
    form = ReminderForm.for_reminder(7, draft, was="15 January, 8:30")
    assert form.edit == 7
    assert form.was == "15 January, 8:30"
    assert form.next_step() == "confirm"
    assert form.draft() == draft
    basis = date(2026, 12, 1)
    deadline = Draft("bia", deadline_due("bia", basis), None, CHICAGO, basis=basis)
    assert ReminderForm.for_reminder(8, deadline).draft() == deadline


def test_a_skipped_hour_is_asked_about_then_shifted() -> None:
    form = hearing().with_day(date(2027, 3, 14)).with_time(time(2, 30))  # clocks jump forward
    assert form.next_step() == "clock"
    assert form.clock_question() == "gap"
    shifted = form.with_clock_answer("shift")
    assert shifted.at == time(3, 30)
    assert shifted.next_step() == "confirm"
    assert form.with_clock_answer("retype").next_step() == "time"


def test_a_repeated_hour_remembers_which_one() -> None:
    form = hearing().with_day(date(2027, 11, 7)).with_time(time(1, 30))  # clocks go back
    assert form.clock_question() == "fold"
    second = form.with_clock_answer("1")
    assert second.next_step() == "confirm"
    assert second.draft().fold == 1
    assert form.with_clock_answer("0").draft().fold == 0
    # Another time that night is a new question.
    assert second.with_time(time(1, 45)).next_step() == "clock"
    with pytest.raises(ValueError, match="unknown answer"):
        form.with_clock_answer("2")


def test_which_dates_are_asked_ahead() -> None:
    assert ReminderForm().asks_future
    assert not ReminderForm(deadline=True, kind="one_year").asks_future
    assert ReminderForm(deadline=True, kind="ead_renew").asks_future
    assert ReminderForm(deadline=True, kind="one_year").today_zone == LATEST_US_ZONE
    assert ReminderForm(zone=CHICAGO).today_zone == CHICAGO


def test_an_incomplete_form_has_no_draft() -> None:
    with pytest.raises(ValueError, match="not complete"):
        ReminderForm().with_kind("master").draft()


@pytest.mark.parametrize(
    "form",
    [
        ReminderForm(),
        hearing(),
        hearing().with_weekly_toggled().with_month("202702").with_step("ambig"),
        hearing().with_day(date(2027, 11, 7)).with_time(time(1, 30)).with_clock_answer("1"),
        hearing().reopen("date"),
        ReminderForm.for_reminder(
            3,
            Draft("other", date(2027, 1, 15), time(9, 0), CHICAGO, label="x", person="Ли"),
            was="then",
        ),
        ReminderForm(deadline=True, kind="one_year", day=date(2026, 5, 1), zone=CHICAGO),
    ],
)
def test_the_stored_dict_gives_the_same_form_back(form: ReminderForm) -> None:
    assert ReminderForm.from_dict(form.to_dict()) == form


def test_the_stored_dict_keeps_the_earlier_keys() -> None:
    """Conversations left open across an upgrade were stored with these keys and values."""
    stored = {
        "mode": "event",
        "kind": "master",
        "who": "me",
        "date": "2027-11-07",
        "time": "01:30",
        "zone": CHICAGO,
        "court": "chi",
        "weekly": True,
        "fold": 1,
        "clock": f"2027-11-07 01:30 {CHICAGO}",
        "edit": 5,
        "was": "before",
        "step": "confirm",
    }
    form = ReminderForm.from_dict(stored)
    assert form.next_step() == "confirm"
    assert form.draft().fold == 1
    assert form.draft().weekly
    assert form.to_dict() == stored


def test_wrong_values_in_the_store_count_as_unanswered() -> None:
    form = ReminderForm.from_dict({"mode": "x", "date": "soon", "time": 5, "edit": "1", "who": "?"})
    assert form == ReminderForm()
