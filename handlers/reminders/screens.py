"""The form's screens: for each step of the add/edit form, its question and its buttons
(kind, label, who, name, date, time, clock change, place or time zone, confirmation), and the
court chooser by state. Buttons: the "ra" codecs of handlers/callbacks/reminders.py; the
answers go to form.py."""

from __future__ import annotations

from datetime import date, time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.dates import Problem
from core.i18n import N_, Translator
from core.reminder_form import ReminderForm
from core.reminder_texts import (
    clock_time,
    closed_warnings,
    day_text,
)
from core.reminders import (
    DEADLINE_KINDS,
    EVENT_KINDS,
    KINDS,
    LABEL_MAX,
    PERSON_MAX,
    after_gap,
    local_date,
    plan_alerts,
)
from core.triage import WARN_DEADLINE_PAST
from core.zones import ZONES, zone_label
from handlers import ui
from handlers.callbacks.reminders import (
    FormCancel,
    FormClock,
    FormCourt,
    FormKind,
    FormReopen,
    FormSave,
    FormStates,
    FormTime,
    FormWeekly,
    FormWho,
    FormZone,
)
from handlers.context import Context, services, tr
from handlers.reminders.calendar_widget import calendar_rows
from handlers.reminders.common import callback_day, current_time, esc
from handlers.reminders.views import describe

QUICK_TIMES = (time(8, 0), time(8, 30), time(9, 0), time(10, 0), time(13, 0), time(14, 0))


DEADLINE_QUESTIONS = {
    "one_year": N_("On what date did you last arrive in the US?"),
    "address": N_("On what date did you move?"),
    # 8 CFR 1003.38(b): the 30 days run from the oral decision, or from the mailing or
    # e-service date of a written one (its certificate of service), not from when it arrived.
    "bia": N_(
        "What is the date of the judge's decision, as written on the paper? If the judge "
        "decided at the hearing: the hearing date. If the decision came in writing: the date on "
        "its certificate of service (when the court mailed or e-served it), not the day you "
        "received it."
    ),
    "work": N_("On what date was the asylum application (I-589) filed?"),
    "ar11": N_("On what date did you move?"),
    "review": N_("What is the date of the BIA's decision, as written on it?"),
    "reopen": N_("What is the date of the final order (the judge's or the BIA's decision)?"),
    "ead_renew": N_("On what date does your work permit end? It is printed on the card."),
    "annual_fee": N_("What is the date of the notice to pay the annual asylum fee?"),
}


US_STATES = {
    "AZ": "Arizona",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "IL": "Illinois",
    "IN": "Indiana",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "MA": "Massachusetts",
    "MD": "Maryland",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MO": "Missouri",
    "MP": "Northern Mariana Islands",
    "NC": "North Carolina",
    "NE": "Nebraska",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NV": "Nevada",
    "NY": "New York",
    "OH": "Ohio",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "PR": "Puerto Rico",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VA": "Virginia",
    "WA": "Washington",
}


def cancel_row(t: Translator) -> list[InlineKeyboardButton]:
    return [ui.button(t._("❌ Cancel"), FormCancel())]


def screen(
    t: Translator, context: Context, form: ReminderForm, step: str
) -> tuple[str, InlineKeyboardMarkup]:
    deadline = form.deadline
    if step == "kind":
        kinds = DEADLINE_KINDS if deadline else EVENT_KINDS
        rows = [[ui.button(t._(KINDS[k].button), FormKind(k))] for k in kinds]
        if deadline:
            head = t._(
                "<b>Deadline alert</b>\nWhich deadline? I will count its last day and remind "
                "you before it."
            )
        else:
            head = t._("<b>New reminder</b>\nWhat is it?")
        hint = t._("Nothing is stored until you confirm at the end.")
        return f"{head}\n\n<i>{esc(hint)}</i>", ui.keyboard(*rows, cancel_row(t))
    if step == "label":
        text = t._(
            "Type a short name for it, up to %(n)s characters. For example: «lawyer».",
            n=LABEL_MAX,
        )
        return esc(text), ui.keyboard(cancel_row(t))
    if step == "who":
        rows = [
            [ui.button(t._("👤 For me"), FormWho("me"))],
            [ui.button(t._("👥 For a relative or friend"), FormWho("rel"))],
        ]
        return esc(t._("Whom is it for?")), ui.keyboard(*rows, cancel_row(t))
    if step == "person":
        text = t._(
            "Type their first name or a nickname, up to %(n)s characters. No surname, please: I "
            "keep only this, to show it in the reminders.",
            n=PERSON_MAX,
        )
        return esc(text), ui.keyboard(cancel_row(t))
    if step == "date":
        return _date_screen(t, context, form)
    if step == "time":
        return _time_screen(t, form)
    if step == "clock":
        return clock_screen(t, form)
    if step == "place":
        return _place_screen(t, form)
    if step == "zone":
        text = t._("In which time zone do you live? The alerts come at 18:00 your time.")
        return esc(text), ui.keyboard(*_zone_rows(t), cancel_row(t))
    return _confirm_screen(t, context, form)


