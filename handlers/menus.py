"""The main menu: its buttons and the text above them, shared by every handler returning to it."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from core.i18n import Translator
from handlers import ui


def main_menu(t: Translator) -> InlineKeyboardMarkup:
    """The main menu: the way into every feature."""
    return ui.keyboard(
        [ui.button(t._("🧭 The whole process at a glance"), ui.TOPIC, "process", 0)],
        [ui.button(t._("📚 Topics"), ui.SECTIONS)],
        [ui.button(t._("🆘 Free legal help"), ui.TOPIC, "legal-help", 0)],
        [ui.button(t._("☎️ Official contacts"), ui.TOPIC, "contacts", 0)],
        [
            ui.button(t._("🌐 Language"), ui.LANGUAGE),
            ui.button(t._("🔒 Privacy"), ui.PRIVACY),
        ],
    )


def menu_text(t: Translator) -> str:
    """The text above the main menu."""
    return t._("<b>Main menu</b>\nChoose a topic, or just type your question in your own words.")
