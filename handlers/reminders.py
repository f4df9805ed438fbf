"""/reminders: hearing reminders and deadline alerts: list, add, change, stop, delete, .ics file.

Adding is one conversation (flow "reminder", kept in SQLite until it ends): what → for whom →
date → time → place → one confirmation screen; deadlines: which → the date it counts from →
time zone → confirmation. Nothing is stored before "Save". Typed dates go through
core/dates.py (a US-order 01/02/2027 is asked about), typed times through core/times.py.

Callback data: "rm" the list; "rm:<action>:<id>..." one reminder (also the buttons on alerts,
where a trailing "a" means "answer in a new message, keep the alert"); "ra:<action>:..." the
steps of the conversation. Entry points for other features: `start_add_reminder` (or a button
with callback "rm:new") and `start_deadline_alerts` (or a button "rm:arr:<YYYYMMDD>" carrying
the arrival date), for the triage checklist.
"""

from __future__ import annotations

import html
import io
import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from babel.dates import format_date, get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageEntity, Update

from core.content.courts import Court
from core.court_search import find_courts
from core.dates import DateAmbiguous, DateRejected, Problem, add_years, check_range, parse_date
from core.i18n import N_, Translator
from core.ics import event_uid, reminder_calendar
from core.reminder_texts import (
    DEADLINE_SOURCE,
    alert_times_text,
    clock_time,
    closed_warnings,
    day_text,
    deadline_summary,
    plain,
    what_text,
    when_text,
)
from core.reminders import (
    DEADLINE_KINDS,
    EVENT_KINDS,
    KINDS,
    LABEL_MAX,
    PERSON_MAX,
    Draft,
    PlannedAlert,
    after_gap,
    clean_short_text,
    clock_problem,
    deadline_due,
    expires_at,
    local_date,
    looks_like_full_name,
    next_weekly,
    plan_alerts,
)
from core.times import TimeOk, TimeProblem, parse_time
from core.triage import ACIS_PHONE, ACIS_URL, WARN_DEADLINE_PAST
from core.walkthrough import first_page_of_step
from core.zones import ZONES, zone_label
from handlers import alerts_job, flows, topics, ui
from handlers.context import Context, services, tr
from handlers.menus import stale_button
from storage.conversations import Conversation
from storage.reminders import Reminder, ReminderStore

log = logging.getLogger(__name__)

FLOW = "reminder"
MAX_REMINDERS = 20  # per user: plenty for one family's hearings and deadlines
QUICK_TIMES = (time(8, 0), time(8, 30), time(9, 0), time(10, 0), time(13, 0), time(14, 0))
# Today's date for checking typed dates before the place is known: the earliest US date
# (for dates that must be ahead) and the latest (for dates that must have passed).
EARLIEST_US_ZONE = "Pacific/Honolulu"
LATEST_US_ZONE = "Pacific/Saipan"
BRING_WORDS = ("bring", "взять", "взяти")  # the "What to bring" step of the court topic

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


def _asks_future(state: dict[str, Any]) -> bool:
    """Whether the date asked for is ahead: an event, or a deadline counted back from a date
    to come (a work permit's end); else a date already behind (an arrival, a move...)."""
    if state.get("mode") != "deadline":
        return True
    kind = state.get("kind")
    return kind in KINDS and KINDS[kind].basis_future


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _store(context: Context) -> ReminderStore:
    store = services(context).reminders
    if store is None:
        raise RuntimeError("reminders are not configured")
    return store


def _now(context: Context) -> datetime:
    return services(context).clock.now()


def _court(context: Context, court_id: str | None) -> Court | None:
    if not court_id:
        return None
    return next((c for c in services(context).courts if c.id == court_id), None)


def _args(update: Update) -> tuple[str, ...]:
    query = update.callback_query
    parsed = ui.parse_callback(query.data if query else None)
    return parsed.args if parsed else ()


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def _int(text: str) -> int | None:
    return ui.callback_int(text)


def _month_shown(text: str, today: date) -> bool:
    """Whether callback data "YYYYMM" is a month the calendar can show (ten years back to
    three ahead): forged data never reaches the state (it would break every later screen)."""
    first = ui.callback_date(text + "01")
    return first is not None and (
        add_years(today, -10).replace(day=1) <= first <= add_years(today, 3).replace(day=1)
    )


