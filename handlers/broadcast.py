"""/broadcast (staff): write an announcement, choose who gets it, preview, send or schedule;
its progress report; and the "Stop announcements" button under every announcement.

The flow ("broadcast", kept in SQLite like every conversation, nothing stored before Send or
Schedule): language of the first text → the text (HTML, or Telegram's own formatting; checked
by sending the preview, a text Telegram refuses is asked again) → a draft screen: add a text in
another language, add or remove one link button (label + https address), choose the audience
(everyone, one language, users with a reminder at a court, news subscribers) → the preview,
exactly as users get it, with the number of recipients → Send now, Schedule (+1 h, +3 h,
tomorrow, or a time typed on the staff member's own clock, UTC or a US zone, remembered for
their next announcement), or Cancel.

Languages: each user gets the text in their language; a user whose language has no text gets
the Russian one, or the first one given when there is no Russian text.

Sending writes the announcement and one outbox row per recipient in one transaction
(storage/announcements.py) and wakes the sender. The rows carry a reference, resolved per user
at send time by `compose_for` (the user's language now; a user who stopped announcements in
the meantime is skipped). The staff member's message becomes the progress report, edited every
`PROGRESS_SECONDS` by a job (never when nothing changed) with a bar, the counts and the time
left, then the final report; its Stop button cancels what is not sent yet within a second.

Callback data: "bc:<step>[:arg]" for the flow and "bc:stop:<id>" on the report (staff only,
checked in each handler); "ao:off" / "ao:on" under announcements (anyone).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ExtBot

from core.content.courts import Court, load_courts
from core.court_search import court_by_id, matching_courts
from core.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, translator
from core.zones import ZONES, zone_key, zone_label
from delivery.sender import Compose, Skip, message_kwargs
from handlers import flows, ui
from handlers.audiences import audience_label
from handlers.context import SERVICES_KEY, Context, Services, language_of, services, tr
from handlers.fallback import unknown_command
from handlers.staff import staff_only
from storage.announcements import Announcement, AnnouncementStore, Audience, queue_recipients
from storage.conversations import Conversation
from storage.outbox import OutboxItem, Progress

log = logging.getLogger(__name__)
MAX_DELAY_HOURS = 24 * 30  # the latest a schedule button can say (forged data beyond: refused)

FLOW = "broadcast"
PROGRESS_SECONDS = 3.0
PROGRESS_JOB = "broadcast-progress"
BAR_CELLS = 10
LABEL_MAX = 40
COURTS_SHOWN = 8
SCHEDULE_HOURS = (1, 3)
MAX_AHEAD = timedelta(days=30)
MIN_AHEAD = timedelta(minutes=1)
FALLBACK_LANGUAGE = "ru"
# Telegram's own formatting that the staff member typed (bold in the app...), kept as HTML.
FORMATTING = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "pre",
        "text_link",
        "blockquote",
        "expandable_blockquote",
    }
)


# ---- the message users get ---------------------------------------------------------------------


def pick_text(texts: dict[str, str], lang: str) -> str:
    """The text for a user of `lang`: theirs, else the Russian one, else the first given."""
    return texts.get(lang) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()))


def fallback_language(texts: dict[str, str], lang: str) -> str:
    """The language of the text a user of `lang` gets."""
    if lang in texts:
        return lang
    return FALLBACK_LANGUAGE if FALLBACK_LANGUAGE in texts else next(iter(texts))


def announcement_message(
    texts: dict[str, str], button: dict[str, str] | None, lang: str
) -> dict[str, Any]:
    """The announcement exactly as a user of `lang` gets it (an outbox message dict)."""
    t = translator(lang)
    rows: list[list[dict[str, str]]] = []
    if button:
        rows.append([{"text": button["text"], "url": button["url"]}])
    rows.append(
        [
            {
                "text": t._("🔕 Stop announcements"),
                "callback_data": ui.callback(ui.ANNOUNCEMENT, "off"),
            }
        ]
    )
    return {"text": pick_text(texts, lang), "parse_mode": "HTML", "entities": None, "buttons": rows}


def compose_for(svc: Services) -> Compose:
    """The sender's compose: alerts as queued; announcement references resolved per user."""
    cache: dict[int, Announcement] = {}

    def compose(item: OutboxItem) -> dict[str, Any]:
        if "announcement" not in item.payload:
            return item.payload
        announcement_id = int(item.payload["announcement"])
        announcement = cache.get(announcement_id)
        if announcement is None and svc.announcements is not None:
            announcement = svc.announcements.get(announcement_id)
            if announcement is not None:
                if len(cache) > 32:
                    cache.clear()
                cache[announcement_id] = announcement
        user = svc.users.get(item.user_id)
        if announcement is None or user is None or not user.announcements or not user.active:
            raise Skip
        return announcement_message(announcement.texts, announcement.button, user.language)

    return compose


