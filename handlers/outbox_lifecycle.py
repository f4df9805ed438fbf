"""The outbox sender's life with the application: started after start-up (announcements whose
recipients a crash left half-queued are finished first), stopped at shutdown after the messages
on the wire. Alerts and announcements both go through it, so it lives apart from either flow.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application

from handlers.context import SERVICES_KEY, Services
from storage.announcements import queue_recipients

log = logging.getLogger(__name__)


async def start(app: Application) -> None:  # type: ignore[type-arg]
    """post_init: finish queueing what a crash interrupted, then start the sender (it carries
    on where a previous run stopped)."""
    svc: Services = app.bot_data[SERVICES_KEY]
    store = svc.announcements
    for announcement_id in store.unqueued():  # half-queued by a crash: the rest, then on
        recipients = await asyncio.to_thread(
            queue_recipients, svc.settings.db_path, announcement_id, svc.clock.now()
        )
        store.finish_queueing(announcement_id, recipients)
        log.info("broadcast_queueing_resumed id=%s recipients=%s", announcement_id, recipients)
    await svc.sender.start()


async def stop(app: Application) -> None:  # type: ignore[type-arg]
    """post_shutdown: finish the sends on the wire and stop the sender."""
    svc: Services = app.bot_data[SERVICES_KEY]
    await svc.sender.stop()
