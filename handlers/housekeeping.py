"""Forgetting on time: what people typed into a conversation they never finished.

The screens promise that nothing is stored until the person confirms, and the conversations
table keeps a flow's answers only while it lasts (storage/conversations.py): a conversation
left unfinished for a day (a relative's name, a hearing date, triage answers) is deleted by
this hourly job, and once at start-up. Jobs run however late the event loop lets them.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from handlers.alerts_job import JOB_OPTIONS  # run however late, never dropped
from handlers.context import SERVICES_KEY, Context, Services

log = logging.getLogger(__name__)

JOB_NAME = "stale-conversations"
EVERY = timedelta(hours=1)


def forget_stale_conversations(app: Any) -> int:
    """Delete conversations untouched for a day; returns how many."""
    svc: Services = app.bot_data[SERVICES_KEY]
    try:
        deleted = svc.conversations.end_stale(svc.clock.now())
    except Exception as error:  # a locked or read-only database: tried again in an hour
        log.warning("stale_conversations_not_deleted error=%s", type(error).__name__)
        return 0
    if deleted:
        log.info("stale_conversations_deleted count=%s", deleted)
    return deleted


async def _job(context: Context) -> None:
    forget_stale_conversations(context.application)


def start(app: Any) -> None:
    """Run once now, then every hour."""
    forget_stale_conversations(app)
    queue = app.job_queue
    if queue is not None and not queue.get_jobs_by_name(JOB_NAME):
        queue.run_repeating(
            _job,
            interval=EVERY.total_seconds(),
            first=EVERY.total_seconds(),
            name=JOB_NAME,
            job_kwargs=JOB_OPTIONS,
        )
