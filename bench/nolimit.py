"""Run a bot script with its overall rate limit (Telegram's ~30 messages/s) off.

Used by `python -m bench.load --no-limit` to measure what the code itself can do, apart from
Telegram's global limit, which the bot (bot.py, through its one rate budget,
delivery/pacing.py) and the bare baseline (through PTB's AIORateLimiter) both enforce. Only the
overall rate changes (AIORateLimiter's `overall_max_rate` default to 0, the budget's default
rate to a billion a second); 429 handling and everything else stay as configured.
Usage: python bench/nolimit.py SCRIPT.py [ARGS...]   (SCRIPT may itself be bench/profiled.py)
"""

from __future__ import annotations

import runpy
import sys

from telegram.ext import AIORateLimiter

if __name__ == "__main__":
    defaults = AIORateLimiter.__init__.__defaults__
    assert defaults is not None
    AIORateLimiter.__init__.__defaults__ = (0, *defaults[1:])
    import delivery.pacing

    delivery.pacing.DEFAULT_GLOBAL_RATE = 1e9
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
