"""Which edition of the time zone rules (the IANA tz database) this process converts times with.

A reminder keeps the wall-clock time people were given (08:30 in Chicago); its UTC instant is
derived with the rules in force. When the rules change (a tzdata update, a US law on permanent
daylight time), the instants and the alerts planned from them are derived again: the edition
they were planned with is stored beside them (storage/reminders.py) and compared with this one.

`zoneinfo` reads the first of its search path that has the zone (the system's files), then the
`tzdata` package; the edition is the one that search finds.
"""

from __future__ import annotations

import importlib
import zoneinfo
from pathlib import Path

UNKNOWN = "unknown"


def rules_version() -> str:
    """The tz database edition `zoneinfo` uses ("2026a"), or "unknown" if none says."""
    for folder in zoneinfo.TZPATH:
        version = _edition_in(Path(folder) / "tzdata.zi")
        if version:
            return version
    try:  # the fallback zoneinfo uses when no system folder has the zones
        fallback = importlib.import_module("tzdata")
    except ImportError:  # pragma: no cover - tzdata is a pinned requirement
        return UNKNOWN
    return str(getattr(fallback, "IANA_VERSION", UNKNOWN))


def _edition_in(path: Path) -> str | None:
    """The edition named on the first line of a tzdata.zi file ("# version 2026a")."""
    try:
        with path.open(encoding="utf-8") as source:
            first = source.readline().split()
    except OSError:
        return None
    if len(first) >= 3 and first[:2] == ["#", "version"]:
        return first[2]
    return None
