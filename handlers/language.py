"""/language: choose the interface language; the choice is kept."""

from __future__ import annotations

from telegram import Update

from core.i18n import LANGUAGE_NAMES, LANGUAGES, translator
from handlers import ui
from handlers.callbacks.settings import LanguageChosen
from handlers.context import Context, services, tr
from handlers.menus import main_menu, menu_text


async def choose_language(update: Update, context: Context) -> None:
    """Offer the languages as buttons."""
    await ui.acknowledge(update)
    t = tr(update, context)
    rows = [[ui.button(LANGUAGE_NAMES[code], LanguageChosen(code))] for code in LANGUAGES]
    await ui.show(update, t._("Choose your language:"), ui.keyboard(*rows, ui.menu_row(t)))


async def language_chosen(update: Update, context: Context) -> None:
    """Keep the chosen language and show the menu in it."""
    query = update.callback_query
    chosen = LanguageChosen.unpack(query.data if query else None)
    user = update.effective_user
    if chosen is None or chosen.code not in LANGUAGES or user is None:
        await choose_language(update, context)
        return
    code = chosen.code
    svc = services(context)
    svc.users.seen(user.id, code, svc.clock.now().date())
    svc.users.set_language(user.id, code)
    t = translator(code)
    await ui.acknowledge(update, t._("Language: English"))
    await ui.show(update, menu_text(t), main_menu(t))
