"""/start, /menu and /help: the greeting, the main menu, and the list of commands."""

from __future__ import annotations

from telegram import Update

from core.i18n import LANGUAGE_NAMES, Translator
from handlers import flows, topics, ui
from handlers.callbacks.settings import LanguageChosen
from handlers.context import Context, tr
from handlers.menus import main_menu, menu_text


def welcome_text(t: Translator) -> str:
    """The one-screen greeting: what the bot is, what it is not, and what it keeps."""
    return t._(
        "<b>Hello!</b> I explain the US asylum process in plain words: the border, the fear "
        "interview, detention and bond, immigration court, deadlines.\n\n"
        "⚖️ This is information, not legal advice. For your case, talk to a lawyer: "
        "the menu shows where to find free help.\n\n"
        "🔒 I keep only your Telegram id, your language and what you turn on. "
        "/privacy explains it; /forget erases everything."
    )


async def start(update: Update, context: Context) -> None:
    """Greet the user in their language; open the topic of a deep link, else the main menu.

    t.me/<bot>?start=<topic-id> arrives as "/start <topic-id>".
    """
    flows.end(update, context)
    t = tr(update, context)
    other = [code for code in LANGUAGE_NAMES if code != t.lang]
    switch_row = [ui.button(LANGUAGE_NAMES[code], LanguageChosen(code)) for code in other]
    payload = context.args[0] if context.args else ""
    if payload and topics.exists(context, payload.lower()):
        await ui.show(update, welcome_text(t), ui.keyboard(switch_row))
        await topics.show_topic(update, context, payload.lower(), 0)
        return
    # One message: the greeting, the not-legal-advice line and the main menu together (every
    # extra message spends the rate budget a surge needs). After the first tap the message
    # becomes another screen; the line stays on the main menu and at the end of every topic.
    menu = main_menu(t)
    keyboard = ui.keyboard(*[list(row) for row in menu.inline_keyboard], switch_row)
    await ui.show(update, welcome_text(t) + "\n\n" + menu_text(t), keyboard)


async def menu(update: Update, context: Context) -> None:
    """Show the main menu (command or the ☰ Menu button); leaves any open conversation."""
    flows.end(update, context)
    await ui.acknowledge(update)
    t = tr(update, context)
    await ui.show(update, menu_text(t), main_menu(t))


def help_text(t: Translator) -> str:
    """The list of commands with one line each."""
    return "\n".join(
        [
            t._("<b>What I can do</b>"),
            t._("/menu — the main menu: all topics"),
            t._("/reminders — hearing reminders and deadline alerts"),
            t._("/language — change the language"),
            t._("/privacy — what I keep about you"),
            t._("/forget — erase everything I keep about you"),
            t._("/cancel — stop what you are doing"),
            "",
            t._("You can also type a question in your own words, for example: «how to pay bond»."),
        ]
    )


async def help_command(update: Update, context: Context) -> None:
    """Explain the commands."""
    t = tr(update, context)
    await ui.show(update, help_text(t), ui.keyboard(ui.menu_row(t)))
