"""The words of reminders: the confirmation screen and every alert, translated.

Owns how an event, a deadline and an alert read (`when_text`, `what_text`, `deadline_summary`,
`compose_alert`), with each deadline's rule and official source in the text; pure (a
`Translator` in, HTML text out).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time

from core.content.courts import Court
from core.holidays import SATURDAY, Closed, closed_reasons
from core.i18n import N_, Translator
from core.reminders import (
    ANNUAL_FEE_SOURCE,
    AR11_SOURCE,
    ATD_SOURCE,
    BIA_SOURCE,
    EAD_RENEW_SOURCE,
    EAD_SOURCE,
    EOIR33_SOURCE,
    EOIR_PAYMENT_URL,
    MISSED_HEARING_SOURCE,
    REOPEN_SOURCE,
    REVIEW_SOURCE,
    Draft,
    PlannedAlert,
    is_weekly,
    local_date,
)
from core.triage import (
    ACIS_PHONE,
    ACIS_URL,
    AR11_URL,
    ONE_YEAR_SOURCE_URL,
    RESPONDENT_ACCESS_URL,
)
from core.zones import zone_label

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
        return t._(WHEN_COURT, date=day, time=clock, city=court.city_in(t.lang))
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