def _day(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


# --- the list and one reminder ---------------------------------------------------------------


async def reminders_command(update: Update, context: Context) -> None:
    """/reminders and the menu button: the user's reminders, and the way to add one.

    An unfinished "add a reminder" conversation ends here, so that later typed questions go to
    the search again."""
    await ui.acknowledge(update)
    conversation = flows.current(update, context)
    if conversation is not None and conversation.flow == FLOW:
        flows.end(update, context)
    await show_list(update, context)


async def show_list(
    update: Update, context: Context, *, note: str | None = None, new_message: bool = False
) -> None:
    """The list of the user's reminders with a button each, and the add buttons."""
    t = tr(update, context)
    user_id = _user_id(update)
    items = _store(context).list_for(user_id) if user_id is not None else []
    lines = ["<b>" + _e(t._("⏰ Reminders")) + "</b>"]
    if note:
        lines.insert(0, note + "\n")
    rows: list[list[InlineKeyboardButton]] = []
    if not items:
        lines.append(
            _e(
                t._(
                    "I can remind you of a court hearing, an ICE check-in, an interview or a "
                    "deadline: 7, 3 and 1 days before (in the evening) and on the morning of the "
                    "day, with what to bring and how to check the date. Nothing is stored until "
                    "you confirm."
                )
            )
        )
    for number, reminder in enumerate(items, start=1):
        draft = reminder.draft
        label = f"{number}. {short_label(t, draft)}"
        mark = " 🔕" if reminder.stopped else ""
        lines.append(
            f"{number}. {_e(what_text(t, draft))}{mark}\n    {_e(_when(t, context, draft))}"
        )
        rows.append([ui.button(label + mark, ui.REMINDERS, "v", reminder.id)])
    rows.append([ui.button(t._("➕ Hearing or appointment"), ui.REMINDERS, "new")])
    rows.append([ui.button(t._("➕ Deadline alert"), ui.REMINDERS, "dl")])
    rows.append(ui.menu_row(t))
    await ui.show(update, "\n".join(lines), ui.keyboard(*rows), new_message=new_message)


def short_label(t: Translator, draft: Draft) -> str:
    """A button label: "15 Jan 2027 · Master calendar hearing (Маша)"."""
    day = plain(str(format_date(draft.day, format="medium", locale=t.lang)))
    who = f" ({draft.person})" if draft.person else ""
    text = f"{day} · {what_text(t, draft)}{who}"
    return text if len(text) <= 60 else text[:59] + "…"


def _when(t: Translator, context: Context, draft: Draft) -> str:
    if draft.spec.deadline:
        return t._("last day: %(date)s", date=day_text(t, draft.day, "full"))
    return when_text(t, draft, _court(context, draft.court_id))


def describe(
    t: Translator, context: Context, draft: Draft, alerts: list[PlannedAlert]
) -> list[str]:
    """The lines that repeat a reminder unmistakably (confirmation screen and detail view)."""
    spec = draft.spec
    court = _court(context, draft.court_id)
    lines = [f"{'📄' if spec.deadline else '📌'} <b>{_e(what_text(t, draft))}</b>"]
    if draft.person:
        lines.append("👤 " + _e(t._("For: %(name)s", name=draft.person)))
    elif not spec.deadline:
        lines.append("👤 " + _e(t._("For: you")))
    if spec.deadline:
        lines.append("📅 " + deadline_summary(t, draft))
    else:
        lines.append("📅 <b>" + _e(when_text(t, draft, court)) + "</b>")
        if court is not None:
            lines.append(f"🏛 {_e(court.name)}\n{_e(court.address)}")
        else:
            lines.append("🕰 " + _e(t._(zone_label(draft.zone))))
    if alerts:
        times = alert_times_text(t, draft, alerts)
        if times:
            lines.append(
                "⏰ "
                + _e(
                    t._(
                        "Reminders, %(zone)s: %(times)s.",
                        times=times,
                        zone=t._(zone_label(draft.zone)),
                    )
                )
            )
    if spec.deadline:
        lines.append(_e(t._("Source: %(url)s", url=DEADLINE_SOURCE[draft.kind])))
    return lines


async def reminder_pressed(update: Update, context: Context) -> None:
    """Every "rm:…" button: the list, one reminder, and the actions on it."""
    args = _args(update)
    if not args:
        await reminders_command(update, context)
        return
    action, rest = args[0], args[1:]
    if action == "new":
        await ui.acknowledge(update)
        await start_add_reminder(update, context)
        return
    if action == "dl":
        await ui.acknowledge(update)
        await _start_flow(update, context, {"mode": "deadline"})
        return
    if action == "t" and rest:
        await _topic_page(update, context, rest[0], bring=rest[1:2] == ("bring",))
        return
    if action == "arr" and rest and (arrival := _day(rest[0])) is not None:
        await ui.acknowledge(update)
        await start_deadline_alerts(update, context, arrival)
        return
    user_id = _user_id(update)
    reminder_id = _int(rest[0]) if rest else None
    reminder = (
        _store(context).get(user_id, reminder_id)
        if user_id is not None and reminder_id is not None
        else None
    )
    if reminder is None:
        await _gone(update, context)
        return
    from_alert = rest[-1:] == ("a",)
    handler = _ACTIONS.get(action)
    if handler is None:
        await stale_button(update, context)
        return
    await handler(update, context, reminder, rest[1:], from_alert)


async def _gone(update: Update, context: Context) -> None:
    t = tr(update, context)
    await ui.acknowledge(update, t._("This reminder no longer exists."))
    await show_list(update, context, new_message=True)


async def _view(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], alert: bool
) -> None:
    await ui.acknowledge(update)
    await show_reminder(update, context, reminder, new_message=alert)


async def show_reminder(
    update: Update,
    context: Context,
    reminder: Reminder,
    *,
    note: str | None = None,
    new_message: bool = False,
) -> None:
    """One reminder: everything about it, and what can be done with it."""
    t = tr(update, context)
    store = _store(context)
    draft = reminder.draft
    pending = store.pending_alerts(reminder.id)
    lines = [note + "\n"] if note else []
    lines += describe(t, context, draft, [])
    now = _now(context)
    if reminder.stopped:
        lines.append("🔕 " + _e(t._("Reminders are stopped for this one.")))
    elif pending:
        times = alert_times_text(t, draft, pending)
        if times:
            lines.append("⏰ " + _e(t._("Next reminders: %(times)s.", times=times)))
    elif draft.ends_at <= now:
        lines.append("✔️ " + _e(t._("It is over: no more reminders.")))
    if draft.spec.court:
        weekly = t._("on") if draft.weekly else t._("off")
        lines.append("🔁 " + _e(t._("Weekly date check: %(state)s.", state=weekly)))
    if reminder.keep:
        lines.append("📌 " + _e(t._("Kept after the event until you delete it.")))
    else:
        gone = local_date(expires_at(draft), draft.zone)
        lines.append(
            "🗑 "
            + _e(
                t._(
                    "Deleted by itself on %(date)s, 30 days after, unless you keep it.",
                    date=day_text(t, gone, "long"),
                )
            )
        )
    rid = reminder.id
    rows: list[list[InlineKeyboardButton]] = [
        [ui.button(t._("✏️ Change the date or time"), ui.REMINDERS, "ed", rid)]
    ]
    if not draft.spec.deadline:
        rows.append([ui.button(t._("✏️ Change the place"), ui.REMINDERS, "ep", rid)])
    rows.append([ui.button(t._("📅 Calendar file for the phone"), ui.REMINDERS, "ics", rid)])
    if draft.kind == "address":  # the court's 5 days come with USCIS's 10 (INA 265, AR-11)
        rows.append(
            [ui.button(t._("➕ Also for USCIS: Form AR-11 (10 days)"), ui.REMINDERS, "ar11", rid)]
        )
    if draft.spec.court:
        label = (
            t._("🔁 Weekly check: turn off") if draft.weekly else t._("🔁 Weekly check: turn on")
        )
        rows.append([ui.button(label, ui.REMINDERS, "wk", rid, 0 if draft.weekly else 1)])
    if reminder.stopped:
        rows.append([ui.button(t._("🔔 Turn reminders back on"), ui.REMINDERS, "on", rid)])
    else:
        rows.append([ui.button(t._("🔕 Stop these reminders"), ui.REMINDERS, "stop", rid)])
    keep = (
        ui.button(t._("📌 Do not keep after the event"), ui.REMINDERS, "keep", rid, 0)
        if reminder.keep
        else ui.button(t._("📌 Keep after the event"), ui.REMINDERS, "keep", rid, 1)
    )
    rows.append([keep])
    rows.append([ui.button(t._("🗑 Delete"), ui.REMINDERS, "del", rid)])
    rows.append([ui.button(t._("⬅ All reminders"), ui.REMINDERS), *ui.menu_row(t)])
    await ui.show(update, "\n".join(lines), ui.keyboard(*rows), new_message=new_message)


