"""Announcement audiences in words, for the staff screens and /stats."""

from __future__ import annotations

import html

from core.content.courts import Court
from core.court_search import court_by_id
from core.i18n import LANGUAGE_NAMES, Translator
from storage.announcements import Audience


def audience_label(t: Translator, audience: Audience, courts: tuple[Court, ...]) -> str:
    """The audience in words (HTML-escaped)."""
    if audience.kind == "lang":
        name = LANGUAGE_NAMES.get(audience.value, audience.value)
        return t._("users who chose %(language)s", language=name)
    if audience.kind == "news":
        return t._("news subscribers")
    if audience.kind == "court":
        court = court_by_id(courts, audience.value)
        name = court.name if court else audience.value
        return t._("users with a reminder at %(court)s", court=html.escape(name))
    return t._("everyone")
