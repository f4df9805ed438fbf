"""The main menu: its buttons and the text above them, shared by every handler returning to it."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from core.i18n import Translator
from handlers import ui
from handlers.callbacks.reminders import ReminderList
from handlers.callbacks.settings import LanguageMenu, News, Privacy
from handlers.callbacks.topics import Sections, TopicPage
from handlers.callbacks.triage import TriageStart
from handlers.context import Context, tr


def main_menu(t: Translator) -> InlineKeyboardMarkup:
    """The main menu: the way into every feature."""
    return ui.keyboard(
        [ui.button(t._("🧭 The whole process at a glance"), TopicPage("process", 0))],
        [ui.button(t._("🧭 Where am I? A few questions"), TriageStart())],
        [ui.button(t._("📚 Topics"), Sections())],
        [
            ui.button(t._("⏰ Reminders"), ReminderList()),
            ui.button(t._("📰 Policy news"), News()),
        ],
        [ui.button(t._("🆘 Free legal help"), TopicPage("legal-help", 0))],
        [ui.button(t._("☎️ Official contacts"), TopicPage("contacts", 0))],
        [
            ui.button(t._("🌐 Language"), LanguageMenu()),
            ui.button(t._("🔒 Privacy"), Privacy()),
        ],
    )


def menu_text(t: Translator) -> str:
    """The text above the main menu."""
    return t._(
        "<b>Main menu</b>\nChoose a topic, or just type your question in your own words.\n"
        "<i>⚖️ Information, not legal advice.</i>"
    )


async def stale_button(update: Update, context: Context) -> None:
    """A button from an old or forged message: say so politely and show the menu."""
    t = tr(update, context)
    await ui.acknowledge(update, t._("This button is out of date. Here is the menu."))
    await ui.show(update, menu_text(t), main_menu(t), new_message=True)