async def announcement_toggled(update: Update, context: Context) -> None:
    """The button under an announcement: stop (or restart) announcements, keep the message."""
    query = update.callback_query
    parsed = ui.parse_callback(query.data if query else None)
    user = update.effective_user
    if (
        query is None
        or user is None
        or parsed is None
        or parsed.args[:1] not in (("on",), ("off",))
    ):
        await ui.acknowledge(update)
        return
    svc = services(context)
    on = parsed.args[0] == "on"
    svc.users.seen(user.id, language_of(update, context), svc.clock.now().date())
    svc.users.set_announcements(user.id, on)
    t = tr(update, context)
    toggle = (
        ui.button(t._("🔕 Stop announcements"), ui.ANNOUNCEMENT, "off")
        if on
        else ui.button(t._("🔔 Get announcements again"), ui.ANNOUNCEMENT, "on")
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


# ---- the staff flow ----------------------------------------------------------------------------


def _state(context: Context, update: Update) -> dict[str, Any] | None:
    conversation = flows.current(update, context)
    return dict(conversation.state) if conversation and conversation.flow == FLOW else None


def _languages(t: Translator, codes: list[str]) -> str:
    return ", ".join(LANGUAGE_NAMES.get(code, code) for code in codes)


@staff_only("broadcast")
async def broadcast_command(update: Update, context: Context) -> None:
    """Start a new announcement: which language is the first text in?"""
    t = tr(update, context)
    user = update.effective_user
    zone = _store(context).last_zone(user.id) if user is not None else "UTC"  # their last clock
    state: dict[str, Any] = {"step": "lang", "texts": {}, "button": None, "zone": zone}
    flows.save(update, context, FLOW, state)
    rows = [[ui.button(LANGUAGE_NAMES[code], ui.BROADCAST, "lang", code)] for code in LANGUAGES]
    await ui.show(
        update,
        t._(
            "<b>New announcement</b>\nWhich language will you write it in first? "
            "You can add the other languages next. Nothing is sent before you confirm."
        ),
        ui.keyboard(*rows, [_cancel_button(t)]),
        new_message=True,
    )


def _cancel_button(t: Translator) -> InlineKeyboardButton:
    return ui.button(t._("✖ Cancel"), ui.BROADCAST, "x")


@staff_only("broadcast", record=False)
async def broadcast_pressed(update: Update, context: Context) -> None:
    """Every button of the flow and of the progress report."""
    query = update.callback_query
    parsed = ui.parse_callback(query.data if query else None)
    t = tr(update, context)
    action, *args = parsed.args if parsed and parsed.args else ("",)
    if action == "stop" and args and (announcement_id := ui.callback_int(args[0])) is not None:
        await _stop_pressed(update, context, announcement_id)
        return
    state = _state(context, update)
    if state is None:
        await ui.acknowledge(update, t._("This draft is closed. Send /broadcast to start again."))
        return
    await ui.acknowledge(update)
    if action == "x" and state.get("texts"):  # typed texts are not thrown away on one tap
        rows = [
            [ui.button(t._("🗑 Yes, discard it"), ui.BROADCAST, "xx")],
            [ui.button(t._("◀ No, keep the draft"), ui.BROADCAST, "menu")],
        ]
        await ui.show(
            update, t._("Discard this draft? The texts you typed will be lost."), ui.keyboard(*rows)
        )
    elif action in ("x", "xx"):
        flows.end(update, context)
        await ui.show(update, t._("Cancelled. Nothing was sent or saved."))
    elif action == "ready" and state.get("audience"):
        await _show_ready(update, context, state, Audience.parse(state["audience"]))
    elif action == "lang" and args and args[0] in LANGUAGES:
        state.update(step="text", lang=args[0])
        flows.save(update, context, FLOW, state)
        await ui.show(update, _ask_text(t, args[0]), ui.keyboard([_cancel_button(t)]))
    elif action == "menu" and state["texts"]:
        await _show_draft(update, context, state)
    elif action == "link" and state["texts"]:
        state["step"] = "button"
        flows.save(update, context, FLOW, state)
        await ui.show(
            update,
            t._(
                "Send the button's label and its https:// address on two lines, for example:\n"
                "<code>Court status\nhttps://www.justice.gov/eoir</code>"
            ),
            ui.keyboard([ui.button(t._("◀ Back"), ui.BROADCAST, "menu")]),
        )
    elif action == "nolink" and state["texts"]:
        state["button"] = None
        await _show_draft(update, context, state)
    elif action == "aud" and state["texts"]:
        await _show_audiences(update, context, state)
    elif action == "a" and args and state["texts"]:
        await _audience_pressed(update, context, state, args[0])
    elif action == "al" and args and args[0] in LANGUAGES and state["texts"]:
        await _show_ready(update, context, state, Audience("lang", args[0]))
    elif action == "ac" and args and state["texts"] and _court(context, args[0]) is not None:
        await _show_ready(update, context, state, Audience("court", args[0]))
    elif action == "send" and state.get("audience"):
        await _create(update, context, state, None)
    elif (
        action == "at"
        and args
        and (hours := ui.callback_int(args[0], limit=MAX_DELAY_HOURS)) is not None
        and state.get("audience")
    ):
        due = _minute(services(context).clock.now() + timedelta(hours=hours))
        await _create(update, context, state, due)
    elif action == "time" and state.get("audience"):
        state["step"] = "time"
        flows.save(update, context, FLOW, state)
        zone = state.get("zone", "UTC")
        now = services(context).clock.now()
        await ui.show(update, _ask_time(t, now, zone), _time_keyboard(t, zone))
    elif action == "tz" and args and state.get("step") == "time":
        zone = "UTC" if args[0] == "utc" else ZONES.get(args[0], ("UTC", ""))[0]
        state["zone"] = zone
        flows.save(update, context, FLOW, state)
        now = services(context).clock.now()
        await ui.show(update, _ask_time(t, now, zone), _time_keyboard(t, zone))
    else:
        await ui.show(update, t._("This button is out of date. Send /broadcast to start again."))


def _ask_text(t: Translator, lang: str) -> str:
    return t._(
        "Send the announcement in %(language)s.\n"
        "Formatting: &lt;b&gt;bold&lt;/b&gt;, &lt;i&gt;italic&lt;/i&gt;, "
        '&lt;a href="https://…"&gt;link&lt;/a&gt; (HTML), or the formatting of your Telegram '
        "app. /cancel stops.",
        language=LANGUAGE_NAMES[lang],
    )


def _ask_time(t: Translator, now: datetime, zone: str = "UTC") -> str:
    """The time question, in the staff member's chosen zone: the time now there and an example
    that is ahead of it."""
    local = now.astimezone(ZoneInfo(zone))
    example = (local + timedelta(days=1)).replace(hour=15, minute=0)
    zone_name = "UTC" if zone == "UTC" else t._(zone_label(zone))
    return t._(
        "When should it go? It is now <code>%(now)s</code> (%(zone)s). Type the time on that "
        "clock: <code>%(example)s</code>, <code>15:00</code> (the next one) or <code>+2h</code>.",
        now=f"{local:%Y-%m-%d %H:%M}",
        zone=html.escape(zone_name),
        example=f"{example:%Y-%m-%d %H:%M}",
    )


def _time_keyboard(t: Translator, zone: str) -> InlineKeyboardMarkup:
    """Back, the zones to type the time in (the chosen one marked), Cancel."""
    zones = [("utc", "UTC", "UTC"), *((k, v[0], t._(v[1])) for k, v in ZONES.items())]
    rows = [
        [ui.button(("✓ " if tz == zone else "") + label, ui.BROADCAST, "tz", key)]
        for key, tz, label in zones
    ]
    back = ui.button(t._("◀ Back"), ui.BROADCAST, "ready")  # the draft and audience stay
    return ui.keyboard(*rows, [back, _cancel_button(t)])


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def typed_html(message: Message) -> str:
    """The staff member's text as HTML: their app's formatting if any, else the text as HTML
    when it has a tag, else the plain text escaped."""
    text = message.text or ""
    if any(e.type in FORMATTING for e in message.entities):
        return message.text_html
    if "<" in text:
        return text
    return html.escape(text, quote=False)


@flows.on_text(FLOW)
async def broadcast_typed(update: Update, context: Context, conversation: Conversation) -> None:
    """What the staff member types in the flow: a text, a link button, a court, a time."""
    svc = services(context)
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None or not svc.settings.is_staff(user.id):
        log.warning("staff_command_refused user_id=%s action=broadcast", user and user.id)
        flows.end(update, context)
        await unknown_command(update, context)
        return
    t = tr(update, context)
    state = dict(conversation.state)
    step = state.get("step")
    if step == "text":
        await _text_typed(update, context, state, message)
    elif step == "button":
        await _button_typed(update, context, state, message.text or "")
    elif step == "court":
        await _court_typed(update, context, state, message.text or "")
    elif step == "time":
        zone = state.get("zone", "UTC")
        when = parse_when(message.text or "", svc.clock.now(), zone)
        if when is None or not MIN_AHEAD <= when - svc.clock.now() <= MAX_AHEAD:
            await ui.show(
                update,
                t._("I could not read this as a time in the next 30 days.")
                + "\n"
                + _ask_time(t, svc.clock.now(), zone),
                _time_keyboard(t, zone),
            )
            return
        await _create(update, context, state, when)
    else:
        await ui.show(
            update, t._("Please use the buttons above, or /cancel to stop."), new_message=True
        )


async def _preview(update: Update, context: Context, message: dict[str, Any]) -> str | None:
    """Send `message` to the staff chat as users will get it; Telegram's complaint, if any."""
    chat = update.effective_chat
    assert chat is not None
    try:
        await context.bot.send_message(chat.id, **message_kwargs(message))
    except BadRequest as error:
        return error.message
    return None


async def _text_typed(
    update: Update, context: Context, state: dict[str, Any], message: Message
) -> None:
    t = tr(update, context)
    lang = state.get("lang") or FALLBACK_LANGUAGE
    text = typed_html(message)
    problem = await _preview(
        update, context, announcement_message({lang: text}, state.get("button"), lang)
    )
    if problem is not None:
        await ui.show(
            update,
            t._(
                "❌ Telegram cannot show this text: %(problem)s\n"
                "Nothing was saved. Please send the text again (check that every tag is "
                "closed, and write &amp;lt; for a “&lt;” sign).",
                problem=html.escape(problem),
            ),
            ui.keyboard([_cancel_button(t)]),
            new_message=True,
        )
        return
    state["texts"] = {**state["texts"], lang: text}
    await _show_draft(update, context, state, new_message=True, after_preview=True)


async def _button_typed(update: Update, context: Context, state: dict[str, Any], text: str) -> None:
    t = tr(update, context)
    button = parse_button(text)
    if button is None:
        await ui.show(
            update,
            t._(
                "Please send a short label (up to %(n)s characters) and an https:// address on "
                "two lines.",
                n=LABEL_MAX,
            ),
            ui.keyboard([ui.button(t._("◀ Back"), ui.BROADCAST, "menu")]),
            new_message=True,
        )
        return
    first = next(iter(state["texts"]))
    problem = await _preview(update, context, announcement_message(state["texts"], button, first))
    if problem is not None:
        await ui.show(
            update,
            t._(
                "❌ Telegram refused this button: %(problem)s\nPlease send it again.",
                problem=html.escape(problem),
            ),
            ui.keyboard([ui.button(t._("◀ Back"), ui.BROADCAST, "menu")]),
            new_message=True,
        )
        return
    state["button"] = button
    await _show_draft(update, context, state, new_message=True, after_preview=True)


def parse_button(text: str) -> dict[str, str] | None:
    """A link button from "label\\nhttps://address", or None."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) != 2:
        return None
    label, url = lines
    parsed = urlparse(url)
    if not 0 < len(label) <= LABEL_MAX or parsed.scheme != "https" or not parsed.netloc:
        return None
    if any(c.isspace() for c in url):
        return None
    return {"text": label, "url": url}


async def _show_draft(
    update: Update,
    context: Context,
    state: dict[str, Any],
    *,
    new_message: bool = False,
    after_preview: bool = False,
) -> None:
    t = tr(update, context)
    state["step"] = "menu"
    state.pop("audience", None)
    flows.save(update, context, FLOW, state)
    texts: dict[str, str] = state["texts"]
    button = state.get("button")
    lines = [
        t._("👆 Above: the preview, exactly as users will get it.") if after_preview else "",
        t._("<b>Draft announcement</b>"),
        t._("Texts: %(languages)s", languages=_languages(t, list(texts))),
        t._(
            "Link button: %(label)s → %(url)s",
            label=html.escape(button["text"]),
            url=html.escape(button["url"]),
        )
        if button
        else t._("Link button: none"),
        t._(
            "A user whose language has no text gets the Russian text "
            "(or the first one, if there is no Russian text)."
        ),
    ]
    missing = [code for code in LANGUAGES if code not in texts]
    rows = [
        [
            ui.button(
                t._("➕ Text in %(language)s", language=LANGUAGE_NAMES[code]),
                ui.BROADCAST,
                "lang",
                code,
            )
            for code in missing
        ],
        [
            ui.button(t._("🔗 Remove the link button"), ui.BROADCAST, "nolink")
            if button
            else ui.button(t._("🔗 Add a link button"), ui.BROADCAST, "link")
        ],
        [ui.button(t._("👥 Choose who gets it"), ui.BROADCAST, "aud")],
        [_cancel_button(t)],
    ]
    text = "\n".join(line for line in lines if line)
    await ui.show(update, text, ui.keyboard(*rows), new_message=new_message)


async def _show_audiences(update: Update, context: Context, state: dict[str, Any]) -> None:
    t = tr(update, context)
    store = _store(context)
    now = services(context).clock.now()
    everyone = store.count(Audience("all"), now)
    news = store.count(Audience("news"), now)
    state["step"] = "audience"
    flows.save(update, context, FLOW, state)
    await ui.show(
        update,
        t._(
            "<b>Who should get it?</b>\n"
            "Only users who have not stopped announcements and have not blocked the bot."
        ),
        ui.keyboard(
            [ui.button(t._("Everyone (%(n)s)", n=everyone), ui.BROADCAST, "a", "all")],
            [ui.button(t._("One language…"), ui.BROADCAST, "a", "lang")],
            [ui.button(t._("Users with a reminder at a court…"), ui.BROADCAST, "a", "court")],
            [ui.button(t._("News subscribers (%(n)s)", n=news), ui.BROADCAST, "a", "news")],
            [ui.button(t._("◀ Back"), ui.BROADCAST, "menu")],
        ),
    )


async def _audience_pressed(
    update: Update, context: Context, state: dict[str, Any], kind: str
) -> None:
    t = tr(update, context)
    if kind in ("all", "news"):
        await _show_ready(update, context, state, Audience(kind))
        return
    if kind == "lang":
        now = services(context).clock.now()
        store = _store(context)
        by_language = store.count_by_language(Audience("all"), now)
        counts = {code: by_language.get(code, 0) for code in LANGUAGES}
        rows = [
            [ui.button(f"{LANGUAGE_NAMES[code]} ({counts[code]})", ui.BROADCAST, "al", code)]
            for code in LANGUAGES
        ]
        await ui.show(
            update,
            t._("Which language's users?"),
            ui.keyboard(*rows, [ui.button(t._("◀ Back"), ui.BROADCAST, "aud")]),
        )
        return
    if kind == "court":
        state["step"] = "court"
        flows.save(update, context, FLOW, state)
        await ui.show(
            update,
            t._("Type part of the court's name or city, for example: Miami."),
            ui.keyboard([ui.button(t._("◀ Back"), ui.BROADCAST, "aud")]),
        )
        return
    await _show_audiences(update, context, state)


def _courts(context: Context) -> tuple[Court, ...]:
    svc = services(context)
    if svc.courts:
        return svc.courts
    found = tuple(load_courts(svc.settings.content_dir / "data" / "courts.csv")[0])
    svc.courts = found
    return found


def _court(context: Context, court_id: str) -> Court | None:
    return court_by_id(_courts(context), court_id)


async def _court_typed(update: Update, context: Context, state: dict[str, Any], text: str) -> None:
    t = tr(update, context)
    found = matching_courts(_courts(context), text)
    back = [ui.button(t._("◀ Back"), ui.BROADCAST, "aud")]
    if not found:
        await ui.show(
            update,
            t._(
                "No court matches “%(query)s”. Type another part of the name or city.",
                query=html.escape(text[:60]),
            ),
            ui.keyboard(back),
            new_message=True,
        )
        return
    store = _store(context)
    now = services(context).clock.now()
    rows = [
        [
            ui.button(
                f"{court.name}, {court.state} ({store.count(Audience('court', court.id), now)})",
                ui.BROADCAST,
                "ac",
                court.id,
            )
        ]
        for court in found[:COURTS_SHOWN]
    ]
    head = t._("Choose the court (in brackets: how many users would get it).")
    if len(found) > COURTS_SHOWN:
        head += "\n" + t._("Only the first %(n)s are shown: type more of the name.", n=COURTS_SHOWN)
    await ui.show(update, head, ui.keyboard(*rows, back), new_message=True)


async def _show_ready(
    update: Update, context: Context, state: dict[str, Any], audience: Audience
) -> None:
    t = tr(update, context)
    svc = services(context)
    state.update(step="ready", audience=audience.code)
    flows.save(update, context, FLOW, state)
    texts: dict[str, str] = state["texts"]
    by_language = _store(context).count_by_language(audience, svc.clock.now())
    await ui.show(update, t._("👁 Preview: this is exactly what users will get."))
    for lang in texts:
        problem = await _preview(
            update, context, announcement_message(texts, state["button"], lang)
        )
        if problem is not None:  # checked when typed; only a changed Telegram gets here
            log.warning("broadcast_preview_refused")
    lines = [
        t._("<b>Ready to send</b>"),
        t._("Who: %(audience)s", audience=audience_label(t, audience, _courts(context))),
        t.n_("%(n)s recipient", "%(n)s recipients", sum(by_language.values())),
    ]
    missing: list[list[InlineKeyboardButton]] = []
    for lang in sorted(by_language, key=lambda code: (-by_language[code], code)):
        line = f"• {LANGUAGE_NAMES.get(lang, lang)}: {by_language[lang]}"
        got = fallback_language(texts, lang)
        if got != lang:
            line += " " + t._("(get the %(language)s text)", language=LANGUAGE_NAMES[got])
            warning = t.n_(
                "⚠️ %(n)s user who chose %(chosen)s will get the %(language)s text.",
                "⚠️ %(n)s users who chose %(chosen)s will get the %(language)s text.",
                by_language[lang],
                chosen=LANGUAGE_NAMES.get(lang, lang),
                language=LANGUAGE_NAMES[got],
            )
            lines.append(line)
            lines.append(warning)
            if lang in LANGUAGES:
                label = t._("➕ Text in %(language)s", language=LANGUAGE_NAMES[lang])
                missing.append([ui.button(label, ui.BROADCAST, "lang", lang)])
            continue
        lines.append(line)
    back = [ui.button(t._("◀ Change who gets it"), ui.BROADCAST, "aud")]
    if not by_language:
        lines.append(t._("Nobody is in this audience now."))
        markup = ui.keyboard(back, [_cancel_button(t)])
    else:
        markup = ui.keyboard(
            *missing,
            [ui.button(t._("✅ Send now"), ui.BROADCAST, "send")],
            [
                ui.button(t._("🕒 In %(n)s h", n=hours), ui.BROADCAST, "at", hours)
                for hours in SCHEDULE_HOURS
            ]
            + [ui.button(t._("🕒 Tomorrow"), ui.BROADCAST, "at", 24)],
            [ui.button(t._("⌨️ Type a time"), ui.BROADCAST, "time")],
            back,
            [_cancel_button(t)],
        )
    await ui.show(update, "\n".join(lines), markup, new_message=True)


def _store(context: Context) -> AnnouncementStore:
    store = services(context).announcements
    assert store is not None, "bot.py builds the announcement store"
    return store


async def _create(
    update: Update, context: Context, state: dict[str, Any], due: datetime | None
) -> None:
    """Write the announcement and its outbox rows (one transaction), then report on it."""
    svc = services(context)
    t = tr(update, context)
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None
    assert chat is not None
    now = svc.clock.now()
    audience = Audience.parse(state["audience"])
    store = _store(context)
    announcement: Announcement = store.begin(
        staff_id=user.id,
        texts=state["texts"],
        button=state.get("button"),
        audience=audience,
        now=now,
        due_at=due,
        zone=state.get("zone", "UTC"),
    )
    flows.end(update, context)
    # A million recipients take seconds to write: a worker thread with its own connection
    # does it in short batches, so the bot keeps answering everyone meanwhile.
    recipients = await asyncio.to_thread(
        queue_recipients, svc.settings.db_path, announcement.id, now
    )
    announcement = store.finish_queueing(announcement.id, recipients)
    if svc.sender is not None:
        svc.sender.wake()
    action = "broadcast scheduled" if due else "broadcast sent"
    detail = f"#{announcement.id} {audience.code} {','.join(state['texts'])}"
    svc.audit.record(now, user.id, action, detail, announcement.recipients)
    log.info(
        "broadcast_created id=%s recipients=%s scheduled=%s",
        announcement.id,
        announcement.recipients,
        due is not None,
    )
    progress = svc.outbox.progress(announcement.ref) if svc.outbox else Progress()
    text, markup = report(t, announcement, progress, _rate(svc), now)
    sent = await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    if update.callback_query is not None and isinstance(update.callback_query.message, Message):
        pressed = update.callback_query.message
        ui.SHOWN.forget(pressed.chat_id, pressed.message_id)
        with contextlib.suppress(BadRequest):  # "Ready to send" loses its buttons: pressed
            await pressed.edit_reply_markup(None)
    store = _store(context)
    store.set_report(announcement.id, chat.id, sent.message_id)
    store.set_shown(announcement.id, text)
    if svc.sender is not None:
        svc.sender.wake()


async def _stop_pressed(update: Update, context: Context, announcement_id: int) -> None:
    svc = services(context)
    t = tr(update, context)
    store = _store(context)
    announcement: Announcement | None = store.get(announcement_id)
    if announcement is None or announcement.status == "done":
        await ui.acknowledge(update, t._("It has already finished."))
        return
    now = svc.clock.now()
    cancelled = store.cancel(announcement_id, now)
    user = update.effective_user
    assert user is not None
    svc.audit.record(
        now, user.id, "broadcast cancelled", f"#{announcement_id}", announcement.recipients
    )
    log.info("broadcast_cancelled id=%s rows=%s", announcement_id, cancelled)
    if svc.sender is not None:
        svc.sender.wake()
    stopped = t.n_(
        "Stopped: %(n)s message will not be sent.",
        "Stopped: %(n)s messages will not be sent.",
        cancelled,
    )
    await ui.acknowledge(update, stopped)
    refreshed = store.get(announcement_id)
    if refreshed is not None:
        await refresh_one(context.bot, svc, refreshed)


# ---- progress ------------------------------------------------------------------------------------


def bar(done: int, total: int) -> str:
    """A text progress bar: ▓▓▓░░░░░░░."""
    filled = BAR_CELLS if total <= 0 else min(BAR_CELLS, done * BAR_CELLS // total)
    return "▓" * filled + "░" * (BAR_CELLS - filled)


def duration(t: Translator, seconds: float) -> str:
    """A short duration in words: "40 s", "3 min", "2 h 5 min"."""
    whole = max(0, math.ceil(seconds))
    if whole < 60:
        return t._("%(n)s s", n=whole)
    minutes = math.ceil(whole / 60)
    if minutes < 60:
        return t._("%(n)s min", n=minutes)
    return t._("%(h)s h %(m)s min", h=minutes // 60, m=minutes % 60)


def _rate(svc: Services) -> float:
    return svc.sender.pacer.rate if svc.sender is not None else 1.0


def report(
    t: Translator, announcement: Announcement, progress: Progress, rate: float, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The staff member's report on one announcement: scheduled, sending, or the final one."""
    number = announcement.id
    counts = t._(
        "Sent %(sent)s · failed %(failed)s · blocked %(blocked)s · left %(left)s",
        sent=progress.sent,
        failed=progress.failed,
        blocked=progress.blocked,
        left=progress.pending,
    )
    if announcement.status == "scheduled" and announcement.due_at > now and progress.pending:
        zone = announcement.zone if zone_key(announcement.zone) else "UTC"
        when = announcement.due_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
        zone_name = "UTC" if zone == "UTC" else t._(zone_label(zone))
        text = "\n".join(
            [
                t._("📣 <b>Announcement #%(id)s</b>", id=number),
                t._("🕒 Scheduled for %(when)s (%(zone)s).", when=when, zone=zone_name),
                t.n_("%(n)s recipient", "%(n)s recipients", announcement.recipients),
            ]
        )
        cancel = ui.button(t._("✖ Cancel it"), ui.BROADCAST, "stop", number)
        return text, ui.keyboard([cancel])
    if progress.pending:
        settled = progress.total - progress.pending
        percent = settled * 100 // progress.total if progress.total else 100
        progress_bar = f"{bar(settled, progress.total)} {percent} %"
        if announcement.cancelled_at is not None:  # the last messages on the wire
            head = t._("📣 <b>Announcement #%(id)s</b> is stopping…", id=number)
            return "\n".join([head, progress_bar, counts]), None
        left = duration(t, progress.pending / max(rate, 0.1))
        lines = [
            t._("📣 <b>Announcement #%(id)s</b> is being sent", id=number),
            progress_bar,
            counts,
            t._("Time left: about %(time)s", time=left),
        ]
        stop = ui.button(t._("⏹ Stop sending"), ui.BROADCAST, "stop", number)
        return "\n".join(lines), ui.keyboard([stop])
    if announcement.cancelled_at is not None:
        first = t._("📣 <b>Announcement #%(id)s</b> ⏹ stopped", id=number)
        counts += " · " + t._("not sent %(n)s", n=progress.cancelled)
    else:
        started = announcement.started_at or announcement.due_at
        took = ((announcement.finished_at or now) - started).total_seconds()
        first = t._(
            "📣 <b>Announcement #%(id)s</b> ✅ done in %(time)s", id=number, time=duration(t, took)
        )
    lines = [first, f"{bar(1, 1)} 100 %", counts]
    if progress.blocked:
        lines.append(t._("Users who blocked the bot are marked inactive and get nothing more."))
    if progress.cancelled and announcement.cancelled_at is None:
        lines.append(
            t.n_(
                "%(n)s user had stopped announcements before it went.",
                "%(n)s users had stopped announcements before it went.",
                progress.cancelled,
            )
        )
    return "\n".join(lines), None


async def refresh_one(bot: ExtBot[None] | Any, svc: Services, announcement: Announcement) -> None:
    """Bring one announcement's report up to date (edited only when its text changed)."""
    store = svc.announcements
    if store is None or svc.outbox is None:
        return
    now = svc.clock.now()
    if announcement.status == "scheduled":
        if announcement.due_at > now and announcement.cancelled_at is None:
            return
        store.started(announcement.id)
    progress = svc.outbox.progress(announcement.ref)
    if progress.pending == 0 and announcement.id not in store.unqueued():
        store.finished(announcement.id, svc.outbox.last_sent_at(announcement.ref) or now)
        log.info(
            "broadcast_finished id=%s sent=%s failed=%s blocked=%s cancelled=%s",
            announcement.id,
            progress.sent,
            progress.failed,
            progress.blocked,
            progress.cancelled,
        )
    current = store.get(announcement.id)
    if current is None or current.report_chat_id is None or current.report_message_id is None:
        return
    staff = svc.users.get(current.staff_id)
    t = translator(staff.language if staff else FALLBACK_LANGUAGE)
    text, markup = report(t, current, progress, _rate(svc), now)
    if text == current.shown:
        return
    store.set_shown(current.id, text)  # before the edit: a second refresh will not repeat it
    if current.report_chat_id is not None and current.report_message_id is not None:
        ui.SHOWN.forget(current.report_chat_id, current.report_message_id)  # edited here
    try:
        await bot.edit_message_text(
            text,
            chat_id=current.report_chat_id,
            message_id=current.report_message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    except BadRequest as error:
        if "message is not modified" in error.message.lower():
            return
        log.warning("broadcast_report_lost id=%s error=%s", current.id, error.message)
        sent = await bot.send_message(
            current.report_chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
        store.set_report(current.id, current.report_chat_id, sent.message_id)
    except TelegramError as error:  # try again on the next refresh
        store.set_shown(current.id, current.shown)
        log.warning("broadcast_report_failed id=%s error=%s", current.id, type(error).__name__)


async def refresh_all(bot: ExtBot[None] | Any, svc: Services) -> None:
    """Refresh the report of every announcement not finished yet."""
    if svc.announcements is None:
        return
    for announcement in svc.announcements.unfinished():
        await refresh_one(bot, svc, announcement)


async def progress_job(context: Context) -> None:
    """Job: every few seconds, the progress reports."""
    await refresh_all(context.bot, services(context))


async def start_delivery(app: Application) -> None:  # type: ignore[type-arg]
    """post_init: start the sender (it carries on where a previous run stopped) and the reports."""
    svc: Services = app.bot_data[SERVICES_KEY]
    store = svc.announcements
    if store is not None:  # recipients a crash left half-queued: the rest, then on with it
        for announcement_id in store.unqueued():
            recipients = await asyncio.to_thread(
                queue_recipients, svc.settings.db_path, announcement_id, svc.clock.now()
            )
            store.finish_queueing(announcement_id, recipients)
            log.info("broadcast_queueing_resumed id=%s recipients=%s", announcement_id, recipients)
    if svc.sender is not None:
        await svc.sender.start()
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            progress_job, interval=PROGRESS_SECONDS, first=PROGRESS_SECONDS, name=PROGRESS_JOB
        )


async def stop_delivery(app: Application) -> None:  # type: ignore[type-arg]
    """post_shutdown: finish the sends on the wire and stop the sender."""
    svc: Services = app.bot_data[SERVICES_KEY]
    if svc.sender is not None:
        await svc.sender.stop()


# ---- typed times -------------------------------------------------------------------------------

_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*([a-zа-я]*)$", re.IGNORECASE)
_UNITS = {
    "": 3600,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "ч": 3600,
    "час": 3600,
    "часа": 3600,
    "часов": 3600,
    "год": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minutes": 60,
    "мин": 60,
    "хв": 60,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "д": 86400,
    "дн": 86400,
    "дня": 86400,
    "дней": 86400,
}
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y/%m/%d %H:%M")


def parse_when(text: str, now: datetime, zone: str = "UTC") -> datetime | None:
    """A typed time on the clocks of `zone` (UTC unless the staff member chose another), as a
    UTC instant: "+2h", "+30m", "+1d", "15:00" (the next one), "2026-12-01 15:00",
    "01.12.2026 15:00"; None when it is none of these."""
    tz = ZoneInfo(zone)
    cleaned = " ".join(text.strip().split())
    relative = _RELATIVE.match(cleaned)
    if relative:
        unit = _UNITS.get(relative.group(2).lower())
        if unit is None:
            return None
        return _minute(now + timedelta(seconds=int(relative.group(1)) * unit))
    clock = re.fullmatch(r"(\d{1,2})[:.](\d{2})", cleaned)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if hour > 23 or minute > 59:
            return None
        local = now.astimezone(tz).replace(hour=hour, minute=minute, second=0, microsecond=0)
        if local <= now:
            local = (local.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=tz)
        return local.astimezone(UTC)
    for form in _FORMATS:
        try:
            return datetime.strptime(cleaned, form).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    return None
