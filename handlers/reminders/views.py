"""The reminders the user sees: the list (/reminders), one reminder in full, and the lines
that describe a reminder unmistakably (also on the form's confirmation screen)."""

from __future__ import annotations

from babel.dates import format_date
from telegram import InlineKeyboardButton, Update

from core.i18n import Translator
from core.reminder_texts import (
    DEADLINE_SOURCE,
    alert_times_text,
    day_text,
    deadline_summary,
    plain,
    what_text,
    when_text,
)
from core.reminders import (
    Draft,
    PlannedAlert,
    expires_at,
    local_date,
)
from core.zones import zone_label
from handlers import flows, ui
from handlers.callbacks.reminders import (
    DeadlineNew,
    ReminderAction,
    ReminderList,
    ReminderNew,
    ReminderSwitch,
)
from handlers.context import Context, tr
from handlers.reminders.common import FLOW, court_of, current_time, esc, reminder_store, user_id_of
from storage.reminders import Reminder


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
    user_id = user_id_of(update)
    items = reminder_store(context).list_for(user_id) if user_id is not None else []
    lines = ["<b>" + esc(t._("⏰ Reminders")) + "</b>"]
    if note:
        lines.insert(0, note + "\n")
    rows: list[list[InlineKeyboardButton]] = []
    if not items:
        lines.append(
            esc(
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
            f"{number}. {esc(what_text(t, draft))}{mark}\n    {esc(when_line(t, context, draft))}"
        )
        rows.append([ui.button(label + mark, ReminderAction("v", reminder.id))])
    rows.append([ui.button(t._("➕ Hearing or appointment"), ReminderNew())])
    rows.append([ui.button(t._("➕ Deadline alert"), DeadlineNew())])
    rows.append(ui.menu_row(t))
    await ui.show(update, "\n".join(lines), ui.keyboard(*rows), new_message=new_message)


def short_label(t: Translator, draft: Draft) -> str:
    """A button label: "15 Jan 2027 · Master calendar hearing (Маша)"."""
    day = plain(str(format_date(draft.day, format="medium", locale=t.lang)))
    who = f" ({draft.person})" if draft.person else ""
    text = f"{day} · {what_text(t, draft)}{who}"
    return text if len(text) <= 60 else text[:59] + "…"


def when_line(t: Translator, context: Context, draft: Draft) -> str:
    if draft.spec.deadline:
        return t._("last day: %(date)s", date=day_text(t, draft.day, "full"))
    return when_text(t, draft, court_of(context, draft.court_id))


def describe(
    t: Translator, context: Context, draft: Draft, alerts: list[PlannedAlert]
) -> list[str]:
    """The lines that repeat a reminder unmistakably (confirmation screen and detail view)."""
    spec = draft.spec
    court = court_of(context, draft.court_id)
    lines = [f"{'📄' if spec.deadline else '📌'} <b>{esc(what_text(t, draft))}</b>"]
    if draft.person:
        lines.append("👤 " + esc(t._("For: %(name)s", name=draft.person)))
    elif not spec.deadline:
        lines.append("👤 " + esc(t._("For: you")))
    if spec.deadline:
        lines.append("📅 " + deadline_summary(t, draft))
    else:
        lines.append("📅 <b>" + esc(when_text(t, draft, court)) + "</b>")
        if court is not None:
            lines.append(f"🏛 {esc(court.name)}\n{esc(court.address)}")
        else:
            lines.append("🕰 " + esc(t._(zone_label(draft.zone))))
    if alerts:
        times = alert_times_text(t, draft, alerts)
        if times:
            lines.append(
                "⏰ "
                + esc(
                    t._(
                        "Reminders, %(zone)s: %(times)s.",
                        times=times,
                        zone=t._(zone_label(draft.zone)),
                    )
                )
            )
    if spec.deadline:
        lines.append(esc(t._("Source: %(url)s", url=DEADLINE_SOURCE[draft.kind])))
    return lines


async def show_gone(update: Update, context: Context) -> None:
    t = tr(update, context)
    await ui.acknowledge(update, t._("This reminder no longer exists."))
    await show_list(update, context, new_message=True)


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
    store = reminder_store(context)
    draft = reminder.draft
    pending = store.pending_alerts(reminder.id)
    lines = [note + "\n"] if note else []
    lines += describe(t, context, draft, [])
    now = current_time(context)
    if reminder.stopped:
        lines.append("🔕 " + esc(t._("Reminders are stopped for this one.")))
    elif pending:
        times = alert_times_text(t, draft, pending)
        if times:
            lines.append("⏰ " + esc(t._("Next reminders: %(times)s.", times=times)))
    elif draft.ends_at <= now:
        lines.append("✔️ " + esc(t._("It is over: no more reminders.")))
    if draft.spec.court:
        weekly = t._("on") if draft.weekly else t._("off")
        lines.append("🔁 " + esc(t._("Weekly date check: %(state)s.", state=weekly)))
    if reminder.keep:
        lines.append("📌 " + esc(t._("Kept after the event until you delete it.")))
    else:
        gone = local_date(expires_at(draft), draft.zone)
        lines.append(
            "🗑 "
            + esc(
                t._(
                    "Deleted by itself on %(date)s, 30 days after, unless you keep it.",
                    date=day_text(t, gone, "long"),
                )
            )
        )
    rid = reminder.id
    rows: list[list[InlineKeyboardButton]] = [
        [ui.button(t._("✏️ Change the date or time"), ReminderAction("ed", rid))]
    ]
    if not draft.spec.deadline:
        rows.append([ui.button(t._("✏️ Change the place"), ReminderAction("ep", rid))])
    rows.append([ui.button(t._("📅 Calendar file for the phone"), ReminderAction("ics", rid))])
    if draft.kind == "address":  # the court's 5 days come with USCIS's 10 (INA 265, AR-11)
        rows.append(
            [ui.button(t._("➕ Also for USCIS: Form AR-11 (10 days)"), ReminderAction("ar11", rid))]
        )
    if draft.spec.court:
        label = (
            t._("🔁 Weekly check: turn off") if draft.weekly else t._("🔁 Weekly check: turn on")
        )
        rows.append([ui.button(label, ReminderSwitch("wk", rid, not draft.weekly))])
    if reminder.stopped:
        rows.append([ui.button(t._("🔔 Turn reminders back on"), ReminderAction("on", rid))])
    else:
        rows.append([ui.button(t._("🔕 Stop these reminders"), ReminderAction("stop", rid))])
    keep = (
        ui.button(t._("📌 Do not keep after the event"), ReminderSwitch("keep", rid, False))
        if reminder.keep
        else ui.button(t._("📌 Keep after the event"), ReminderSwitch("keep", rid, True))
    )
    rows.append([keep])
    rows.append([ui.button(t._("🗑 Delete"), ReminderAction("del", rid))])
    rows.append([ui.button(t._("⬅ All reminders"), ReminderList()), *ui.menu_row(t)])
    await ui.show(update, "\n".join(lines), ui.keyboard(*rows), new_message=new_message)
