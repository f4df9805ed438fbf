"""Calendar files: written by hand, read back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import icalendar

from core.ics import escape_text, event_uid, fold, reminder_calendar, transitions, vtimezone
from core.reminders import Draft

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def read(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def make(draft: Draft, **overrides: str | None) -> bytes:
    values: dict[str, str | None] = {
        "summary": "Master calendar hearing (Маша)",
        "description": "Check the date, time and place: https://acis.eoir.justice.gov",
        "location": "Chicago Immigration Court, 55 E. Monroe Street, Suite 1500, Chicago, IL",
    }
    values.update(overrides)
    return reminder_calendar(
        uid="reminder-7-1@asylum-guide-bot",
        draft=draft,
        summary=values["summary"] or "",
        description=values["description"] or "",
        location=values["location"],
        now=NOW,
    )


def test_a_hearing_in_the_courts_time_zone_with_alarms() -> None:
    draft = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago")
    data = make(draft)
    calendar = read(data)
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "America/Chicago"
    assert (start.date(), start.hour, start.minute) == (date(2027, 1, 15), 8, 30)
    assert start.astimezone(UTC) == datetime(2027, 1, 15, 14, 30, tzinfo=UTC)
    assert event.decoded("DURATION") == timedelta(hours=1)
    assert str(event["SUMMARY"]) == "Master calendar hearing (Маша)"
    assert str(event["LOCATION"]).startswith("Chicago Immigration Court, 55 E. Monroe Street")
    assert str(event["UID"]) == "reminder-7-1@asylum-guide-bot"
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in event.walk("VALARM"))
    assert triggers == [-timedelta(days=7), -timedelta(days=1), -timedelta(hours=3)]
    assert all(str(alarm["ACTION"]) == "DISPLAY" for alarm in event.walk("VALARM"))
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["America/Chicago"]


def test_the_file_is_rfc_5545_text() -> None:
    draft = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago")
    data = make(draft, description="Длинное описание, с запятыми; и точкой с запятой. " * 4)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("utf-8")  # folding never cuts a character in two
    assert "\\, с запятыми\\; и" in text.replace("\r\n ", "")
    event = next(iter(read(data).walk("VEVENT")))
    assert str(event["DESCRIPTION"]).startswith("Длинное описание, с запятыми; и точкой")


def test_daylight_saving_changes_are_described_for_a_date_after_the_change() -> None:
    draft = Draft("master", date(2026, 11, 2), time(9, 0), "America/Chicago")
    calendar = read(make(draft))
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 11, 2, 15, tzinfo=UTC)
    zone = next(iter(calendar.walk("VTIMEZONE")))
    parts = [(c.name, str(c.decoded("DTSTART"))) for c in zone.subcomponents]
    assert ("STANDARD", "2026-11-01 02:00:00") in parts
    assert ("DAYLIGHT", "2026-03-08 02:00:00") in parts
    changes = transitions(
        "America/Chicago", datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert len(changes) == 2
    spring, autumn = (at for _, at in changes)
    assert timedelta(0) <= spring - datetime(2026, 3, 8, 8, tzinfo=UTC) < timedelta(minutes=1)
    assert timedelta(0) <= autumn - datetime(2026, 11, 1, 7, tzinfo=UTC) < timedelta(minutes=1)


def test_arizona_has_one_standard_offset() -> None:
    lines = vtimezone("America/Phoenix", date(2027, 3, 15))
    assert lines == [
        "BEGIN:VTIMEZONE",
        "TZID:America/Phoenix",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:-0700",
        "TZOFFSETTO:-0700",
        "TZNAME:MST",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    draft = Draft("master", date(2027, 3, 15), time(9, 0), "America/Phoenix")
    event = next(iter(read(make(draft)).walk("VEVENT")))
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 3, 15, 16, tzinfo=UTC)


def test_a_deadline_is_an_all_day_event() -> None:
    draft = Draft("one_year", date(2027, 9, 3), None, "America/New_York", basis=date(2026, 9, 3))
    event = next(iter(read(make(draft, location=None)).walk("VEVENT")))
    assert event.decoded("DTSTART") == date(2027, 9, 3)
    assert event.decoded("DTEND") == date(2027, 9, 4)
    assert "LOCATION" not in event
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in event.walk("VALARM"))
    assert triggers == [
        -timedelta(days=6, hours=15),  # 09:00 a week before
        -timedelta(hours=15),  # 09:00 the day before
        timedelta(hours=9),  # 09:00 on the last day
    ]


def test_escaping_and_folding() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert fold("x" * 75) == "x" * 75
    folded = fold("DESCRIPTION:" + "ж" * 60)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "ж" * 60


def test_every_revision_of_a_reminder_is_the_same_event_with_a_higher_sequence() -> None:
    first = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago")
    moved = Draft("master", date(2027, 2, 1), time(13, 0), "America/Chicago")
    events = []
    for revision, draft in ((1, first), (2, moved)):
        data = reminder_calendar(
            uid=event_uid(7),
            draft=draft,
            summary="Master calendar hearing",
            description="",
            location=None,
            now=NOW,
            sequence=revision,
        )
        events.append(next(iter(read(data).walk("VEVENT"))))
    assert [str(e["UID"]) for e in events] == ["reminder-7@asylum-guide-bot"] * 2
    assert [int(str(e["SEQUENCE"])) for e in events] == [1, 2]


def test_the_cancel_file_removes_the_same_event_and_has_no_alarms() -> None:
    draft = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago")
    data = reminder_calendar(
        uid=event_uid(7),
        draft=draft,
        summary="Master calendar hearing",
        description="",
        location=None,
        now=NOW,
        sequence=2,
        cancel=True,
    )
    calendar = read(data)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["UID"]) == "reminder-7@asylum-guide-bot"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(str(event["SEQUENCE"])) == 3  # newer than every file sent before
    assert list(event.walk("VALARM")) == []
