"""The form's state (a dict kept in the conversation store): which step comes next, the
reminder it describes, reopening one answer, and the state that edits a stored reminder.
Pure: no Telegram, no storage."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from core.reminders import (
    KINDS,
    Draft,
    clock_problem,
    deadline_due,
)
from storage.reminders import Reminder


def asks_future(state: dict[str, Any]) -> bool:
    """Whether the date asked for is ahead: an event, or a deadline counted back from a date
    to come (a work permit's end); else a date already behind (an arrival, a move...)."""
    if state.get("mode") != "deadline":
        return True
    kind = state.get("kind")
    return kind in KINDS and KINDS[kind].basis_future


def state_of(reminder: Reminder) -> dict[str, Any]:
    """The conversation state that edits a stored reminder."""
    draft = reminder.draft
    state: dict[str, Any] = {
        "mode": "deadline" if draft.spec.deadline else "event",
        "kind": draft.kind,
        "edit": reminder.id,
        "zone": draft.zone,
        "weekly": draft.weekly,
        "who": "rel" if draft.person else "me",
    }
    if draft.spec.deadline:
        state["date"] = (draft.basis or draft.day).isoformat()
    else:
        state["date"] = draft.day.isoformat()
        state["time"] = draft.at.strftime("%H:%M") if draft.at else None
    for key, value in (("court", draft.court_id), ("label", draft.label), ("person", draft.person)):
        if value:
            state[key] = value
    return state


def next_step(state: dict[str, Any]) -> str:
    """The first thing the conversation still needs."""
    kind = state.get("kind")
    if kind not in KINDS:
        return "kind"
    if state.get("mode") == "deadline":
        for key, step in (("date", "date"), ("zone", "zone")):
            if not state.get(key):
                return step
        return "confirm"
    if kind == "other" and not state.get("label"):
        return "label"
    if state.get("who") not in ("me", "rel"):
        return "who"
    if state["who"] == "rel" and not state.get("person"):
        return "person"
    for key, step in (("date", "date"), ("time", "time"), ("zone", "place")):
        if not state.get(key):
            return step
    if clock_question(state) is not None:
        return "clock"
    return "confirm"


def clock_question(state: dict[str, Any]) -> str | None:
    """ "gap" or "fold" when the chosen time does not exist or happens twice that night in the
    chosen zone and the person has not yet said which they mean; else None."""
    at = time.fromisoformat(state["time"])
    day = date.fromisoformat(state["date"])
    problem = clock_problem(day, at, state["zone"])
    if problem is None or state.get("clock") == f"{state['date']} {state['time']} {state['zone']}":
        return None
    return problem


def draft_of(state: dict[str, Any]) -> Draft:
    """The reminder the state describes (every step answered)."""
    kind = state["kind"]
    if KINDS[kind].deadline:
        basis = date.fromisoformat(state["date"])
        return Draft(kind, deadline_due(kind, basis), None, state["zone"], basis=basis)
    return Draft(
        kind=kind,
        day=date.fromisoformat(state["date"]),
        at=time.fromisoformat(state["time"]),
        zone=state["zone"],
        court_id=state.get("court"),
        label=state.get("label") if kind == "other" else None,
        person=state.get("person") if state.get("who") == "rel" else None,
        weekly=bool(state.get("weekly")) and KINDS[kind].court,
        fold=1 if state.get("fold") == 1 else 0,
    )


def reopen(state: dict[str, Any], what: str) -> None:
    """Forget one answer so that the conversation asks it again."""
    if what == "date":
        state.pop("date", None)
        if state.get("time"):
            state["prev_time"] = state.pop("time")
    elif what == "time" and state.get("time"):
        state["prev_time"] = state.pop("time")
    elif what == "place":
        state.pop("zone", None)
        state.pop("court", None)
    state["step"] = None
