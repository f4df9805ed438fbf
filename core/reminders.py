"""Hearing reminders and deadline alerts: the rules, with no Telegram and no SQL.

Owns: the kinds of reminder; when each alert is due (`plan_alerts`, `next_weekly`); what to do
with an alert that is due (`settle_due`: send, or record it as missed, superseded or blocked);
the deadline rules (`deadline_due`); US federal holidays and the "courts are usually closed
then" warnings; the time zones offered; and the text of the confirmation screen and of every
alert (`describe`, `compose_alert`), translated with a `Translator`.

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

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Final, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time

from core.content.courts import Court
from core.i18n import N_, Translator
from core.triage import (
    ACIS_PHONE,
    ACIS_URL,
    AR11_URL,
    ONE_YEAR_SOURCE_URL,
    RESPONDENT_ACCESS_URL,
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

SATURDAY: Final = 5  # date.weekday()
# Courts usually sit on weekday working hours; outside them we warn (never refuse).
USUAL_START: Final = time(7, 0)
USUAL_END: Final = time(18, 0)


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


# --- US federal holidays (5 U.S.C. 6103) -----------------------------------------------------

NEW_YEAR = N_("New Year's Day")
MLK_DAY = N_("Birthday of Martin Luther King, Jr.")
WASHINGTON = N_("Washington's Birthday")
MEMORIAL_DAY = N_("Memorial Day")
JUNETEENTH = N_("Juneteenth National Independence Day")
INDEPENDENCE_DAY = N_("Independence Day")
LABOR_DAY = N_("Labor Day")
COLUMBUS_DAY = N_("Columbus Day")
VETERANS_DAY = N_("Veterans Day")
THANKSGIVING = N_("Thanksgiving Day")
CHRISTMAS = N_("Christmas Day")


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """A holiday on Saturday is observed on Friday, on Sunday on Monday."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def federal_holidays(year: int) -> dict[date, str]:
    """The days federal offices are closed for holidays of `year` (observed dates), with names.

    New Year's Day of the next year falling on a Saturday is observed on 31 December of this one.
    """
    monday, thursday = 0, 3
    fixed = [
        (date(year, 1, 1), NEW_YEAR),
        (date(year, 7, 4), INDEPENDENCE_DAY),
        (date(year, 11, 11), VETERANS_DAY),
        (date(year, 12, 25), CHRISTMAS),
    ]
    if year >= 2021:
        fixed.append((date(year, 6, 19), JUNETEENTH))
    found = {_observed(day): name for day, name in fixed}
    next_new_year = _observed(date(year + 1, 1, 1))
    if next_new_year.year == year:
        found[next_new_year] = NEW_YEAR
    if _observed(date(year, 1, 1)).year != year:
        del found[_observed(date(year, 1, 1))]
    found[_nth_weekday(year, 1, monday, 3)] = MLK_DAY
    found[_nth_weekday(year, 2, monday, 3)] = WASHINGTON
    found[_last_weekday(year, 5, monday)] = MEMORIAL_DAY
    found[_nth_weekday(year, 9, monday, 1)] = LABOR_DAY
    found[_nth_weekday(year, 10, monday, 2)] = COLUMBUS_DAY
    found[_nth_weekday(year, 11, thursday, 4)] = THANKSGIVING
    return dict(sorted(found.items()))


def holiday_name(day: date) -> str | None:
    """The federal holiday observed on `day` (a msgid), or None."""
    return federal_holidays(day.year).get(day)


class Closed(Enum):
    """Why a court or office is usually closed at the time entered."""

    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    HOURS = "hours"


def closed_reasons(day: date, at: time | None) -> list[tuple[Closed, str | None]]:
    """Why courts and offices are usually closed then (with the holiday's name), or []."""
    reasons: list[tuple[Closed, str | None]] = []
    if day.weekday() >= 5:
        reasons.append((Closed.WEEKEND, None))
    holiday = holiday_name(day)
    if holiday is not None:
        reasons.append((Closed.HOLIDAY, holiday))
    if at is not None and not USUAL_START <= at < USUAL_END:
        reasons.append((Closed.HOURS, None))
    return reasons


