"""What people get as an announcement: the message in their language with its "🔕 Stop
announcements" button, the sender's compose step that resolves an outbox row to it at send time
(the user's language then; someone who stopped announcements meanwhile is skipped), and that
button's handler ("ao:off" / "ao:on", anyone).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from core.announcements import pick_text
from core.i18n import translator
from delivery.message import OutboxMessage
from delivery.sender import Compose, Skip, stored_message
from handlers import ui
from handlers.callbacks.settings import AnnouncementSwitch
from handlers.context import Context, language_of, services, tr
from storage.announcements import Announcement, AnnouncementStore
from storage.outbox import OutboxItem
from storage.users import UserStore


def announcement_message(
    texts: dict[str, str], button: dict[str, str] | None, lang: str
) -> OutboxMessage:
    """The announcement exactly as a user of `lang` gets it."""
    t = translator(lang)
    rows: list[tuple[dict[str, str], ...]] = []
    if button:
        rows.append(({"text": button["text"], "url": button["url"]},))
    stop = {
        "text": t._("🔕 Stop announcements"),
        "callback_data": AnnouncementSwitch("off").pack(),
    }
    rows.append((stop,))
    return OutboxMessage(pick_text(texts, lang), parse_mode="HTML", buttons=tuple(rows))


def compose_for(announcements: AnnouncementStore, users: UserStore) -> Compose:
    """The sender's compose: alerts as queued; announcement references resolved per user."""
    cache: dict[int, Announcement] = {}

    def compose(item: OutboxItem) -> OutboxMessage:
        if "announcement" not in item.payload:
            return stored_message(item)
        announcement_id = int(item.payload["announcement"])
        announcement = cache.get(announcement_id)
        if announcement is None:
            announcement = announcements.get(announcement_id)
            if announcement is not None:
                if len(cache) > 32:
                    cache.clear()
                cache[announcement_id] = announcement
        user = users.get(item.user_id)
        if announcement is None or user is None or not user.announcements or not user.active:
            raise Skip
        return announcement_message(announcement.texts, announcement.button, user.language)

    return compose


async def announcement_toggled(update: Update, context: Context) -> None:
    """The button under an announcement: stop (or restart) announcements, keep the message."""
    query = update.callback_query
    pressed = AnnouncementSwitch.unpack(query.data if query else None)
    user = update.effective_user
    if query is None or user is None or pressed is None:
        await ui.acknowledge(update)
        return
    svc = services(context)
    on = pressed.choice == "on"
    svc.users.seen(user.id, language_of(update, context), svc.clock.now().date())
    svc.users.set_announcements(user.id, on)
    t = tr(update, context)
    toggle = (
        ui.button(t._("🔕 Stop announcements"), AnnouncementSwitch("off"))
        if on
        else ui.button(t._("🔔 Get announcements again"), AnnouncementSwitch("on"))
    )
    message = query.message
    kept: list[list[InlineKeyboardButton]] = []
    if isinstance(message, Message) and message.reply_markup is not None:
        kept = [
            list(row)
            for row in message.reply_markup.inline_keyboard
            if all(b.url for b in row)  # the link button stays
        ]
    await ui.acknowledge(
        update,
        t._("Done: you will get announcements again.")
        if on
        else t._("Done: no more announcements. You can turn them on again here or in /privacy."),
    )
    if isinstance(query.message, Message):
        ui.SHOWN.forget(query.message.chat_id, query.message.message_id)
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup([*kept, [toggle]]))
    except BadRequest as error:
        if "message is not modified" not in error.message.lower():
            raise