def today_for(context: Context, form: ReminderForm) -> date:
    """Today where the date asked for is checked (see ReminderForm.today_zone)."""
    return local_date(current_time(context), form.today_zone)


def _date_screen(
    t: Translator, context: Context, form: ReminderForm
) -> tuple[str, InlineKeyboardMarkup]:
    deadline = form.deadline
    kind = form.kind or ""
    if deadline:
        question = t._(DEADLINE_QUESTIONS[kind])
        hint = t._("Type it, for example 03.09.2026 or 3 September 2026, or choose it below.")
    else:
        draft_name = t._(KINDS[kind].name) if kind != "other" else form.label or ""
        question = t._("%(what)s: on what date?", what=draft_name)
        hint = t._(
            "Type it as it is printed on the notice, for example 15.01.2027, 01/15/2027 or "
            "15 January 2027, or choose it below."
        )
    lines = [f"<b>{esc(question)}</b>", esc(hint)]
    if form.edit and form.was:
        lines.append(esc(t._("Now it is: %(when)s.", when=form.was)))
    today = today_for(context, form)
    shown = callback_day(form.month + "01") if form.month else None
    rows = calendar_rows(t, shown or today.replace(day=1), today, future=form.asks_future)
    return "\n".join(lines), ui.keyboard(*rows, cancel_row(t))


def _time_screen(t: Translator, form: ReminderForm) -> tuple[str, InlineKeyboardMarkup]:
    day = form.day
    if day is None:
        raise ValueError("the time is asked after the date")
    text = "\n".join(
        [
            "<b>" + esc(t._("At what time?")) + "</b> " + esc(day_text(t, day, "full")),
            esc(t._("Type it as on the notice, for example 8:30 AM or 13:00.")),
        ]
    )
    quick = [ui.button(clock_time(t, at), FormTime(f"{at:%H%M}")) for at in QUICK_TIMES]
    rows = [quick[:3], quick[3:]]
    at = form.prev_time
    if at is not None:
        rows.insert(
            0,
            [ui.button(t._("Keep %(time)s", time=clock_time(t, at)), FormTime(f"{at:%H%M}"))],
        )
    return text, ui.keyboard(*rows, cancel_row(t))


def _zone_rows(t: Translator) -> list[list[InlineKeyboardButton]]:
    buttons = [ui.button(t._(label), FormZone(key)) for key, (_, label) in ZONES.items()]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _place_screen(t: Translator, form: ReminderForm) -> tuple[str, InlineKeyboardMarkup]:
    if form.court_kind:
        text = t._(
            "Which immigration court? Type its city as on the notice (for example: Chicago), or "
            "choose the court from the list. If you do not know the court, choose the time zone."
        )
        rows = [[ui.button(t._("🏛 Choose the court from the list"), FormStates())]]
    else:
        text = t._(
            "In which time zone is the place? The reminders use the clock of that place. You can "
            "also type the city of the nearest immigration court."
        )
        rows = []
    return esc(text), ui.keyboard(*rows, *_zone_rows(t), cancel_row(t))