# --- Time zones and places -------------------------------------------------------------------

ZONES: Final[dict[str, tuple[str, str]]] = {
    "et": ("America/New_York", N_("Eastern time (New York)")),
    "ct": ("America/Chicago", N_("Central time (Chicago)")),
    "mt": ("America/Denver", N_("Mountain time (Denver)")),
    "az": ("America/Phoenix", N_("Arizona time (Phoenix)")),
    "pt": ("America/Los_Angeles", N_("Pacific time (Los Angeles)")),
    "ak": ("America/Anchorage", N_("Alaska time (Anchorage)")),
    "hi": ("Pacific/Honolulu", N_("Hawaii time (Honolulu)")),
    "pr": ("America/Puerto_Rico", N_("Puerto Rico time (San Juan)")),
    "mp": ("Pacific/Saipan", N_("Saipan and Guam time")),
}
# Zones that keep the same clock as one of the above.
_SAME_CLOCK: Final = {
    "America/Detroit": "et",
    "America/Indiana/Indianapolis": "et",
    "America/Kentucky/Louisville": "et",
    "Pacific/Guam": "mp",
}


def zone_key(zone: str) -> str | None:
    """The short key of a zone among `ZONES` ("ct"), or None for a zone we do not offer."""
    for key, (name, _) in ZONES.items():
        if name == zone:
            return key
    return _SAME_CLOCK.get(zone)


def zone_label(zone: str) -> str:
    """A msgid naming the zone for people ("Central time (Chicago)"), or the IANA name."""
    key = zone_key(zone)
    return ZONES[key][1] if key else zone


# The court cities of content/data/courts.csv, so that «Чикаго» reads as the user reads it.
# A city missing here is shown as written in the file.
CITY_NAMES: Final[dict[str, str]] = {
    "Adelanto": N_("Adelanto"),
    "Annandale": N_("Annandale"),
    "Atlanta": N_("Atlanta"),
    "Aurora": N_("Aurora"),
    "Baltimore": N_("Baltimore"),
    "Batavia": N_("Batavia"),
    "Baton Rouge": N_("Baton Rouge"),
    "Boston": N_("Boston"),
    "Buffalo": N_("Buffalo"),
    "Chaparral": N_("Chaparral"),
    "Charlotte": N_("Charlotte"),
    "Chelmsford": N_("Chelmsford"),
    "Chicago": N_("Chicago"),
    "Cleveland": N_("Cleveland"),
    "Concord": N_("Concord"),
    "Conroe": N_("Conroe"),
    "Dallas": N_("Dallas"),
    "Denver": N_("Denver"),
    "Detroit": N_("Detroit"),
    "El Paso": N_("El Paso"),
    "Elizabeth": N_("Elizabeth"),
    "Eloy": N_("Eloy"),
    "Falls Church": N_("Falls Church"),
    "Florence": N_("Florence"),
    "Fort Snelling": N_("Fort Snelling"),
    "Fort Worth": N_("Fort Worth"),
    "Guaynabo": N_("Guaynabo"),
    "Harlingen": N_("Harlingen"),
    "Hartford": N_("Hartford"),
    "Honolulu": N_("Honolulu"),
    "Houston": N_("Houston"),
    "Hyattsville": N_("Hyattsville"),
    "Imperial": N_("Imperial"),
    "Indianapolis": N_("Indianapolis"),
    "Jena": N_("Jena"),
    "Kansas City": N_("Kansas City"),
    "Laredo": N_("Laredo"),
    "Las Vegas": N_("Las Vegas"),
    "Los Angeles": N_("Los Angeles"),
    "Los Fresnos": N_("Los Fresnos"),
    "Louisville": N_("Louisville"),
    "Lumpkin": N_("Lumpkin"),
    "Memphis": N_("Memphis"),
    "Miami": N_("Miami"),
    "Napanoch": N_("Napanoch"),
    "New Orleans": N_("New Orleans"),
    "New York": N_("New York"),
    "Newark": N_("Newark"),
    "Oakdale": N_("Oakdale"),
    "Omaha": N_("Omaha"),
    "Orlando": N_("Orlando"),
    "Pearsall": N_("Pearsall"),
    "Philadelphia": N_("Philadelphia"),
    "Phoenix": N_("Phoenix"),
    "Portland": N_("Portland"),
    "Richmond": N_("Richmond"),
    "Sacramento": N_("Sacramento"),
    "Saipan": N_("Saipan"),
    "San Antonio": N_("San Antonio"),
    "San Diego": N_("San Diego"),
    "San Francisco": N_("San Francisco"),
    "Santa Ana": N_("Santa Ana"),
    "Seattle": N_("Seattle"),
    "Sterling": N_("Sterling"),
    "Tacoma": N_("Tacoma"),
    "Tucson": N_("Tucson"),
    "Van Nuys": N_("Van Nuys"),
    "West Valley City": N_("West Valley City"),
}


