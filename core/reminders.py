"""Hearing reminders and deadline alerts: the rules, with no Telegram and no SQL.

Owns: the kinds of reminder; when each alert is due (`plan_alerts`, `next_weekly`); what to do
with an alert that is due (`settle_due`: send, or record it as missed, superseded or blocked);
the deadline rules (`deadline_due`) and their official sources. Beside it: core/holidays.py
(federal holidays, "usually closed then"), core/zones.py (the time zones offered)
and core/reminder_texts.py (the words of the confirmation screen and of every alert).

Alert times (all in the event's time zone, which is the court's, where the person must be):
- 7, 3 and 1 days before an event: 18:00 ("evening", `EVENING`);
- the morning of the event: 07:00, or 3 hours before an event that starts before 10:00
  (a hearing at 08:30 gets its morning alert at 05:30), never earlier than 05:00;
- deadlines: 18:00 on the days before (`DEADLINE_DAYS`), 09:00 on the last day itself;
- the optional weekly check of a hearing date: 12:00, every 7 days before the 7-day alert.

Every legal fact cites its official source (a regulation on ecfr.gov, a statute, an EOIR or
USCIS page), which the alert also names. Deadlines are counted in calendar days, as the rules
count them, and never moved later for a weekend or holiday: an earlier date is the safe one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Final, Literal
from zoneinfo import ZoneInfo

from core.i18n import N_
from core.triage import (
    one_year_due,
)

# --- Kinds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindSpec:
    """One kind of reminder: its name (msgid), its button, and how it behaves."""

    key: str
    name: str
    button: str
    deadline: bool = False  # a date-only deadline counted from another date
    court: bool = False  # held by an immigration court: EOIR's portal shows its date
    basis_future: bool = False  # the date asked for is ahead (a card's end), not behind


KINDS: Final[dict[str, KindSpec]] = {
    spec.key: spec
    for spec in (
        KindSpec(
            "master",
            N_("Master calendar hearing"),
            N_("🏛 Master calendar hearing (first, short)"),
            court=True,
        ),
        KindSpec(
            "individual",
            N_("Individual hearing"),
            N_("⚖️ Individual hearing (on the merits)"),
            court=True,
        ),
        KindSpec("checkin", N_("ICE or ISAP check-in"), N_("🛂 ICE or ISAP check-in")),
        KindSpec("interview", N_("Asylum office interview"), N_("🗣 Asylum office interview")),
        KindSpec("biometrics", N_("Biometrics appointment"), N_("🖐 Biometrics appointment")),
        KindSpec("other", N_("Other"), N_("✏️ Something else")),
        KindSpec(
            "one_year",
            N_("One-year deadline for the asylum application"),
            N_("📄 One year to file for asylum (from the last arrival)"),
            deadline=True,
        ),
        KindSpec(
            "address",
            N_("Change of address (Form EOIR-33)"),
            N_("🏠 New address for the court (after a move)"),
            deadline=True,
        ),
        KindSpec(
            "bia",
            N_("Appeal to the BIA"),
            N_("⚖️ Appeal to the BIA (after a judge's decision)"),
            deadline=True,
        ),
        KindSpec(
            "work",
            N_("Work permit: when you can apply"),
            N_("💼 Work permit (after filing the I-589)"),
            deadline=True,
        ),
        KindSpec(
            "ar11",
            N_("New address for USCIS (Form AR-11)"),
            N_("🏠 New address for USCIS (Form AR-11, after a move)"),
            deadline=True,
        ),
        KindSpec(
            "review",
            N_("Petition for review in a federal court of appeals"),
            N_("⚖️ Petition for review (after a BIA decision)"),
            deadline=True,
        ),
        KindSpec(
            "reopen",
            N_("Motion to reopen"),
            N_("📂 Motion to reopen (after a final order)"),
            deadline=True,
        ),
        KindSpec(
            "ead_renew",
            N_("Work permit renewal"),
            N_("💼 Renew the work permit (from the date it ends)"),
            deadline=True,
            basis_future=True,
        ),
        KindSpec(
            "annual_fee",
            N_("Annual asylum fee"),
            N_("💵 Annual asylum fee (after the notice to pay)"),
            deadline=True,
        ),
    )
}
EVENT_KINDS: Final = tuple(k for k, s in KINDS.items() if not s.deadline)
DEADLINE_KINDS: Final = tuple(k for k, s in KINDS.items() if s.deadline)

LABEL_MAX = 40  # "other": the user's own short name for the event
PERSON_MAX = 30  # a relative's first name or nickname, nothing more

# --- Official sources -------------------------------------------------------------------------

# INA 240(b)(5) (8 U.S.C. 1229a(b)(5)): an in absentia order; only a motion to reopen cancels it
# (Immigration Court Practice Manual 5.9); ICE may detain a person who missed a hearing.
MISSED_HEARING_SOURCE: Final = "https://www.justice.gov/eoir/reference-materials/ic/chapter-5/9"
# ICE Alternatives to Detention (ISAP): ICE's ATD FAQ.
ATD_SOURCE: Final = "https://ice.gov/atd-faq"
# 8 CFR 208.7: the 150-day work-permit clock; delays the applicant causes (asking to reschedule
# an interview, missing biometrics) stop it. ⚠️ proposed 365-day rule, 91 FR 8616 (2026-02-23).
EAD_SOURCE: Final = (
    "https://immigrationequality.org/asylum-manual/obtaining-an-employment-authorization-document"
)
# 8 U.S.C. 1229(a)(1)(F)(ii); 8 CFR 1003.15(d)(2); Immigration Court Practice Manual 2.2(c):
# "within 5 days of any change in address" on Form EOIR-33/IC. Only the form says "working
# days"; the rule counts days, and the earlier (calendar) count is the safe one.
EOIR33_SOURCE: Final = "https://www.justice.gov/eoir/reference-materials/ic/chapter-2/2"
# 8 CFR 1003.38(b); Immigration Court Practice Manual 6.2(b): Form EOIR-26 must be received by
# the BIA no later than 30 calendar days after the oral decision, or after the mailing or
# electronic notification of a written decision (the date on its certificate of service).
BIA_SOURCE: Final = "https://www.justice.gov/eoir/reference-materials/ic/chapter-6/2"
# The EOIR Payment Portal: it shows the fee due for an appeal or a motion (the H.R. 1 fee is
# added to the old one, 8 U.S.C. 1812; about $1,010 for a BIA appeal in mid-2026).
EOIR_PAYMENT_URL: Final = "https://epay.eoir.justice.gov"

# INA 265, 8 CFR 265.1: a new address to USCIS on Form AR-11 within 10 days of a move.
AR11_SOURCE: Final = "https://www.ecfr.gov/current/title-8/section-265.1"
# 8 U.S.C. 1252(b)(1): a petition for review must be filed not later than 30 days after the
# date of the final order of removal (filing it does not stop removal by itself:
# 1252(b)(3)(B), a stay must be asked of the court).
REVIEW_SOURCE: Final = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1252&num=0&edition=prelim"
# 8 U.S.C. 1229a(c)(7)(C)(i); 8 CFR 1003.23(b)(1) (immigration judge), 1003.2(c)(2) (BIA):
# one motion to reopen, within 90 days of the final administrative order (exceptions:
# changed country conditions, in absentia orders, equitable tolling).
REOPEN_SOURCE: Final = "https://www.ecfr.gov/current/title-8/section-1003.23"
# USCIS Form I-765 page: a renewal may be filed up to 180 days before the card expires; since
# 30 Oct 2025 renewals get no automatic extension (90 FR 48799).
EAD_RENEW_SOURCE: Final = "https://www.uscis.gov/i-765"
# H.R. 1 annual asylum fee: due 30 days after the personal notice (USCIS policy of 20 Oct
# 2025, as ASAP reports it; the interim final rule's Federal Register citation was not found,
# so the NGO's page is the source named). In court, the judge sets the deadline.
ANNUAL_FEE_SOURCE: Final = "https://asaptogether.org/en/annual-asylum-fees"

ADDRESS_DAYS: Final = 5
BIA_DAYS: Final = 30
WORK_PERMIT_DAYS: Final = 150
AR11_DAYS: Final = 10
REVIEW_DAYS: Final = 30
REOPEN_DAYS: Final = 90
ANNUAL_FEE_DAYS: Final = 30

# --- Alert times -----------------------------------------------------------------------------

EVENING: Final = time(18, 0)
MORNING: Final = time(7, 0)
EARLY_EVENT: Final = time(10, 0)
MORNING_LEAD: Final = timedelta(hours=3)
EARLIEST_MORNING: Final = time(5, 0)
DEADLINE_MORNING: Final = time(9, 0)
WEEKLY_TIME: Final = time(12, 0)
EVENT_DAYS: Final = (7, 3, 1)
DEADLINE_DAYS: Final[dict[str, tuple[int, ...]]] = {
    "one_year": (60, 30, 7),
    "address": (2,),
    "bia": (14, 7, 3),
    "work": (),
    "ar11": (3,),
    "review": (14, 7, 3),
    "reopen": (30, 14, 7),
    "ead_renew": (180, 90, 30),  # a renewal may be filed 180 days ahead; none extends the card
    "annual_fee": (14, 7, 3),
}
DEADLINE_MORNING_OF: Final = frozenset(
    {"address", "work", "ar11", "review", "reopen", "ead_renew", "annual_fee"}
)
KEEP_DAYS: Final = 30  # a reminder is deleted this long after its event, unless kept
WEEKLY_PREFIX: Final = "wk"


@dataclass(frozen=True)
class Draft:
    """What the user entered (or confirmed) for one reminder.

    `day`/`at` are local to `zone`; `at` is None for a date-only deadline, whose `basis` is the
    date it is counted from (arrival, move, decision, filing).
    """

    kind: str
    day: date
    at: time | None
    zone: str
    court_id: str | None = None
    label: str | None = None
    person: str | None = None
    basis: date | None = None
    weekly: bool = False
    fold: int = 0  # which of a time that happens twice (clocks going back): 0 first, 1 second

    @property
    def spec(self) -> KindSpec:
        """The kind's rules."""
        return KINDS[self.kind]

    @property
    def starts_at(self) -> datetime:
        """The event (or the start of the deadline's last day) in UTC."""
        return local_moment(self.day, self.at or time(0, 0), self.zone, self.fold)

    @property
    def ends_at(self) -> datetime:
        """When it is too late: the event's start, or the end of the deadline's last day."""
        if self.at is not None:
            return self.starts_at
        return local_moment(self.day + timedelta(days=1), time(0, 0), self.zone)


