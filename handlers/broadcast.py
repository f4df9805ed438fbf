"""/broadcast (staff): write an announcement, choose who gets it, preview, send or schedule.

The flow ("broadcast", kept in SQLite like every conversation, nothing stored before Send or
Schedule): language of the first text → the text (HTML, or Telegram's own formatting; checked
by sending the preview, a text Telegram refuses is asked again) → a draft screen: add a text in
another language, add or remove one link button (label + https address), choose the audience
(everyone, one language, users with a reminder at a court, news subscribers) → the preview,
exactly as users get it, with the number of recipients → Send now, Schedule (+1 h, +3 h,
tomorrow, or a time typed on the staff member's own clock, UTC or a US zone, remembered for
their next announcement), or Cancel.

Sending writes the announcement, queues one outbox row per recipient in a worker thread
(storage/announcements.py) and wakes the sender; the staff member's message becomes the
progress report (handlers/broadcast_progress.py). Which text each user gets and typed times are
plain code in core/announcements.py; what users receive, and their "Stop announcements"
button, is handlers/announcements.py; the sender's start and stop, handlers/outbox_lifecycle.py.

Callback data: the codecs of handlers/callbacks/broadcast.py, "bc:<step>[:arg]" for the flow
and "bc:stop:<id>" on the report (staff only, checked in each handler).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from core.announcements import (
    FALLBACK_LANGUAGE,
    LABEL_MAX,
    Draft,
    fallback_language,
    parse_button,
    parse_when,
    whole_minute,
)
from core.content.courts import Court
from core.court_search import court_by_id, matching_courts
from core.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from core.zones import ZONES, zone_label
from delivery.message import OutboxMessage
from handlers import flows, ui
from handlers.announcements import announcement_message
from handlers.audiences import audience_label
from handlers.broadcast_progress import rate, refresh_one, report
from handlers.callbacks.broadcast import (
    BroadcastAudience,
    BroadcastAudienceCourt,
    BroadcastAudienceLanguage,
    BroadcastDelay,
    BroadcastLanguage,
    BroadcastStep,
    BroadcastStop,
    BroadcastZone,
)
from handlers.context import Context, services, tr
from handlers.fallback import unknown_command
from handlers.staff import staff_only
from storage.announcements import Announcement, AnnouncementStore, Audience, queue_recipients
from storage.conversations import Conversation

log = logging.getLogger(__name__)

FLOW = "broadcast"
COURTS_SHOWN = 8
SCHEDULE_HOURS = (1, 3)
MAX_AHEAD = timedelta(days=30)
MIN_AHEAD = timedelta(minutes=1)
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


# ---- the staff flow ----------------------------------------------------------------------------


def _state(context: Context, update: Update) -> Draft | None:
    conversation = flows.current(update, context)
    if conversation is None or conversation.flow != FLOW:
        return None
    return Draft.from_dict(conversation.state)


def _languages(t: Translator, codes: list[str]) -> str:
    return ", ".join(LANGUAGE_NAMES.get(code, code) for code in codes)


@staff_only("broadcast")
async def broadcast_command(update: Update, context: Context) -> None:
    """Start a new announcement: which language is the first text in?"""
    t = tr(update, context)
    user = update.effective_user
    zone = _store(context).last_zone(user.id) if user is not None else "UTC"  # their last clock
    state = Draft(zone=zone)
    flows.save(update, context, FLOW, state.to_dict())
    rows = [[ui.button(LANGUAGE_NAMES[code], BroadcastLanguage(code))] for code in LANGUAGES]
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
    return ui.button(t._("✖ Cancel"), BroadcastStep("x"))


@staff_only("broadcast", record=False)
async def broadcast_pressed(update: Update, context: Context) -> None:
    """Every button of the flow and of the progress report."""
    query = update.callback_query
    data = query.data if query else None
    t = tr(update, context)
    if (stop := BroadcastStop.unpack(data)) is not None:
        await _stop_pressed(update, context, stop.announcement)
        return
    state = _state(context, update)
    if state is None:
        await ui.acknowledge(update, t._("This draft is closed. Send /broadcast to start again."))
        return
    await ui.acknowledge(update)
    pressed = BroadcastStep.unpack(data)
    step = pressed.step if pressed is not None else None
    if step == "x" and state.texts:  # typed texts are not thrown away on one tap
        rows = [
            [ui.button(t._("🗑 Yes, discard it"), BroadcastStep("xx"))],
            [ui.button(t._("◀ No, keep the draft"), BroadcastStep("menu"))],
        ]
        await ui.show(
            update, t._("Discard this draft? The texts you typed will be lost."), ui.keyboard(*rows)
        )
    elif step in ("x", "xx"):
        flows.end(update, context)
        await ui.show(update, t._("Cancelled. Nothing was sent or saved."))
    elif step == "ready" and state.audience:
        await _show_ready(update, context, state, Audience.parse(state.audience))
    elif (lang := BroadcastLanguage.unpack(data)) is not None and lang.code in LANGUAGES:
        state.step, state.lang = "text", lang.code
        flows.save(update, context, FLOW, state.to_dict())
        await ui.show(update, _ask_text(t, lang.code), ui.keyboard([_cancel_button(t)]))
    elif step == "menu" and state.texts:
        await _show_draft(update, context, state)
    elif step == "link" and state.texts:
        state.step = "button"
        flows.save(update, context, FLOW, state.to_dict())
        await ui.show(
            update,
            t._(
                "Send the button's label and its https:// address on two lines, for example:\n"
                "<code>Court status\nhttps://www.justice.gov/eoir</code>"
            ),
            ui.keyboard([ui.button(t._("◀ Back"), BroadcastStep("menu"))]),
        )
    elif step == "nolink" and state.texts:
        state.button = None
        await _show_draft(update, context, state)
    elif step == "aud" and state.texts:
        await _show_audiences(update, context, state)
    elif (audience := BroadcastAudience.unpack(data)) is not None and state.texts:
        await _audience_pressed(update, context, state, audience.kind)
    elif (
        (one := BroadcastAudienceLanguage.unpack(data)) is not None
        and one.code in LANGUAGES
        and state.texts
    ):
        await _show_ready(update, context, state, Audience("lang", one.code))
    elif (
        (court := BroadcastAudienceCourt.unpack(data)) is not None
        and state.texts
        and _court(context, court.court) is not None
    ):
        await _show_ready(update, context, state, Audience("court", court.court))
    elif step == "send" and state.audience:
        await _create(update, context, state, None)
    elif (delay := BroadcastDelay.unpack(data)) is not None and state.audience:
        due = whole_minute(services(context).clock.now() + timedelta(hours=delay.hours))
        await _create(update, context, state, due)
    elif step == "time" and state.audience:
        state.step = "time"
        flows.save(update, context, FLOW, state.to_dict())
        zone = state.zone
        now = services(context).clock.now()
        await ui.show(update, _ask_time(t, now, zone), _time_keyboard(t, zone))
    elif (clock := BroadcastZone.unpack(data)) is not None and state.step == "time":
        zone = "UTC" if clock.zone == "utc" else ZONES.get(clock.zone, ("UTC", ""))[0]
        state.zone = zone
        flows.save(update, context, FLOW, state.to_dict())
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
        [ui.button(("✓ " if tz == zone else "") + label, BroadcastZone(key))]
        for key, tz, label in zones
    ]
    back = ui.button(t._("◀ Back"), BroadcastStep("ready"))  # the draft and audience stay
    return ui.keyboard(*rows, [back, _cancel_button(t)])


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
    state = Draft.from_dict(conversation.state)
    step = state.step
    if step == "text":
        await _text_typed(update, context, state, message)
    elif step == "button":
        await _button_typed(update, context, state, message.text or "")
    elif step == "court":
        await _court_typed(update, context, state, message.text or "")
    elif step == "time":
        zone = state.zone
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


async def _preview(update: Update, context: Context, message: OutboxMessage) -> str | None:
    """Send `message` to the staff chat as users will get it; Telegram's complaint, if any."""
    chat = update.effective_chat
    assert chat is not None
    try:
        await context.bot.send_message(chat.id, **message.send_kwargs())
    except BadRequest as error:
        return error.message
    return None