def city_name(t: Translator, city: str) -> str:
    """The court's city in the reader's language, when we have it."""
    msgid = CITY_NAMES.get(city)
    return t._(msgid) if msgid else city


# --- Text: the event, the confirmation, the alerts ------------------------------------------

WHEN_COURT = N_("%(date)s, %(time)s court time (%(city)s)")
WHEN_ZONE = N_("%(date)s, %(time)s, %(zone)s")


def clock_time(t: Translator, at: time) -> str:
    """A time of day as the reader's language writes it ("08:30", "8:30 AM")."""
    # CLDR puts a narrow no-break space before AM/PM, which old phone fonts show as a box.
    return plain(str(format_time(at, format="short", locale=t.lang)))


def plain(text: str) -> str:
    """CLDR's narrow no-break spaces ("8:30 AM") as plain spaces, which every phone
    font has."""
    return text.replace("\u202f", " ")


def day_text(t: Translator, day: date, form: str = "full") -> str:
    """A localized date ("пятница, 15 января 2027"), with plain spaces."""
    return plain(t.date(day, form))


def short_date(t: Translator, day: date) -> str:
    """A day and month ("15 января", "January 15")."""
    return plain(str(format_skeleton("MMMMd", datetime.combine(day, time(12)), locale=t.lang)))


def when_text(t: Translator, draft: Draft, court: Court | None) -> str:
    """The event's date and time, unmistakably: "пятница, 15 января 2027 г., 08:30 по времени
    суда (Чикаго)"; a deadline shows only its date."""
    day = day_text(t, draft.day)
    if draft.at is None:
        return day
    clock = clock_time(t, draft.at)
    if court is not None and court.timezone == draft.zone:
        return t._(WHEN_COURT, date=day, time=clock, city=city_name(t, court.city))
    return t._(WHEN_ZONE, date=day, time=clock, zone=t._(zone_label(draft.zone)))


def what_text(t: Translator, draft: Draft) -> str:
    """What it is: the kind's name, or the user's own label for "other"."""
    if draft.kind == "other" and draft.label:
        return draft.label
    return t._(draft.spec.name)


CLOSED_COURT = {
    Closed.WEEKEND: N_("⚠️ This is a Sunday: courts usually do not hold hearings then."),
    Closed.HOLIDAY: N_(
        "⚠️ This is a US federal holiday (%(holiday)s): courts usually do not hold hearings then."
    ),
    Closed.HOURS: N_("⚠️ Courts usually do not hold hearings at this time of day."),
}
CLOSED_OFFICE = {
    Closed.WEEKEND: N_("⚠️ This is a Sunday: offices are usually closed then."),
    Closed.HOLIDAY: N_(
        "⚠️ This is a US federal holiday (%(holiday)s): offices are usually closed then."
    ),
    Closed.HOURS: N_("⚠️ Offices are usually closed at this time of day."),
}
# The date is known, so the warning names its day; the tables above hold Sunday's.
SATURDAY_COURT = N_("⚠️ This is a Saturday: courts usually do not hold hearings then.")
SATURDAY_OFFICE = N_("⚠️ This is a Saturday: offices are usually closed then.")
CHECK_COURT_DATE = N_(
    "Check the date and time on EOIR's site, %(url)s, or by phone, %(phone)s (with the 9-digit "
    "A-number). If they are right, you can still save the reminder."
)
CHECK_LETTER_DATE = N_(
    "Check the date and time on your appointment letter. If they are right, you can still save "
    "the reminder."
)


