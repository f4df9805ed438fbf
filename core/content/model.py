"""Typed, immutable values for the explainer library: topics, steps, sections and problems.

Nothing here reads files or knows Telegram; the loader builds these values and the
renderer and the checker consume them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

REQUIRED_LANGUAGES: tuple[str, ...] = ("ru", "en")
OPTIONAL_LANGUAGES: tuple[str, ...] = ("uk",)
FALLBACK_LANGUAGES: tuple[str, ...] = ("ru", "en")

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, worded for a volunteer editor."""

    path: Path
    line: int  # 1-based line in the file; 0 when the problem is about the whole file
    severity: Severity
    message: str

    def format(self, base: Path | None = None) -> str:
        """Return the problem as `path:line: severity: message` (path relative to base if given)."""
        shown = self.path
        if base is not None:
            try:
                shown = self.path.relative_to(base)
            except ValueError:
                shown = self.path
        where = f"{shown}:{self.line}" if self.line > 0 else f"{shown}"
        return f"{where}: {self.severity}: {self.message}"

    def __str__(self) -> str:
        return self.format()


@dataclass(frozen=True)
class Source:
    """An official (or other) page that backs the facts of a topic."""

    title: str
    url: str


@dataclass(frozen=True)
class Step:
    """One `##` section of an explainer: shown as one message (split only when too long)."""

    title: str
    body_markdown: str
    line: int  # line of the `## ` heading in the file; the body starts on the next line


@dataclass(frozen=True)
class Topic:
    """One explainer page in one language."""

    id: str
    lang: str
    title: str
    summary: str
    section: str
    order: int
    keywords: tuple[str, ...]
    sources_checked: date  # when a person last checked the page's facts against its sources
    sources: tuple[Source, ...]
    intro: str
    steps: tuple[Step, ...]
    path: Path
    intro_line: int = 0  # line in the file where the intro Markdown starts
    reviewed_by: str | None = None  # the lawyer or accredited representative who reviewed it
    reviewed_on: date | None = None
    machine_translated: bool = False  # translated by a machine, not yet read by a native speaker

    @property
    def reviewed(self) -> bool:
        """Whether a named lawyer or accredited representative has reviewed the page."""
        return bool(self.reviewed_by) and self.reviewed_on is not None


@dataclass(frozen=True)
class Section:
    """One entry of the menu tree declared in content/sections.yaml."""

    id: str
    order: int
    titles: Mapping[str, str] = field(hash=False)

    def title(self, lang: str) -> str:
        """Return the section title in lang, falling back to Russian, then English, then the id."""
        for candidate in (lang, *FALLBACK_LANGUAGES):
            text = self.titles.get(candidate)
            if text:
                return text
        return self.id


@dataclass(frozen=True)
class Library:
    """Every loaded topic keyed by (lang, id), the sections, and the languages present."""

    topics: Mapping[tuple[str, str], Topic] = field(hash=False)
    sections: tuple[Section, ...]
    languages: tuple[str, ...]

    def topic(self, lang: str, topic_id: str) -> Topic | None:
        """Return the topic in lang, else its Russian, else its English version, else None."""
        for candidate in (lang, *FALLBACK_LANGUAGES):
            found = self.topics.get((candidate, topic_id))
            if found is not None:
                return found
        return None

    def section(self, section_id: str) -> Section | None:
        """Return the section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    def topics_in_section(self, lang: str, section_id: str) -> list[Topic]:
        """Return a section's topics in lang (each falling back to ru, en), sorted by order."""
        ids = {tid for (_, tid), t in self.topics.items() if t.section == section_id}
        found = [t for t in (self.topic(lang, tid) for tid in ids) if t and t.section == section_id]
        return sorted(found, key=lambda t: (t.order, t.id))

    def all_ids(self) -> tuple[str, ...]:
        """Return every topic id present in any language, sorted."""
        return tuple(sorted({tid for (_, tid) in self.topics}))
