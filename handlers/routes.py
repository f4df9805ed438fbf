"""The one place that registers every handler, in an order that matters.

Group -3 slows down floods; -2 keeps groups out; -1 remembers the user; group 0 is
first-match-wins, so the specific handlers come before the catch-alls at its end.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import (
    announcements,
    broadcast,
    errors,
    fallback,
    gate,
    language,
    menus,
    news,
    privacy,
    reminders,
    staff,
    start,
    topics,
    triage,
    ui,
)
from handlers.callbacks import Prefix
from handlers.callbacks.settings import ForgetAnswer, ForgetAsk, LanguageChosen, LanguageMenu

USER_COMMANDS = ("start", "menu", "help", "reminders", "language", "privacy", "forget", "cancel")
STAFF_COMMANDS = ("stats", "audit", "reload", "broadcast")


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register all handlers on `app` in their order."""
    app.add_handler(TypeHandler(Update, gate.slow_down_floods), group=-3)
    app.add_handler(TypeHandler(Update, gate.private_chats_only), group=-2)
    app.add_handler(TypeHandler(Update, gate.remember_user), group=-1)

    commands = [
        CommandHandler("start", start.start),
        CommandHandler("menu", start.menu),
        CommandHandler("help", start.help_command),
        CommandHandler("language", language.choose_language),
        CommandHandler("privacy", privacy.privacy),
        CommandHandler("forget", privacy.forget),
        CommandHandler("cancel", fallback.cancel),
        CommandHandler("reminders", reminders.reminders_command),
        # Staff: checked inside each handler, so that no filter can be forgotten.
        CommandHandler("stats", staff.stats),
        CommandHandler("audit", staff.audit),
        CommandHandler("reload", staff.reload),
        CommandHandler("broadcast", broadcast.broadcast_command),
    ]
    buttons = [
        CallbackQueryHandler(start.menu, pattern=Prefix.MENU.pattern()),
        CallbackQueryHandler(language.choose_language, pattern=LanguageMenu.pattern()),
        CallbackQueryHandler(language.language_chosen, pattern=LanguageChosen.pattern()),
        CallbackQueryHandler(privacy.privacy, pattern=Prefix.PRIVACY.pattern()),
        CallbackQueryHandler(privacy.announcements_toggled, pattern=Prefix.ANNOUNCEMENTS.pattern()),
        CallbackQueryHandler(news.news_pressed, pattern=Prefix.NEWS.pattern()),
        CallbackQueryHandler(privacy.forget, pattern=ForgetAsk.pattern()),
        CallbackQueryHandler(topics.sections_pressed, pattern=Prefix.SECTIONS.pattern()),
        CallbackQueryHandler(topics.topic_pressed, pattern=Prefix.TOPIC.pattern()),
        CallbackQueryHandler(triage.answer_pressed, pattern=Prefix.TRIAGE.pattern()),
        CallbackQueryHandler(topics.flowchart_pressed, pattern=Prefix.PICTURE.pattern()),
        CallbackQueryHandler(ui.acknowledge_only, pattern=Prefix.NOTHING.pattern()),
        CallbackQueryHandler(reminders.reminder_pressed, pattern=Prefix.REMINDERS.pattern()),
        CallbackQueryHandler(reminders.flow_pressed, pattern=Prefix.REMINDER_FLOW.pattern()),
        CallbackQueryHandler(privacy.forget_answered, pattern=ForgetAnswer.pattern()),
        CallbackQueryHandler(broadcast.broadcast_pressed, pattern=Prefix.BROADCAST.pattern()),
        CallbackQueryHandler(
            announcements.announcement_toggled, pattern=Prefix.ANNOUNCEMENT.pattern()
        ),
    ]
    catch_alls = [
        MessageHandler(filters.COMMAND, fallback.unknown_command),
        MessageHandler(filters.TEXT, fallback.text_message),
        MessageHandler(filters.ALL, fallback.not_text),
        CallbackQueryHandler(menus.stale_button),
    ]
    for handler in [*commands, *buttons, *catch_alls]:
        app.add_handler(handler)
    app.add_error_handler(errors.on_error)