async def _delete_asked(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], alert: bool
) -> None:
    t = tr(update, context)
    await ui.acknowledge(update)
    text = "\n".join(
        [
            "<b>" + _e(t._("Delete this reminder?")) + "</b>",
            *describe(t, context, reminder.draft, []),
        ]
    )
    phone = t._(
        "If you added it to your phone's calendar, the event stays there: delete it in the "
        "calendar by hand, or first open the file from the button below, which removes it."
    )
    await ui.show(
        update,
        text + "\n\n" + _e(t._("Nothing about it will be kept.")) + "\n" + _e(phone),
        ui.keyboard(
            [ui.button(t._("🗑 Yes, delete it"), ui.REMINDERS, "dely", reminder.id)],
            [
                ui.button(
                    t._("📅 File that removes it from the phone"), ui.REMINDERS, "icsx", reminder.id
                )
            ],
            [ui.button(t._("No, keep it"), ui.REMINDERS, "v", reminder.id)],
        ),
        new_message=alert,
    )


async def _delete(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], _alert: bool
) -> None:
    t = tr(update, context)
    _store(context).delete(reminder.user_id, reminder.id)
    alerts_job.rearm(context.application)
    log.info("reminder_deleted id=%s", reminder.id)
    await ui.acknowledge(update, t._("Deleted."))
    await show_list(update, context, note=_e(t._("🗑 Deleted: nothing about it is kept.")))


async def _stop(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], alert: bool
) -> None:
    t = tr(update, context)
    _store(context).stop(reminder.user_id, reminder.id)
    alerts_job.rearm(context.application)
    log.info("reminder_stopped id=%s", reminder.id)
    await ui.acknowledge(update, t._("Stopped."))
    fresh = _store(context).get(reminder.user_id, reminder.id) or reminder
    note = "🔕 " + _e(
        t._(
            "Stopped: no more reminders for this one. It stays in your list until you delete it "
            "or 30 days after the date."
        )
    )
    await show_reminder(update, context, fresh, note=note, new_message=alert)


async def _resume(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], alert: bool
) -> None:
    t = tr(update, context)
    store = _store(context)
    store.resume(
        reminder.user_id, reminder.id, plan_alerts(reminder.draft, _now(context)), _now(context)
    )
    alerts_job.rearm(context.application)
    await ui.acknowledge(update, t._("Reminders are on again."))
    await _show_again(update, context, store, reminder, alert)


async def _show_again(
    update: Update, context: Context, store: ReminderStore, reminder: Reminder, alert: bool
) -> None:
    """Show the reminder as it is stored now (after a change), in a new message under an alert."""
    fresh = store.get(reminder.user_id, reminder.id) or reminder
    await show_reminder(update, context, fresh, new_message=alert)


async def _keep(
    update: Update, context: Context, reminder: Reminder, rest: tuple[str, ...], alert: bool
) -> None:
    t = tr(update, context)
    store = _store(context)
    keep = rest[:1] == ("1",)
    store.set_keep(reminder.user_id, reminder.id, keep)
    await ui.acknowledge(update, t._("Kept.") if keep else t._("It will be deleted 30 days after."))
    await _show_again(update, context, store, reminder, alert)


async def _weekly(
    update: Update, context: Context, reminder: Reminder, rest: tuple[str, ...], alert: bool
) -> None:
    t = tr(update, context)
    store = _store(context)
    on = rest[:1] == ("1",)
    first = next_weekly(reminder.draft, _now(context)) if on else None
    store.set_weekly(reminder.user_id, reminder.id, on, first)
    alerts_job.rearm(context.application)
    await ui.acknowledge(update, t._("Weekly check is on.") if on else t._("Weekly check is off."))
    await _show_again(update, context, store, reminder, alert)


async def _edit_date(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], alert: bool
) -> None:
    await ui.acknowledge(update)
    state = _state_of(reminder)
    state["was"] = _when(tr(update, context), context, reminder.draft)
    state["prev_time"] = state.pop("time", None)
    state.pop("date", None)
    await _advance(update, context, state, new_message=alert)


async def _edit_place(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], alert: bool
) -> None:
    await ui.acknowledge(update)
    state = _state_of(reminder)
    state["was"] = _when(tr(update, context), context, reminder.draft)
    state.pop("court", None)
    state.pop("zone", None)
    await _advance(update, context, state, new_message=alert)


async def _send_ics(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], _alert: bool
) -> None:
    await _send_calendar_file(update, context, reminder, cancel=False)