@dataclass(frozen=True)
class PlannedAlert:
    """One alert of one reminder: its kind ("d7", "d0", "wk20270101") and when it is due."""

    kind: str
    due_at: datetime


def local_moment(day: date, at: time, zone: str, fold: int = 0) -> datetime:
    """The UTC instant of `day` `at` o'clock on the wall clocks of `zone` (`fold` 1: the second
    of a time the clocks show twice)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).replace(fold=fold).astimezone(UTC)


ClockProblem = Literal["gap", "fold"]


def clock_problem(day: date, at: time, zone: str) -> ClockProblem | None:
    """Whether `at` on `day` does not exist in `zone` ("gap": the clocks jump forward over it)
    or happens twice ("fold": they go back over it); None for an ordinary time."""
    tz = ZoneInfo(zone)
    first = datetime.combine(day, at, tzinfo=tz)
    if first.utcoffset() == first.replace(fold=1).utcoffset():
        return None
    back = first.astimezone(UTC).astimezone(tz)
    return "gap" if back.replace(tzinfo=None) != first.replace(tzinfo=None) else "fold"


def after_gap(day: date, at: time, zone: str) -> time:
    """The wall-clock time a nonexistent `at` becomes (02:30 in a one-hour gap: 03:30)."""
    return (
        datetime.combine(day, at, tzinfo=ZoneInfo(zone))
        .astimezone(UTC)
        .astimezone(ZoneInfo(zone))
        .time()
        .replace(tzinfo=None)
    )


def local_date(moment: datetime, zone: str) -> date:
    """The calendar date of `moment` in `zone`."""
    return moment.astimezone(ZoneInfo(zone)).date()


def morning_of(day: date, at: time | None) -> time | None:
    """The local time of the morning-of alert (None when there is no sensible one)."""
    if at is None:
        return MORNING
    if at >= EARLY_EVENT:
        return MORNING
    start = datetime.combine(day, at) - MORNING_LEAD
    earliest = datetime.combine(day, EARLIEST_MORNING)
    chosen = max(start, earliest)
    if chosen.date() != day or chosen.time() >= at:
        return None
    return chosen.time()


def plan_alerts(draft: Draft, now: datetime) -> list[PlannedAlert]:
    """Every alert of `draft` still ahead of `now`, earliest first."""
    planned: list[PlannedAlert] = []
    if draft.spec.deadline:
        for days in DEADLINE_DAYS[draft.kind]:
            planned.append(_at(f"d{days}", draft.day - timedelta(days=days), EVENING, draft.zone))
        if draft.kind in DEADLINE_MORNING_OF:
            planned.append(_at("d0", draft.day, DEADLINE_MORNING, draft.zone))
    else:
        for days in EVENT_DAYS:
            planned.append(_at(f"d{days}", draft.day - timedelta(days=days), EVENING, draft.zone))
        morning = morning_of(draft.day, draft.at)
        if morning is not None:
            planned.append(_at("d0", draft.day, morning, draft.zone))
    if draft.weekly and draft.spec.court:
        weekly = next_weekly(draft, now)
        if weekly is not None:
            planned.append(weekly)
    ahead = [a for a in planned if now < a.due_at < draft.ends_at]
    return sorted(ahead, key=lambda a: a.due_at)


def _at(kind: str, day: date, at: time, zone: str) -> PlannedAlert:
    return PlannedAlert(kind, local_moment(day, at, zone))


def next_weekly(draft: Draft, after: datetime) -> PlannedAlert | None:
    """The first weekly date check after `after`: 12:00 on the event's weekday, 14, 21, 28 …
    days before it (the 7-day alert does the last week's job); None when none is left."""
    first_week = 2
    weeks_left = (draft.day - local_date(after, draft.zone)).days // 7
    for weeks in range(max(weeks_left, first_week), first_week - 1, -1):
        day = draft.day - timedelta(days=7 * weeks)
        candidate = _at(f"{WEEKLY_PREFIX}{day:%Y%m%d}", day, WEEKLY_TIME, draft.zone)
        if candidate.due_at > after:
            return candidate
    return None


def alert_due_at(draft: Draft, alert_kind: str) -> datetime | None:
    """When the alert `alert_kind` ("d7", "d0", "wk20270101") of `draft` is due under today's
    tz rules, or None if the draft has no such alert (used to re-plan after a rules change)."""
    if is_weekly(alert_kind):
        day = datetime.strptime(alert_kind[len(WEEKLY_PREFIX) :], "%Y%m%d").date()
        return _at(alert_kind, day, WEEKLY_TIME, draft.zone).due_at
    every = plan_alerts(replace(draft, weekly=False), datetime.min.replace(tzinfo=UTC))
    return next((alert.due_at for alert in every if alert.kind == alert_kind), None)


def is_weekly(alert_kind: str) -> bool:
    """Whether an alert kind is a weekly date check."""
    return alert_kind.startswith(WEEKLY_PREFIX)


class Outcome(Enum):
    """What became of a due alert; the value is what the alert log records."""

    SEND = "queued"  # handed to the outbox
    MISSED = "missed"  # came due while the bot was down and the event is over
    SUPERSEDED = "superseded"  # a later alert of the same reminder is due too: only it goes
    BLOCKED = "blocked"  # the user blocked the bot: their alerts stop


def settle_due(
    due: Sequence[tuple[str, datetime]], ends_at: datetime, now: datetime, active: bool
) -> dict[str, Outcome]:
    """Decide each due alert of one reminder: only the latest goes out, and only while the
    event is still ahead and the user has not blocked the bot."""
    if not due:
        return {}
    if not active:
        return {kind: Outcome.BLOCKED for kind, _ in due}
    if ends_at <= now:
        return {kind: Outcome.MISSED for kind, _ in due}
    latest = max(due, key=lambda item: (item[1], not is_weekly(item[0])))[0]
    return {kind: Outcome.SEND if kind == latest else Outcome.SUPERSEDED for kind, _ in due}


def expires_at(draft: Draft) -> datetime:
    """When an unkept reminder is deleted: 30 days after its event."""
    return draft.ends_at + timedelta(days=KEEP_DAYS)


# --- Deadlines -------------------------------------------------------------------------------


def deadline_due(kind: str, basis: date) -> date:
    """The last day of a deadline counted from `basis` (arrival, move, decision, filing)."""
    if kind == "one_year":
        return one_year_due(basis)  # 8 CFR 208.4(a)(2); shared with the triage
    if kind == "address":
        return basis + timedelta(days=ADDRESS_DAYS)  # 8 CFR 1003.15(d)(2): calendar days
    if kind == "bia":
        # 8 CFR 1003.38(b): 30 calendar days from the oral decision or the mailing/e-service
        # date. The rule moves a last day on a weekend or holiday to the next business day; we
        # show the earlier date, which is never too late.
        return basis + timedelta(days=BIA_DAYS)
    if kind == "work":
        return basis + timedelta(days=WORK_PERMIT_DAYS)  # 8 CFR 208.7 ⚠️ (91 FR 8616 proposed)
    if kind == "ar11":
        return basis + timedelta(days=AR11_DAYS)  # 8 CFR 265.1: within 10 days
    if kind in ("review", "reopen", "annual_fee"):
        days = {"review": REVIEW_DAYS, "reopen": REOPEN_DAYS, "annual_fee": ANNUAL_FEE_DAYS}
        return basis + timedelta(days=days[kind])  # calendar days; the earlier day, never late
    if kind == "ead_renew":
        return basis  # the card's last day: alerts 180, 90, 30 days before and that morning
    raise ValueError(f"not a deadline kind: {kind}")


def clean_short_text(text: str, limit: int) -> str | None:
    """A short label or name as typed: one line, trimmed, with a letter in it; None if not."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > limit or not any(ch.isalpha() for ch in cleaned):
        return None
    if any(ch in "<>/\\@#{}[]|" for ch in cleaned):
        return None
    return cleaned


def looks_like_full_name(text: str) -> bool:
    """Three words or more look like a full name, which we do not want to keep."""
    return len(text.split()) >= 3
