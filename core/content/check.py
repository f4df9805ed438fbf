"""The content checker: everything a volunteer can get wrong in content/, found in one pass.

It runs the loader (front matter, layout, duplicates), then checks what needs the whole
library or the calendar: ru/en pairs, topic links, markup the renderer cannot show, step
lengths, review dates, the data files, every cited domain against content/sources.yaml
(core/content/sources.py) and the ru and uk words against content/terms.yaml, in the pages and
the interface catalogs (core/content/terms.py). Problems come back sorted by file and line.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from core.content.courts import load_courts, load_legal_help
from core.content.loader import SECTIONS_FILE, field_line, load_library, section_line
from core.content.model import OPTIONAL_LANGUAGES, REQUIRED_LANGUAGES, Library, Problem, Topic
from core.content.render import (
    READING_TARGET,
    TELEGRAM_LIMIT,
    inspect_markdown,
    render_step,
    utf16_len,
)
from core.content.review import STALE_AFTER_DAYS, is_stale, review_status, status_line
from core.content.sources import check_sources
from core.content.terms import check_terms

LANGUAGE_NAMES = {"ru": "Russian", "en": "English", "uk": "Ukrainian"}
_UNLIMITED = 10**9


def check_content(content_dir: Path, today: date) -> list[Problem]:
    """Check every page, sections.yaml and the data files; return all problems, sorted."""
    library, problems = load_library(content_dir)
    stems = _page_stems(content_dir)
    known = set(library.all_ids()) | {stem for names in stems.values() for stem in names}
    problems += _check_pairs(content_dir, stems)
    problems += _check_sections_used(content_dir, library)
    for topic in library.topics.values():
        problems += _check_markup(topic, known)
        problems += _check_lengths(topic)
        problems += _check_review(topic, today)
    problems += check_data(content_dir / "data")
    problems += check_sources(content_dir)
    locales = content_dir.parent / "locales"
    problems += check_terms(content_dir, locales if locales.is_dir() else None)
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.severity, p.message))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: check a content folder, print the problems and a summary; 1 on errors."""
    parser = argparse.ArgumentParser(
        prog="content_check", description="Check the bot's explainers and data files."
    )
    parser.add_argument(
        "content_dir",
        nargs="?",
        default=os.environ.get("BOT_CONTENT_DIR") or "content",
        help="the content folder (default: $BOT_CONTENT_DIR, else ./content)",
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="measure review age against this date, YYYY-MM-DD (default: today)",
    )
    args = parser.parse_args(argv)
    content_dir = Path(args.content_dir)
    if not content_dir.is_dir():
        print(f"{content_dir}: error: there is no such folder", file=sys.stderr)
        return 2
    today = args.today or date.today()
    problems = check_content(content_dir, today)
    for problem in problems:
        print(problem.format())
    library, _ = load_library(content_dir)
    print(status_line(review_status(library.topics.values(), today)))
    print(summary_line(problems))
    return 1 if any(p.severity == "error" for p in problems) else 0


def check_data(data_dir: Path) -> list[Problem]:
    """Check courts.csv and legal-help.csv when they are present."""
    problems: list[Problem] = []
    if (data_dir / "courts.csv").is_file():
        problems += load_courts(data_dir / "courts.csv")[1]
    if (data_dir / "legal-help.csv").is_file():
        problems += load_legal_help(data_dir / "legal-help.csv")[1]
    return problems


