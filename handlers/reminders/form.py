"""The add/edit form as a conversation (flow "reminder", kept in SQLite until it ends):
starting it, showing the next step, the buttons (the "ra" codecs) and typed answers (label,
name, date, time, court city), and saving. Nothing is stored before "Save"."""

from __future__ import annotations

import logging
from datetime import date, time

from telegram import Update

from core.court_search import find_courts
from core.dates import DateAmbiguous, DateRejected, check_range, parse_date
from core.reminder_form import CLOCK_ANSWERS, ReminderForm
from core.reminder_texts import (
    day_text,
)
from core.reminders import (
    KINDS,
    LABEL_MAX,
    PERSON_MAX,
    clean_short_text,
    looks_like_full_name,
    plan_alerts,
)
from core.times import TimeOk, TimeProblem, parse_time
from core.zones import ZONES, zone_label
from handlers import alerts_job, flows, ui
from handlers.callbacks import Prefix, parse_int
from handlers.callbacks.reminders import (
    FormCancel,
    FormClock,
    FormCourt,
    FormDay,
    FormDayReading,
    FormKind,
    FormMonth,
    FormReopen,
    FormSave,
    FormStates,
    FormTime,
    FormWeekly,
    FormWho,
    FormZone,
)
from handlers.context import Context, services, tr
from handlers.reminders.calendar_widget import month_shown
from handlers.reminders.common import (
    FLOW,
    MAX_REMINDERS,
    court_of,
    current_time,
    esc,
    reminder_store,
    user_id_of,
)
from handlers.reminders.screens import (
    cancel_row,
    date_problem,
    screen,
    states_screen,
    today_for,
)
from handlers.reminders.views import show_gone, show_list, show_reminder
from storage.conversations import Conversation
from storage.reminders import Reminder

log = logging.getLogger(__name__)


async def start_add_reminder(update: Update, context: Context) -> None:
    """Begin adding a hearing or appointment (the menu, /reminders, the triage checklist)."""
    await start_flow(update, context, ReminderForm())


async def start_deadline_alerts(update: Update, context: Context, arrival: date) -> None:
    """Offer the one-year deadline alerts for an arrival date (from the triage answers);
    asks only the time zone, then shows the confirmation. Nothing is stored before "Save"."""
    await start_flow(
        update,
        context,
        ReminderForm(deadline=True, kind="one_year", day=arrival),
        new_message=True,  # the checklist it came from stays where it was
    )


async def start_flow(
    update: Update, context: Context, form: ReminderForm, *, new_message: bool = False
) -> None:
    user_id = user_id_of(update)
    if user_id is not None and reminder_store(context).count_for(user_id) >= MAX_REMINDERS:
        t = tr(update, context)
        note = esc(
            t._(
                "You have %(n)s reminders, the most I keep. Delete one you no longer need first.",
                n=MAX_REMINDERS,
            )
        )
        await show_list(update, context, note=note)
        return
    await advance(update, context, form, new_message=new_message)


async def advance(
    update: Update,
    context: Context,
    form: ReminderForm,
    *,
    problem: str | None = None,
    new_message: bool = False,
) -> None:
    """Save the form and show the screen of the next step (with a problem line if any)."""
    step = form.next_step()
    form = form.with_step(step)
    flows.save(update, context, FLOW, form.to_dict())
    t = tr(update, context)
    text, markup = screen(t, context, form, step)
    if problem:
        text = f"{problem}\n\n{text}"
    await ui.show(update, text, markup, new_message=new_message)


# --- typed answers ---------------------------------------------------------------------------


