"""Multi-step conversations: which flow a user is in (kept in SQLite), and who handles typed text.

A flow registers a text step with `@on_text("flow-name")`; while a user has that flow's
conversation open, whatever they type goes to it instead of the free-text search. Buttons carry
their own callback data and need no routing here. /cancel ends any flow.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from handlers.context import Context, services
from storage.conversations import Conversation

TextStep = Callable[[Update, Context, Conversation], Coroutine[Any, Any, None]]

_TEXT_STEPS: dict[str, TextStep] = {}


def on_text(flow: str) -> Callable[[TextStep], TextStep]:
    """Register the function that takes typed text while a user is in `flow`."""

    def register(step: TextStep) -> TextStep:
        _TEXT_STEPS[flow] = step
        return step

    return register


def current(update: Update, context: Context) -> Conversation | None:
    """The user's open conversation, if any (expired ones count as none)."""
    user = update.effective_user
    if user is None:
        return None
    svc = services(context)
    return svc.conversations.get(user.id, svc.clock.now())


def save(update: Update, context: Context, flow: str, state: dict[str, Any]) -> None:
    """Keep the user's place in `flow` (survives a restart)."""
    user = update.effective_user
    if user is not None:
        svc = services(context)
        svc.conversations.save(user.id, flow, state, svc.clock.now())


def end(update: Update, context: Context) -> bool:
    """End the user's conversation; True if there was one."""
    user = update.effective_user
    if user is None:
        return False
    svc = services(context)
    had = svc.conversations.get(user.id, svc.clock.now()) is not None
    if had:  # no write when there is nothing to end (a full or read-only disk still serves)
        svc.conversations.end(user.id)
    return had


async def route_text(update: Update, context: Context) -> bool:
    """Give typed text to the user's open flow; False when no flow takes it."""
    conversation = current(update, context)
    if conversation is None:
        return False
    step = _TEXT_STEPS.get(conversation.flow)
    if step is None:
        return False
    await step(update, context, conversation)
    return True
