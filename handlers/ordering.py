"""Handling updates at once across people, and in order for each person.

python-telegram-bot handles one update at a time by default, so while one reply waits on the
network, everyone else's updates wait too; with a few hundred people writing, those waits add
up to replies that take a second. `PerPersonUpdates` lets up to MAX_AT_ONCE updates be handled
together, but keeps each person's updates strictly in the order they came: a second button press
waits until the first one is answered, so a conversation, a reminder or a setting is never
changed by two of one person's updates at once. (Storage calls are synchronous, so no two
updates ever interleave inside one transaction either.)

The person's turn comes first, the shared slot second: an update waiting behind the same
person's earlier one holds no slot, so one person with a dozen queued updates (a flood of
presses, a long paste split in pieces) never fills the MAX_AT_ONCE slots that everyone else
needs. python-telegram-bot's own gate (taken before `do_process_update`) is set far higher,
as a backstop only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_AT_ONCE = 8
QUEUED_AT_MOST = 4096  # python-telegram-bot's own gate: updates waiting for a person's turn
# HTTP connections to Telegram for replies: one per update being handled (a handler sends one
# request at a time), and a few for jobs. Not more: httpcore looks through every pooled
# connection for each request, which at 256 (PTB's default) cost more CPU than the replies.
CONNECTIONS = MAX_AT_ONCE + 4


class PerPersonUpdates(BaseUpdateProcessor):
    """Concurrent across people, sequential per person (by user id, else chat id)."""

    def __init__(self, max_concurrent_updates: int = MAX_AT_ONCE) -> None:
        super().__init__(max(QUEUED_AT_MOST, max_concurrent_updates))
        self.slots = max_concurrent_updates
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers once this person's earlier updates are done and one of
        the shared slots is free (in that order)."""
        key = person_of(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:  # nobody's updates are queued behind: forget the lock
                del self._waiting[key]
                del self._locks[key]

    def busy_people(self) -> int:
        """How many people have an update being handled or waiting (for tests and health)."""
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def person_of(update: object) -> int | None:
    """Whose update this is: the user's id, else the chat's, else None (handled at once)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None