def closed_warnings(t: Translator, draft: Draft) -> list[str]:
    """The localized "usually closed then" warnings for the confirmation screen, or []."""
    if draft.spec.deadline:
        return []
    reasons = closed_reasons(draft.day, draft.at)
    if not reasons:
        return []
    table = dict(CLOSED_COURT if draft.spec.court else CLOSED_OFFICE)
    if draft.day.weekday() == SATURDAY:
        table[Closed.WEEKEND] = SATURDAY_COURT if draft.spec.court else SATURDAY_OFFICE
    lines = [
        t._(table[reason], holiday=t._(name)) if name else t._(table[reason])
        for reason, name in reasons
    ]
    if draft.spec.court:
        lines.append(t._(CHECK_COURT_DATE, url=ACIS_URL, phone=ACIS_PHONE))
    else:
        lines.append(t._(CHECK_LETTER_DATE))
    return lines


def alert_times_text(t: Translator, draft: Draft, alerts: Iterable[PlannedAlert]) -> str:
    """The planned alerts as the user will see them: "8 января, 18:00 · 15 января, 05:30"."""
    zone = ZoneInfo(draft.zone)
    parts = []
    for alert in alerts:
        if is_weekly(alert.kind):
            continue
        local = alert.due_at.astimezone(zone)
        parts.append(f"{short_date(t, local.date())}, {clock_time(t, local.time())}")
    return " · ".join(parts)


# Deadline summaries (confirmation screen and detail view).
DEADLINE_SUMMARY = {
    "ar11": N_(
        "The last day to give USCIS the new address (Form AR-11): <b>%(date)s</b>, 10 days "
        "after the move on %(basis)s."
    ),
    "review": N_(
        "The last day to file a petition for review in the federal court of appeals: "
        "<b>%(date)s</b>, 30 days after the BIA's decision of %(basis)s."
    ),
    "reopen": N_(
        "The last day for a motion to reopen: <b>%(date)s</b>, 90 days after the final order of "
        "%(basis)s."
    ),
    "ead_renew": N_(
        "Your work permit ends on <b>%(date)s</b>. A renewal can be filed up to 180 days "
        "before that, and the card is not extended while it waits."
    ),
    "annual_fee": N_(
        "The last day to pay the annual asylum fee: <b>%(date)s</b>, 30 days after the notice of "
        "%(basis)s."
    ),
    "one_year": N_(
        "The last day to file the asylum application (Form I-589): <b>%(date)s</b>, one year "
        "after the last arrival in the US on %(basis)s."
    ),
    "address": N_(
        "The last day to give the immigration court the new address (Form EOIR-33): "
        "<b>%(date)s</b>, 5 days after the move on %(basis)s."
    ),
    "bia": N_(
        "The last day for the appeal (Form EOIR-26) to reach the Board of Immigration Appeals: "
        "<b>%(date)s</b>, 30 days from %(basis)s, the date of the decision on the paper."
    ),
    "work": N_(
        "The earliest day to apply for a work permit under the current rule (150 days): "
        "<b>%(date)s</b>, 150 days after the I-589 was filed on %(basis)s."
    ),
}


def deadline_summary(t: Translator, draft: Draft) -> str:
    """One line naming the deadline's last day and what it is counted from."""
    basis = draft.basis or draft.day
    return t._(
        DEADLINE_SUMMARY[draft.kind], date=day_text(t, draft.day), basis=day_text(t, basis, "long")
    )


