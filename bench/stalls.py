"""Run a bot script; record the event-loop callbacks that held the loop too long, and GC pauses.

Used while profiling the load benchmark: a reply that waits is often not slow itself, but queued
behind one long callback (a synchronous database call, a file scan). Every callback of the
asyncio loop is timed; those over STALL_MS are counted by where they come from, and the list is
written to OUTPUT at exit (the bot exits on SIGTERM, as bench/botproc.py stops it).
Usage: python bench/stalls.py OUTPUT.txt SCRIPT.py   (e.g. through bench/load.py's wrapper)
"""

from __future__ import annotations

import asyncio.events
import atexit
import gc
import runpy
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

STALL_MS = 20.0
ROOT = str(Path(__file__).resolve().parents[1])
stalls: Counter[str] = Counter()
worst: dict[str, float] = {}
_original_run = asyncio.events.Handle._run


def _where(handle: asyncio.events.Handle) -> str:
    """The callback, or for a task step: its coroutine and the last line of project code it
    was in when it suspended again (the slow work came just before that line)."""
    callback: Any = getattr(handle, "_callback", None)
    task = getattr(callback, "__self__", None)
    if not isinstance(task, asyncio.Task):
        return repr(callback)[:120]
    coro: Any = task.get_coro()
    name = getattr(coro, "__qualname__", repr(coro))
    ours = ""
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if (
            frame is not None
            and ROOT in frame.f_code.co_filename
            and ".venv" not in (frame.f_code.co_filename)
        ):
            ours = f" @ {Path(frame.f_code.co_filename).relative_to(ROOT)}:{frame.f_lineno}"
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return f"task {name}{ours}"


def _timed_run(self: asyncio.events.Handle) -> None:
    began = time.perf_counter()
    _original_run(self)
    spent = (time.perf_counter() - began) * 1000
    if spent >= STALL_MS:
        where = _where(self)
        stalls[where] += 1
        worst[where] = max(worst.get(where, 0.0), spent)


_gc_started = 0.0
gc_pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}


def _gc_timer(phase: str, info: dict[str, int]) -> None:
    """gc.callbacks hook: the duration of every garbage collection, by generation."""
    global _gc_started
    if phase == "start":
        _gc_started = time.perf_counter()
    else:
        gc_pauses[info["generation"]].append((time.perf_counter() - _gc_started) * 1000)


def _write() -> None:
    lines = [f"{n:5d} x, worst {worst[w]:7.1f} ms  {w}" for w, n in stalls.most_common()]
    for generation, pauses in gc_pauses.items():
        if pauses:
            lines.append(
                f"gc generation {generation}: {len(pauses)} collections, "
                f"{sum(pauses):.0f} ms in all, worst {max(pauses):.1f} ms"
            )
    Path(OUTPUT).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    OUTPUT, SCRIPT = sys.argv[1], sys.argv[2]
    asyncio.events.Handle._run = _timed_run  # type: ignore[method-assign]
    gc.callbacks.append(_gc_timer)
    atexit.register(_write)
    sys.argv = [SCRIPT]
    runpy.run_path(SCRIPT, run_name="__main__")
