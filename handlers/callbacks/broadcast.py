"""The codecs of /broadcast (staff only, checked in each handler): the flow's steps and the
stop button on the progress report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from handlers.callbacks.base import AtMost, CallbackData
from handlers.callbacks.prefixes import Prefix

MAX_DELAY_HOURS = 24 * 30  # the latest a schedule button can say (forged data beyond: refused)

Step = Literal["x", "xx", "ready", "menu", "link", "nolink", "aud", "send", "time"]


@dataclass(frozen=True)
class BroadcastStep(CallbackData, prefix=Prefix.BROADCAST):
    """A step that carries nothing more: `bc:<step>` (cancel, the draft, the audiences...)."""

    step: Step


@dataclass(frozen=True)
class BroadcastLanguage(CallbackData, prefix=Prefix.BROADCAST, action="lang"):
    """The language of the next text: `bc:lang:<code>`."""

    code: str


@dataclass(frozen=True)
class BroadcastAudience(CallbackData, prefix=Prefix.BROADCAST, action="a"):
    """Who gets it: `bc:a:<all|lang|court|news>` (the handler knows the kinds)."""

    kind: str


@dataclass(frozen=True)
class BroadcastAudienceLanguage(CallbackData, prefix=Prefix.BROADCAST, action="al"):
    """The users of one language: `bc:al:<code>`."""

    code: str


@dataclass(frozen=True)
class BroadcastAudienceCourt(CallbackData, prefix=Prefix.BROADCAST, action="ac"):
    """The users with a reminder at one court: `bc:ac:<court id>`."""

    court: str


@dataclass(frozen=True)
class BroadcastDelay(CallbackData, prefix=Prefix.BROADCAST, action="at"):
    """Send in so many hours: `bc:at:<hours>`."""

    hours: Annotated[int, AtMost(MAX_DELAY_HOURS)]


@dataclass(frozen=True)
class BroadcastZone(CallbackData, prefix=Prefix.BROADCAST, action="tz"):
    """The clock a typed time is read on: `bc:tz:<utc or a zone key>`."""

    zone: str


@dataclass(frozen=True)
class BroadcastStop(CallbackData, prefix=Prefix.BROADCAST, action="stop"):
    """The progress report's "⏹ Stop sending" / "✖ Cancel it": `bc:stop:<announcement id>`."""

    announcement: int