async def _text_typed(update: Update, context: Context, state: Draft, message: Message) -> None:
    t = tr(update, context)
    lang = state.lang or FALLBACK_LANGUAGE
    text = typed_html(message)
    problem = await _preview(
        update, context, announcement_message({lang: text}, state.button, lang)
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
    state.texts = {**state.texts, lang: text}
    await _show_draft(update, context, state, new_message=True, after_preview=True)


async def _button_typed(update: Update, context: Context, state: Draft, text: str) -> None:
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
            ui.keyboard([ui.button(t._("◀ Back"), BroadcastStep("menu"))]),
            new_message=True,
        )
        return
    first = next(iter(state.texts))
    problem = await _preview(update, context, announcement_message(state.texts, button, first))
    if problem is not None:
        await ui.show(
            update,
            t._(
                "❌ Telegram refused this button: %(problem)s\nPlease send it again.",
                problem=html.escape(problem),
            ),
            ui.keyboard([ui.button(t._("◀ Back"), BroadcastStep("menu"))]),
            new_message=True,
        )
        return
    state.button = button
    await _show_draft(update, context, state, new_message=True, after_preview=True)


async def _show_draft(
    update: Update,
    context: Context,
    state: Draft,
    *,
    new_message: bool = False,
    after_preview: bool = False,
) -> None:
    t = tr(update, context)
    state.step = "menu"
    state.audience = None
    flows.save(update, context, FLOW, state.to_dict())
    texts: dict[str, str] = state.texts
    button = state.button
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
                BroadcastLanguage(code),
            )
            for code in missing
        ],
        [
            ui.button(t._("🔗 Remove the link button"), BroadcastStep("nolink"))
            if button
            else ui.button(t._("🔗 Add a link button"), BroadcastStep("link"))
        ],
        [ui.button(t._("👥 Choose who gets it"), BroadcastStep("aud"))],
        [_cancel_button(t)],
    ]
    text = "\n".join(line for line in lines if line)
    await ui.show(update, text, ui.keyboard(*rows), new_message=new_message)


