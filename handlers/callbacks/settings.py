"""The codecs of a person's settings: language, privacy, erasure, news and announcements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handlers.callbacks.base import CallbackData
from handlers.callbacks.prefixes import Prefix

OnOff = Literal["on", "off"]


@dataclass(frozen=True)
class LanguageMenu(CallbackData, prefix=Prefix.LANGUAGE):
    """ "🌐 Language": the list of languages. `lang`"""


@dataclass(frozen=True)
class LanguageChosen(CallbackData, prefix=Prefix.LANGUAGE):
    """One language chosen: `lang:<code>` (the handler checks the code is one we speak)."""

    code: str


@dataclass(frozen=True)
class Privacy(CallbackData, prefix=Prefix.PRIVACY):
    """ "🔒 Privacy": what is kept. `priv`"""


@dataclass(frozen=True)
class AnnouncementsSetting(CallbackData, prefix=Prefix.ANNOUNCEMENTS):
    """The announcements switch on the privacy screen: `ann:on` or `ann:off`."""

    choice: OnOff


@dataclass(frozen=True)
class ForgetAsk(CallbackData, prefix=Prefix.FORGET):
    """ "🗑 Erase my data": asks to confirm. `fg`"""


@dataclass(frozen=True)
class ForgetAnswer(CallbackData, prefix=Prefix.FORGET):
    """The confirmation: `fg:yes` erases everything, `fg:no` keeps it."""

    answer: Literal["yes", "no"]


@dataclass(frozen=True)
class News(CallbackData, prefix=Prefix.NEWS):
    """The policy news screen (`nw`), with its switch (`nw:on`, `nw:off`)."""

    choice: OnOff | None = None


@dataclass(frozen=True)
class AnnouncementSwitch(CallbackData, prefix=Prefix.ANNOUNCEMENT):
    """The button under an announcement: `ao:off` stops them, `ao:on` restarts them."""

    choice: OnOff
