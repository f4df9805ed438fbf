"""Policy news: the screen where a person turns news on or off (off until they ask for it).

Staff send news with /broadcast to the "news subscribers" audience (handlers/broadcast.py).
Turning news on also turns announcements back on: news is one kind of announcement, and
"🔕 Stop announcements" stops every staff message, news included (storage/announcements.py).
"""

from __future__ import annotations

from telegram import Update

from handlers import ui
from handlers.callbacks.settings import News
from handlers.context import Context, language_of, services, tr


async def news_pressed(update: Update, context: Context) -> None:
    """Show the news screen; with "on" or "off", change the setting first."""
    query = update.callback_query
    pressed = News.unpack(query.data if query else None)
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    t = tr(update, context)
    if pressed is not None and pressed.choice is not None:
        on = pressed.choice == "on"
        svc.users.seen(user.id, language_of(update, context), svc.clock.now().date())
        svc.users.set_news(user.id, on)
        if on:
            svc.users.set_announcements(user.id, True)
        await ui.acknowledge(update, t._("News turned on.") if on else t._("News turned off."))
    else:
        await ui.acknowledge(update)
    stored = svc.users.get(user.id)
    subscribed = bool(stored and stored.news and stored.announcements)
    text = t._(
        "<b>📰 Policy news</b>\n"
        "When asylum rules, the courts' or ICE's practice change in a way that matters to "
        "you, our staff send a short note. It comes rarely: only when something changes.\n\n"
        "News is off until you turn it on, and you can turn it off here at any time."
    )
    state = t._("Now: <b>on</b>.") if subscribed else t._("Now: <b>off</b>.")
    toggle = (
        ui.button(t._("🔕 Stop policy news"), News("off"))
        if subscribed
        else ui.button(t._("🔔 Send me policy news"), News("on"))
    )
    await ui.show(update, f"{text}\n\n{state}", ui.keyboard([toggle], ui.menu_row(t)))
