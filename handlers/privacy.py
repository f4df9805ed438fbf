"""/privacy and /forget: what the bot keeps, turning announcements off, erasing everything."""

from __future__ import annotations

import logging

from telegram import Update

from core.i18n import translator
from handlers import ui
from handlers.callbacks.settings import AnnouncementsSetting, ForgetAnswer, ForgetAsk
from handlers.context import Context, language_of, services, tr

log = logging.getLogger(__name__)


async def privacy(update: Update, context: Context) -> None:
    """Say exactly what is stored and how to erase it."""
    await ui.acknowledge(update)
    t = tr(update, context)
    user = update.effective_user
    stored = services(context).users.get(user.id) if user else None
    announcements_on = stored.announcements if stored else True
    text = t._(
        "<b>What I keep about you</b>\n"
        "• your Telegram id (a number), so that I can answer you;\n"
        "• your language;\n"
        "• the dates you first and last wrote to me;\n"
        "• what you turned on: announcements, policy news, reminders.\n\n"
        "I do not keep your messages, your name or your phone number. "
        "Do not send me documents or personal details: I do not need them.\n\n"
        "/forget erases everything at once."
    )
    toggle = (
        ui.button(t._("🔕 Stop announcements"), AnnouncementsSetting("off"))
        if announcements_on
        else ui.button(t._("🔔 Get announcements again"), AnnouncementsSetting("on"))
    )
    await ui.show(
        update,
        text,
        ui.keyboard([toggle], [ui.button(t._("🗑 Erase my data"), ForgetAsk())], ui.menu_row(t)),
    )


async def announcements_toggled(update: Update, context: Context) -> None:
    """Turn staff announcements on or off, then show /privacy again."""
    query = update.callback_query
    pressed = AnnouncementsSetting.unpack(query.data if query else None)
    user = update.effective_user
    if user is not None and pressed is not None:
        svc = services(context)
        svc.users.seen(user.id, language_of(update, context), svc.clock.now().date())
        svc.users.set_announcements(user.id, pressed.choice == "on")
    await privacy(update, context)


async def forget(update: Update, context: Context) -> None:
    """Ask for confirmation before erasing everything about the user."""
    await ui.acknowledge(update)
    t = tr(update, context)
    await ui.show(
        update,
        t._(
            "<b>Erase everything I keep about you?</b>\n"
            "Your language, your settings and all your reminders will be deleted. "
            "This cannot be undone."
        ),
        ui.keyboard(
            [ui.button(t._("Yes, erase everything"), ForgetAnswer("yes"))],
            [ui.button(t._("No, keep it"), ForgetAnswer("no"))],
        ),
    )


async def forget_answered(update: Update, context: Context) -> None:
    """Erase the user (and cancel their scheduled jobs), or keep everything."""
    query = update.callback_query
    pressed = ForgetAnswer.unpack(query.data if query else None)
    user = update.effective_user
    if user is None or pressed is None:
        await forget(update, context)
        return
    t = tr(update, context)
    if pressed.answer == "no":
        await ui.acknowledge(update)
        await ui.show(update, t._("Nothing was erased."), ui.keyboard(ui.menu_row(t)))
        return
    erase_user(context, user.id)
    log.info("user_forgotten")
    await ui.acknowledge(update)
    await ui.show(
        update,
        translator(t.lang)._(
            "Done: everything I kept about you is erased. Send /start if you want to begin again."
        ),
    )


def erase_user(context: Context, user_id: int) -> None:
    """Erase every trace of the user: rows, scheduled jobs, in-memory state."""
    if context.job_queue is not None:
        for job in context.job_queue.jobs():
            if job.user_id == user_id:
                job.schedule_removal()
    context.application.drop_user_data(user_id)
    context.application.drop_chat_data(user_id)
    services(context).users.forget(user_id)
    services(context).flood.forget(user_id)  # nothing about them kept in memory either