async def _show_audiences(update: Update, context: Context, state: Draft) -> None:
    t = tr(update, context)
    store = _store(context)
    now = services(context).clock.now()
    everyone = store.count(Audience("all"), now)
    news = store.count(Audience("news"), now)
    state.step = "audience"
    flows.save(update, context, FLOW, state.to_dict())
    await ui.show(
        update,
        t._(
            "<b>Who should get it?</b>\n"
            "Only users who have not stopped announcements and have not blocked the bot."
        ),
        ui.keyboard(
            [ui.button(t._("Everyone (%(n)s)", n=everyone), BroadcastAudience("all"))],
            [ui.button(t._("One language…"), BroadcastAudience("lang"))],
            [ui.button(t._("Users with a reminder at a court…"), BroadcastAudience("court"))],
            [ui.button(t._("News subscribers (%(n)s)", n=news), BroadcastAudience("news"))],
            [ui.button(t._("◀ Back"), BroadcastStep("menu"))],
        ),
    )


async def _audience_pressed(update: Update, context: Context, state: Draft, kind: str) -> None:
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
            [ui.button(f"{LANGUAGE_NAMES[code]} ({counts[code]})", BroadcastAudienceLanguage(code))]
            for code in LANGUAGES
        ]
        await ui.show(
            update,
            t._("Which language's users?"),
            ui.keyboard(*rows, [ui.button(t._("◀ Back"), BroadcastStep("aud"))]),
        )
        return
    if kind == "court":
        state.step = "court"
        flows.save(update, context, FLOW, state.to_dict())
        await ui.show(
            update,
            t._("Type part of the court's name or city, for example: Miami."),
            ui.keyboard([ui.button(t._("◀ Back"), BroadcastStep("aud"))]),
        )
        return
    await _show_audiences(update, context, state)


def _courts(context: Context) -> tuple[Court, ...]:
    return services(context).courts


def _court(context: Context, court_id: str) -> Court | None:
    return court_by_id(_courts(context), court_id)


