"""Everything no other handler took: unknown commands, media, typed messages, stale buttons."""

from __future__ import annotations

from telegram import Update

from handlers import flows, search, ui
from handlers.context import Context, tr
from handlers.menus import main_menu

# Telegram's own limit is 4096 characters; a story longer than this is read up to it.
MAX_READ_LENGTH = 4096


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not know (also the answer non-staff get for staff commands)."""
    t = tr(update, context)
    await ui.show(
        update,
        t._("I don't know this command. /help lists what I can do."),
        ui.keyboard(ui.menu_row(t)),
    )


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice messages, files: explain that only text and buttons work."""
    t = tr(update, context)
    await ui.show(
        update,
        t._(
            "I can only read text and buttons: I cannot listen to voice messages or look at "
            "pictures and files. Please do not send me documents: I do not need your personal "
            "details. Type your question in a few words or open the menu."
        ),
        ui.keyboard(ui.menu_row(t)),
    )


async def text_message(update: Update, context: Context) -> None:
    """A typed message: to the open conversation if any, else a question to search."""
    if await flows.route_text(update, context):
        return
    message = update.effective_message
    text = message.text if message and message.text else ""
    await search.answer_question(update, context, text[:MAX_READ_LENGTH])


async def cancel(update: Update, context: Context) -> None:
    """Leave whatever the user was doing and return to the menu."""
    t = tr(update, context)
    had_flow = flows.end(update, context)
    text = t._("Stopped. Nothing was saved.") if had_flow else t._("There is nothing to stop.")
    await ui.show(update, text, main_menu(t))
