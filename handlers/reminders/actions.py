"""Every "rm:…" button: open one reminder and act on it (delete, stop, resume, keep, weekly
check, change the date or place, the .ics calendar file, the AR-11 deadline of a move), and a
topic page opened from an alert. The buttons are the "rm" codecs of handlers/callbacks/reminders.py;
those on alerts end in "a": answer in a new message."""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InputFile, MessageEntity, Update

from core.ics import event_uid, reminder_calendar
from core.reminder_form import ReminderForm
from core.reminder_texts import (
    DEADLINE_SOURCE,
    what_text,
)
from core.reminders import (
    next_weekly,
    plan_alerts,
)
from core.triage import ACIS_PHONE, ACIS_URL
from core.walkthrough import first_page_of_step
from handlers import alerts_job, topics, ui
from handlers.callbacks.menus import Nothing
from handlers.callbacks.reminders import (
    DeadlineNew,
    DeadlinesFromArrival,
    ReminderAction,
    ReminderList,
    ReminderNew,
    ReminderSwitch,
    ReminderTopic,
)
from handlers.callbacks.topics import TopicPage
from handlers.context import Context, services, tr
from handlers.menus import stale_button
from handlers.reminders.common import (
    court_of,
    current_time,
    esc,
    reminder_store,
    user_id_of,
)
from handlers.reminders.form import advance, start_add_reminder, start_deadline_alerts, start_flow
from handlers.reminders.views import (
    describe,
    reminders_command,
    show_gone,
    show_list,
    show_reminder,
    when_line,
)
from storage.reminders import Reminder, ReminderStore

log = logging.getLogger(__name__)

# What a button does to one reminder: (update, context, reminder, on, pressed on an alert).
Action = Callable[[Update, Context, Reminder, bool, bool], Awaitable[None]]

BRING_WORDS = ("bring", "взять", "взяти")  # the "What to bring" step of the court topic


async def reminder_pressed(update: Update, context: Context) -> None:
    """Every "rm:…" button: the list, one reminder, and the actions on it."""
    query = update.callback_query
    data = query.data if query else None
    if ReminderList.unpack(data) is not None:
        await reminders_command(update, context)
        return
    if ReminderNew.unpack(data) is not None:
        await ui.acknowledge(update)
        await start_add_reminder(update, context)
        return
    if DeadlineNew.unpack(data) is not None:
        await ui.acknowledge(update)
        await start_flow(update, context, ReminderForm(deadline=True))
        return
    if (topic := ReminderTopic.unpack(data)) is not None:
        await _topic_page(update, context, topic.topic, bring=topic.step == "bring")
        return
    if (arrival := DeadlinesFromArrival.unpack(data)) is not None:
        await ui.acknowledge(update)
        await start_deadline_alerts(update, context, arrival.arrival)
        return
    pressed = ReminderAction.unpack(data) or ReminderSwitch.unpack(data)
    user_id = user_id_of(update)
    reminder = (
        reminder_store(context).get(user_id, pressed.reminder)
        if user_id is not None and pressed is not None
        else None
    )
    if pressed is None or reminder is None:
        await show_gone(update, context)
        return
    on = isinstance(pressed, ReminderSwitch) and pressed.on
    await _ACTIONS[pressed.verb](update, context, reminder, on, pressed.origin == "a")


async def _view(
    update: Update, context: Context, reminder: Reminder, _on: bool, alert: bool
) -> None:
    await ui.acknowledge(update)
    await show_reminder(update, context, reminder, new_message=alert)


async def _delete_asked(
    update: Update, context: Context, reminder: Reminder, _on: bool, alert: bool
) -> None:
    t = tr(update, context)
    await ui.acknowledge(update)
    text = "\n".join(
        [
            "<b>" + esc(t._("Delete this reminder?")) + "</b>",
            *describe(t, context, reminder.draft, []),
        ]
    )
    phone = t._(
        "If you added it to your phone's calendar, the event stays there: delete it in the "
        "calendar by hand, or first open the file from the button below, which removes it."
    )
    await ui.show(
        update,
        text + "\n\n" + esc(t._("Nothing about it will be kept.")) + "\n" + esc(phone),
        ui.keyboard(
            [ui.button(t._("🗑 Yes, delete it"), ReminderAction("dely", reminder.id))],
            [
                ui.button(
                    t._("📅 File that removes it from the phone"),
                    ReminderAction("icsx", reminder.id),
                )
            ],
            [ui.button(t._("No, keep it"), ReminderAction("v", reminder.id))],
        ),
        new_message=alert,
    )


