"""The baselines of the load benchmark: bare python-telegram-bot bots, written for it.

Plain (the default): one reply per update. A message gets one sendMessage; a button press
gets the answer Telegram requires (answerCallbackQuery) and one editMessageText, which is what
any bot with inline buttons must do. Every reply is a short text with one button, so that
the simulated people always have something to press.

Shaped (BARE_REPLIES=file.json): the same calls as the project's bot makes, with the same
messages: the file holds replies recorded from bot.py in the same benchmark (texts, HTML or
entities, keyboards), and this bot picks one at random for each update: two messages for
/start (the greeting and the menu), one for any other text, an answer and an edit for a
button. Keyboards and entities are built as PTB objects for every reply, as any bot would.
It does nothing else (no database, no content, no routing), so the difference between it and
bot.py is the cost of the project's own code, not of PTB sending bigger messages.

The PTB components are configured as bot.py configures them (AIORateLimiter with
max_retries=3, the same Defaults, a JobQueue, up to 8 updates handled at once over 12
connections). Run like bot.py:
    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=... [BARE_REPLIES=...] python bench/bare_bot.py
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MessageEntity,
    Update,
)
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

MAX_AT_ONCE = 8  # updates handled at once, as bot.py (handlers/ordering.py)
CONNECTIONS = MAX_AT_ONCE + 4  # its connection pool, as bot.py
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("▶", callback_data="next")]])
_replies = itertools.count(1)
Reply = dict[str, Any]  # "text", and "parse_mode", "entities", "reply_markup" as recorded


def load_replies(path: str | None) -> dict[str, list[Any]]:
    """The recorded replies: "start" (pairs), "text" and "edit"; {} for the plain bot."""
    if not path:
        return {}
    recorded: dict[str, list[Any]] = json.loads(Path(path).read_text(encoding="utf-8"))
    return recorded


REPLIES = load_replies(os.environ.get("BARE_REPLIES"))
_shown: dict[int, str] = {}  # chat id -> text of the message last edited (edits must differ)


def message_kwargs(reply: Reply) -> dict[str, Any]:
    """sendMessage/editMessageText arguments for a recorded reply, as PTB objects."""
    kwargs: dict[str, Any] = {"text": reply["text"]}
    if reply.get("entities"):
        kwargs["entities"] = [
            MessageEntity(e["type"], e["offset"], e["length"], url=e.get("url"))
            for e in reply["entities"]
        ]
    elif reply.get("parse_mode"):
        kwargs["parse_mode"] = reply["parse_mode"]
    rows = (reply.get("reply_markup") or {}).get("inline_keyboard")
    if rows:
        kwargs["reply_markup"] = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(b["text"], url=b["url"])
                    if "url" in b
                    else InlineKeyboardButton(b["text"], callback_data=b.get("callback_data"))
                    for b in row
                ]
                for row in rows
            ]
        )
    return kwargs


async def on_message(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any message: one reply (two for /start when shaped)."""
    chat = update.effective_chat
    if chat is None:
        return
    if not REPLIES:
        await chat.send_message(f"Reply {next(_replies)}", reply_markup=KEYBOARD)
        return
    message = update.effective_message
    if message is not None and (message.text or "").startswith("/start"):
        pair: list[Reply] = random.choice(REPLIES["start"])
        for reply in pair:
            await chat.send_message(**message_kwargs(reply))
        return
    await chat.send_message(**message_kwargs(random.choice(REPLIES["text"])))


async def on_button(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any button: answer the press and edit the message (the text changes every time)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if not REPLIES:
        await query.edit_message_text(f"Page {next(_replies)}", reply_markup=KEYBOARD)
        return
    chat_id = update.effective_chat.id if update.effective_chat else 0
    reply = random.choice(REPLIES["edit"])
    while reply["text"] == _shown.get(chat_id) and len(REPLIES["edit"]) > 1:
        reply = random.choice(REPLIES["edit"])
    _shown[chat_id] = reply["text"]
    await query.edit_message_text(**message_kwargs(reply))


def main() -> None:
    """Poll until SIGTERM."""
    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"))
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(MAX_AT_ONCE)  # as bot.py (which also keeps each person's in order)
        .connection_pool_size(CONNECTIONS)
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, on_message))
    app.add_handler(CallbackQueryHandler(on_button))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
