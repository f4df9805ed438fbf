"""Calendar files (RFC 5545 .ics) for a reminder, written by hand: no dependency needed.

(icalendar 7, a dev dependency that the tests read these files back with, was tried for
writing them, issue 15.8: its `Timezone.from_tzinfo` dates a daylight-time onset at the new
local time, 03:00, where RFC 5545 dates it at the old one, 02:00, and adds a comment that the
zone "only works" between two dates; so the few lines below stay.)

Owns: the VCALENDAR text of one event in the court's time zone (DTSTART with TZID and a
VTIMEZONE built from the IANA rules around the event), or an all-day event for a deadline,
with display alarms; text escaping, line folding at 75 octets, CRLF line ends.

One reminder is one calendar event for its whole life: its UID never changes and SEQUENCE
counts its revisions, so a phone that imports the file of a changed reminder updates the event
it already has instead of adding a second one. `cancel=True` writes the file that removes the
event (METHOD:CANCEL, STATUS:CANCELLED), offered when the reminder is deleted; calendars that
ignore it leave the event to be deleted by hand, which the bot says.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.reminders import Draft

PRODID = "-//asylum-guide-bot//reminders//EN"
EVENT_LENGTH = timedelta(hours=1)
# Alarms before a timed event: a week, a day and three hours before it.
EVENT_ALARMS = ("-P7D", "-P1D", "-PT3H")
# Alarms of an all-day deadline (relative to its midnight): 09:00 a week and a day before,
# and 09:00 on the last day.
DEADLINE_ALARMS = ("-P6DT15H", "-PT15H", "PT9H")
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (never inside a UTF-8 character)."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1  # continuation lines start with " "
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def transitions(zone: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The UTC instants in [start, end) where the zone's offset changes: (just before, at)."""
    tz = ZoneInfo(zone)
    found: list[tuple[datetime, datetime]] = []
    step = timedelta(hours=6)
    moment = start
    while moment < end:
        following = moment + step
        if moment.astimezone(tz).utcoffset() != following.astimezone(tz).utcoffset():
            low, high = moment, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append((low, high))
        moment = following
    return found


def vtimezone(zone: str, around: date) -> list[str]:
    """A VTIMEZONE for `zone`, with every offset change from a year before `around` to a
    year after it (one STANDARD component for a zone without changes, like Arizona)."""
    tz = ZoneInfo(zone)
    start = datetime(around.year - 1, 1, 1, tzinfo=UTC)
    end = datetime(around.year + 2, 1, 1, tzinfo=UTC)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
    changes = transitions(zone, start, end)
    if not changes:
        local = start.astimezone(tz)
        offset = _offset(local.utcoffset())
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
            f"TZNAME:{local.tzname()}",
            "END:STANDARD",
        ]
    for before, at in changes:
        old, new = before.astimezone(tz), at.astimezone(tz)
        part = "DAYLIGHT" if new.dst() else "STANDARD"
        onset = (at.replace(second=0, microsecond=0) + (old.utcoffset() or timedelta(0))).replace(
            tzinfo=None
        )
        lines += [
            f"BEGIN:{part}",
            f"DTSTART:{onset:%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{_offset(old.utcoffset())}",
            f"TZOFFSETTO:{_offset(new.utcoffset())}",
            f"TZNAME:{new.tzname()}",
            f"END:{part}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def event_uid(reminder_id: int) -> str:
    """The UID of a reminder's event: the same for every revision of the reminder."""
    return f"reminder-{reminder_id}@asylum-guide-bot"


def reminder_calendar(
    *,
    uid: str,
    draft: Draft,
    summary: str,
    description: str,
    location: str | None,
    now: datetime,
    sequence: int = 0,
    cancel: bool = False,
) -> bytes:
    """The .ics file of one reminder: its event in its time zone (or an all-day deadline);
    with `cancel`, the file that removes that event from the calendar."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:CANCEL" if cancel else "METHOD:PUBLISH",
    ]
    event = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid)}",
        f"DTSTAMP:{_utc(now)}",
        f"SEQUENCE:{sequence + 1 if cancel else sequence}",
    ]
    if cancel:
        event.append("STATUS:CANCELLED")
    if draft.at is None:
        following = draft.day + timedelta(days=1)
        event += [f"DTSTART;VALUE=DATE:{draft.day:%Y%m%d}", f"DTEND;VALUE=DATE:{following:%Y%m%d}"]
        alarms = DEADLINE_ALARMS
    else:
        lines += vtimezone(draft.zone, draft.day)
        start = datetime.combine(draft.day, draft.at)
        event += [
            f"DTSTART;TZID={draft.zone}:{start:%Y%m%dT%H%M%S}",
            f"DURATION:PT{int(EVENT_LENGTH.total_seconds() // 3600)}H",
        ]
        alarms = EVENT_ALARMS
    event.append(f"SUMMARY:{escape_text(summary)}")
    if location:
        event.append(f"LOCATION:{escape_text(location)}")
    event.append(f"DESCRIPTION:{escape_text(description)}")
    for trigger in () if cancel else alarms:
        event += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(summary)}",
            f"TRIGGER:{trigger}",
            "END:VALARM",
        ]
    event.append("END:VEVENT")
    lines += [*event, "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