async def _send_ics_cancel(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], _alert: bool
) -> None:
    await _send_calendar_file(update, context, reminder, cancel=True)


async def _send_calendar_file(
    update: Update, context: Context, reminder: Reminder, *, cancel: bool
) -> None:
    """The reminder's event as an .ics file (one UID for the reminder's whole life, SEQUENCE
    counting its changes), or the file that removes that event from the phone's calendar."""
    t = tr(update, context)
    await ui.acknowledge(update)
    draft = reminder.draft
    court = _court(context, draft.court_id)
    summary = what_text(t, draft) + (f" ({draft.person})" if draft.person else "")
    if draft.spec.court:
        description = t._(
            "Check the date, time and place: %(url)s or %(phone)s, with the 9-digit A-number.",
            url=ACIS_URL,
            phone=ACIS_PHONE,
        )
    elif draft.spec.deadline:
        description = t._("Source: %(url)s", url=DEADLINE_SOURCE[draft.kind])
    else:
        description = t._("Check the date, time and address on your appointment letter.")
    location = f"{court.name}, {court.address}" if court else None
    data = reminder_calendar(
        uid=event_uid(reminder.id),
        draft=draft,
        summary=summary,
        description=description,
        location=location,
        now=_now(context),
        sequence=reminder.revision,
        cancel=cancel,
    )
    name = f"{'cancel-' if cancel else ''}{draft.kind}-{draft.day:%Y-%m-%d}.ics"
    chat = update.effective_chat
    if chat is None:
        return
    caption = (
        t._(
            "Open this file to remove the event from your phone's calendar. If your calendar "
            "does not remove it, delete the event there by hand."
        )
        if cancel
        else t._(
            "Open this file to add it to your phone's calendar, with alarms. If you change the "
            "reminder, open the new file: it replaces the old event."
        )
    )
    await chat.send_document(document=InputFile(io.BytesIO(data), filename=name), caption=caption)


async def _offer_ar11(
    update: Update, context: Context, reminder: Reminder, _rest: tuple[str, ...], _alert: bool
) -> None:
    """From an EOIR-33 reminder: the AR-11 deadline of the same move, ready to confirm."""
    await ui.acknowledge(update)
    draft = reminder.draft
    basis = draft.basis or draft.day
    state = {"mode": "deadline", "kind": "ar11", "date": basis.isoformat(), "zone": draft.zone}
    await _start_flow(update, context, state)


_ACTIONS = {
    "ar11": _offer_ar11,
    "v": _view,
    "del": _delete_asked,
    "dely": _delete,
    "stop": _stop,
    "on": _resume,
    "keep": _keep,
    "wk": _weekly,
    "ed": _edit_date,
    "ep": _edit_place,
    "ics": _send_ics,
    "icsx": _send_ics_cancel,
}


async def _topic_page(update: Update, context: Context, topic_id: str, *, bring: bool) -> None:
    """A topic from an alert, as a new message (the alert stays)."""
    t = tr(update, context)
    library = services(context).library.library
    topic = library.topic(t.lang, topic_id)
    if topic is None:
        await stale_button(update, context)
        return
    await ui.acknowledge(update)
    pages = topics.pages_of(context, topic, t)
    index = 0
    if bring:
        step = next(
            (
                number
                for number, step in enumerate(topic.steps)
                if any(word in step.title.lower() for word in BRING_WORDS)
            ),
            0,
        )
        index = first_page_of_step(pages, step)
    page = pages[index]
    nav: list[InlineKeyboardButton] = []
    if index > 0:
        nav.append(ui.button("◀", ui.TOPIC, topic.id, index - 1))
    nav.append(ui.button(f"{index + 1}/{len(pages)}", ui.NOTHING))
    if index < len(pages) - 1:
        nav.append(ui.button("▶", ui.TOPIC, topic.id, index + 1))
    entities = [
        MessageEntity(type=e.type, offset=e.offset, length=e.length, url=e.url)
        for e in page.message.entities
    ]
    await ui.show(
        update,
        page.message.text,
        ui.keyboard(nav if len(pages) > 1 else [], ui.menu_row(t)),
        entities=entities,
        new_message=True,
    )


# --- the conversation -----------------------------------------------------------------------


async def start_add_reminder(update: Update, context: Context) -> None:
    """Begin adding a hearing or appointment (the menu, /reminders, the triage checklist)."""
    await _start_flow(update, context, {"mode": "event"})


async def start_deadline_alerts(update: Update, context: Context, arrival: date) -> None:
    """Offer the one-year deadline alerts for an arrival date (from the triage answers);
    asks only the time zone, then shows the confirmation. Nothing is stored before "Save"."""
    await _start_flow(
        update,
        context,
        {"mode": "deadline", "kind": "one_year", "date": arrival.isoformat()},
        new_message=True,  # the checklist it came from stays where it was
    )


async def _start_flow(
    update: Update, context: Context, state: dict[str, Any], *, new_message: bool = False
) -> None:
    user_id = _user_id(update)
    if user_id is not None and _store(context).count_for(user_id) >= MAX_REMINDERS:
        t = tr(update, context)
        note = _e(
            t._(
                "You have %(n)s reminders, the most I keep. Delete one you no longer need first.",
                n=MAX_REMINDERS,
            )
        )
        await show_list(update, context, note=note)
        return
    await _advance(update, context, state, new_message=new_message)


def _state_of(reminder: Reminder) -> dict[str, Any]:
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
    if _clock_question(state) is not None:
        return "clock"
    return "confirm"


def _clock_question(state: dict[str, Any]) -> str | None:
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


async def _advance(
    update: Update,
    context: Context,
    state: dict[str, Any],
    *,
    problem: str | None = None,
    new_message: bool = False,
) -> None:
    """Save the state and show the screen of the next step (with a problem line if any)."""
    step = next_step(state)
    state["step"] = step
    flows.save(update, context, FLOW, state)
    t = tr(update, context)
    text, markup = _screen(t, context, state, step)
    if problem:
        text = f"{problem}\n\n{text}"
    await ui.show(update, text, markup, new_message=new_message)


