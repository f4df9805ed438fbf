"""`make bench`: every benchmark in bench/, one after the other, then a summary of the goals.

Run from the repository root:  python bench/run.py [--quick]
Each benchmark runs as its own process (so one cannot skew another's memory figures) and
prints its full report as it goes; the summary at the end repeats every "goal:" line (each says
"met" or "NOT met") and every table. `--quick` shortens the runs (a smoke test, not figures to
record). Exit status: 1 when a benchmark failed its own checks (a bot died, a reply never came
with Telegram's limit lifted, a search over 300 ms, an alert or update lost), else 0; a goal
"NOT met" is reported, not an error. The whole run takes about 24 minutes on 2 cores (a few
minutes more the first time, when the scale and reminders benchmarks generate their million-row
databases, which they keep in /tmp for later runs). The figures to record go to
bench/README.md by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LOAD = ["-m", "bench.load", "--seconds", "45"]
BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    # name, arguments, arguments with --quick (present modules only; others are skipped)
    ("search", ["-m", "bench.search_bench"], ["-m", "bench.search_bench", "--rounds", "5"]),
    (  # the code's own cost: Telegram's 30 messages/s lifted, sessions at 2.5x a person's pace
        "load, limit off",
        [
            *LOAD,
            "--pace",
            "0.4",
            "--repeat",
            "2",
            "--users",
            "--no-limit-users",
            "50",
            "200",
            "1000",
        ],
        [*LOAD[:2], "--users", "--no-limit-users", "20", "--seconds", "8", "--bots", "ours"],
    ),
    (  # as deployed: Telegram's 30 messages/s, sessions at a person's pace
        "load, Telegram's limit",
        [*LOAD, "--users", "50", "200", "--bots", "bare", "ours"],
        [],
    ),
    ("scale", ["-m", "bench.scale"], ["-m", "bench.scale", "--sizes", "1000", "10000"]),
    (
        "reminders",
        ["-m", "bench.reminders_bench"],
        ["-m", "bench.reminders_bench", "--sizes", "10000"],
    ),
    ("delivery", ["-m", "bench.delivery_bench"], ["-m", "bench.delivery_bench", "--users", "100"]),
    ("resilience", ["-m", "bench.resilience"], ["-m", "bench.resilience", "--outage", "8"]),
    ("surge", ["-m", "bench.surge", "surge"], ["-m", "bench.surge", "surge", "--people", "20"]),
    (
        "announcement while busy",
        ["-m", "bench.surge", "announce", "--people", "30", "200", "--seconds", "40"],
        ["-m", "bench.surge", "announce", "--people", "10", "--seconds", "15"],
    ),
    ("floods", ["-m", "bench.surge", "flood"], ["-m", "bench.surge", "flood", "--seconds", "15"]),
    ("queueing", ["-m", "bench.queueing"], ["-m", "bench.queueing", "--users", "100000"]),
]


def summary_lines(output: str) -> list[str]:
    """The lines worth repeating: goals, verdicts and markdown tables."""
    lines = output.splitlines()
    keep = [
        line
        for line in lines
        if line.startswith(("goal:", "|", "log:", "figures:"))
        or line.endswith((": ok", ": FAILED"))
    ]
    return keep or lines[-6:]


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark present in bench/, print a summary; 1 if any failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (smoke test)")
    args = parser.parse_args(argv)
    results = []
    began = time.monotonic()
    for name, full, quick in BENCHMARKS:
        if args.quick and not quick:
            continue
        module = (quick if args.quick else full)[1]
        if not (ROOT / (module.replace(".", "/") + ".py")).exists():
            print(f"== {name}: not present, skipped", flush=True)
            continue
        command = [sys.executable, *(quick if args.quick else full)]
        print(f"== {name}: {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line)
        code = process.wait()
        results.append((name, code, time.monotonic() - started, "".join(lines)))
    print()
    print(f"== summary ({time.monotonic() - began:.0f} s in all)")
    for name, code, seconds, output in results:
        verdict = "ran, exit 0" if code == 0 else f"exit {code}: a goal missed or a failure"
        print(f"{name}: {verdict} ({seconds:.0f} s)")
        for line in summary_lines(output):
            print(f"    {line}")
    return 0 if all(code == 0 for _, code, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
