"""The staff member's progress report on an announcement: scheduled (on the clock they typed the
time on), being sent (a bar, the counts, the time left), stopping, done; edited every
`PROGRESS_SECONDS` by a job, never when nothing changed.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ExtBot

from core.announcements import FALLBACK_LANGUAGE
from core.i18n import Translator, translator
from core.zones import zone_key, zone_label
from handlers import ui
from handlers.callbacks.broadcast import BroadcastStop
from handlers.context import Context, Services, services
from storage.announcements import Announcement
from storage.outbox import Progress

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 3.0


PROGRESS_JOB = "broadcast-progress"


BAR_CELLS = 10


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


def rate(svc: Services) -> float:
    return svc.sender.pacer.rate


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
        cancel = ui.button(t._("✖ Cancel it"), BroadcastStop(number))
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
        stop = ui.button(t._("⏹ Stop sending"), BroadcastStop(number))
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
    text, markup = report(t, current, progress, rate(svc), now)
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
    for announcement in svc.announcements.unfinished():
        await refresh_one(bot, svc, announcement)


async def progress_job(context: Context) -> None:
    """Job: every few seconds, the progress reports."""
    await refresh_all(context.bot, services(context))


def start_reports(app: Application) -> None:  # type: ignore[type-arg]
    """post_init: refresh the reports every few seconds."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            progress_job, interval=PROGRESS_SECONDS, first=PROGRESS_SECONDS, name=PROGRESS_JOB
        )
