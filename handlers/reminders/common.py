"""What every part of the reminders feature needs: the flow's name, the per-user limit, the
store, the clock, a court by id, and reading callback data."""

from __future__ import annotations

import html
from datetime import date, datetime

from telegram import Update

from core.content.courts import Court
from core.court_search import court_by_id
from handlers.context import Context, services
from storage.reminders import ReminderStore

FLOW = "reminder"
MAX_REMINDERS = 20  # per user: plenty for one family's hearings and deadlines


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def reminder_store(context: Context) -> ReminderStore:
    """The reminder store (Services is built complete: it is always there)."""
    return services(context).reminders


def current_time(context: Context) -> datetime:
    return services(context).clock.now()


def court_of(context: Context, court_id: str | None) -> Court | None:
    """The court with this id (core/court_search.py), or None."""
    return court_by_id(services(context).courts, court_id)


def user_id_of(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def callback_day(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None