async def _court_typed(update: Update, context: Context, state: Draft, text: str) -> None:
    t = tr(update, context)
    found = matching_courts(_courts(context), text)
    back = [ui.button(t._("◀ Back"), BroadcastStep("aud"))]
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
                BroadcastAudienceCourt(court.id),
            )
        ]
        for court in found[:COURTS_SHOWN]
    ]
    head = t._("Choose the court (in brackets: how many users would get it).")
    if len(found) > COURTS_SHOWN:
        head += "\n" + t._("Only the first %(n)s are shown: type more of the name.", n=COURTS_SHOWN)
    await ui.show(update, head, ui.keyboard(*rows, back), new_message=True)


async def _show_ready(update: Update, context: Context, state: Draft, audience: Audience) -> None:
    t = tr(update, context)
    svc = services(context)
    state.step, state.audience = "ready", audience.code
    flows.save(update, context, FLOW, state.to_dict())
    texts: dict[str, str] = state.texts
    by_language = _store(context).count_by_language(audience, svc.clock.now())
    await ui.show(update, t._("👁 Preview: this is exactly what users will get."))
    for lang in texts:
        problem = await _preview(update, context, announcement_message(texts, state.button, lang))
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
                missing.append([ui.button(label, BroadcastLanguage(lang))])
            continue
        lines.append(line)
    back = [ui.button(t._("◀ Change who gets it"), BroadcastStep("aud"))]
    if not by_language:
        lines.append(t._("Nobody is in this audience now."))
        markup = ui.keyboard(back, [_cancel_button(t)])
    else:
        markup = ui.keyboard(
            *missing,
            [ui.button(t._("✅ Send now"), BroadcastStep("send"))],
            [
                ui.button(t._("🕒 In %(n)s h", n=hours), BroadcastDelay(hours))
                for hours in SCHEDULE_HOURS
            ]
            + [ui.button(t._("🕒 Tomorrow"), BroadcastDelay(24))],
            [ui.button(t._("⌨️ Type a time"), BroadcastStep("time"))],
            back,
            [_cancel_button(t)],
        )
    await ui.show(update, "\n".join(lines), markup, new_message=True)


def _store(context: Context) -> AnnouncementStore:
    return services(context).announcements


async def _create(update: Update, context: Context, state: Draft, due: datetime | None) -> None:
    """Write the announcement and its outbox rows (one transaction), then report on it."""
    svc = services(context)
    t = tr(update, context)
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None
    assert chat is not None
    if state.audience is None:  # every caller checks; a draft from another version may not
        await ui.show(update, t._("This button is out of date. Send /broadcast to start again."))
        return
    now = svc.clock.now()
    audience = Audience.parse(state.audience)
    store = _store(context)
    announcement: Announcement = store.begin(
        staff_id=user.id,
        texts=state.texts,
        button=state.button,
        audience=audience,
        now=now,
        due_at=due,
        zone=state.zone,
    )
    flows.end(update, context)
    # A million recipients take seconds to write: a worker thread with its own connection
    # does it in short batches, so the bot keeps answering everyone meanwhile.
    recipients = await asyncio.to_thread(
        queue_recipients, svc.settings.db_path, announcement.id, now
    )
    announcement = store.finish_queueing(announcement.id, recipients)
    svc.sender.wake()
    action = "broadcast scheduled" if due else "broadcast sent"
    detail = f"#{announcement.id} {audience.code} {','.join(state.texts)}"
    svc.audit.record(now, user.id, action, detail, announcement.recipients)
    log.info(
        "broadcast_created id=%s recipients=%s scheduled=%s",
        announcement.id,
        announcement.recipients,
        due is not None,
    )
    progress = svc.outbox.progress(announcement.ref)
    text, markup = report(t, announcement, progress, rate(svc), now)
    sent = await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    if update.callback_query is not None and isinstance(update.callback_query.message, Message):
        pressed = update.callback_query.message
        ui.SHOWN.forget(pressed.chat_id, pressed.message_id)
        with contextlib.suppress(BadRequest):  # "Ready to send" loses its buttons: pressed
            await pressed.edit_reply_markup(None)
    store = _store(context)
    store.set_report(announcement.id, chat.id, sent.message_id)
    store.set_shown(announcement.id, text)
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


# ---- typed times -------------------------------------------------------------------------------