async def _delete(
    update: Update, context: Context, reminder: Reminder, _on: bool, _alert: bool
) -> None:
    t = tr(update, context)
    reminder_store(context).delete(reminder.user_id, reminder.id)
    alerts_job.rearm(context.application)
    log.info("reminder_deleted id=%s", reminder.id)
    await ui.acknowledge(update, t._("Deleted."))
    await show_list(update, context, note=esc(t._("🗑 Deleted: nothing about it is kept.")))


async def _stop(
    update: Update, context: Context, reminder: Reminder, _on: bool, alert: bool
) -> None:
    t = tr(update, context)
    reminder_store(context).stop(reminder.user_id, reminder.id)
    alerts_job.rearm(context.application)
    log.info("reminder_stopped id=%s", reminder.id)
    await ui.acknowledge(update, t._("Stopped."))
    fresh = reminder_store(context).get(reminder.user_id, reminder.id) or reminder
    note = "🔕 " + esc(
        t._(
            "Stopped: no more reminders for this one. It stays in your list until you delete it "
            "or 30 days after the date."
        )
    )
    await show_reminder(update, context, fresh, note=note, new_message=alert)


async def _resume(
    update: Update, context: Context, reminder: Reminder, _on: bool, alert: bool
) -> None:
    t = tr(update, context)
    store = reminder_store(context)
    store.resume(
        reminder.user_id,
        reminder.id,
        plan_alerts(reminder.draft, current_time(context)),
        current_time(context),
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
    update: Update, context: Context, reminder: Reminder, on: bool, alert: bool
) -> None:
    t = tr(update, context)
    store = reminder_store(context)
    keep = on
    store.set_keep(reminder.user_id, reminder.id, keep)
    await ui.acknowledge(update, t._("Kept.") if keep else t._("It will be deleted 30 days after."))
    await _show_again(update, context, store, reminder, alert)


async def _weekly(
    update: Update, context: Context, reminder: Reminder, on: bool, alert: bool
) -> None:
    t = tr(update, context)
    store = reminder_store(context)
    first = next_weekly(reminder.draft, current_time(context)) if on else None
    store.set_weekly(reminder.user_id, reminder.id, on, first)
    alerts_job.rearm(context.application)
    await ui.acknowledge(update, t._("Weekly check is on.") if on else t._("Weekly check is off."))
    await _show_again(update, context, store, reminder, alert)


async def _edit_date(
    update: Update, context: Context, reminder: Reminder, _on: bool, alert: bool
) -> None:
    await ui.acknowledge(update)
    was = when_line(tr(update, context), context, reminder.draft)
    form = ReminderForm.for_reminder(reminder.id, reminder.draft, was=was)
    await advance(update, context, form.reopen_date_and_time(), new_message=alert)


async def _edit_place(
    update: Update, context: Context, reminder: Reminder, _on: bool, alert: bool
) -> None:
    await ui.acknowledge(update)
    was = when_line(tr(update, context), context, reminder.draft)
    form = ReminderForm.for_reminder(reminder.id, reminder.draft, was=was)
    await advance(update, context, form.reopen("place"), new_message=alert)


async def _send_ics(
    update: Update, context: Context, reminder: Reminder, _on: bool, _alert: bool
) -> None:
    await _send_calendar_file(update, context, reminder, cancel=False)


async def _send_ics_cancel(
    update: Update, context: Context, reminder: Reminder, _on: bool, _alert: bool
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
    court = court_of(context, draft.court_id)
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
        now=current_time(context),
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
    update: Update, context: Context, reminder: Reminder, _on: bool, _alert: bool
) -> None:
    """From an EOIR-33 reminder: the AR-11 deadline of the same move, ready to confirm."""
    await ui.acknowledge(update)
    draft = reminder.draft
    basis = draft.basis or draft.day
    form = ReminderForm(deadline=True, kind="ar11", day=basis, zone=draft.zone)
    await start_flow(update, context, form)


_ACTIONS: dict[str, Action] = {
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
        nav.append(ui.button("◀", TopicPage(topic.id, index - 1)))
    nav.append(ui.button(f"{index + 1}/{len(pages)}", Nothing()))
    if index < len(pages) - 1:
        nav.append(ui.button("▶", TopicPage(topic.id, index + 1)))
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
