"""Interface languages and gettext translations (Babel catalogs under locales/).

Interface text is written in English as gettext msgids and translated in
`locales/<lang>/LC_MESSAGES/messages.po`. Placeholders use Python's `%(name)s` form so that
Babel's catalog checks catch a translation that breaks them. Dates go through Babel too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LANGUAGES: tuple[str, ...] = ("ru", "en", "uk")
DEFAULT_LANGUAGE = "ru"
LANGUAGE_NAMES: dict[str, str] = {"ru": "Русский", "en": "English", "uk": "Українська"}


def pick_language(language_code: str | None) -> str:
    """Map Telegram's `language_code` ("ru", "en-US") to a supported language, else Russian."""
    if not language_code:
        return DEFAULT_LANGUAGE
    base = language_code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


_YEAR_MARKS: dict[str, str] = {"ru": "г.", "uk": "р."}


@dataclass(frozen=True)
class Translator:
    """Translates interface text and formats dates for one language."""

    lang: str
    catalog: NullTranslations

    def _(self, msgid: str, **values: Any) -> str:
        """Translate `msgid`, then fill its `%(name)s` placeholders from `values`."""
        text = self.catalog.gettext(msgid)
        return text % values if values else text

    def n_(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """Translate with plural rules (1 день, 2 дня, 5 дней); `n` fills %(n)s."""
        text = self.catalog.ngettext(singular, plural, n)
        return text % {"n": n, **values}

    def date(self, value: date, form: str = "long") -> str:
        """A localized date: "15 января 2027" (long) or "пятница, 15 января 2027" (full).

        CLDR ends Russian and Ukrainian dates with a year mark ("2027 г.", "2027 р."), whose
        full stop doubles at the end of a sentence ("…2027 г.."); we leave the mark out, as
        careful writers do after a full date.
        """
        text = str(format_date(value, format=form, locale=self.lang))
        mark = _YEAR_MARKS.get(self.lang)
        if mark and text.endswith(mark):
            text = text.removesuffix(mark).rstrip(" \u00a0\u202f")
        return text

    def datetime(self, value: datetime, form: str = "medium") -> str:
        """A localized date and time, in the zone of `value`."""
        return format_datetime(value, format=form, tzinfo=value.tzinfo, locale=self.lang)

    @property
    def locale(self) -> Locale:
        """Babel's locale object for this language."""
        return Locale.parse(self.lang)


@cache
def translator(lang: str) -> Translator:
    """The translator for `lang` (cached; falls back to Russian for an unknown language)."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    catalog = Translations.load(str(LOCALES_DIR), [lang], domain=DOMAIN)
    return Translator(lang=lang, catalog=catalog)


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return msgid