# Alert texts. Headings:
ALERT_TITLE = N_("⏰ <b>%(what)s: %(when)s</b>")
WEEKLY_TITLE = N_("🔁 <b>Weekly check: %(what)s</b>")
WHEN_TODAY = N_("today")
WHEN_TOMORROW = N_("tomorrow")
FOR_PERSON = N_("For: %(name)s")
SOURCE = N_("Source: %(url)s")
PLAN = N_("<b>Make a plan</b>")

# Consequences of missing it, per kind: INA 240(b)(5) and Practice Manual 5.9 (hearings);
# 8 CFR 208.7 (the work-permit clock stops on delays the applicant causes: a moved interview,
# missed biometrics); ICE's ATD FAQ (check-ins; it states no consequence, so the text states
# none).
_MISSED_HEARING = N_(
    "⚠️ If you miss a hearing, the judge can order removal (deportation) in your absence, "
    "«in absentia». Such an order can be cancelled only by a motion to reopen, which is hard "
    "to win. ICE may also detain a person who missed a hearing."
)
CONSEQUENCE = {
    "master": _MISSED_HEARING,
    "individual": _MISSED_HEARING,
    "checkin": N_(
        "⚠️ Go to every check-in. If you cannot come, contact your officer before the date, and "
        "talk to a lawyer."
    ),
    "interview": N_(
        "⚠️ If you cannot come, talk to a lawyer before the date: asking to move the interview "
        "stops the work-permit clock."
    ),
    "biometrics": N_("⚠️ Missing a biometrics appointment stops the work-permit clock."),
}
CONSEQUENCE_SOURCE = {
    "master": MISSED_HEARING_SOURCE,
    "individual": MISSED_HEARING_SOURCE,
    "checkin": ATD_SOURCE,
    "interview": EAD_SOURCE,
    "biometrics": EAD_SOURCE,
}
PLAN_CHECK_COURT = N_(
    "• Check the date, time and place again: %(url)s or %(phone)s, with the 9-digit A-number. "
    "Dates change."
)
PLAN_CHECK_LETTER = N_("• Check the date, time and address on your appointment letter.")
PLAN_BRING_COURT = N_(
    "• Bring your NTA, every letter from the court, and your A-number and the phone numbers of "
    "your lawyer and a close person written on paper."
)
PLAN_BRING_LETTER = N_("• Bring the appointment letter and your documents.")
PLAN_LEAVE = N_(
    "• Plan the route and leave early, with time for traffic and for finding the room. If it is "
    "far, travel the day before."
)
WEEKLY_BODY = N_(
    "Hearing dates change. Check that it is still the same: %(url)s or %(phone)s, with the "
    "9-digit A-number. If it changed, press «✏️ The date changed»."
)

