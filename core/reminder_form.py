"""The add/edit reminder form as a typed value: what was answered, which step comes next, and
the reminder it describes.

Pure: no Telegram, no storage, no clock. The handlers (handlers/reminders/form.py) turn buttons
and typed text into the `with_…` methods below, and keep the form between messages in the
conversation store with `to_dict` / `from_dict` (the same JSON keys as before this class
existed, so a conversation left open across an upgrade goes on where it was).

An event (hearing, appointment): kind → label (only "other") → for whom → their name → date →
time → place (court or time zone) → which of a time the clocks skip or repeat → confirm.
A deadline: kind → the date it counts from → time zone → confirm.

To add a reminder kind: its rules in core/reminders.py (KINDS), its words in
core/reminder_texts.py; for a deadline, the question for its date in
handlers/reminders/screens.py (DEADLINE_QUESTIONS). Nothing here changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any, Literal

from core.reminders import KINDS, ClockProblem, Draft, after_gap, clock_problem, deadline_due

Step = Literal[
    "kind", "label", "who", "person", "date", "time", "place", "zone", "clock", "confirm"
]
Who = Literal["me", "rel"]
ClockAnswer = Literal["0", "1", "shift", "retype"]

CLOCK_ANSWERS: tuple[ClockAnswer, ...] = ("0", "1", "shift", "retype")
# Today's date for checking typed dates before the place is known: the earliest US date
# (for dates that must be ahead) and the latest (for dates that must have passed).
EARLIEST_US_ZONE = "Pacific/Honolulu"
LATEST_US_ZONE = "Pacific/Saipan"


@dataclass(frozen=True)
class ReminderForm:
    """The answers so far; None means not answered yet (or forgotten to be asked again)."""

    deadline: bool = False  # a deadline alert; else a hearing or appointment
    kind: str | None = None  # a key of core.reminders.KINDS once chosen
    label: str | None = None  # the short name of an "other" appointment
    who: Who | None = None
    person: str | None = None  # a relative's first name or nickname
    day: date | None = None  # the event's date, or the date a deadline counts from
    at: time | None = None  # the event's time (local to `zone`)
    zone: str | None = None
    court: str | None = None  # a court id (content/data/courts.csv), court kinds only
    weekly: bool = False  # the weekly date check of a court hearing
    fold: int = 0  # which of a time that happens twice: 0 the first, 1 the second
    clock_answered: str | None = None  # "date time zone" whose clock question was answered
    prev_time: time | None = None  # the time before the date was reopened: offered again
    edit: int | None = None  # the stored reminder this form changes
    was: str | None = None  # how that reminder read before the change (shown on the screens)
    month: str | None = None  # "YYYYMM": the month the calendar shows, if turned
    step: str | None = None  # the step last shown ("ambig": asked how to read a date)

    # --- reading it ----------------------------------------------------------------------

    @property
    def asks_future(self) -> bool:
        """Whether the date asked for is ahead: an event, or a deadline counted back from a
        date to come (a work permit's end); else a date already behind (an arrival, a move...)."""
        if not self.deadline:
            return True
        return self.kind in KINDS and KINDS[self.kind].basis_future

    @property
    def today_zone(self) -> str:
        """The zone whose today dates are checked against: the place's once known, else the
        US zone that is most lenient for the date asked (ahead or behind)."""
        return self.zone or (EARLIEST_US_ZONE if self.asks_future else LATEST_US_ZONE)

    @property
    def court_kind(self) -> bool:
        """Whether the chosen kind happens at an immigration court ("other" when none yet)."""
        return KINDS[self.kind if self.kind in KINDS else "other"].court

    def next_step(self) -> Step:
        """The first thing the form still needs."""
        if self.kind not in KINDS:
            return "kind"
        if self.deadline:
            if self.day is None:
                return "date"
            if not self.zone:
                return "zone"
            return "confirm"
        if self.kind == "other" and not self.label:
            return "label"
        if self.who is None:
            return "who"
        if self.who == "rel" and not self.person:
            return "person"
        if self.day is None:
            return "date"
        if self.at is None:
            return "time"
        if not self.zone:
            return "place"
        if self.clock_question() is not None:
            return "clock"
        return "confirm"

    def clock_question(self) -> ClockProblem | None:
        """ "gap" or "fold" when the chosen time does not exist or happens twice that night in
        the chosen zone and the person has not yet said which they mean; else None."""
        if self.day is None or self.at is None or not self.zone:
            return None
        problem = clock_problem(self.day, self.at, self.zone)
        if problem is None or self.clock_answered == self._clock_key():
            return None
        return problem

    def draft(self) -> Draft:
        """The reminder the form describes; only when `next_step()` is "clock" or "confirm"."""
        kind = self.kind
        if kind not in KINDS or self.day is None or not self.zone:
            raise ValueError("the form is not complete")
        if KINDS[kind].deadline:
            return Draft(kind, deadline_due(kind, self.day), None, self.zone, basis=self.day)
        if self.at is None:
            raise ValueError("the form is not complete")
        return Draft(
            kind=kind,
            day=self.day,
            at=self.at,
            zone=self.zone,
            court_id=self.court,
            label=self.label if kind == "other" else None,
            person=self.person if self.who == "rel" else None,
            weekly=self.weekly and KINDS[kind].court,
            fold=1 if self.fold == 1 else 0,
        )

    # --- answering -----------------------------------------------------------------------

    @classmethod
    def for_reminder(
        cls, reminder_id: int, draft: Draft, *, was: str | None = None
    ) -> ReminderForm:
        """The form that changes a stored reminder: every answer filled in from it."""
        deadline = draft.spec.deadline
        return cls(
            deadline=deadline,
            kind=draft.kind,
            label=draft.label or None,
            who="rel" if draft.person else "me",
            person=draft.person or None,
            day=(draft.basis or draft.day) if deadline else draft.day,
            at=None if deadline else draft.at,
            zone=draft.zone,
            court=draft.court_id or None,
            weekly=draft.weekly,
            edit=reminder_id,
            was=was,
        )

    def with_kind(self, kind: str) -> ReminderForm:
        """The kind chosen (a deadline kind makes this a deadline form)."""
        if kind not in KINDS:
            raise ValueError(f"unknown reminder kind {kind!r}")
        return replace(self, kind=kind, deadline=KINDS[kind].deadline)

    def with_label(self, label: str) -> ReminderForm:
        return replace(self, label=label)

    def with_who(self, who: str) -> ReminderForm:
        """For me ("me": forgets a relative's name) or for a relative ("rel")."""
        if who == "me":
            return replace(self, who="me", person=None)
        if who == "rel":
            return replace(self, who="rel")
        raise ValueError(f"unknown answer {who!r}")

    def with_person(self, name: str) -> ReminderForm:
        return replace(self, person=name)

    def with_month(self, month: str) -> ReminderForm:
        """The calendar turned to another month ("YYYYMM")."""
        return replace(self, month=month)

    def with_day(self, day: date) -> ReminderForm:
        """The date chosen (the calendar goes back to its first month next time)."""
        return replace(self, day=day, month=None, step=None)

    def with_time(self, at: time) -> ReminderForm:
        return replace(self, at=at, prev_time=None, step=None)

    def with_zone(self, zone: str) -> ReminderForm:
        """A time zone chosen by itself: no court."""
        return replace(self, zone=zone, court=None, step=None)

    def with_court(self, court_id: str, zone: str) -> ReminderForm:
        """A court chosen: its zone, and the court itself for a hearing (an ICE office or an
        asylum office is not at the court, so only its zone is kept)."""
        court = court_id if self.court_kind else self.court
        return replace(self, court=court, zone=zone, step=None)

    def with_zone_of_place(self, zone: str) -> ReminderForm:
        """The zone of a typed city, for a kind that is not at a court."""
        return replace(self, zone=zone, step=None)

    def with_clock_answer(self, answer: str) -> ReminderForm:
        """The answer to the clock question: the first or the second of a time that happens
        twice ("0", "1"), the time after the skipped hour ("shift"), or another time ("retype")."""
        if answer not in CLOCK_ANSWERS:
            raise ValueError(f"unknown answer {answer!r}")
        if answer == "retype":
            return replace(self, at=None, step=None)
        if self.day is None or self.at is None or not self.zone:
            raise ValueError("no time to answer the clock question about")
        at = after_gap(self.day, self.at, self.zone) if answer == "shift" else self.at
        answered = replace(self, at=at, fold=1 if answer == "1" else 0, step=None)
        return replace(answered, clock_answered=answered._clock_key())

    def with_weekly_toggled(self) -> ReminderForm:
        return replace(self, weekly=not self.weekly)

    def with_step(self, step: str | None) -> ReminderForm:
        """The step being shown (kept so that typed text goes to it)."""
        return replace(self, step=step)

    def reopen(self, what: str) -> ReminderForm:
        """Forget one answer ("date", "time" or "place") so that the form asks it again; a
        forgotten time is offered again as "Keep …". Anything else changes nothing."""
        if what == "date":
            if self.at is not None:
                return replace(self, day=None, at=None, prev_time=self.at, step=None)
            return replace(self, day=None, step=None)
        if what == "time" and self.at is not None:
            return replace(self, at=None, prev_time=self.at, step=None)
        if what == "place":
            return replace(self, zone=None, court=None, step=None)
        return replace(self, step=None)

    def reopen_date_and_time(self) -> ReminderForm:
        """Ask the date again, and the time (the old one offered to keep): when the moment
        chosen has already passed, or when a stored reminder's date is changed."""
        return replace(self, day=None, at=None, prev_time=self.at)

    # --- the conversation store ----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The form as JSON-safe values (dates and times as ISO 8601, "HH:MM")."""
        data: dict[str, Any] = {"mode": "deadline" if self.deadline else "event"}
        optional: dict[str, Any] = {
            "kind": self.kind,
            "label": self.label,
            "who": self.who,
            "person": self.person,
            "date": self.day.isoformat() if self.day else None,
            "time": _hhmm(self.at),
            "zone": self.zone,
            "court": self.court,
            "clock": self.clock_answered,
            "prev_time": _hhmm(self.prev_time),
            "edit": self.edit,
            "was": self.was,
            "month": self.month,
            "step": self.step,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        if self.weekly:
            data["weekly"] = True
        if self.fold:
            data["fold"] = self.fold
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReminderForm:
        """The form kept by `to_dict`; a value of the wrong type counts as not answered."""
        who = data.get("who")
        edit = data.get("edit")
        return cls(
            deadline=data.get("mode") == "deadline",
            kind=_text(data.get("kind")),
            label=_text(data.get("label")),
            who=who if who in ("me", "rel") else None,
            person=_text(data.get("person")),
            day=_date(data.get("date")),
            at=_time(data.get("time")),
            zone=_text(data.get("zone")),
            court=_text(data.get("court")),
            weekly=bool(data.get("weekly")),
            fold=1 if data.get("fold") == 1 else 0,
            clock_answered=_text(data.get("clock")),
            prev_time=_time(data.get("prev_time")),
            edit=edit if isinstance(edit, int) and not isinstance(edit, bool) else None,
            was=_text(data.get("was")),
            month=_text(data.get("month")),
            step=_text(data.get("step")),
        )

    def _clock_key(self) -> str:
        return f"{self.day.isoformat() if self.day else ''} {_hhmm(self.at)} {self.zone}"


def _hhmm(at: time | None) -> str | None:
    return at.strftime("%H:%M") if at is not None else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _time(value: object) -> time | None:
    try:
        return time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
