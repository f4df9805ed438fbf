"""The honest review status of the explainers: who reviewed what, and how fresh the sources are.

A page is *reviewed* only when a named lawyer or accredited representative reviewed it
(`reviewed_by` and `reviewed_on` in its front matter); until then it is a draft, whatever else
was done to it. `sources_checked` is when a person last checked its facts against its sources:
older than `STALE_AFTER_DAYS` and the page needs a new check. A machine translation says so
until a native speaker has read it. The content checker prints this status, and staff see it in
/stats. Pure: no I/O, no Telegram.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from core.content.model import Topic

STALE_AFTER_DAYS = 180


@dataclass
class LanguageStatus:
    """One language's pages: how many, how many reviewed, which are stale or machine-made."""

    lang: str
    pages: int = 0
    reviewed: int = 0
    machine_translated: int = 0
    stale: list[str] = field(default_factory=list)  # topic ids, sources checked too long ago


def is_stale(topic: Topic, today: date) -> bool:
    """Whether the page's sources were last checked more than STALE_AFTER_DAYS ago."""
    return (today - topic.sources_checked).days > STALE_AFTER_DAYS


def review_status(topics: Iterable[Topic], today: date) -> list[LanguageStatus]:
    """Per language (in first-seen order of ru, en, uk...), the review status of its pages."""
    by_lang: dict[str, LanguageStatus] = {}
    for topic in sorted(topics, key=lambda t: (t.lang, t.id)):
        status = by_lang.setdefault(topic.lang, LanguageStatus(topic.lang))
        status.pages += 1
        status.reviewed += topic.reviewed
        status.machine_translated += topic.machine_translated
        if is_stale(topic, today):
            status.stale.append(topic.id)
    order = {"ru": 0, "en": 1, "uk": 2}
    return sorted(by_lang.values(), key=lambda s: (order.get(s.lang, 9), s.lang))


def status_line(statuses: list[LanguageStatus]) -> str:
    """One line for the content checker: "reviewed by a lawyer: ru 0/17, en 0/17 ..."."""
    parts = [f"{s.lang} {s.reviewed}/{s.pages}" for s in statuses]
    machine = sum(s.machine_translated for s in statuses)
    stale = sum(len(s.stale) for s in statuses)
    return (
        f"reviewed by a lawyer: {', '.join(parts) or 'no pages'}; "
        f"machine translations: {machine}; sources checked over {STALE_AFTER_DAYS} days ago: "
        f"{stale}"
    )