DEADLINE_TITLE = {
    "one_year": N_("⏰ <b>One-year deadline for the asylum application: %(when)s</b>"),
    "address": N_("⏰ <b>New address for the court (Form EOIR-33): %(when)s</b>"),
    "bia": N_("⏰ <b>Appeal to the BIA: the last day is %(when)s</b>"),
    "work": N_("💼 <b>Work permit: you may be able to apply %(when)s</b>"),
    "ar11": N_("⏰ <b>New address for USCIS (Form AR-11): %(when)s</b>"),
    "review": N_("⏰ <b>Petition for review: the last day is %(when)s</b>"),
    "reopen": N_("⏰ <b>Motion to reopen: the last day is %(when)s</b>"),
    "ead_renew": N_("💼 <b>Work permit ends %(when)s</b>"),
    "annual_fee": N_("💵 <b>Annual asylum fee: %(when)s</b>"),
}
DEADLINE_BODY = {
    # INA 265, 8 CFR 265.1.
    "ar11": N_(
        "After a move, USCIS must get the new address within 10 days: by %(date)s (the move was "
        "on %(basis)s). File Form AR-11 online at %(ar11)s. This is separate from the court's "
        "Form EOIR-33 (5 days): file both."
    ),
    # 8 U.S.C. 1252(b)(1), (b)(3)(B).
    "review": N_(
        "A petition for review of the BIA's decision must be filed with the federal court of "
        "appeals by %(date)s: 30 days after the decision of %(basis)s. Filing it does not stop "
        "removal by itself: a stay must be asked of the court. Talk to a lawyer now."
    ),
    # 8 U.S.C. 1229a(c)(7); 8 CFR 1003.23(b)(1), 1003.2(c)(2).
    "reopen": N_(
        "A motion to reopen (new facts or evidence) must be filed by %(date)s: 90 days after the "
        "final order of %(basis)s. There are exceptions (changed conditions in your country, an "
        "order made in your absence), each with its own rules. Pay the fee the EOIR Payment "
        "Portal, %(epay)s, shows, or ask for a waiver. Talk to a lawyer now."
    ),
    # USCIS Form I-765; 90 FR 48799 (no automatic extension for renewals filed since 30 Oct
    # 2025); USCIS Policy Manual: (c)(8) permits valid at most 18 months.
    "ead_renew": N_(
        "Your work permit ends on %(date)s. File the renewal (Form I-765) now if you have not: "
        "it can be filed up to 180 days before the end, and since October 2025 the card is not "
        "extended while the renewal waits, so without a new card you cannot work after "
        "%(date)s."
    ),
    # ASAP's summary of the USCIS policy (30 days from the personal notice); EOIR: the judge's
    # deadline. Penalties per the interim rule as reported: the I-589 is rejected.
    "annual_fee": N_(
        "The annual asylum fee must be paid by %(date)s: 30 days after the notice of %(basis)s "
        "(if the notice or the judge gives another date, that date counts). USCIS takes it "
        "online in your USCIS account; in court, through the EOIR Payment Portal, %(epay)s. An "
        "unpaid fee can lead to the asylum application being rejected."
    ),
    # 8 CFR 208.4(a)(2), (4), (5).
    "one_year": N_(
        "The last day to file the asylum application (Form I-589) is %(date)s: one year after "
        "the last arrival in the US (%(basis)s). After it, asylum is possible only under narrow "
        "exceptions; withholding of removal and protection under the Convention Against Torture "
        "have no such deadline. If you have not filed yet, talk to a lawyer now."
    ),
    # 8 U.S.C. 1229(a)(1)(F)(ii); 8 CFR 1003.15(d)(2); Practice Manual 2.2(c). USCIS: INA 265,
    # 8 CFR 265.1 (10 days, Form AR-11).
    "address": N_(
        "After a move, the immigration court must get the new address on Form EOIR-33 within 5 "
        "days: by %(date)s (the move was on %(basis)s). File it online at %(portal)s, in person "
        "or by mail, and send a copy to DHS (ICE's lawyers). The court changes its records only "
        "from this form. USCIS needs the new address too, within 10 days of the move: Form "
        "AR-11, online at %(ar11)s."
    ),
    # 8 CFR 1003.38(b), (c); Practice Manual 6.2(b).
    "bia": N_(
        "An appeal of the judge's decision (Form EOIR-26) must reach the Board of Immigration "
        "Appeals by %(date)s: 30 calendar days from %(basis)s, the date of the oral decision or "
        "the mailing date on the written decision. Sending it by that day is not enough: the "
        "postmark does not count. Add the fee that the EOIR Payment Portal, %(epay)s, shows, or "
        "a fee waiver request (Form EOIR-26A). Without an appeal in time the judge's decision "
        "becomes final. Talk to a lawyer now."
    ),
    # 8 CFR 208.7 (150 days pending); proposed rule 91 FR 8616 (2026-02-23). Renewals: no
    # automatic extension for renewals filed on or after 30 Oct 2025 (90 FR 48799); (c)(8)
    # permits valid at most 18 months for applications pending on or filed from 5 Dec 2025
    # (USCIS Policy Manual update of 4 Dec 2025).
    "work": N_(
        "Under the current rule (8 CFR 208.7), a work permit (Form I-765, category (c)(8)) can "
        "be requested once the I-589 has been pending 150 days: counted from %(basis)s, that is "
        "%(date)s. Delays you cause stop this clock, so the real date may be later; EOIR's site "
        "%(url)s shows the clock of a court case. A rule proposed in February 2026 would make "
        "the wait longer: check the current rule with a lawyer before applying. A permit is "
        "valid for at most 18 months and is not extended automatically while a renewal is "
        "pending: apply to renew up to 180 days before it expires."
    ),
}
DEADLINE_SOURCE = {
    "ar11": AR11_SOURCE,
    "review": REVIEW_SOURCE,
    "reopen": REOPEN_SOURCE,
    "ead_renew": EAD_RENEW_SOURCE,
    "annual_fee": ANNUAL_FEE_SOURCE,
    "one_year": ONE_YEAR_SOURCE_URL,
    "address": EOIR33_SOURCE,
    "bia": BIA_SOURCE,
    "work": EAD_SOURCE,
}