def summary_line(problems: list[Problem]) -> str:
    """Return "N errors, M warnings" for a list of problems."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"


def _page_stems(content_dir: Path) -> dict[str, set[str]]:
    """Return the page names (file names without .md) found in each language folder."""
    stems: dict[str, set[str]] = {}
    for lang in (*REQUIRED_LANGUAGES, *OPTIONAL_LANGUAGES):
        folder = content_dir / lang
        if folder.is_dir():
            stems[lang] = {p.stem for p in folder.glob("*.md") if not p.name.startswith(".")}
    return stems


def _check_pairs(content_dir: Path, stems: dict[str, set[str]]) -> list[Problem]:
    """Every page must exist in ru and en; a uk page needs its ru and en originals."""
    problems: list[Problem] = []
    if not all(lang in stems for lang in REQUIRED_LANGUAGES):
        return problems  # the loader already reported the missing folder
    for lang, names in stems.items():
        for other in REQUIRED_LANGUAGES:
            if other == lang:
                continue
            for name in sorted(names - stems[other]):
                problems.append(
                    Problem(
                        content_dir / lang / f"{name}.md",
                        0,
                        "error",
                        f"there is no {LANGUAGE_NAMES[other]} version of this page: create "
                        f"content/{other}/{name}.md (every page needs ru and en)",
                    )
                )
    return problems


def _check_sections_used(content_dir: Path, library: Library) -> list[Problem]:
    """Warn about menu sections that have no page, since they would show an empty menu."""
    problems: list[Problem] = []
    if not library.topics:
        return problems
    path = content_dir / SECTIONS_FILE
    for section in library.sections:
        if not library.topics_in_section(REQUIRED_LANGUAGES[0], section.id):
            problems.append(
                Problem(
                    path,
                    section_line(path, section.id),
                    "warning",
                    f'the section "{section.id}" has no page yet: its menu would be empty',
                )
            )
    return problems


def _check_markup(topic: Topic, known: set[str]) -> list[Problem]:
    """Report markup the renderer degrades and topic links that lead nowhere."""
    problems: list[Problem] = []
    fragments = [(topic.intro, topic.intro_line)]
    fragments += [(step.body_markdown, step.line + 1) for step in topic.steps]
    for markdown, first_line in fragments:
        report = inspect_markdown(markdown)
        for issue in report.issues:
            problems.append(
                Problem(topic.path, first_line + issue.line, issue.severity, issue.message)
            )
        for link in report.topic_links:
            line = first_line + link.line
            if not link.topic_id:
                problems.append(
                    Problem(
                        topic.path,
                        line,
                        "error",
                        f'the link "{link.label}" has no topic id: '
                        f"write [{link.label}](topic:<id>)",
                    )
                )
            elif link.topic_id not in known:
                problems.append(
                    Problem(
                        topic.path,
                        line,
                        "error",
                        f'the link to topic "{link.topic_id}" points to no page '
                        f"({_known_hint(link.topic_id, known)})",
                    )
                )
    return problems


def _check_lengths(topic: Topic) -> list[Problem]:
    """Error when a rendered step passes Telegram's limit; warn when it passes the target."""
    problems: list[Problem] = []
    for index, step in enumerate(topic.steps):
        text = render_step(topic, index, max_length=_UNLIMITED).messages[0].text
        units = utf16_len(text)
        if units > TELEGRAM_LIMIT:
            problems.append(
                Problem(
                    topic.path,
                    step.line,
                    "error",
                    f"this step is {units} characters after rendering, over Telegram's limit "
                    f"of {TELEGRAM_LIMIT}: split it with another '## ' heading",
                )
            )
        elif len(text) > READING_TARGET:
            problems.append(
                Problem(
                    topic.path,
                    step.line,
                    "warning",
                    f"this step is {len(text)} characters, {len(text) - READING_TARGET} over "
                    f"the {READING_TARGET:,} reading target: consider splitting it",
                )
            )
    return problems


def _check_review(topic: Topic, today: date) -> list[Problem]:
    """Warn when the sources were checked long ago or in the future; refuse a review dated in
    the future (a page shows as reviewed only with a real review: core/content/review.py)."""
    problems: list[Problem] = []
    age = (today - topic.sources_checked).days
    if is_stale(topic, today):
        problems.append(
            Problem(
                topic.path,
                field_line(topic.path, "sources_checked"),
                "warning",
                f"sources checked on {topic.sources_checked.isoformat()}, {age} days ago (more "
                f"than {STALE_AFTER_DAYS}): re-check the facts against the sources and update "
                "sources_checked",
            )
        )
    elif age < 0:
        problems.append(
            Problem(
                topic.path,
                field_line(topic.path, "sources_checked"),
                "warning",
                f"sources_checked {topic.sources_checked.isoformat()} is in the future",
            )
        )
    if topic.reviewed_on is not None and topic.reviewed_on > today:
        problems.append(
            Problem(
                topic.path,
                field_line(topic.path, "reviewed_on"),
                "error",
                f"reviewed_on {topic.reviewed_on.isoformat()} is in the future",
            )
        )
    return problems


def _known_hint(target: str, known: set[str]) -> str:
    """Return "did you mean ...; known: ..." for a link target that does not exist."""
    names = sorted(known)
    close = difflib.get_close_matches(target, names, n=3, cutoff=0.75)
    shown = names[:12]
    listing = ", ".join(shown) + (f" and {len(names) - len(shown)} more" if names[12:] else "")
    if not names:
        listing = "none"
    if close:
        return f'did you mean "{close[0]}"? known: {listing}'
    return f"known: {listing}"


def _count(number: int, word: str) -> str:
    """Return "1 error" or "3 errors"."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"