@flows.on_text(FLOW)
async def typed(update: Update, context: Context, conversation: Conversation) -> None:
    """Typed text during the conversation: a label, a name, a date, a time or a city."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    t = tr(update, context)
    form = ReminderForm.from_dict(conversation.state)
    text = message.text
    step = form.step or form.next_step()
    if step == "label":
        label = clean_short_text(text, LABEL_MAX)
        if label is None:
            problem = t._("Please type a short name, up to %(n)s characters.", n=LABEL_MAX)
            await advance(update, context, form, problem=esc(problem))
            return
        await advance(update, context, form.with_label(label))
        return
    if step == "person":
        await _typed_person(update, context, form, text)
        return
    if step in ("date", "ambig"):
        await _typed_date(update, context, form, text)
        return
    if step == "time":
        await _typed_time(update, context, form, text)
        return
    if step == "place":
        await _typed_place(update, context, form, text)
        return
    problem = t._("Please choose with the buttons below, or send /cancel to stop.")
    await advance(update, context, form, problem=esc(problem))


async def _typed_person(update: Update, context: Context, form: ReminderForm, text: str) -> None:
    t = tr(update, context)
    name = clean_short_text(text, PERSON_MAX)
    if name is None or any(ch.isdigit() for ch in name):
        problem = t._(
            "Please type only a first name or a nickname, up to %(n)s characters.", n=PERSON_MAX
        )
        await advance(update, context, form, problem=esc(problem))
        return
    if looks_like_full_name(name):
        problem = t._("Please type only a first name or a nickname, without the surname.")
        await advance(update, context, form, problem=esc(problem))
        return
    await advance(update, context, form.with_person(name))


async def _typed_date(update: Update, context: Context, form: ReminderForm, text: str) -> None:
    t = tr(update, context)
    future = form.asks_future
    parsed = parse_date(text, today_for(context, form), future=future)
    if isinstance(parsed, DateRejected):
        await advance(update, context, form, problem=date_problem(t, parsed.problem))
        return
    if isinstance(parsed, DateAmbiguous):
        await _ask_ambiguous(update, context, form, text, parsed)
        return
    await _date_chosen(update, context, form, parsed.value)


async def _ask_ambiguous(
    update: Update, context: Context, form: ReminderForm, typed: str, parsed: DateAmbiguous
) -> None:
    t = tr(update, context)
    flows.save(update, context, FLOW, form.with_step("ambig").to_dict())
    text = "\n".join(
        [
            "<b>"
            + esc(t._("«%(typed)s» can be read two ways.", typed=typed.strip()[:20]))
            + "</b>",
            esc(
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
                FormDayReading(parsed.month_first),
            )
        ],
        [
            ui.button(
                t._("%(date)s (day first)", date=day_text(t, parsed.day_first)),
                FormDayReading(parsed.day_first),
            )
        ],
    ]
    await ui.show(update, text, ui.keyboard(*rows, cancel_row(t)))


async def _date_chosen(update: Update, context: Context, form: ReminderForm, day: date) -> None:
    t = tr(update, context)
    future = form.asks_future
    checked = check_range(day, today_for(context, form), future=future)
    if isinstance(checked, DateRejected):
        await advance(update, context, form, problem=date_problem(t, checked.problem))
        return
    await advance(update, context, form.with_day(day))


async def _typed_time(update: Update, context: Context, form: ReminderForm, text: str) -> None:
    t = tr(update, context)
    parsed = parse_time(text)
    if not isinstance(parsed, TimeOk):
        reason = (
            t._("There is no such time. Type it like 8:30 AM or 13:00.")
            if parsed.problem is TimeProblem.IMPOSSIBLE
            else t._("I could not read a time there. Type it like 8:30 AM or 13:00.")
        )
        await advance(update, context, form, problem="⚠️ " + esc(reason))
        return
    await _time_chosen(update, context, form, parsed.value)


async def _time_chosen(update: Update, context: Context, form: ReminderForm, at: time) -> None:
    await _check_not_past(update, context, form.with_time(at))


async def _check_not_past(update: Update, context: Context, form: ReminderForm) -> None:
    """Once date, time and place are known, an event already begun is refused."""
    if form.next_step() == "confirm" and not form.deadline:
        draft = form.draft()
        if draft.starts_at <= current_time(context):
            t = tr(update, context)
            form = form.reopen_date_and_time()
            problem = t._(
                "This date and time have already passed in the place's time zone (%(zone)s). "
                "Type the date of the coming hearing or appointment.",
                zone=t._(zone_label(draft.zone)),
            )
            await advance(update, context, form, problem="⚠️ " + esc(problem))
            return
    await advance(update, context, form)


async def _typed_place(update: Update, context: Context, form: ReminderForm, text: str) -> None:
    t = tr(update, context)
    found = find_courts(services(context).courts, text)
    if not found:
        problem = t._(
            "I found no immigration court for «%(typed)s». Type the city as it is written on "
            "the notice (for example: Chicago), choose the court from the list, or choose the "
            "time zone.",
            typed=text.strip()[:40],
        )
        await advance(update, context, form, problem="⚠️ " + esc(problem))
        return
    if not form.court_kind and len({c.timezone for c in found}) == 1:
        await _check_not_past(update, context, form.with_zone_of_place(found[0].timezone))
        return
    rows = [[ui.button(c.name, FormCourt(c.id))] for c in found]
    # The street tells two courts of one city apart (Chicago: Monroe Street or Clark Street).
    addresses = [f"• <b>{esc(c.name)}</b>: {esc(c.address)}" for c in found if c.address]
    text_out = "\n".join([esc(t._("Which one? Choose the court:")), *addresses])
    await ui.show(
        update,
        text_out,
        ui.keyboard(
            *rows,
            [ui.button(t._("🏛 Choose the court from the list"), FormStates())],
            cancel_row(t),
        ),
    )


# --- buttons of the conversation -------------------------------------------------------------


async def flow_pressed(update: Update, context: Context) -> None:
    """Every "ra" button (handlers/callbacks/reminders.py): one answer of the conversation."""
    conversation = flows.current(update, context)
    query = update.callback_query
    data = query.data if query else None
    bare = data == Prefix.REMINDER_FLOW.value  # "ra" alone answers nothing
    if conversation is None or conversation.flow != FLOW or bare:
        t = tr(update, context)
        await ui.acknowledge(update, t._("This step is over. Start again from the list."))
        await show_list(update, context, new_message=True)
        return
    form = ReminderForm.from_dict(conversation.state)
    await ui.acknowledge(update)
    if FormCancel.unpack(data) is not None:
        flows.end(update, context)
        t = tr(update, context)
        await show_list(update, context, note=esc(t._("Cancelled. Nothing was saved.")))
        return
    today = services(context).clock.now().date()
    if (kind := FormKind.unpack(data)) is not None and kind.kind in KINDS:
        form = form.with_kind(kind.kind)
    elif (who := FormWho.unpack(data)) is not None:
        form = form.with_who(who.who)
    elif (month := FormMonth.unpack(data)) is not None and month_shown(month.month, today):
        form = form.with_month(month.month)
    elif (day := FormDay.unpack(data) or FormDayReading.unpack(data)) is not None:
        await _date_chosen(update, context, form, day.day)
        return
    elif (quick := FormTime.unpack(data)) is not None and (at := _clock(quick.at)) is not None:
        await _time_chosen(update, context, form, at)
        return
    elif (
        (clock := FormClock.unpack(data)) is not None
        and clock.answer in CLOCK_ANSWERS
        and form.at is not None
    ):
        await _check_not_past(update, context, form.with_clock_answer(clock.answer))
        return
    elif (zone := FormZone.unpack(data)) is not None and zone.zone in ZONES:
        await _check_not_past(update, context, form.with_zone(ZONES[zone.zone][0]))
        return
    elif (pick := FormCourt.unpack(data)) is not None and (
        court := court_of(context, pick.court)
    ) is not None:
        await _check_not_past(update, context, form.with_court(court.id, court.timezone))
        return
    elif (states := FormStates.unpack(data)) is not None:
        await states_screen(update, context, states.state)
        return
    elif (field := FormReopen.unpack(data)) is not None:
        form = form.reopen(field.field)
    elif FormWeekly.unpack(data) is not None:
        form = form.with_weekly_toggled()
    elif FormSave.unpack(data) is not None:
        await _save(update, context, form)
        return
    await advance(update, context, form)


def _clock(text: str) -> time | None:
    """A quick time's "HHMM", or None when forged."""
    if len(text) != 4 or parse_int(text) is None or int(text[:2]) >= 24 or int(text[2:]) >= 60:
        return None
    return time(int(text[:2]), int(text[2:]))


