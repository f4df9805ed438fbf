"""The services every handler may use, reachable from PTB's context in one typed call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from core.clock import Clock
from core.content.courts import Court
from core.flood import FloodGate
from core.i18n import Translator, pick_language, translator
from core.library import LiveLibrary
from core.settings import Settings
from delivery.sender import Sender
from storage.announcements import AnnouncementStore
from storage.audit import AuditLog
from storage.conversations import ConversationStore
from storage.outbox import Outbox
from storage.reminders import ReminderStore
from storage.users import UserStore

SERVICES_KEY = "services"


@dataclass(frozen=True)
class Services:
    """What the composition root (bot.py) hands to the handlers: built complete, once, and
    never changed afterwards (frozen; a test that needs another sender builds a new one)."""

    settings: Settings
    clock: Clock
    users: UserStore
    audit: AuditLog
    library: LiveLibrary
    conversations: ConversationStore
    reminders: ReminderStore  # hearing reminders and deadline alerts
    courts: tuple[Court, ...]  # content/data/courts.csv, for reminders' places and audiences
    outbox: Outbox  # messages sent later or in bulk (alerts, announcements)
    sender: Sender  # drains the outbox at Telegram's pace (delivery/sender.py)
    announcements: AnnouncementStore  # staff announcements (/broadcast)
    flood: FloodGate = field(default_factory=FloodGate)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """python-telegram-bot's context with the application's services as a typed attribute
    (registered through `ContextTypes` in bot.py)."""

    @property
    def services(self) -> Services:
        """The services bot.py built for this application."""
        found: Services = self.application.bot_data[SERVICES_KEY]
        return found


Context = BotContext
CONTEXT_TYPES: ContextTypes[BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any]] = (
    ContextTypes(context=BotContext)
)


def services(context: Context) -> Services:
    """The application's services (`context.services`, for handlers that pass it along)."""
    return context.services


def language_of(update: Update, context: Context) -> str:
    """The user's chosen language, else Telegram's language_code, else Russian."""
    user = update.effective_user
    if user is None:
        return pick_language(None)
    stored = services(context).users.get(user.id)
    return stored.language if stored else pick_language(user.language_code)


def tr(update: Update, context: Context) -> Translator:
    """The translator for the user behind `update`."""
    return translator(language_of(update, context))
