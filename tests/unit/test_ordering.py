"""PerPersonUpdates: updates of different people at once, one person's strictly in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from handlers.ordering import PerPersonUpdates, person_of


def message_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    sent = Message(update_id, datetime(2026, 11, 28, tzinfo=UTC), chat, from_user=user, text="hi")
    return Update(update_id, message=sent)


async def test_one_persons_updates_wait_for_each_other_others_do_not() -> None:
    processor = PerPersonUpdates(8)
    log: list[str] = []
    release_first = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        log.append(f"{name} start")
        if wait is not None:
            await wait.wait()
        log.append(f"{name} end")

    first = asyncio.create_task(
        processor.process_update(message_from(1, 1), handle("anna-1", release_first))
    )
    second = asyncio.create_task(processor.process_update(message_from(1, 2), handle("anna-2")))
    other = asyncio.create_task(processor.process_update(message_from(2, 3), handle("ivan-1")))
    await asyncio.wait_for(other, 1)  # Ivan is not held up by Anna's slow first update
    assert log == ["anna-1 start", "ivan-1 start", "ivan-1 end"]
    assert processor.busy_people() == 1
    release_first.set()
    await asyncio.wait_for(asyncio.gather(first, second), 1)
    assert log[3:] == ["anna-1 end", "anna-2 start", "anna-2 end"]
    assert processor.busy_people() == 0  # no lock is kept for people with nothing queued


async def test_a_failing_update_does_not_block_the_next_one() -> None:
    processor = PerPersonUpdates(4)

    async def fail() -> None:
        raise RuntimeError("handler failed")

    async def succeed() -> str:
        return "ok"

    failing = asyncio.create_task(processor.process_update(message_from(1, 1), fail()))
    after = asyncio.create_task(processor.process_update(message_from(1, 2), succeed()))
    results = await asyncio.wait_for(asyncio.gather(failing, after, return_exceptions=True), 1)
    assert isinstance(results[0], RuntimeError)
    assert results[1] is None
    assert processor.busy_people() == 0


def test_whose_update() -> None:
    assert person_of(message_from(42, 1)) == 42
    assert person_of(Update(5)) is None
    assert person_of("not an update") is None


async def test_a_dozen_queued_updates_of_one_person_never_hold_up_another() -> None:
    """Issue 13.4: Anna's first update is slow and eleven more of hers wait behind it; Ivan's
    update is handled at once (before, her queue took all eight slots and he waited)."""
    processor = PerPersonUpdates(8)
    release_first = asyncio.Event()
    done: list[str] = []

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)

    annas = [
        asyncio.create_task(
            processor.process_update(
                message_from(1, n), handle(f"anna-{n}", release_first if n == 1 else None)
            )
        )
        for n in range(1, 13)
    ]
    await asyncio.sleep(0)
    ivan = asyncio.create_task(processor.process_update(message_from(2, 99), handle("ivan")))
    await asyncio.wait_for(ivan, 1)
    assert done == ["ivan"]
    release_first.set()
    await asyncio.wait_for(asyncio.gather(*annas), 1)
    assert done == ["ivan", *(f"anna-{n}" for n in range(1, 13))]