def days_until(draft: Draft, now: datetime) -> int:
    """Calendar days from today (in the event's zone) to the event's day."""
    return (draft.day - local_date(now, draft.zone)).days


def when_phrase(t: Translator, days: int) -> str:
    """ "today", "tomorrow", "in 3 days"."""
    if days <= 0:
        return t._(WHEN_TODAY)
    if days == 1:
        return t._(WHEN_TOMORROW)
    return t.n_("in %(n)s day", "in %(n)s days", days)


def compose_alert(
    t: Translator, draft: Draft, alert_kind: str, now: datetime, court: Court | None
) -> str:
    """The alert's HTML text in the reader's language, worded for the moment it is sent."""
    if draft.spec.deadline:
        return _deadline_alert(t, draft, now)
    lines: list[str] = []
    what = esc(what_text(t, draft))
    if is_weekly(alert_kind):
        lines.append(t._(WEEKLY_TITLE, what=what))
    else:
        lines.append(t._(ALERT_TITLE, what=what, when=when_phrase(t, days_until(draft, now))))
    if draft.person:
        lines.append(t._(FOR_PERSON, name=esc(draft.person)))
    lines.append("📅 " + esc(when_text(t, draft, court)))
    if court is not None:
        lines.append(f"🏛 {esc(court.name)}\n{esc(court.address)}")
    if is_weekly(alert_kind):
        lines.append(t._(WEEKLY_BODY, url=ACIS_URL, phone=ACIS_PHONE))
        return "\n".join(lines)
    consequence = CONSEQUENCE.get(draft.kind)
    if consequence:
        lines.append("\n" + t._(consequence))
    lines.append("\n" + t._(PLAN))
    if draft.spec.court:
        lines.append(t._(PLAN_CHECK_COURT, url=ACIS_URL, phone=ACIS_PHONE))
        lines.append(t._(PLAN_BRING_COURT))
    else:
        lines.append(t._(PLAN_CHECK_LETTER))
        lines.append(t._(PLAN_BRING_LETTER))
    lines.append(t._(PLAN_LEAVE))
    source = CONSEQUENCE_SOURCE.get(draft.kind)
    if source:
        lines.append("\n" + t._(SOURCE, url=source))
    return "\n".join(lines)


def _deadline_alert(t: Translator, draft: Draft, now: datetime) -> str:
    days = days_until(draft, now)
    when = t._(WHEN_TODAY) if days <= 0 else when_phrase(t, days)
    if draft.kind == "bia":
        when = day_text(t, draft.day, "long")
    lines = [t._(DEADLINE_TITLE[draft.kind], when=when)]
    if draft.person:
        lines.append(t._(FOR_PERSON, name=esc(draft.person)))
    basis = draft.basis or draft.day
    lines.append(
        t._(
            DEADLINE_BODY[draft.kind],
            date=day_text(t, draft.day),
            basis=day_text(t, basis, "long"),
            portal=RESPONDENT_ACCESS_URL,
            url=ACIS_URL,
            ar11=AR11_URL,
            epay=EOIR_PAYMENT_URL,
        )
    )
    lines.append("\n" + t._(SOURCE, url=DEADLINE_SOURCE[draft.kind]))
    return "\n".join(lines)


def esc(text: str) -> str:
    """Escape a dynamic value for Telegram HTML."""
    return html.escape(text, quote=False)


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