def _confirm_screen(
    t: Translator, context: Context, form: ReminderForm
) -> tuple[str, InlineKeyboardMarkup]:
    draft = form.draft()
    now = current_time(context)
    alerts = plan_alerts(draft, now)
    lines = ["<b>" + esc(t._("Please check:")) + "</b>"]
    if form.edit and form.was:
        lines.append(esc(t._("Was: %(when)s", when=form.was)))
    lines += describe(t, context, draft, alerts)
    rows: list[list[InlineKeyboardButton]] = []
    can_save = True
    if draft.spec.deadline:
        if draft.ends_at <= now:
            can_save = False
            lines.append("⚠️ <b>" + esc(t._("This deadline has passed.")) + "</b>")
            if draft.kind == "one_year":
                lines.append(esc(t._(WARN_DEADLINE_PAST)))
            else:
                lines.append(esc(t._("Talk to a lawyer now about what can still be done.")))
        elif not alerts:
            can_save = False
            lines.append(
                "⚠️ <b>"
                + esc(t._("The last day is very close: no alert is left before it. Act now."))
                + "</b>"
            )
    else:
        lines += closed_warnings(t, draft)
        if not alerts:
            lines.append(esc(t._("It is very soon: no reminder is left to send before it.")))
        if draft.spec.court:
            weekly = t._("on") if draft.weekly else t._("off")
            lines.append("🔁 " + esc(t._("Weekly date check: %(state)s.", state=weekly)))
    if can_save:
        if draft.spec.deadline:
            stored = t._(
                "🔒 I will keep: which deadline, the date you entered, the time zone and when to "
                "remind you. It is deleted 30 days after the last day unless you choose to keep "
                "it. Delete it any time in ⏰ Reminders, or erase everything with /forget."
            )
        elif draft.person:
            stored = t._(
                "🔒 I will keep: what it is, its date, time and place, the name «%(name)s» and "
                "when to remind you. It is deleted 30 days after the event unless you choose to "
                "keep it. Delete it any time in ⏰ Reminders, or erase everything with /forget.",
                name=draft.person,
            )
        else:
            stored = t._(
                "🔒 I will keep: what it is, its date, time and place, and when to remind you. It "
                "is deleted 30 days after the event unless you choose to keep it. Delete it any "
                "time in ⏰ Reminders, or erase everything with /forget."
            )
        lines += [
            "",
            esc(stored),
            "<i>" + esc(t._("Nothing is stored until you press «✅ Save».")) + "</i>",
        ]
        rows.append([ui.button(t._("✅ Save"), FormSave())])
    change = [ui.button(t._("✏️ Date"), FormReopen("date"))]
    if draft.spec.deadline:
        change.append(ui.button(t._("✏️ Time zone"), FormReopen("place")))
    else:
        change.append(ui.button(t._("✏️ Time"), FormReopen("time")))
        change.append(ui.button(t._("✏️ Place"), FormReopen("place")))
    rows.append(change)
    if draft.spec.court:
        label = (
            t._("🔁 Weekly check: turn off") if draft.weekly else t._("🔁 Weekly check: turn on")
        )
        rows.append([ui.button(label, FormWeekly())])
    rows.append(cancel_row(t))
    return "\n".join(lines), ui.keyboard(*rows)


def date_problem(t: Translator, problem: Problem) -> str:
    """Why a typed date was refused (HTML), to show above the question again."""
    reasons = {
        Problem.NONSENSE: t._(
            "I could not read a date there. Type it like 15.01.2027 or 15 January 2027."
        ),
        Problem.IMPOSSIBLE: t._(
            "There is no such date in the calendar (for example, 30 February). Check the notice "
            "and type it again."
        ),
        Problem.PAST: t._(
            "This date has already passed. Type the date of the coming hearing or appointment."
        ),
        Problem.FUTURE: t._("This date has not come yet. Type the date when it happened."),
        Problem.TOO_FAR: t._("This date is more than 3 years ahead: please check it."),
    }
    return "⚠️ " + esc(reasons[problem])


def clock_screen(t: Translator, form: ReminderForm) -> tuple[str, InlineKeyboardMarkup]:
    """The night the clocks change: a time that does not exist, or that happens twice."""
    draft = form.draft()
    day, at, zone = draft.day, draft.at or time(0, 0), draft.zone
    shown = {
        "time": clock_time(t, at),
        "day": day_text(t, day, "full"),
        "zone": t._(zone_label(zone)),
    }
    if form.clock_question() == "gap":
        text = t._(
            "%(time)s does not exist on %(day)s in %(zone)s: that night the clocks jump an hour "
            "forward. Which time is on your paper?",
            **shown,
        )
        later = after_gap(day, at, zone)
        rows = [
            [ui.button(clock_time(t, later), FormClock("shift"))],
            [ui.button(t._("✏️ Type another time"), FormClock("retype"))],
        ]
    else:
        text = t._(
            "%(time)s happens twice on %(day)s in %(zone)s: that night the clocks go an hour "
            "back. Which one is yours?",
            **shown,
        )
        rows = [
            [ui.button(t._("The first %(time)s (summer time)", **shown), FormClock("0"))],
            [ui.button(t._("The second %(time)s (winter time)", **shown), FormClock("1"))],
        ]
    return esc(text), ui.keyboard(*rows, cancel_row(t))


async def states_screen(update: Update, context: Context, state_code: str | None) -> None:
    t = tr(update, context)
    courts = services(context).courts
    if state_code and any(c.state == state_code for c in courts):
        found = sorted((c for c in courts if c.state == state_code), key=lambda c: c.name)
        rows = [[ui.button(c.name, FormCourt(c.id))] for c in found]
        rows.append([ui.button(t._("⬅ States"), FormStates())])
        title = US_STATES.get(state_code, state_code)
        await ui.show(update, f"<b>{esc(title)}</b>", ui.keyboard(*rows, cancel_row(t)))
        return
    codes = sorted({c.state for c in courts}, key=lambda code: US_STATES.get(code, code))
    buttons = [ui.button(US_STATES.get(code, code), FormStates(code)) for code in codes]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    text = esc(t._("In which state is the court?"))
    await ui.show(update, text, ui.keyboard(*rows, cancel_row(t)))
