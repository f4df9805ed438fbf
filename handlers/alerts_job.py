"""The alert schedule on python-telegram-bot's JobQueue, with SQLite as the source of truth.

One job only, armed for the next due alert (`arm`): the database's index on due times says
when, so a million stored reminders cost one index lookup, not a million jobs. The job
(`run_sweep`) settles every due alert in batches, one way: storage reads a batch and what each
alert comes to (storage/reminders.py `due_alerts`), this module composes the messages to send
(`alert_message`), storage records the outcomes and queues them (`record`); then it wakes the
sender and arms itself again. It also re-checks at least
every `MAX_WAIT`, so a clock jump or a change made by another process is noticed.

The schedule re-arms itself whatever happens (a missed hearing is a removal order): a sweep
that fails (a database locked by another process past its timeout, a read-only or full disk) is
retried with a backoff of 2, 4, 8 ... 60 seconds, and the job is armed again even when arming
itself fails; the job runs however late the event loop lets it (no misfire grace: a loop busy at
the due time delays the alerts, never drops them); and a watchdog job every minute arms the
alert job again if it is ever missing. `make health` fails when an alert waits unsettled for
more than five minutes (tools/health.py).

At start (`start`, called from bot.py's post_init) the same sweep runs before anything else:
an alert that came due while the bot was down goes out now if its event is still ahead and is
logged as missed otherwise (`core.reminders.settle_due`). Any change to a reminder calls
`rearm`, so it takes effect at once. A daily job deletes reminders 30 days after their event
unless kept (`cleanup`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from core.court_search import court_by_id
from core.i18n import translator
from core.reminder_texts import compose_alert
from core.reminders import Draft, Outcome, is_weekly
from delivery.message import OutboxMessage
from handlers.callbacks import CallbackData
from handlers.callbacks.reminders import ReminderAction, ReminderSwitch, ReminderTopic
from handlers.context import SERVICES_KEY, Context, Services
from storage.reminders import DueAlert, DueBatch, Reminder, ReminderStore, SettleReport

log = logging.getLogger(__name__)

JOB_NAME = "reminder-alerts"
CLEANUP_JOB_NAME = "reminder-cleanup"
BATCH = 500
MAX_WAIT = timedelta(minutes=10)
EPSILON = timedelta(milliseconds=50)  # fire just after the due instant, never just before
CLEANUP_EVERY = timedelta(days=1)
WATCHDOG_JOB_NAME = "reminder-alerts-watchdog"
WATCHDOG_EVERY = timedelta(minutes=1)
RETRY_FIRST = timedelta(seconds=2)
RETRY_CAP = timedelta(minutes=1)
FAILURES_KEY = "alert_sweep_failures"
# APScheduler drops a job that starts more than its misfire grace (1 s) late: never for alerts.
JOB_OPTIONS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}


def _services(app: Any) -> Services:
    found: Services = app.bot_data[SERVICES_KEY]
    return found


def sweep(app: Any) -> SettleReport:
    """Settle every alert due now (batch by batch) and wake the sender; returns what it did."""
    svc = _services(app)
    store = svc.reminders
    report = SettleReport()
    now = svc.clock.now()

    def compose(alert: DueAlert) -> OutboxMessage:
        return alert_message(svc, alert.reminder, alert.kind, alert.language, now)

    while True:
        batch, settled = settle_batch(store, now, BATCH, compose)
        report.add(settled)
        if len(batch.row_ids) < BATCH:
            break
    if report.total:
        counts = " ".join(f"{o.value}={n}" for o, n in sorted(report.counts.items(), key=str))
        log.info("alerts_settled %s", counts)
    if report.queued_refs:
        svc.sender.wake()
    return report


def settle_batch(
    store: ReminderStore, now: datetime, limit: int, compose: Callable[[DueAlert], OutboxMessage]
) -> tuple[DueBatch, SettleReport]:
    """One batch, one way: storage reads the due alerts and what each comes to, `compose`
    writes the message of each one to send, storage records the outcomes and queues them."""
    batch = store.due_alerts(now, limit)
    messages = {
        alert.ref: compose(alert).to_payload()
        for alert in batch.alerts
        if alert.outcome is Outcome.SEND
    }
    return batch, store.record(batch, messages, now)


async def run_sweep(app: Any) -> SettleReport:
    """The job: sweep, then arm for the next due alert. Tests call it after moving the clock.

    Never raises: a failed sweep is logged and retried after a backoff, so one fault never
    stops the reminders."""
    try:
        report = sweep(app)
    except Exception as error:  # sqlite3.OperationalError, OSError...: anything, retried
        failures = app.bot_data.get(FAILURES_KEY, 0) + 1
        app.bot_data[FAILURES_KEY] = failures
        wait = retry_delay(failures)
        log.warning(
            "alerts_sweep_failed error=%s failures=%s retry_in_s=%.0f",
            type(error).__name__,
            failures,
            wait.total_seconds(),
        )
        _schedule(app, wait)
        return SettleReport()
    if app.bot_data.pop(FAILURES_KEY, 0):
        log.info("alerts_sweep_recovered")
    arm(app)
    return report


def retry_delay(failures: int) -> timedelta:
    """The wait before retrying after `failures` failed sweeps in a row: 2, 4, 8 ... 60 s."""
    factor: int = 2 ** min(failures - 1, 10)
    return min(RETRY_CAP, RETRY_FIRST * factor)


async def _job(context: Context) -> None:
    await run_sweep(context.application)


def arm(app: Any) -> datetime | None:
    """(Re)arm the one alert job for the next due alert (at most `MAX_WAIT` away)."""
    svc = _services(app)
    if app.job_queue is None:
        return None
    try:
        next_due = svc.reminders.next_due_at()
    except Exception as error:  # the database cannot be read now: look again soon
        log.warning("alerts_arm_failed error=%s", type(error).__name__)
        _schedule(app, RETRY_FIRST)
        return None
    wait = MAX_WAIT
    if next_due is not None:
        wait = min(MAX_WAIT, max(timedelta(0), next_due - svc.clock.now()) + EPSILON)
    _schedule(app, wait)
    return next_due


def _schedule(app: Any, wait: timedelta) -> None:
    """The one alert job, replacing any other, `wait` from now (wall clock)."""
    queue = app.job_queue
    for job in queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    queue.run_once(_job, when=wait.total_seconds(), name=JOB_NAME, job_kwargs=JOB_OPTIONS)


def is_armed(app: Any) -> bool:
    """Whether the alert job is scheduled (the watchdog's question)."""
    queue = app.job_queue
    return queue is not None and any(not job.removed for job in queue.get_jobs_by_name(JOB_NAME))


async def _watchdog(context: Context) -> None:
    app = context.application
    if not is_armed(app):
        log.warning("alerts_job_missing rearming=1")
        arm(app)


def rearm(app: Any) -> None:
    """A reminder changed: arm the job for the (possibly new) next due alert."""
    arm(app)


def cleanup(app: Any) -> int:
    """Delete reminders 30 days after their event unless kept; returns how many."""
    svc = _services(app)
    deleted = svc.reminders.delete_expired(svc.clock.now())
    if deleted:
        log.info("reminders_expired deleted=%s", deleted)
    return deleted


async def _cleanup_job(context: Context) -> None:
    cleanup(context.application)


async def start(app: Any) -> SettleReport:
    """At start-up: settle what came due while the bot was down, clean up, arm the jobs."""
    report = await run_sweep(app)
    try:
        cleanup(app)
    except Exception as error:  # tried again by the daily job
        log.warning("reminders_cleanup_failed error=%s", type(error).__name__)
    queue = app.job_queue
    if queue is not None and not queue.get_jobs_by_name(WATCHDOG_JOB_NAME):
        queue.run_repeating(
            _watchdog,
            interval=WATCHDOG_EVERY.total_seconds(),
            name=WATCHDOG_JOB_NAME,
            job_kwargs=JOB_OPTIONS,
        )
    if queue is not None and not queue.get_jobs_by_name(CLEANUP_JOB_NAME):
        queue.run_repeating(
            _cleanup_job,
            interval=CLEANUP_EVERY.total_seconds(),
            first=CLEANUP_EVERY.total_seconds(),
            name=CLEANUP_JOB_NAME,
        )
    return report


# --- the alert message ---------------------------------------------------------------------

DEADLINE_TOPICS = {
    "one_year": "i589",
    "address": "change-address",
    "bia": "removal-order",
    "work": "work-permit",
    "ar11": "change-address",
    "review": "removal-order",
    "reopen": "removal-order",
    "ead_renew": "work-permit",
    "annual_fee": "i589",
}


def alert_message(
    svc: Services, reminder: Reminder, alert_kind: str, language: str, now: datetime
) -> OutboxMessage:
    """One alert's message, in the user's language at the moment it is due."""
    t = translator(language)
    draft: Draft = reminder.draft
    court = court_by_id(svc.courts, draft.court_id)
    text = compose_alert(t, draft, alert_kind, now, court)
    rid = reminder.id
    rows: list[tuple[dict[str, str], ...]] = []
    if draft.spec.deadline:
        rows.append((_button(t._("📖 Read more"), ReminderTopic(DEADLINE_TOPICS[draft.kind])),))
        rows.append((_button(t._("🆘 Free legal help"), ReminderTopic("legal-help")),))
        rows.append((_button(t._("🔕 Stop these reminders"), ReminderAction("stop", rid, "a")),))
    elif is_weekly(alert_kind):
        rows.append((_button(t._("✏️ The date changed"), ReminderAction("ed", rid, "a")),))
        weekly = ReminderSwitch("wk", rid, False, "a")
        rows.append((_button(t._("🔕 Stop the weekly check"), weekly),))
    else:
        rows.append((_button(t._("✏️ The date changed"), ReminderAction("ed", rid, "a")),))
        if draft.spec.court:
            rows.append((_button(t._("🎒 What to bring"), ReminderTopic("court", "bring")),))
        rows.append((_button(t._("🔕 Stop these reminders"), ReminderAction("stop", rid, "a")),))
    return OutboxMessage(text, parse_mode="HTML", buttons=tuple(rows))


def _button(label: str, data: CallbackData) -> dict[str, str]:
    return {"text": label, "callback_data": data.pack()}
