"""The error handler: log the update id, the handler and the error type, never any content."""

from __future__ import annotations

import logging
import sqlite3
import traceback

from telegram import Update
from telegram.error import BadRequest, Forbidden

from handlers import ui
from handlers.context import Context, services, tr
from storage.health import problem

log = logging.getLogger(__name__)


def failing_handler(error: BaseException | None) -> str:
    """The name of the innermost project function in the error's traceback."""
    if error is None or error.__traceback__ is None:
        return "?"
    name = "?"
    for frame in traceback.extract_tb(error.__traceback__):
        if "/handlers/" in frame.filename.replace("\\", "/"):
            name = f"{frame.filename.rsplit('/', 1)[-1].removesuffix('.py')}.{frame.name}"
    return name


def _expired_press(error: BadRequest) -> bool:
    message = error.message.lower()
    return "query is too old" in message or "query id is invalid" in message


async def on_error(update: object, context: Context) -> None:
    """Log safely; mark users who blocked the bot; tell the user something went wrong."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    reason = f" reason={problem(error)}" if isinstance(error, sqlite3.Error) else ""
    if isinstance(error, BadRequest) and _expired_press(error):
        # A press answered too late (Telegram's 15 s are over, often after a flood): there is
        # nothing to answer any more, and an apology per press would only make the flood worse.
        log.info("callback_expired update_id=%s", update_id)
        return
    if update is None:  # not an update: a failed getUpdates (Telegram unreachable) or a job
        job = context.job.name if context.job is not None else None
        what = f"job_failed job={job}" if job else "polling_failed"
        log.warning("%s error=%s%s", what, type(error).__name__, reason)
        return
    log.error(
        "update_failed update_id=%s handler=%s error=%s%s",
        update_id,
        failing_handler(error),
        type(error).__name__,
        reason,
    )
    if not isinstance(update, Update) or update.effective_user is None:
        return
    if isinstance(error, Forbidden):
        services(context).users.mark_blocked(update.effective_user.id)
        return
    t = tr(update, context)
    try:
        if update.effective_chat is not None:
            await update.effective_chat.send_message(
                t._("Sorry, something went wrong on my side. Please try again, or open /menu."),
                reply_markup=ui.keyboard(ui.menu_row(t)),
            )
    except Exception as again:  # the apology itself failed: nothing more to do
        log.error("apology_failed update_id=%s error=%s", update_id, type(again).__name__)