def _cancel_row(t: Translator) -> list[InlineKeyboardButton]:
    return [ui.button(t._("❌ Cancel"), ui.REMINDER_FLOW, "x")]


def _screen(
    t: Translator, context: Context, state: dict[str, Any], step: str
) -> tuple[str, InlineKeyboardMarkup]:
    deadline = state.get("mode") == "deadline"
    if step == "kind":
        kinds = DEADLINE_KINDS if deadline else EVENT_KINDS
        rows = [[ui.button(t._(KINDS[k].button), ui.REMINDER_FLOW, "k", k)] for k in kinds]
        if deadline:
            head = t._(
                "<b>Deadline alert</b>\nWhich deadline? I will count its last day and remind "
                "you before it."
            )
        else:
            head = t._("<b>New reminder</b>\nWhat is it?")
        hint = t._("Nothing is stored until you confirm at the end.")
        return f"{head}\n\n<i>{_e(hint)}</i>", ui.keyboard(*rows, _cancel_row(t))
    if step == "label":
        text = t._(
            "Type a short name for it, up to %(n)s characters. For example: «lawyer».",
            n=LABEL_MAX,
        )
        return _e(text), ui.keyboard(_cancel_row(t))
    if step == "who":
        rows = [
            [ui.button(t._("👤 For me"), ui.REMINDER_FLOW, "w", "me")],
            [ui.button(t._("👥 For a relative or friend"), ui.REMINDER_FLOW, "w", "rel")],
        ]
        return _e(t._("Whom is it for?")), ui.keyboard(*rows, _cancel_row(t))
    if step == "person":
        text = t._(
            "Type their first name or a nickname, up to %(n)s characters. No surname, please: I "
            "keep only this, to show it in the reminders.",
            n=PERSON_MAX,
        )
        return _e(text), ui.keyboard(_cancel_row(t))
    if step == "date":
        return _date_screen(t, context, state)
    if step == "time":
        return _time_screen(t, state)
    if step == "clock":
        return _clock_screen(t, state)
    if step == "place":
        return _place_screen(t, state)
    if step == "zone":
        text = t._("In which time zone do you live? The alerts come at 18:00 your time.")
        return _e(text), ui.keyboard(*_zone_rows(t), _cancel_row(t))
    return _confirm_screen(t, context, state)


def _today(context: Context, state: dict[str, Any], *, future: bool) -> date:
    zone = state.get("zone") or (EARLIEST_US_ZONE if future else LATEST_US_ZONE)
    return local_date(_now(context), zone)


def _date_screen(
    t: Translator, context: Context, state: dict[str, Any]
) -> tuple[str, InlineKeyboardMarkup]:
    deadline = state.get("mode") == "deadline"
    kind = state["kind"]
    if deadline:
        question = t._(DEADLINE_QUESTIONS[kind])
        hint = t._("Type it, for example 03.09.2026 or 3 September 2026, or choose it below.")
    else:
        draft_name = t._(KINDS[kind].name) if kind != "other" else state.get("label", "")
        question = t._("%(what)s: on what date?", what=draft_name)
        hint = t._(
            "Type it as it is printed on the notice, for example 15.01.2027, 01/15/2027 or "
            "15 January 2027, or choose it below."
        )
    lines = [f"<b>{_e(question)}</b>", _e(hint)]
    if state.get("edit") and state.get("was"):
        lines.append(_e(t._("Now it is: %(when)s.", when=state["was"])))
    today = _today(context, state, future=_asks_future(state))
    month = state.get("month")
    shown = _day(month + "01") if isinstance(month, str) else None
    rows = calendar_rows(t, shown or today.replace(day=1), today, future=_asks_future(state))
    return "\n".join(lines), ui.keyboard(*rows, _cancel_row(t))


def calendar_rows(
    t: Translator, month: date, today: date, *, future: bool
) -> list[list[InlineKeyboardButton]]:
    """An inline month calendar: ◀ month ▶, weekday names, and the days that can be chosen."""
    first = month.replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    last = add_years(today, 3)
    limit_ahead = last.replace(day=1) if future else today.replace(day=1)
    limit_back = today.replace(day=1) if future else add_years(today, -10).replace(day=1)
    title = str(format_date(first, format="LLLL y", locale=t.lang))
    header: list[InlineKeyboardButton] = []
    header.append(
        ui.button("◀", ui.REMINDER_FLOW, "cal", f"{previous:%Y%m}")
        if previous >= limit_back
        else ui.button("·", ui.NOTHING)
    )
    header.append(ui.button(title, ui.NOTHING))
    header.append(
        ui.button("▶", ui.REMINDER_FLOW, "cal", f"{following:%Y%m}")
        if following <= limit_ahead
        else ui.button("·", ui.NOTHING)
    )
    names = get_day_names("abbreviated", context="stand-alone", locale=t.lang)
    weekdays = [ui.button(str(names[i])[:2], ui.NOTHING) for i in range(7)]
    rows = [header, weekdays]
    day = first - timedelta(days=first.weekday())
    while day < following:
        week: list[InlineKeyboardButton] = []
        any_day = False
        for _ in range(7):
            allowed = day.month == first.month and (
                today <= day <= last if future else day <= today
            )
            any_day = any_day or allowed
            week.append(
                ui.button(str(day.day), ui.REMINDER_FLOW, "d", f"{day:%Y%m%d}")
                if allowed
                else ui.button("·", ui.NOTHING)
            )
            day += timedelta(days=1)
        if any_day:  # weeks with nothing to choose are left out
            rows.append(week)
    return rows


