"""Announcements as plain data (issue 15.4): the draft being written, which text a user of a
language gets, the link button staff type, and schedule times typed on a staff member's clock.
No Telegram and no SQL: handlers/broadcast.py asks, this module answers. (Courts matching a
typed name: core/court_search.py.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

FALLBACK_LANGUAGE = "ru"


LABEL_MAX = 40


def pick_text(texts: dict[str, str], lang: str) -> str:
    """The text for a user of `lang`: theirs, else the Russian one, else the first given."""
    return texts.get(lang) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()))


def fallback_language(texts: dict[str, str], lang: str) -> str:
    """The language of the text a user of `lang` gets."""
    if lang in texts:
        return lang
    return FALLBACK_LANGUAGE if FALLBACK_LANGUAGE in texts else next(iter(texts))


def parse_button(text: str) -> dict[str, str] | None:
    """A link button from "label\\nhttps://address", or None."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) != 2:
        return None
    label, url = lines
    parsed = urlparse(url)
    if not 0 < len(label) <= LABEL_MAX or parsed.scheme != "https" or not parsed.netloc:
        return None
    if any(c.isspace() for c in url):
        return None
    return {"text": label, "url": url}


_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*([a-zа-я]*)$", re.IGNORECASE)


_UNITS = {
    "": 3600,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "ч": 3600,
    "час": 3600,
    "часа": 3600,
    "часов": 3600,
    "год": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minutes": 60,
    "мин": 60,
    "хв": 60,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "д": 86400,
    "дн": 86400,
    "дня": 86400,
    "дней": 86400,
}


_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y/%m/%d %H:%M")


def whole_minute(moment: datetime) -> datetime:
    """`moment` without its seconds: announcements are scheduled to the minute."""
    return moment.replace(second=0, microsecond=0)


def parse_when(text: str, now: datetime, zone: str = "UTC") -> datetime | None:
    """A typed time on the clocks of `zone` (UTC unless the staff member chose another), as a
    UTC instant: "+2h", "+30m", "+1d", "15:00" (the next one), "2026-12-01 15:00",
    "01.12.2026 15:00"; None when it is none of these."""
    tz = ZoneInfo(zone)
    cleaned = " ".join(text.strip().split())
    relative = _RELATIVE.match(cleaned)
    if relative:
        unit = _UNITS.get(relative.group(2).lower())
        if unit is None:
            return None
        return whole_minute(now + timedelta(seconds=int(relative.group(1)) * unit))
    clock = re.fullmatch(r"(\d{1,2})[:.](\d{2})", cleaned)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if hour > 23 or minute > 59:
            return None
        local = now.astimezone(tz).replace(hour=hour, minute=minute, second=0, microsecond=0)
        if local <= now:
            local = (local.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=tz)
        return local.astimezone(UTC)
    for form in _FORMATS:
        try:
            return datetime.strptime(cleaned, form).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    return None


@dataclass
class Draft:
    """An announcement being written (the "broadcast" conversation's state): the step the staff
    member is at, the language being typed, the texts by language, the link button, the
    audience code and the clock they type times on. Nothing of it is stored as an announcement
    before Send or Schedule."""

    step: str = "lang"
    lang: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    button: dict[str, str] | None = None
    audience: str | None = None
    zone: str = "UTC"

    def to_dict(self) -> dict[str, Any]:
        """The draft as JSON-safe values, for the conversation store."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Draft:
        """A draft back from `to_dict()`; a missing or malformed value takes its default (state
        written by another version of the bot)."""
        texts, button = data.get("texts"), data.get("button")
        link = {str(k): str(v) for k, v in button.items()} if isinstance(button, dict) else None
        return cls(
            step=str(data.get("step") or "lang"),
            lang=data["lang"] if isinstance(data.get("lang"), str) else None,
            texts={str(k): str(v) for k, v in texts.items()} if isinstance(texts, dict) else {},
            button=link,
            audience=data["audience"] if isinstance(data.get("audience"), str) else None,
            zone=data["zone"] if isinstance(data.get("zone"), str) else "UTC",
        )
