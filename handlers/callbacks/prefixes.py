"""Every callback prefix, in one list: the first word of a button's data names its feature.

An enum with unique values, so two features can never share a prefix; the words are the ones
on the wire since the first release, so buttons in old messages keep working. Never reuse one.
"""

from __future__ import annotations

from enum import StrEnum, unique


@unique
class Prefix(StrEnum):
    """The feature a button belongs to: the first word of its callback data."""

    MENU = "m"
    LANGUAGE = "lang"
    PRIVACY = "priv"
    FORGET = "fg"
    ANNOUNCEMENTS = "ann"  # the on/off button on the privacy screen
    SECTIONS = "s"
    TOPIC = "t"
    TRIAGE = "w"
    PICTURE = "pic"
    NOTHING = "x"  # a label-only button (the page counter): answered, nothing else
    REMINDERS = "rm"  # the reminders list, one reminder, and the buttons on alerts
    REMINDER_FLOW = "ra"  # the steps of adding or changing a reminder
    BROADCAST = "bc"  # staff: the /broadcast steps and the stop button on its progress report
    ANNOUNCEMENT = "ao"  # the "Stop announcements" / "Get them again" button under announcements
    NEWS = "nw"  # the policy news screen and its on/off button

    def pattern(self) -> str:
        """The regex a CallbackQueryHandler uses to take every button of this feature."""
        return rf"^{self.value}(:|$)"
