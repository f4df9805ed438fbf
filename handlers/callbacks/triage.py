"""The codecs of the "Where am I?" buttons: start, answers, and the checklist's offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.callbacks.base import CallbackData
from handlers.callbacks.prefixes import Prefix


@dataclass(frozen=True)
class TriageStart(CallbackData, prefix=Prefix.TRIAGE, action="go"):
    """ "🧭 Where am I?": the first question. `w:go`"""


@dataclass(frozen=True)
class TriageAnswer(CallbackData, prefix=Prefix.TRIAGE):
    """An answer: `w:<question>:<value>`, the question's and the option's short words. Any two
    words are taken here; the handler knows which questions and answers exist."""

    question: str
    value: str


@dataclass(frozen=True)
class TriageArrival(CallbackData, prefix=Prefix.TRIAGE, action="arr"):
    """One reading of an ambiguous arrival date: `w:arr:<YYYYMMDD>` (an answer, as above)."""

    day: date


@dataclass(frozen=True)
class TriageAddReminder(CallbackData, prefix=Prefix.TRIAGE, action="rem"):
    """The checklist's "⏰ Add a hearing reminder". `w:rem`"""


@dataclass(frozen=True)
class TriageDeadlineAlerts(CallbackData, prefix=Prefix.TRIAGE, action="dl"):
    """The checklist's "⏰ Remind me of the one-year deadline": `w:dl:<arrival YYYYMMDD>`."""

    arrival: date
