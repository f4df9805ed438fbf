"""The codecs of the buttons every screen shares: ☰ Menu, and a label-only button."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.callbacks.base import CallbackData
from handlers.callbacks.prefixes import Prefix


@dataclass(frozen=True)
class Menu(CallbackData, prefix=Prefix.MENU):
    """ "☰ Menu": the main menu. `m`"""


@dataclass(frozen=True)
class Nothing(CallbackData, prefix=Prefix.NOTHING):
    """A label-only button (the page counter, a calendar's weekdays): answered, nothing else. `x`"""
