"""Helpers the process benchmarks share: start a bot as its own process, read its CPU and memory.

The benchmarks run the emulator in their own process and the bot under test in another one
(`python bot.py`, or `bench/bare_bot.py`), as in production, so that the bot gets a core of its
own and the simulated users' cost does not count against it. CPU time and resident memory are
read from /proc (Linux).
"""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's guess."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> str:
    """One line naming the machine: cores, CPU, memory, Python, kernel."""
    cores = len(os.sched_getaffinity(0))
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return (
        f"nproc {cores}, {cpu_model()}, {memory} RAM, Python {platform.python_version()}, "
        f"Linux {platform.release()}"
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (seconds)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mib(pid: int) -> float:
    """The process's resident memory (VmRSS) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of `values` (0.0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class BotProcess:
    """A bot running as a child process, with its log in a temporary file."""

    process: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def pid(self) -> int:
        """The process id."""
        return self.process.pid

    def running(self) -> bool:
        """Whether the process is still alive."""
        return self.process.poll() is None

    def cpu(self) -> float:
        """CPU seconds used so far."""
        return cpu_seconds(self.pid)

    def rss(self) -> float:
        """Resident memory in MiB."""
        return rss_mib(self.pid)

    def log_text(self) -> str:
        """Everything the process wrote to stdout and stderr so far."""
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM (a graceful stop), then SIGKILL if it does not exit in time; the exit code."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def _drop_log_if_clean(log: IO[bytes]) -> None:
    """At exit: delete the log of a bot that ran and stopped cleanly (exit status 0)."""
    log.close()
    process = _processes.get(log.name)
    if process is not None and process.returncode == 0:
        Path(log.name).unlink(missing_ok=True)


_processes: dict[str, subprocess.Popen[bytes]] = {}


def snapshot_content(folder: Path) -> Path:
    """A private copy of content/, so that edits made while a benchmark runs do not reach it."""
    target = folder / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def start_bot(
    script: str,
    base_url: str,
    db_path: Path,
    *,
    content_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
    wrapper: tuple[str, ...] = (),
) -> BotProcess:
    """Start `script` (relative to the repository root) against the emulator at `base_url`.

    `wrapper` goes between the interpreter and the script (e.g. bench/profiled.py OUT.prof).
    """
    env = dict(os.environ)
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        BOT_DB_PATH=str(db_path),
        BOT_CONTENT_DIR=str(content_dir or ROOT / "content"),
        BOT_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    env.update(extra_env or {})
    log = tempfile.NamedTemporaryFile(prefix="bench-bot-", suffix=".log", delete=False)  # noqa: SIM115
    atexit.register(_drop_log_if_clean, log)  # a failed bot's log stays, for reading
    process = subprocess.Popen(
        [sys.executable, *wrapper, str(ROOT / script)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    _processes[log.name] = process
    return BotProcess(process, log)
