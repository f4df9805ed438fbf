"""Composition root: read settings, build the Application, register handlers, run.

`python bot.py` polls Telegram (or serves a webhook when TELEGRAM_WEBHOOK_URL is set) until
SIGINT or SIGTERM. A configuration problem prints one line naming the variable, exit status 2.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import sys
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
    Update,
)
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import Application, ApplicationBuilder, Defaults

from core.clock import Clock, SystemClock
from core.content.courts import load_courts
from core.i18n import LANGUAGES, N_, translator
from core.library import LiveLibrary
from core.logs import configure_logging
from core.settings import Settings, SettingsError, load_settings
from core.tzrules import rules_version
from delivery.http import telegram_request
from delivery.pacing import pacer_from_settings
from delivery.sender import build_sender
from handlers import (
    alerts_job,
    announcements,
    broadcast_progress,
    housekeeping,
    outbox_lifecycle,
    ui,
    webhook,
)
from handlers import health as health_job  # operations: heartbeat for tools/health.py
from handlers.context import CONTEXT_TYPES, SERVICES_KEY, Services
from handlers.ordering import CONNECTIONS, PerPersonUpdates
from handlers.resilience import ReplyRetry
from handlers.routes import STAFF_COMMANDS, USER_COMMANDS, register
from handlers.search import prepare_index
from handlers.staff import watch_content
from storage.announcements import AnnouncementStore
from storage.audit import AuditLog
from storage.conversations import ConversationStore
from storage.db import open_database
from storage.health import HealthStore
from storage.outbox import Outbox
from storage.reminders import ReminderStore
from storage.users import UserStore

log = logging.getLogger("bot")

COMMAND_DESCRIPTIONS: dict[str, str] = {
    "start": N_("Start over: greeting and menu"),
    "menu": N_("Main menu: all topics"),
    "help": N_("What the bot can do"),
    "reminders": N_("Hearing reminders and deadline alerts"),
    "language": N_("Change the language"),
    "privacy": N_("What the bot keeps about you"),
    "forget": N_("Erase everything about you"),
    "cancel": N_("Stop what you are doing"),
    "stats": N_("Staff: aggregate statistics"),
    "audit": N_("Staff: audit log of staff actions"),
    "reload": N_("Staff: reload the explainers now"),
    "broadcast": N_("Staff: send an announcement to users"),
}
CONTENT_WATCH_SECONDS = 5.0
INDEX_AFTER_SECONDS = 1.0  # polling has started by then: start-up does not wait for the index
BOOTSTRAP_RETRIES = 3  # a brief network outage at start is survived; a wrong URL is reported
BOT_DESCRIPTION = N_(
    "A guide to the US asylum process in plain words, for people who fled Russia and their "
    "families: the border, the fear interview, detention and bond, court, deadlines. "
    "Information, not legal advice."
)
BOT_SHORT_DESCRIPTION = N_("The US asylum process in plain words. Information, not legal advice.")


def build_application(settings: Settings, clock: Clock | None = None) -> Application:  # type: ignore[type-arg]
    """Build the bot: storage, services, handlers, and the start-up hook that sets menus."""
    db = open_database(settings.db_path)
    clock = clock or SystemClock()
    ui.SHOWN.clear()  # one bot per process: what an earlier one showed is not this one's
    reminders = ReminderStore(db)
    replanned = reminders.replan_for_rules(clock.now())  # after a tzdata or zone-law change
    if replanned:
        log.info("reminders_replanned count=%s tz_rules=%s", replanned, rules_version())
    users = UserStore(db)
    outbox = Outbox(db)  # announcements and alerts: paced, durable, never twice
    announcement_store = AnnouncementStore(db)
    budget = pacer_from_settings(settings)  # one rate budget: replies first, then the outbox
    sender = build_sender(
        settings,
        outbox,
        users,
        clock,
        compose=announcements.compose_for(announcement_store, users),
        pacer=budget,
    )
    services = Services(
        settings=settings,
        clock=clock,
        users=users,
        audit=AuditLog(db),
        library=LiveLibrary(settings.content_dir, clock),
        conversations=ConversationStore(db),
        reminders=reminders,
        courts=tuple(load_courts(settings.content_dir / "data" / "courts.csv")[0]),
        outbox=outbox,
        sender=sender,
        announcements=announcement_store,
    )
    poll_watch = health_job.PollWatch(clock)  # operations: notes each successful getUpdates
    app = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(CONTEXT_TYPES)  # handlers reach the services as context.services
        .base_url(settings.api_base_url)
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(ReplyRetry(budget))  # the replies' side of the budget; retries of 5xx
        .get_updates_request(poll_watch)
        .concurrent_updates(PerPersonUpdates())  # at once across people, in order per person
        .request(telegram_request(CONNECTIONS))
        .post_init(announce_commands)
        .post_shutdown(lambda app: _close(app, db))
        .build()
    )
    app.bot_data[SERVICES_KEY] = services
    health_job.attach(app, HealthStore(db), poll_watch, clock)
    register(app)
    return app


async def _close(app: Application, db: Any) -> None:  # type: ignore[type-arg]
    await outbox_lifecycle.stop(app)  # sends on the wire finish before the database closes
    db.close()


def _commands(lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    t = translator(lang)
    return [BotCommand(name, t._(COMMAND_DESCRIPTIONS[name])) for name in names]


async def announce_commands(app: Application) -> None:  # type: ignore[type-arg]
    """Set the command menu and descriptions per language; staff commands only for staff."""
    bot = app.bot
    settings: Settings = app.bot_data[SERVICES_KEY].settings
    await bot.set_my_commands(_commands("ru", USER_COMMANDS), scope=BotCommandScopeDefault())
    for lang in LANGUAGES:
        t = translator(lang)
        await bot.set_my_commands(_commands(lang, USER_COMMANDS), language_code=lang)
        await bot.set_my_description(t._(BOT_DESCRIPTION), language_code=lang)
        await bot.set_my_short_description(t._(BOT_SHORT_DESCRIPTION), language_code=lang)
    for staff_id in sorted(settings.admin_ids):
        scope = BotCommandScopeChat(staff_id)
        try:
            for code in ("", *LANGUAGES):  # "": the menu for any other app language
                menu = _commands(code or "ru", USER_COMMANDS + STAFF_COMMANDS)
                await bot.set_my_commands(menu, scope=scope, language_code=code or None)
        except TelegramError as error:  # the staff member has not opened the bot yet
            log.warning("staff_menu_not_set staff_id=%s error=%s", staff_id, type(error).__name__)
    if app.job_queue is not None:
        app.job_queue.run_repeating(watch_content, interval=CONTENT_WATCH_SECONDS, name="content")
    await outbox_lifecycle.start(app)  # the outbox sender
    broadcast_progress.start_reports(app)  # the staff's progress reports
    await alerts_job.start(app)  # alerts due while the bot was down, then the alert job
    housekeeping.start(app)  # unfinished conversations are forgotten after a day
    health_job.schedule(app)  # operations: the heartbeat tools/health.py reads
    if app.job_queue is not None:  # the search index: after start-up, before the first question
        app.job_queue.run_once(prepare_index, when=INDEX_AFTER_SECONDS, name="search-index")
    log.info("bot_ready username=%s", bot.username)


def run(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Poll, or serve the webhook; returns after SIGINT/SIGTERM and a graceful shutdown."""
    if settings.webhook_url is None:
        log.info("mode=polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=BOOTSTRAP_RETRIES)
        return
    log.info("mode=webhook listen=%s port=%s", settings.webhook_listen, settings.webhook_port)
    asyncio.run(serve_webhook(app, settings))


async def serve_webhook(app: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Webhook mode: python-telegram-bot's application with our own small server in front
    (handlers/webhook.py: the secret is checked before the body is read); runs until SIGINT
    or SIGTERM, then shuts down as run_polling would."""
    assert settings.webhook_url is not None
    secret = secrets.token_urlsafe(32)  # new each start; checked on every request
    path = urlparse(settings.webhook_url).path.lstrip("/")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    runner = web.AppRunner(webhook.make_server(app, path, secret), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
        for attempt in range(BOOTSTRAP_RETRIES + 1):
            try:
                await app.bot.set_webhook(
                    settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
                )
                break
            except (NetworkError, TimedOut):
                if attempt == BOOTSTRAP_RETRIES:
                    raise
                await asyncio.sleep(2**attempt)
        await app.start()
        app.bot_data[webhook.SERVING_KEY] = True
        await stop.wait()
    finally:
        app.bot_data[webhook.SERVING_KEY] = False
        await runner.cleanup()
        if app.running:
            await app.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()


def main() -> int:
    """Entry point: validate settings, then run until stopped."""
    try:
        settings = load_settings()
    except SettingsError as problem:
        print(f"Configuration error: {problem}", file=sys.stderr)
        return 2
    configure_logging()
    app = build_application(settings)
    try:
        run(app, settings)
    except InvalidToken:
        print(
            "Configuration error: TELEGRAM_BOT_TOKEN was rejected by the Bot API: "
            "set it to the current token from @BotFather",
            file=sys.stderr,
        )
        return 2
    except (NetworkError, TimedOut) as problem:
        where = urlparse(settings.api_base_url)
        print(
            f"Cannot reach the Bot API at {where.scheme}://{where.netloc} "
            f"({type(problem).__name__}): check the network and TELEGRAM_API_BASE_URL",
            file=sys.stderr,
        )
        return 1
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
