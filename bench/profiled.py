"""Run a bot script under cProfile, switched on by SIGUSR1 and written out by SIGUSR2.

Used by `python -m bench.load --profile DIR`, which switches the profiler on after the warm-up
and writes it out at the end of the measured run, so start-up does not blur the profile.
Usage: python bench/profiled.py OUTPUT.prof SCRIPT.py
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys
from types import FrameType

profiler = cProfile.Profile()


def _start(_signum: int, _frame: FrameType | None) -> None:
    profiler.enable()


def _stop_and_write(_signum: int, _frame: FrameType | None) -> None:
    profiler.disable()
    profiler.dump_stats(OUTPUT)


if __name__ == "__main__":
    OUTPUT, SCRIPT = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGUSR1, _start)
    signal.signal(signal.SIGUSR2, _stop_and_write)
    sys.argv = [SCRIPT]
    runpy.run_path(SCRIPT, run_name="__main__")