def _time_screen(t: Translator, state: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    day = date.fromisoformat(state["date"])
    text = "\n".join(
        [
            "<b>" + _e(t._("At what time?")) + "</b> " + _e(day_text(t, day, "full")),
            _e(t._("Type it as on the notice, for example 8:30 AM or 13:00.")),
        ]
    )
    quick = [
        ui.button(clock_time(t, at), ui.REMINDER_FLOW, "t", f"{at:%H%M}") for at in QUICK_TIMES
    ]
    rows = [quick[:3], quick[3:]]
    previous = state.get("prev_time")
    if previous:
        at = time.fromisoformat(previous)
        rows.insert(
            0,
            [
                ui.button(
                    t._("Keep %(time)s", time=clock_time(t, at)),
                    ui.REMINDER_FLOW,
                    "t",
                    f"{at:%H%M}",
                )
            ],
        )
    return text, ui.keyboard(*rows, _cancel_row(t))


def _zone_rows(t: Translator) -> list[list[InlineKeyboardButton]]:
    buttons = [
        ui.button(t._(label), ui.REMINDER_FLOW, "z", key) for key, (_, label) in ZONES.items()
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _place_screen(t: Translator, state: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    if KINDS[state["kind"]].court:
        text = t._(
            "Which immigration court? Type its city as on the notice (for example: Chicago), or "
            "choose the court from the list. If you do not know the court, choose the time zone."
        )
        rows = [[ui.button(t._("🏛 Choose the court from the list"), ui.REMINDER_FLOW, "pl")]]
    else:
        text = t._(
            "In which time zone is the place? The reminders use the clock of that place. You can "
            "also type the city of the nearest immigration court."
        )
        rows = []
    return _e(text), ui.keyboard(*rows, *_zone_rows(t), _cancel_row(t))


def _confirm_screen(
    t: Translator, context: Context, state: dict[str, Any]
) -> tuple[str, InlineKeyboardMarkup]:
    draft = draft_of(state)
    now = _now(context)
    alerts = plan_alerts(draft, now)
    lines = ["<b>" + _e(t._("Please check:")) + "</b>"]
    if state.get("edit") and state.get("was"):
        lines.append(_e(t._("Was: %(when)s", when=state["was"])))
    lines += describe(t, context, draft, alerts)
    rows: list[list[InlineKeyboardButton]] = []
    can_save = True
    if draft.spec.deadline:
        if draft.ends_at <= now:
            can_save = False
            lines.append("⚠️ <b>" + _e(t._("This deadline has passed.")) + "</b>")
            if draft.kind == "one_year":
                lines.append(_e(t._(WARN_DEADLINE_PAST)))
            else:
                lines.append(_e(t._("Talk to a lawyer now about what can still be done.")))
        elif not alerts:
            can_save = False
            lines.append(
                "⚠️ <b>"
                + _e(t._("The last day is very close: no alert is left before it. Act now."))
                + "</b>"
            )
    else:
        lines += closed_warnings(t, draft)
        if not alerts:
            lines.append(_e(t._("It is very soon: no reminder is left to send before it.")))
        if draft.spec.court:
            weekly = t._("on") if draft.weekly else t._("off")
            lines.append("🔁 " + _e(t._("Weekly date check: %(state)s.", state=weekly)))
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
            _e(stored),
            "<i>" + _e(t._("Nothing is stored until you press «✅ Save».")) + "</i>",
        ]
        rows.append([ui.button(t._("✅ Save"), ui.REMINDER_FLOW, "ok")])
    change = [ui.button(t._("✏️ Date"), ui.REMINDER_FLOW, "e", "date")]
    if draft.spec.deadline:
        change.append(ui.button(t._("✏️ Time zone"), ui.REMINDER_FLOW, "e", "place"))
    else:
        change.append(ui.button(t._("✏️ Time"), ui.REMINDER_FLOW, "e", "time"))
        change.append(ui.button(t._("✏️ Place"), ui.REMINDER_FLOW, "e", "place"))
    rows.append(change)
    if draft.spec.court:
        label = (
            t._("🔁 Weekly check: turn off") if draft.weekly else t._("🔁 Weekly check: turn on")
        )
        rows.append([ui.button(label, ui.REMINDER_FLOW, "wk")])
    rows.append(_cancel_row(t))
    return "\n".join(lines), ui.keyboard(*rows)


# --- typed answers ---------------------------------------------------------------------------


@flows.on_text(FLOW)
async def typed(update: Update, context: Context, conversation: Conversation) -> None:
    """Typed text during the conversation: a label, a name, a date, a time or a city."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    t = tr(update, context)
    state = dict(conversation.state)
    text = message.text
    step = state.get("step") or next_step(state)
    if step == "label":
        label = clean_short_text(text, LABEL_MAX)
        if label is None:
            problem = t._("Please type a short name, up to %(n)s characters.", n=LABEL_MAX)
            await _advance(update, context, state, problem=_e(problem))
            return
        state["label"] = label
        await _advance(update, context, state)
        return
    if step == "person":
        await _typed_person(update, context, state, text)
        return
    if step in ("date", "ambig"):
        await _typed_date(update, context, state, text)
        return
    if step == "time":
        await _typed_time(update, context, state, text)
        return
    if step == "place":
        await _typed_place(update, context, state, text)
        return
    problem = t._("Please choose with the buttons below, or send /cancel to stop.")
    await _advance(update, context, state, problem=_e(problem))


async def _typed_person(update: Update, context: Context, state: dict[str, Any], text: str) -> None:
    t = tr(update, context)
    name = clean_short_text(text, PERSON_MAX)
    if name is None or any(ch.isdigit() for ch in name):
        problem = t._(
            "Please type only a first name or a nickname, up to %(n)s characters.", n=PERSON_MAX
        )
        await _advance(update, context, state, problem=_e(problem))
        return
    if looks_like_full_name(name):
        problem = t._("Please type only a first name or a nickname, without the surname.")
        await _advance(update, context, state, problem=_e(problem))
        return
    state["person"] = name
    await _advance(update, context, state)


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
    return "⚠️ " + _e(reasons[problem])


async def _typed_date(update: Update, context: Context, state: dict[str, Any], text: str) -> None:
    t = tr(update, context)
    future = _asks_future(state)
    parsed = parse_date(text, _today(context, state, future=future), future=future)
    if isinstance(parsed, DateRejected):
        await _advance(update, context, state, problem=date_problem(t, parsed.problem))
        return
    if isinstance(parsed, DateAmbiguous):
        await _ask_ambiguous(update, context, state, text, parsed)
        return
    await _date_chosen(update, context, state, parsed.value)


async def _ask_ambiguous(
    update: Update, context: Context, state: dict[str, Any], typed: str, parsed: DateAmbiguous
) -> None:
    t = tr(update, context)
    state["step"] = "ambig"
    flows.save(update, context, FLOW, state)
    text = "\n".join(
        [
            "<b>" + _e(t._("«%(typed)s» can be read two ways.", typed=typed.strip()[:20])) + "</b>",
            _e(
                t._(
                    "US notices print the month first; in Russia and Ukraine the day comes first. "
                    "Which date is it?"
                )
            ),
        ]
    )
    rows = [
        [
            ui.button(
                t._("%(date)s (month first, US)", date=day_text(t, parsed.month_first)),
                ui.REMINDER_FLOW,
                "a",
                f"{parsed.month_first:%Y%m%d}",
            )
        ],
        [
            ui.button(
                t._("%(date)s (day first)", date=day_text(t, parsed.day_first)),
                ui.REMINDER_FLOW,
                "a",
                f"{parsed.day_first:%Y%m%d}",
            )
        ],
    ]
    await ui.show(update, text, ui.keyboard(*rows, _cancel_row(t)))


async def _date_chosen(update: Update, context: Context, state: dict[str, Any], day: date) -> None:
    t = tr(update, context)
    future = _asks_future(state)
    checked = check_range(day, _today(context, state, future=future), future=future)
    if isinstance(checked, DateRejected):
        state["step"] = "date"
        await _advance(update, context, state, problem=date_problem(t, checked.problem))
        return
    state["date"] = day.isoformat()
    state.pop("month", None)
    state["step"] = None
    await _advance(update, context, state)


async def _typed_time(update: Update, context: Context, state: dict[str, Any], text: str) -> None:
    t = tr(update, context)
    parsed = parse_time(text)
    if not isinstance(parsed, TimeOk):
        reason = (
            t._("There is no such time. Type it like 8:30 AM or 13:00.")
            if parsed.problem is TimeProblem.IMPOSSIBLE
            else t._("I could not read a time there. Type it like 8:30 AM or 13:00.")
        )
        await _advance(update, context, state, problem="⚠️ " + _e(reason))
        return
    await _time_chosen(update, context, state, parsed.value)


def _clock_screen(t: Translator, state: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    """The night the clocks change: a time that does not exist, or that happens twice."""
    day = date.fromisoformat(state["date"])
    at = time.fromisoformat(state["time"])
    shown = {
        "time": clock_time(t, at),
        "day": day_text(t, day, "full"),
        "zone": t._(zone_label(state["zone"])),
    }
    if _clock_question(state) == "gap":
        text = t._(
            "%(time)s does not exist on %(day)s in %(zone)s: that night the clocks jump an hour "
            "forward. Which time is on your paper?",
            **shown,
        )
        later = after_gap(day, at, state["zone"])
        rows = [
            [ui.button(clock_time(t, later), ui.REMINDER_FLOW, "ck", "shift")],
            [ui.button(t._("✏️ Type another time"), ui.REMINDER_FLOW, "ck", "retype")],
        ]
    else:
        text = t._(
            "%(time)s happens twice on %(day)s in %(zone)s: that night the clocks go an hour "
            "back. Which one is yours?",
            **shown,
        )
        rows = [
            [
                ui.button(
                    t._("The first %(time)s (summer time)", **shown), ui.REMINDER_FLOW, "ck", "0"
                )
            ],
            [
                ui.button(
                    t._("The second %(time)s (winter time)", **shown), ui.REMINDER_FLOW, "ck", "1"
                )
            ],
        ]
    return _e(text), ui.keyboard(*rows, _cancel_row(t))


async def _clock_answered(
    update: Update, context: Context, state: dict[str, Any], answer: str
) -> None:
    if answer == "retype":
        state.pop("time", None)
    else:
        if answer == "shift":
            day, at = date.fromisoformat(state["date"]), time.fromisoformat(state["time"])
            state["time"] = after_gap(day, at, state["zone"]).strftime("%H:%M")
        state["fold"] = 1 if answer == "1" else 0
        state["clock"] = f"{state['date']} {state['time']} {state['zone']}"
    state["step"] = None
    await _check_not_past(update, context, state)


async def _time_chosen(update: Update, context: Context, state: dict[str, Any], at: time) -> None:
    state["time"] = at.strftime("%H:%M")
    state.pop("prev_time", None)
    state["step"] = None
    await _check_not_past(update, context, state)


async def _check_not_past(update: Update, context: Context, state: dict[str, Any]) -> None:
    """Once date, time and place are known, an event already begun is refused."""
    if next_step(state) == "confirm" and state.get("mode") == "event":
        draft = draft_of(state)
        if draft.starts_at <= _now(context):
            t = tr(update, context)
            state.pop("date", None)
            state["prev_time"] = state.pop("time", None)
            problem = t._(
                "This date and time have already passed in the place's time zone (%(zone)s). "
                "Type the date of the coming hearing or appointment.",
                zone=t._(zone_label(draft.zone)),
            )
            await _advance(update, context, state, problem="⚠️ " + _e(problem))
            return
    await _advance(update, context, state)


async def _typed_place(update: Update, context: Context, state: dict[str, Any], text: str) -> None:
    t = tr(update, context)
    found = find_courts(services(context).courts, text)
    if not found:
        problem = t._(
            "I found no immigration court for «%(typed)s». Type the city as it is written on "
            "the notice (for example: Chicago), choose the court from the list, or choose the "
            "time zone.",
            typed=text.strip()[:40],
        )
        await _advance(update, context, state, problem="⚠️ " + _e(problem))
        return
    if not KINDS[state["kind"]].court and len({c.timezone for c in found}) == 1:
        state["zone"] = found[0].timezone
        state["step"] = None
        await _check_not_past(update, context, state)
        return
    rows = [[ui.button(c.name, ui.REMINDER_FLOW, "c", c.id)] for c in found]
    # The street tells two courts of one city apart (Chicago: Monroe Street or Clark Street).
    addresses = [f"• <b>{_e(c.name)}</b>: {_e(c.address)}" for c in found if c.address]
    text_out = "\n".join([_e(t._("Which one? Choose the court:")), *addresses])
    await ui.show(
        update,
        text_out,
        ui.keyboard(
            *rows,
            [ui.button(t._("🏛 Choose the court from the list"), ui.REMINDER_FLOW, "pl")],
            _cancel_row(t),
        ),
    )


# --- buttons of the conversation -------------------------------------------------------------


async def flow_pressed(update: Update, context: Context) -> None:
    """Every "ra:…" button: one answer of the conversation."""
    conversation = flows.current(update, context)
    args = _args(update)
    if conversation is None or conversation.flow != FLOW or not args:
        t = tr(update, context)
        await ui.acknowledge(update, t._("This step is over. Start again from the list."))
        await show_list(update, context, new_message=True)
        return
    state = dict(conversation.state)
    action, rest = args[0], args[1:]
    await ui.acknowledge(update)
    if action == "x":
        flows.end(update, context)
        t = tr(update, context)
        await show_list(update, context, note=_e(t._("Cancelled. Nothing was saved.")))
        return
    if action == "k" and rest and rest[0] in KINDS:
        state["kind"] = rest[0]
        state["mode"] = "deadline" if KINDS[rest[0]].deadline else "event"
    elif action == "w" and rest and rest[0] in ("me", "rel"):
        state["who"] = rest[0]
        if rest[0] == "me":
            state.pop("person", None)
    elif action == "cal" and rest and _month_shown(rest[0], services(context).clock.now().date()):
        state["month"] = rest[0]
    elif action in ("d", "a") and rest and (day := _day(rest[0])) is not None:
        await _date_chosen(update, context, state, day)
        return
    elif action == "t" and rest and len(rest[0]) == 4 and ui.callback_int(rest[0]) is not None:
        hour, minute = int(rest[0][:2]), int(rest[0][2:])
        if hour < 24 and minute < 60:
            await _time_chosen(update, context, state, time(hour, minute))
            return
    elif action == "ck" and rest and rest[0] in ("0", "1", "shift", "retype") and state.get("time"):
        await _clock_answered(update, context, state, rest[0])
        return
    elif action == "z" and rest and rest[0] in ZONES:
        state["zone"] = ZONES[rest[0]][0]
        state.pop("court", None)
        state["step"] = None
        await _check_not_past(update, context, state)
        return
    elif action == "c" and rest and (court := _court(context, rest[0])) is not None:
        if KINDS[state.get("kind", "other")].court:
            state["court"] = court.id  # an ICE office or asylum office is not at the court
        state["zone"] = court.timezone
        state["step"] = None
        await _check_not_past(update, context, state)
        return
    elif action == "pl":
        await _states_screen(update, context, rest[0] if rest else None)
        return
    elif action == "e" and rest:
        _reopen(state, rest[0])
    elif action == "wk":
        state["weekly"] = not state.get("weekly")
    elif action == "ok":
        await _save(update, context, state)
        return
    await _advance(update, context, state)


def _reopen(state: dict[str, Any], what: str) -> None:
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


async def _states_screen(update: Update, context: Context, state_code: str | None) -> None:
    t = tr(update, context)
    courts = services(context).courts
    if state_code and any(c.state == state_code for c in courts):
        found = sorted((c for c in courts if c.state == state_code), key=lambda c: c.name)
        rows = [[ui.button(c.name, ui.REMINDER_FLOW, "c", c.id)] for c in found]
        rows.append([ui.button(t._("⬅ States"), ui.REMINDER_FLOW, "pl")])
        title = US_STATES.get(state_code, state_code)
        await ui.show(update, f"<b>{_e(title)}</b>", ui.keyboard(*rows, _cancel_row(t)))
        return
    codes = sorted({c.state for c in courts}, key=lambda code: US_STATES.get(code, code))
    buttons = [ui.button(US_STATES.get(code, code), ui.REMINDER_FLOW, "pl", code) for code in codes]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    text = _e(t._("In which state is the court?"))
    await ui.show(update, text, ui.keyboard(*rows, _cancel_row(t)))


async def _save(update: Update, context: Context, state: dict[str, Any]) -> None:
    t = tr(update, context)
    user_id = _user_id(update)
    if user_id is None or next_step(state) != "confirm":
        await _advance(update, context, state)
        return
    draft = draft_of(state)
    now = _now(context)
    if not draft.spec.deadline and draft.starts_at <= now:
        await _check_not_past(update, context, state)
        return
    alerts = plan_alerts(draft, now)
    store = _store(context)
    edit = state.get("edit")
    reminder: Reminder | None
    if isinstance(edit, int):
        reminder = store.replace(user_id, edit, draft, alerts, now, end_conversation=True)
    else:
        if store.count_for(user_id) >= MAX_REMINDERS:
            flows.end(update, context)
            await _start_flow(update, context, {})
            return
        reminder = store.add(user_id, draft, alerts, now, end_conversation=True)
    flows.end(update, context)  # already ended with the save; kept for the edit of a gone one
    if reminder is None:
        await _gone(update, context)
        return
    alerts_job.rearm(context.application)
    log.info("reminder_saved id=%s kind=%s alerts=%s", reminder.id, draft.kind, len(alerts))
    note = "✅ " + _e(t._("Changed.") if isinstance(edit, int) else t._("Saved."))
    await show_reminder(update, context, reminder, note=note)
