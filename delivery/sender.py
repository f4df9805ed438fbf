"""The sender: drains the durable outbox to Telegram at a pace Telegram accepts.

One loop claims due rows one at a time (alerts before announcements, storage/outbox.py), waits
for the pacer (delivery/pacing.py), and sends up to `concurrency` messages at once. Every row
is settled by what Telegram answered:

* ok: sent;
* 403 (the user blocked the bot, or never opened it): the row is "blocked", the user is marked
  blocked (`UserStore.mark_blocked`), their other pending rows are dropped, nothing is retried;
* 400 (chat not found, bad formatting...): failed, never retried;
* 429: the whole pacer pauses for retry_after and slows down; the row goes back untouched;
* network errors, timeouts, 5xx: the row is retried later with exponential backoff (1 s, 2 s,
  4 s ... capped at 60 s), and after `max_attempts` tries it is failed; consecutive network
  errors also pause every send (0.5 s, 1 s, 2 s ... capped at 30 s) so an outage is not hammered.

"Never twice": the outbox holds one row per (user, ref). A row is "sending" while claimed; if
the process is killed, start() puts those rows back to pending and they are sent again. Only a
message whose HTTP request was on the wire at the kill can therefore arrive twice: at most one
per user, and at most `concurrency` in all. At the paced rate, with Telegram (or the emulator)
answering faster than one pacing interval (40 ms at 25/s), there is only ever one on the wire.
A timed-out request may also have been delivered; it is retried, so that one may arrive twice.

Why the sender does not go through the Application's rate limiter: that limiter retries 429s
itself and sleeps inside the request; the sender must see every 429 it has to honour, and pace
each row by its chat. `build_sender` therefore gives the sender its own plain `telegram.Bot`
(same token and API URL, its own connection pool, no rate limiter). Both sides spend one
budget, the same `Pacer`: the replies take their tokens first (handlers/resilience.py), the
sender waits for what is left, so together they stay under Telegram's limit.

Announcement rows carry a reference ({"announcement": id}) instead of their text, resolved at
send time by `compose` (handlers/announcements.py): a million recipients do not each store the
text, and each gets it in the language they have at that moment. Alert rows carry the whole
message (`delivery/message.py`: `OutboxMessage.to_payload()`). Either way, what the sender
sends is one typed `OutboxMessage`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import warnings
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import telegram
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from core.clock import Clock
from delivery.http import telegram_request
from delivery.message import OutboxMessage
from delivery.pacing import Pacer, pacer_from_settings
from storage.outbox import Outbox, OutboxItem
from storage.users import UserStore

log = logging.getLogger(__name__)

Compose = Callable[[OutboxItem], OutboxMessage]

DEFAULT_CONCURRENCY = 8
MAX_ATTEMPTS = 10
ROW_BACKOFF_CAP = 60.0
OUTAGE_PAUSE_CAP = 30.0
RECORD_RETRY = 1.0  # seconds between tries to record outcomes the database refused
IDLE_POLL = 5.0  # seconds between looks at the outbox when nothing is due and nobody woke us
LONG_WAIT = 0.5  # waits longer than this give way at once to stop()
CONFIG_PAUSE = 60.0  # the token was refused: wait for someone to fix it, keep the rows


def stored_message(item: OutboxItem) -> OutboxMessage:
    """The compose of rows that hold their message (alerts, tests): read it back, typed."""
    return OutboxMessage.from_payload(item.payload)


class Skip(Exception):
    """Raised by `compose` when a row must not be sent after all (it is marked cancelled)."""


@dataclass
class SenderStats:
    """Counts since this sender was built (for benchmarks, health checks and tests)."""

    sent: int = 0
    failed: int = 0
    blocked: int = 0
    throttled: int = 0  # 429 answers
    retried: int = 0  # network errors, timeouts, 5xx
    skipped: int = 0


def message_kwargs(message: OutboxMessage | Mapping[str, Any]) -> dict[str, Any]:
    """send_message arguments for a message (typed, or as stored in an outbox row)."""
    typed = message if isinstance(message, OutboxMessage) else OutboxMessage.from_payload(message)
    return typed.send_kwargs()


def _retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, read through the public attribute (int or timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = error.retry_after
    return raw.total_seconds() if isinstance(raw, timedelta) else float(raw)


def row_backoff(attempts: int) -> float:
    """Seconds before retrying a row that failed `attempts + 1` times: 1, 2, 4 ... 60."""
    return min(ROW_BACKOFF_CAP, 2.0 ** min(attempts, 16))


def outage_pause(failures_in_row: int) -> float:
    """Seconds every send waits after `failures_in_row` network errors in a row: 0.5, 1 ... 30."""
    return min(OUTAGE_PAUSE_CAP, 0.5 * 2.0 ** min(failures_in_row - 1, 16))


class Sender:
    """Drains the outbox; see the module docstring."""

    def __init__(
        self,
        bot: telegram.Bot,
        outbox: Outbox,
        users: UserStore,
        clock: Clock,
        pacer: Pacer,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        concurrency: int = DEFAULT_CONCURRENCY,
        compose: Compose | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        close_bot: bool = False,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.bot = bot
        self.outbox = outbox
        self.users = users
        self.clock = clock
        self.pacer = pacer
        self.sleep = sleep
        self.concurrency = concurrency
        self.compose: Compose = compose or stored_message
        self.max_attempts = max_attempts
        self.stats = SenderStats()
        self._close_bot = close_bot
        self._task: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle_count = 0
        self._on_wire = 0
        self._failures_in_row = 0
        # Outcomes the database refused to record (locked, full, read-only): kept here and
        # written as soon as it takes writes again, so no row stays "sending" (a restart would
        # send it twice) and the staff progress report reaches 100 %.
        self._unrecorded: list[Callable[[], None]] = []

    # ---- public API ------------------------------------------------------------------------

    async def start(self) -> None:
        """Put rows a killed process left "sending" back to pending, then run the loop."""
        if self.running:
            return
        recovered = self.outbox.recover_in_flight()
        log.info("sender_started recovered=%s backlog=%s", recovered, self.outbox.backlog())
        await self.bot.initialize()
        self._stopped.clear()
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        """Finish the sends on the wire, put back claimed rows not yet sent, stop the loop."""
        self._stopped.set()
        self._wake.set()
        task, self._task = self._task, None
        if task is not None and not task.done():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        self._record_pending()  # a last try; what is left is recovered as pending at start
        if self._close_bot:
            with contextlib.suppress(Exception):
                await self.bot.shutdown()
        log.info("sender_stopped backlog=%s", self.outbox.backlog())

    def wake(self) -> None:
        """New rows were enqueued (or some were cancelled): look at the outbox now."""
        self._wake.set()

    async def run_until_idle(self) -> None:
        """Send everything due now; return when nothing is due and nothing is in flight.

        With the loop running (after start()) this wakes it and waits for it to go idle;
        otherwise it does the sending itself (tests, benchmarks).
        """
        task = self._task
        if task is None or task.done():
            self._stopped.clear()
            await self._pump(forever=False)
            return
        target = self._idle_count + 1
        self.wake()
        while self._idle_count < target and not task.done():
            self._idle.clear()
            idle = asyncio.ensure_future(self._idle.wait())
            await asyncio.wait({idle, task}, return_when=asyncio.FIRST_COMPLETED)
            idle.cancel()

    # ---- state, for progress reports and tests ----------------------------------------------

    @property
    def running(self) -> bool:
        """The loop is running."""
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The loop's task (tests cancel it to simulate a crash)."""
        return self._task

    @property
    def on_wire(self) -> int:
        """Messages whose pacing token is spent and whose request is not yet answered."""
        return self._on_wire

    @property
    def in_flight(self) -> int:
        """Rows claimed and not yet settled."""
        return len(self._inflight)

    # ---- the loop ---------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            while not self._stopped.is_set():
                try:
                    await self._pump(forever=True)
                except Exception:  # a bug or a database hiccup: log it, keep the loop alive
                    log.exception("sender_loop_failed")
                    await asyncio.sleep(1.0)
        except asyncio.CancelledError:
            # Killed: abandon everything as a dying process would; start() recovers the rows.
            for task in list(self._inflight):
                task.cancel()
            raise

    async def _pump(self, *, forever: bool) -> None:
        while not self._stopped.is_set():
            self._wake.clear()
            if self._unrecorded and not self._record_pending():
                await self._pace(RECORD_RETRY)
                continue
            if len(self._inflight) >= self.concurrency:
                await asyncio.wait(self._inflight, return_when=asyncio.FIRST_COMPLETED)
                continue
            wait = self.pacer.global_delay()
            if wait > 0:
                await self._pace(wait)
                continue
            items = self.outbox.claim_due(self.clock.now(), 1)
            if not items:
                if not self._inflight:
                    self._idle_count += 1
                    self._idle.set()
                    if not forever:
                        return
                await self._wait_for_work()
                continue
            self._dispatch(items[0])

    def _record(self, write: Callable[[], None]) -> None:
        """Write one row's outcome now, or keep it to write when the database takes writes."""
        self._unrecorded.append(write)
        self._record_pending()

    def _record_pending(self) -> bool:
        """Write the kept outcomes in order; True when none is left."""
        while self._unrecorded:
            try:
                self._unrecorded[0]()
            except sqlite3.Error as error:
                log.warning(
                    "sender_outcome_not_recorded pending=%s error=%s",
                    len(self._unrecorded),
                    type(error).__name__,
                )
                return False
            self._unrecorded.pop(0)
        return True

    def _dispatch(self, item: OutboxItem) -> None:
        try:
            message = self.compose(item)
        except Skip:
            self.outbox.mark_skipped(item.id)
            self.stats.skipped += 1
            return
        except Exception as error:
            log.exception("compose_failed row=%s", item.id)
            self.outbox.mark_failed(item.id, f"compose: {type(error).__name__}")
            self.stats.failed += 1
            return
        ready = self.pacer.delay(item.user_id) <= 0
        if ready:  # reserved now, so that the loop sees the bucket spent
            self.pacer.take(item.user_id)
            self._on_wire += 1
        task = asyncio.create_task(self._deliver(item, message, ready))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _wait_for_work(self) -> None:
        """Until a send finishes, someone wakes us, or the next row comes due (capped)."""
        timeout = IDLE_POLL
        next_due = self.outbox.next_due_at()
        if next_due is not None:
            timeout = min(IDLE_POLL, max(0.01, (next_due - self.clock.now()).total_seconds()))
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait(
                {woken, *self._inflight}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            woken.cancel()

    async def _pace(self, seconds: float) -> None:
        """Wait `seconds` with the injected sleep; a long wait gives way to stop()."""
        if self._stopped.is_set():
            return
        if seconds <= LONG_WAIT:
            await self.sleep(seconds)
            return
        sleeper = asyncio.ensure_future(self.sleep(seconds))
        stopper = asyncio.ensure_future(self._stopped.wait())
        try:
            await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            stopper.cancel()

    # ---- one message ------------------------------------------------------------------------

    async def _deliver(self, item: OutboxItem, message: OutboxMessage, ready: bool) -> None:
        if not ready:
            while (wait := self.pacer.delay(item.user_id)) > 0:
                if self._stopped.is_set():
                    self.outbox.release(item.id, self.clock.now())
                    return
                await self._pace(wait)
            user = self.users.get(item.user_id)
            if user is not None and not user.active:  # blocked us while this row waited
                self.outbox.mark_blocked(item.id)
                self.stats.blocked += 1
                return
            self.pacer.take(item.user_id)
            self._on_wire += 1
        if not self.outbox.still_claimed(item.id):  # erased (/forget, Delete) while it waited
            self.stats.skipped += 1
            self._on_wire -= 1
            return
        try:
            await self.bot.send_message(chat_id=item.user_id, **message.send_kwargs())
        except RetryAfter as error:
            seconds = _retry_after_seconds(error)
            self.stats.throttled += 1
            self.pacer.throttled(seconds)
            now = self.clock.now()
            self._record(lambda: self.outbox.release(item.id, now))
            log.warning("sender_throttled retry_after=%s rate=%.1f", seconds, self.pacer.rate)
        except Forbidden:
            self._record(lambda: self.outbox.mark_blocked(item.id))
            self._record(lambda: self.users.mark_blocked(item.user_id))
            self.stats.blocked += 1
        except (InvalidToken, EndPointNotFound) as error:
            now = self.clock.now()
            self._record(lambda: self.outbox.release(item.id, now))
            self.pacer.pause_until(self.pacer.monotonic() + CONFIG_PAUSE)
            log.error("sender_token_refused error=%s", type(error).__name__)
        except BadRequest as error:  # before NetworkError: BadRequest is a subclass of it
            reason = f"400 {error.message}"[:200]
            self._record(lambda: self.outbox.mark_failed(item.id, reason))
            self.stats.failed += 1
        except NetworkError as error:  # also TimedOut, 5xx, 502 pages, dropped connections
            self._network_failure(item, error)
        except TelegramError as error:
            name = type(error).__name__
            self._record(lambda: self.outbox.mark_failed(item.id, name))
            self.stats.failed += 1
        else:
            sent_at = self.clock.now()
            self._record(lambda: self.outbox.mark_sent(item.id, sent_at))
            self.stats.sent += 1
            self._failures_in_row = 0
        finally:
            self._on_wire -= 1

    def _network_failure(self, item: OutboxItem, error: NetworkError) -> None:
        self._failures_in_row += 1
        self.pacer.pause_until(self.pacer.monotonic() + outage_pause(self._failures_in_row))
        name = type(error).__name__
        if item.attempts + 1 >= self.max_attempts:
            self._record(lambda: self.outbox.mark_failed(item.id, f"gave up: {name}"))
            self.stats.failed += 1
            log.warning("sender_gave_up row=%s error=%s", item.id, name)
            return
        due = self.clock.now() + timedelta(seconds=row_backoff(item.attempts))
        self._record(lambda: self.outbox.retry_later(item.id, due, name))
        self.stats.retried += 1


def build_sender(
    settings: Any,
    outbox: Outbox,
    users: UserStore,
    clock: Clock,
    *,
    compose: Compose | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    pacer: Pacer | None = None,
) -> Sender:
    """The bot's sender: its own plain Bot (no rate limiter: it paces itself), spending the
    budget `pacer` it shares with the replies (handlers/resilience.py)."""
    bot = telegram.Bot(
        settings.token,
        base_url=settings.api_base_url,
        request=telegram_request(connection_pool_size=concurrency + 2),
    )
    return Sender(
        bot,
        outbox,
        users,
        clock,
        pacer or pacer_from_settings(settings),
        concurrency=concurrency,
        compose=compose,
        close_bot=True,
    )
