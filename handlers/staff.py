"""Staff commands (/stats, /audit, /reload; /broadcast in handlers/broadcast.py): checked against
BOT_ADMIN_IDS here, in the handler, and audited.

Anyone else gets exactly the unknown-command answer (a staff button pressed by anyone else gets
the answer to any out-of-date button); the attempt is logged with the user id only.
/stats shows aggregate counts only: nothing about any one person, not even to staff.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable, Coroutine, Iterable
from datetime import date, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

from telegram import Update

from core.content.model import Topic
from core.content.review import STALE_AFTER_DAYS, review_status
from core.i18n import Translator, translator
from core.library import LiveLibrary, ReloadResult
from handlers import ui
from handlers.audiences import audience_label
from handlers.context import Context, Services, services, tr
from handlers.fallback import unknown_command
from handlers.menus import stale_button
from handlers.search import build_index
from storage.announcements import Announcement

log = logging.getLogger(__name__)

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def staff_only(action: str, *, record: bool = True) -> Callable[[Handler], Handler]:
    """Run the handler only for staff; record it in the audit log; others get "unknown command".

    `record=False` for the steps of a staff flow (buttons, typed text): the flow records its
    own meaningful actions (an announcement sent, scheduled, cancelled).
    """

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(update: Update, context: Context) -> None:
            svc = services(context)
            user = update.effective_user
            if user is None or not svc.settings.is_staff(user.id):
                log.warning("staff_command_refused user_id=%s action=%s", user and user.id, action)
                if update.callback_query is not None:
                    await stale_button(update, context)
                else:
                    await unknown_command(update, context)
                return
            if record:
                svc.audit.record(svc.clock.now(), user.id, action)
            await handler(update, context)

        return guarded

    return decorate


@staff_only("stats")
async def stats(update: Update, context: Context) -> None:
    """Aggregate counts only: never anything about one person."""
    t = tr(update, context)
    svc = services(context)
    counts = svc.users.counts(since=svc.clock.now().date() - timedelta(days=7))
    lines = [t._("<b>Statistics</b>")]
    total = sum(counts.active_by_language.values())
    lines.append(t.n_("%(n)s active user", "%(n)s active users", total))
    for lang, n in counts.active_by_language.items():
        lines.append(f"• {lang}: {n}")
    lines.append(t.n_("%(n)s new this week", "%(n)s new this week", counts.new_since))
    lines.append(t.n_("%(n)s blocked the bot", "%(n)s blocked the bot", counts.blocked))
    upcoming, waiting = svc.announcements.reminder_counts(svc.clock.now())
    lines.append("")
    lines.append(t.n_("%(n)s upcoming reminder", "%(n)s upcoming reminders", upcoming))
    lines.append(t.n_("%(n)s alert waiting to go", "%(n)s alerts waiting to go", waiting))
    recent = svc.announcements.recent(RECENT_ANNOUNCEMENTS)
    if recent:
        lines.append("")
        lines.append(t._("<b>Recent announcements</b>"))
        lines.extend(announcement_line(t, svc, a) for a in recent)
    lines.append("")
    lines.extend(review_lines(t, svc.library.library.topics.values(), svc.clock.now().date()))
    await ui.show(update, "\n".join(lines), ui.keyboard(ui.menu_row(t)))


def review_lines(t: Translator, topics: Iterable[Topic], today: date) -> list[str]:
    """For /stats: per language, pages reviewed by a lawyer, and pages whose sources were last
    checked more than 180 days ago (core/content/review.py)."""
    lines = [t._("<b>Explainers</b>")]
    for status in review_status(topics, today):
        line = t._(
            "%(lang)s: %(reviewed)s of %(pages)s reviewed by a lawyer",
            lang=status.lang,
            reviewed=status.reviewed,
            pages=status.pages,
        )
        if status.machine_translated:
            line += " · " + t._("%(n)s machine-translated", n=status.machine_translated)
        lines.append("• " + line)
        if status.stale:
            lines.append(
                "  "
                + t._("sources checked over %(days)s days ago:", days=STALE_AFTER_DAYS)
                + " "
                + html.escape(", ".join(status.stale))
            )
    return lines


RECENT_ANNOUNCEMENTS = 5


def announcement_line(t: Translator, svc: Services, announcement: Announcement) -> str:
    """One announcement for /stats: when, audience, and delivery counts (no one named)."""
    progress = svc.outbox.progress(announcement.ref)
    head = f"#{announcement.id} · {announcement.due_at:%Y-%m-%d %H:%M} UTC · "
    head += audience_label(t, announcement.audience, svc.courts)
    counts = t._(
        "sent %(sent)s, failed %(failed)s, blocked %(blocked)s, left %(left)s",
        sent=progress.sent,
        failed=progress.failed,
        blocked=progress.blocked,
        left=progress.pending,
    )
    if progress.cancelled:
        counts += " · " + t._("stopped, %(n)s not sent", n=progress.cancelled)
    return f"{head}: {counts}"


@staff_only("audit")
async def audit(update: Update, context: Context) -> None:
    """The newest staff actions: who, what, when, audience size."""
    t = tr(update, context)
    entries = services(context).audit.recent(15)
    lines = [t._("<b>Audit log</b> (newest first)")]
    for entry in entries:
        detail = f" {html.escape(entry.detail)}" if entry.detail else ""
        audience = f" → {entry.audience}" if entry.audience is not None else ""
        lines.append(
            f"{entry.at:%Y-%m-%d %H:%M} UTC · {entry.staff_id} · "
            f"{html.escape(entry.action)}{detail}{audience}"
        )
    await ui.show(update, "\n".join(lines), ui.keyboard(ui.menu_row(t)))


MAX_PROBLEMS_SHOWN = 10


def reload_report(t: Translator, result: ReloadResult, content_dir: Path) -> str:
    """What a reload did, in words staff understand, with the first problems by file:line."""
    if result.applied:
        head = t._("✅ The explainers were reloaded and are live.")
    else:
        head = t._("❌ The changed explainers have errors, so the previous version stays live:")
    lines = [head]
    shown = [p for p in result.problems if p.severity == "error"] or list(result.problems)
    for problem in shown[:MAX_PROBLEMS_SHOWN]:
        lines.append("• " + html.escape(problem.format(base=content_dir), quote=False))
    if len(shown) > MAX_PROBLEMS_SHOWN:
        more = len(shown) - MAX_PROBLEMS_SHOWN
        lines.append(t._("…and %(n)s more: run make content-check to see them all.", n=more))
    return "\n".join(lines)


async def reload_content(live: LiveLibrary) -> ReloadResult:
    """Read and check the content in a worker thread (about a second of work), make it live on
    the event loop, then build its search index, again off the loop."""
    result = live.apply(await asyncio.to_thread(live.prepare))
    if result.applied:
        await build_index(live)
    return result


@staff_only("reload")
async def reload(update: Update, context: Context) -> None:
    """Reload the explainers now and say what happened."""
    t = tr(update, context)
    live = services(context).library
    result = await reload_content(live)
    await ui.show(update, reload_report(t, result, live.content_dir), ui.keyboard(ui.menu_row(t)))


async def watch_content(context: Context) -> None:
    """Job: when files under content/ change, reload; tell staff if the change was rejected."""
    svc = services(context)
    if not svc.library.changed_on_disk():
        return
    result = await reload_content(svc.library)
    if result.applied:
        return
    for staff_id in sorted(svc.settings.admin_ids):
        stored = svc.users.get(staff_id)
        t = translator(stored.language if stored else "ru")
        try:
            await context.bot.send_message(
                staff_id, reload_report(t, result, svc.library.content_dir), parse_mode="HTML"
            )
        except Exception as error:  # a staff member who never opened the bot
            log.warning("staff_not_told staff_id=%s error=%s", staff_id, type(error).__name__)