async def _save(update: Update, context: Context, form: ReminderForm) -> None:
    t = tr(update, context)
    user_id = user_id_of(update)
    if user_id is None or form.next_step() != "confirm":
        await advance(update, context, form)
        return
    draft = form.draft()
    now = current_time(context)
    if not draft.spec.deadline and draft.starts_at <= now:
        await _check_not_past(update, context, form)
        return
    alerts = plan_alerts(draft, now)
    store = reminder_store(context)
    edit = form.edit
    reminder: Reminder | None
    if edit is not None:
        reminder = store.replace(user_id, edit, draft, alerts, now, end_conversation=True)
    else:
        if store.count_for(user_id) >= MAX_REMINDERS:
            flows.end(update, context)
            await start_flow(update, context, ReminderForm())
            return
        reminder = store.add(user_id, draft, alerts, now, end_conversation=True)
    flows.end(update, context)  # already ended with the save; kept for the edit of a gone one
    if reminder is None:
        await show_gone(update, context)
        return
    alerts_job.rearm(context.application)
    log.info("reminder_saved id=%s kind=%s alerts=%s", reminder.id, draft.kind, len(alerts))
    note = "✅ " + esc(t._("Changed.") if edit is not None else t._("Saved."))
    await show_reminder(update, context, reminder, note=note)
