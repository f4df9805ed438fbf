"""The codecs of the reminders' buttons: "rm" the list, one reminder and the buttons on
alerts; "ra" the steps of adding or changing a reminder.

On an alert, a trailing "a" (`origin="a"`) means "answer in a new message, keep the alert".
Values the form checks against its own lists (kinds, zones, courts...) travel as words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from handlers.callbacks.base import CallbackData
from handlers.callbacks.prefixes import Prefix

FromAlert = Literal["a"] | None


@dataclass(frozen=True)
class ReminderList(CallbackData, prefix=Prefix.REMINDERS):
    """ "⏰ Reminders": the list. `rm`"""


@dataclass(frozen=True)
class ReminderNew(CallbackData, prefix=Prefix.REMINDERS, action="new"):
    """ "➕ Hearing or appointment": the form. `rm:new` (also for other features)"""


@dataclass(frozen=True)
class DeadlineNew(CallbackData, prefix=Prefix.REMINDERS, action="dl"):
    """ "➕ Deadline alert": the form for a deadline. `rm:dl`"""


@dataclass(frozen=True)
class DeadlinesFromArrival(CallbackData, prefix=Prefix.REMINDERS, action="arr"):
    """The deadline alerts counted from an arrival date: `rm:arr:<YYYYMMDD>`."""

    arrival: date


@dataclass(frozen=True)
class ReminderTopic(CallbackData, prefix=Prefix.REMINDERS, action="t"):
    """An alert's "📖 Read more": a topic in a new message, `rm:t:<topic>[:bring]` (its
    "What to bring" step)."""

    topic: str
    step: Literal["bring"] | None = None


ReminderVerb = Literal["v", "del", "dely", "stop", "on", "ed", "ep", "ics", "icsx", "ar11"]


@dataclass(frozen=True)
class ReminderAction(CallbackData, prefix=Prefix.REMINDERS):
    """One reminder and what to do with it: `rm:<verb>:<id>[:a]` (view, delete, stop...)."""

    verb: ReminderVerb
    reminder: int
    origin: FromAlert = None


@dataclass(frozen=True)
class ReminderSwitch(CallbackData, prefix=Prefix.REMINDERS):
    """A setting of one reminder turned on or off: `rm:wk|keep:<id>:<1|0>[:a]`."""

    verb: Literal["wk", "keep"]
    reminder: int
    on: bool
    origin: FromAlert = None


# --- the steps of the form ("ra") -------------------------------------------------------------


@dataclass(frozen=True)
class FormCancel(CallbackData, prefix=Prefix.REMINDER_FLOW, action="x"):
    """ "❌ Cancel": nothing is saved. `ra:x`"""


@dataclass(frozen=True)
class FormKind(CallbackData, prefix=Prefix.REMINDER_FLOW, action="k"):
    """What the reminder is for: `ra:k:<kind>`."""

    kind: str


@dataclass(frozen=True)
class FormWho(CallbackData, prefix=Prefix.REMINDER_FLOW, action="w"):
    """For whom: `ra:w:me` or `ra:w:rel`."""

    who: Literal["me", "rel"]


@dataclass(frozen=True)
class FormMonth(CallbackData, prefix=Prefix.REMINDER_FLOW, action="cal"):
    """The calendar turned to a month: `ra:cal:<YYYYMM>` (the handler checks the range)."""

    month: str


@dataclass(frozen=True)
class FormDay(CallbackData, prefix=Prefix.REMINDER_FLOW, action="d"):
    """A day of the calendar: `ra:d:<YYYYMMDD>`."""

    day: date


@dataclass(frozen=True)
class FormDayReading(CallbackData, prefix=Prefix.REMINDER_FLOW, action="a"):
    """One reading of an ambiguous typed date: `ra:a:<YYYYMMDD>`."""

    day: date


@dataclass(frozen=True)
class FormTime(CallbackData, prefix=Prefix.REMINDER_FLOW, action="t"):
    """A quick time: `ra:t:<HHMM>` (the handler checks it is a time)."""

    at: str


@dataclass(frozen=True)
class FormClock(CallbackData, prefix=Prefix.REMINDER_FLOW, action="ck"):
    """The answer about a time the clock change skips or repeats: `ra:ck:<answer>`."""

    answer: str


@dataclass(frozen=True)
class FormZone(CallbackData, prefix=Prefix.REMINDER_FLOW, action="z"):
    """A time zone: `ra:z:<key>`."""

    zone: str


@dataclass(frozen=True)
class FormCourt(CallbackData, prefix=Prefix.REMINDER_FLOW, action="c"):
    """A court: `ra:c:<court id>`."""

    court: str


@dataclass(frozen=True)
class FormStates(CallbackData, prefix=Prefix.REMINDER_FLOW, action="pl"):
    """The list of states (`ra:pl`), or the courts of one (`ra:pl:<state>`)."""

    state: str | None = None


@dataclass(frozen=True)
class FormReopen(CallbackData, prefix=Prefix.REMINDER_FLOW, action="e"):
    """ "✏️ Date", "✏️ Time"...: that step again, `ra:e:<field>`."""

    field: str


@dataclass(frozen=True)
class FormWeekly(CallbackData, prefix=Prefix.REMINDER_FLOW, action="wk"):
    """The weekly check turned on or off on the confirmation screen. `ra:wk`"""


@dataclass(frozen=True)
class FormSave(CallbackData, prefix=Prefix.REMINDER_FLOW, action="ok"):
    """ "✅ Save". `ra:ok`"""
