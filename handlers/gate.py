"""The first handlers every update meets: private chats only, and remembering who wrote.

In a group the bot answers a command with one line pointing to a private chat, and says
nothing else there, so that nothing about anyone is revealed in front of others.
"""

from __future__ import annotations

import logging
import sqlite3

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ApplicationHandlerStop

from core.flood import Verdict
from core.i18n import pick_language, translator
from handlers.context import Context, services
from storage.health import problem

log = logging.getLogger(__name__)


async def private_chats_only(update: Update, context: Context) -> None:
    """Stop every update from a group; answer a command there with a pointer to a private chat."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    message = update.effective_message
    if message is not None and message.text and message.text.startswith("/"):
        user = update.effective_user
        t = translator(pick_language(user.language_code if user else None))
        name = context.bot.username
        await message.reply_text(
            t._(
                "I only talk in private chats, to keep your questions private: t.me/%(name)s",
                name=name,
            )
        )
    if update.callback_query is not None:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


async def remember_user(update: Update, context: Context) -> None:
    """Record that the user wrote today (id and language only).

    Written once a day per user, not on every update: a read is cheaper than a commit.
    """
    user = update.effective_user
    if user is None or user.is_bot:
        return
    svc = services(context)
    member = update.my_chat_member
    if member is not None:  # the user blocked (or unblocked) the bot: that is not "writing"
        if member.new_chat_member.status == ChatMemberStatus.BANNED:
            svc.users.mark_blocked(user.id)
        raise ApplicationHandlerStop
    stored = svc.users.get(user.id)
    today = svc.clock.now().date()
    if stored is not None and stored.active and stored.last_seen == today:
        return
    language = stored.language if stored else pick_language(user.language_code)
    try:
        svc.users.seen(user.id, language, today)
    except sqlite3.Error as error:  # disk full, read-only: answer anyway, say why in one line
        log.warning("user_not_recorded reason=%s", problem(error))


async def slow_down_floods(update: Update, context: Context) -> None:
    """Drop updates from a user who sends faster than a person reads; say once, plainly, that
    the last ones were skipped (the first dropped one is answered, the rest cost no request)."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    verdict = svc.flood.check(user.id, svc.clock.now().timestamp())
    if verdict is Verdict.PASS:
        return
    if verdict is Verdict.DROP:
        # Dropped quietly: no request at all (answering each dropped press, one after another,
        # is what let one person's flood slow the bot for everyone; their spinner stops by itself).
        raise ApplicationHandlerStop
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_chat is not None:
        t = translator(pick_language(user.language_code))
        stored = svc.users.get(user.id)
        if stored is not None:
            t = translator(stored.language)
        await update.effective_chat.send_message(
            t._(
                "Too many messages at once: I skipped the last ones. Wait a few seconds, then "
                "send again what you still need."
            )
        )
    raise ApplicationHandlerStop
