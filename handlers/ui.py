"""Telegram building blocks shared by handlers: buttons, keyboards, and showing a screen.

A button's callback data is one of the typed codecs of handlers/callbacks/ (packed here, read
back with the codec's `unpack`), so a button from an old message or a forged payload is
recognised as such and never crashes a handler.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from core.i18n import Translator
from handlers.callbacks.base import CallbackData
from handlers.callbacks.menus import Menu

log = logging.getLogger(__name__)


def button(label: str, data: CallbackData) -> InlineKeyboardButton:
    """An inline button that sends a codec's callback data (handlers/callbacks/)."""
    return InlineKeyboardButton(label, callback_data=data.pack())


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of buttons (empty rows dropped)."""
    return InlineKeyboardMarkup([row for row in rows if row])


def menu_row(t: Translator) -> list[InlineKeyboardButton]:
    """The "back to menu" row every screen carries."""
    return [button(t._("☰ Menu"), Menu())]


async def show(
    update: Update,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    entities: list[MessageEntity] | None = None,
    html: bool = True,
    new_message: bool = False,
) -> None:
    """Show a screen: edit the message whose button was pressed, or send a new message.

    With `entities` the text is sent as is (content pages); otherwise it is HTML.
    `new_message` sends a new message even after a button press.
    """
    parse_mode = None if entities is not None or not html else ParseMode.HTML
    query = update.callback_query
    pressed = query.message if query is not None else None
    screen = _fingerprint(text, entities, markup)
    if isinstance(pressed, Message) and not new_message:
        key = (pressed.chat_id, pressed.message_id)
        if SHOWN.get(key) == screen or _unchanged(
            pressed, text, entities, markup, html=parse_mode is not None
        ):
            return  # a double tap or a refused press: no request Telegram would refuse
        try:
            await pressed.edit_text(
                text, parse_mode=parse_mode, entities=entities, reply_markup=markup
            )
        except BadRequest as error:
            if "message is not modified" not in error.message.lower():
                raise
        SHOWN.put(key, screen)
        return
    chat = update.effective_chat
    if chat is not None:
        sent = await chat.send_message(
            text, parse_mode=parse_mode, entities=entities, reply_markup=markup
        )
        SHOWN.put((chat.id, sent.message_id), screen)


class ShownScreens:
    """What the bot last showed in each recent message, as a fingerprint (no text is kept):
    the presses queued in one flood all carry the same old copy of the message, so only the
    bot can know an edit would change nothing. Bounded; a message edited another way must be
    forgotten here (`forget`)."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._screens: OrderedDict[tuple[int, int], int] = OrderedDict()

    def get(self, key: tuple[int, int]) -> int | None:
        """The fingerprint last shown in that message, if remembered."""
        return self._screens.get(key)

    def put(self, key: tuple[int, int], screen: int) -> None:
        """Remember what that message shows now."""
        self._screens[key] = screen
        self._screens.move_to_end(key)
        while len(self._screens) > self._size:
            self._screens.popitem(last=False)

    def forget(self, chat_id: int, message_id: int) -> None:
        """That message was changed by other means."""
        self._screens.pop((chat_id, message_id), None)

    def clear(self) -> None:
        """A new bot starts: nothing is known about what its chats show."""
        self._screens.clear()


SHOWN = ShownScreens()


def _fingerprint(
    text: str, entities: list[MessageEntity] | None, markup: InlineKeyboardMarkup | None
) -> int:
    marks = tuple((e.type, e.offset, e.length, e.url) for e in entities or ())
    buttons = markup.to_json() if markup is not None else ""
    return hash((text, marks, buttons))


def _unchanged(
    shown: Message,
    text: str,
    entities: list[MessageEntity] | None,
    markup: InlineKeyboardMarkup | None,
    *,
    html: bool,
) -> bool:
    """Whether the message already shows this text and these buttons (an edit would be
    refused as "message is not modified"). Compared as Telegram stores them: for HTML, the
    text rebuilt from the message's entities; a doubt counts as changed."""
    if (shown.reply_markup or None) != (markup or None):
        return False
    if html:
        try:
            return shown.text_html == text
        except (TypeError, ValueError):  # entities PTB cannot rebuild: edit to be sure
            return False
    return shown.text == text and tuple(shown.entities) == tuple(entities or ())


async def acknowledge(update: Update, text: str | None = None, alert: bool = False) -> None:
    """Answer the button press (stops the spinner on the user's phone)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=alert)


async def acknowledge_only(update: Update, _context: Any) -> None:
    """A label-only button (the page counter): stop the spinner, change nothing."""
    await acknowledge(update)
