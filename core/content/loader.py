"""Loading the explainers: content/sections.yaml and content/<lang>/<id>.md into a Library.

The loader owns the file layout and the front matter rules. It never stops at the first
mistake: it collects every problem it finds, worded for a volunteer, and still returns every
page it could build. It knows nothing about Telegram and does not look at the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.content.model import (
    OPTIONAL_LANGUAGES,
    REQUIRED_LANGUAGES,
    Library,
    Problem,
    Section,
    Severity,
    Source,
    Step,
    Topic,
)
from core.content.parsing import is_step_heading, parse

ID_PATTERN = re.compile(r"[a-z0-9-]+")
TITLE_TARGET = 60
SUMMARY_TARGET = 120
SUMMARY_LIMIT = 160
SECTIONS_FILE = "sections.yaml"
# "draft-AI", "AI draft", "черновик": a draft is a page nobody reviewed, not a reviewer's name
DRAFT_MARK = re.compile(r"draft|черновик|чернетка|\bAI\b|\bИИ\b|\bШІ\b", re.IGNORECASE)
PARSED_PAGES_KEPT = 1024  # pages kept parsed (about 50 are live; edits add a few each)
# libyaml's safe loader when PyYAML was built with it (ten times faster), else the Python one.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KNOWN_FIELDS = frozenset(
    {
        "id",
        "title",
        "summary",
        "section",
        "order",
        "keywords",
        "sources_checked",
        "reviewed_by",
        "reviewed_on",
        "translation",
        "sources",
    }
)


class _Report:
    """Collects problems for one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, severity: Severity, message: str) -> None:
        self.problems.append(Problem(self.path, line, severity, message))

    def error(self, line: int, message: str) -> None:
        self.add(line, "error", message)

    def warning(self, line: int, message: str) -> None:
        self.add(line, "warning", message)


def load_library(content_dir: Path) -> tuple[Library, list[Problem]]:
    """Load every section and page under content_dir; return the library and all problems found."""
    problems: list[Problem] = []
    sections, section_problems = load_sections(content_dir / SECTIONS_FILE)
    problems.extend(section_problems)
    section_ids = {s.id for s in sections}

    languages = [*REQUIRED_LANGUAGES]
    languages += [lang for lang in OPTIONAL_LANGUAGES if (content_dir / lang).is_dir()]
    topics: dict[tuple[str, str], Topic] = {}
    for lang in languages:
        lang_dir = content_dir / lang
        if not lang_dir.is_dir():
            problems.append(
                Problem(
                    lang_dir,
                    0,
                    "error",
                    f'the folder "{lang}" is missing: every page needs a Russian (ru) '
                    "and an English (en) version",
                )
            )
            continue
        for entry in sorted(lang_dir.iterdir()):
            if entry.name.startswith("."):
                continue  # .gitkeep, .DS_Store and friends
            if entry.is_dir():
                problems.append(
                    Problem(
                        entry,
                        0,
                        "error",
                        f"folders inside content/{lang} are not read: "
                        f"put each page directly in content/{lang}/",
                    )
                )
                continue
            if entry.suffix != ".md":
                problems.append(
                    Problem(
                        entry,
                        0,
                        "error",
                        f"this is not a Markdown page (.md): only <id>.md pages belong in "
                        f"content/{lang}/; move or delete this file",
                    )
                )
                continue
            topic, topic_problems = load_topic(entry, lang, section_ids)
            problems.extend(topic_problems)
            if topic is None:
                continue
            first = topics.get((lang, topic.id))
            if first is not None:
                problems.append(
                    Problem(
                        entry,
                        field_line(entry, "id"),
                        "error",
                        f'the id "{topic.id}" is already used by {first.path.name}: '
                        "each page needs its own id (this page is ignored)",
                    )
                )
                continue
            topics[(lang, topic.id)] = topic
    library = Library(topics=topics, sections=tuple(sections), languages=tuple(languages))
    return library, problems


def load_sections(path: Path) -> tuple[list[Section], list[Problem]]:
    """Read sections.yaml: a list of {id, order, title: {ru, en, uk}}, sorted by order."""
    report = _Report(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        report.error(0, "the file sections.yaml (the menu tree) is missing")
        return [], report.problems
    except (OSError, UnicodeDecodeError) as exc:
        report.error(0, f"cannot read this file as UTF-8 text ({exc})")
        return [], report.problems
    try:
        data = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        report.error(_yaml_error_line(exc, 1), f"this file is not valid YAML: {_yaml_problem(exc)}")
        return [], report.problems
    if not isinstance(data, list):
        report.error(1, "sections.yaml must be a list of sections, each starting with '- id: ...'")
        return [], report.problems

    lines = text.splitlines()
    sections: list[Section] = []
    seen: set[str] = set()
    for number, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            report.error(0, f"section number {number} is not a set of 'id', 'order' and 'title'")
            continue
        sid = item.get("id")
        line = _section_line(lines, str(sid))
        if not isinstance(sid, str) or not ID_PATTERN.fullmatch(sid):
            report.error(
                line,
                f'section number {number} has the id "{sid}": use small latin letters, '
                "digits and '-' only",
            )
            continue
        if sid in seen:
            report.error(line, f'the section id "{sid}" is used twice')
            continue
        seen.add(sid)
        order = item.get("order")
        if not isinstance(order, int) or isinstance(order, bool):
            report.error(line, f'the section "{sid}" needs a whole number as its order')
            continue
        titles = item.get("title")
        if not isinstance(titles, Mapping):
            report.error(line, f'the section "{sid}" needs a title like {{ru: ..., en: ...}}')
            continue
        clean = {str(k): str(v).strip() for k, v in titles.items() if v is not None}
        missing = [lang for lang in REQUIRED_LANGUAGES if not clean.get(lang)]
        if missing:
            report.error(line, f'the section "{sid}" has no title in: {", ".join(missing)}')
            continue
        sections.append(Section(id=sid, order=order, titles=clean))
    sections.sort(key=lambda s: (s.order, s.id))
    return sections, report.problems


def load_topic(
    path: Path, lang: str, section_ids: set[str] | None = None
) -> tuple[Topic | None, list[Problem]]:
    """Read one page; return the Topic (None when it cannot be built) and its problems.

    Problems that still leave a usable page (an id that differs from the file name, a summary
    that is too long, a bad source) are reported but the page is returned.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report = _Report(path)
        report.error(0, f"cannot read this file as UTF-8 text ({exc})")
        return None, report.problems
    known = None if section_ids is None else frozenset(section_ids)
    topic, problems = _parsed_topic(path, lang, known, text)
    return topic, list(problems)


@lru_cache(maxsize=PARSED_PAGES_KEPT)
def _parsed_topic(
    path: Path, lang: str, section_ids: frozenset[str] | None, text: str
) -> tuple[Topic | None, tuple[Problem, ...]]:
    """One page built from its text: parsing is the costly part of loading, and an unchanged
    page (same text, same sections) gives the same frozen Topic, so a reload after one edit,
    or the many bots of the test suite, parse only what changed."""
    topic, problems = _build_topic(path, lang, section_ids, text)
    return topic, tuple(problems)


def _build_topic(
    path: Path, lang: str, section_ids: AbstractSet[str] | None, text: str
) -> tuple[Topic | None, list[Problem]]:
    report = _Report(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    split = split_front_matter(text)
    if split is None:
        report.error(
            1,
            "the page must start with the front matter: a line '---', the fields "
            "(id, title, summary, ...), then another line '---'",
        )
        return None, report.problems
    fm_text, body, body_line = split
    lines = _FrontMatterLines(fm_text)
    line_of = lines.field

    try:
        data = yaml.load(fm_text, Loader=YAML_LOADER) if fm_text.strip() else {}
    except yaml.YAMLError as exc:
        report.error(
            _yaml_error_line(exc, 2),
            f"the front matter (between the --- lines) is broken: {_yaml_problem(exc)}. "
            "Put quotes around values that contain ':' or '#'",
        )
        return None, report.problems
    if not isinstance(data, Mapping):
        report.error(2, "the front matter must be lines of 'field: value'")
        return None, report.problems

    for name in data:
        if name not in KNOWN_FIELDS:
            report.warning(
                line_of(str(name)),
                f'unknown field "{name}" is ignored (known: {", ".join(sorted(KNOWN_FIELDS))})',
            )

    fields = _read_fields(data, path, report, lines, section_ids)
    steps, intro = _read_body(body, body_line, report)
    if fields is None or steps is None:
        return None, report.problems
    topic = Topic(
        lang=lang,
        intro=intro,
        steps=tuple(steps),
        path=path,
        intro_line=body_line,
        **fields,
    )
    return topic, report.problems


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split a page into (front matter YAML, body, 1-based line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def _read_fields(
    data: Mapping[Any, Any],
    path: Path,
    report: _Report,
    lines: _FrontMatterLines,
    section_ids: AbstractSet[str] | None,
) -> dict[str, Any] | None:
    """Validate the front matter fields; return Topic keyword arguments or None if unusable."""
    ok = True
    line_of = lines.field

    def fail(name: str, message: str) -> None:
        nonlocal ok
        ok = False
        report.error(line_of(name), message)

    topic_id = data.get("id")
    if topic_id is None:
        fail("id", f'the field "id" is missing: add "id: {path.stem}"')
    elif not isinstance(topic_id, str) or not ID_PATTERN.fullmatch(topic_id):
        fail(
            "id",
            f'the id "{topic_id}" may use only small latin letters, digits and "-" '
            '(for example "bond" or "credible-fear")',
        )
    elif topic_id != path.stem:
        report.error(
            line_of("id"),
            f'the id "{topic_id}" must equal the file name: rename the file to '
            f'"{topic_id}.md" or change the id to "{path.stem}"',
        )

    title = _text(data.get("title"))
    if not title:
        fail("title", 'the field "title" is empty: give the page a short title')
    elif len(title) > TITLE_TARGET:
        report.warning(
            line_of("title"),
            f"the title is {len(title)} characters; keep it under {TITLE_TARGET} "
            "so it fits on a button",
        )

    summary = _text(data.get("summary"))
    if not summary:
        fail(
            "summary", 'the field "summary" is missing: add one line saying what the page is about'
        )
    elif len(summary) > SUMMARY_LIMIT:
        report.error(
            line_of("summary"),
            f"the summary is {len(summary)} characters, {len(summary) - SUMMARY_LIMIT} over "
            f"the limit of {SUMMARY_LIMIT}: shorten it",
        )
    elif len(summary) > SUMMARY_TARGET:
        report.warning(
            line_of("summary"),
            f"the summary is {len(summary)} characters; aim for {SUMMARY_TARGET} or fewer",
        )

    section = _text(data.get("section"))
    if not section:
        fail("section", 'the field "section" is missing: name one of the ids in sections.yaml')
    elif section_ids is not None and section not in section_ids:
        known = ", ".join(sorted(section_ids)) or "none"
        report.error(
            line_of("section"),
            f'the section "{section}" is not in sections.yaml (known: {known})',
        )

    order = data.get("order")
    if not isinstance(order, int) or isinstance(order, bool):
        fail("order", f'the order "{order}" must be a whole number, like 10 or 20')

    keywords = data.get("keywords", [])
    if keywords is None:
        keywords = []
    if not isinstance(keywords, list) or any(isinstance(k, list | dict) for k in keywords):
        fail("keywords", "keywords must be a list in square brackets, like [залог, bond, zalog]")
        keywords = []

    if "last_reviewed" in data:
        fail(
            "last_reviewed",
            'the field "last_reviewed" is now called "sources_checked" (the date a person last '
            "checked the facts against the sources); a lawyer's review goes in reviewed_by and "
            "reviewed_on",
        )
    checked = data.get("sources_checked")
    sources_checked = _as_date(checked)
    if sources_checked is None:
        fail(
            "sources_checked",
            f'sources_checked "{checked}" is not a date: write the day you last checked the '
            "facts against the sources as YYYY-MM-DD, like 2026-11-27",
        )

    reviewed_by = _text(data.get("reviewed_by")) or None
    reviewed_on = _as_date(data.get("reviewed_on")) if "reviewed_on" in data else None
    if reviewed_by and DRAFT_MARK.search(reviewed_by):
        fail(
            "reviewed_by",
            f'reviewed_by is "{reviewed_by}": this field names the lawyer or accredited '
            "representative who reviewed the page; leave it out while the page is a draft",
        )
    elif reviewed_by and reviewed_on is None:
        fail(
            "reviewed_on",
            "reviewed_by needs reviewed_on: the date of the review, as YYYY-MM-DD",
        )
    elif reviewed_on is not None and not reviewed_by:
        fail("reviewed_by", "reviewed_on needs reviewed_by: who reviewed the page")

    translation = data.get("translation")
    if translation not in (None, "machine"):
        fail(
            "translation",
            f'translation "{translation}" is not known: write "translation: machine" for a page '
            "a machine translated, or leave the field out",
        )

    sources = _read_sources(data.get("sources"), report, lines)
    if sources is None:
        ok = False

    usable = isinstance(topic_id, str) and isinstance(order, int)
    if not ok or not usable or sources_checked is None or sources is None:
        return None
    return {
        "id": topic_id,
        "title": title,
        "summary": summary,
        "section": section,
        "order": order,
        "keywords": tuple(str(k).strip() for k in keywords if str(k).strip()),
        "sources_checked": sources_checked,
        "reviewed_by": reviewed_by,
        "reviewed_on": reviewed_on,
        "machine_translated": translation == "machine",
        "sources": sources,
    }


def _read_sources(raw: Any, report: _Report, lines: _FrontMatterLines) -> tuple[Source, ...] | None:
    """Validate the sources list; None when it cannot be read at all."""
    line_of = lines.field
    if raw is None or raw == []:
        report.error(
            line_of("sources"),
            "the page has no sources: list the official pages its facts come from",
        )
        return ()
    if not isinstance(raw, list):
        report.error(
            line_of("sources"), "sources must be a list of '- title: ...' / '  url: https://...'"
        )
        return None
    sources: list[Source] = []
    for number, item in enumerate(raw, start=1):
        line = line_of("sources")
        if isinstance(item, Mapping):
            line = lines.containing(_text(item.get("url")) or _text(item.get("title")), line)
        if not isinstance(item, Mapping):
            report.error(line, f"source number {number} needs a title and a url")
            continue
        title = _text(item.get("title"))
        url = _text(item.get("url"))
        if not title:
            report.error(line, f"source number {number} ({url or 'no url'}) has no title")
        if not url.startswith("https://") or any(c.isspace() for c in url):
            report.error(
                line,
                f'source number {number} ("{title}") has the address "{url}": '
                "it must be a full https:// address",
            )
        sources.append(Source(title=title, url=url))
    return tuple(sources)


def _read_body(body: str, body_line: int, report: _Report) -> tuple[list[Step] | None, str]:
    """Cut the body into the intro and its `##` steps; None steps when there is no step."""
    lines = body.split("\n")
    headings: list[tuple[int, int, str]] = []  # (start line, end line, title), 0-based in body
    tokens = parse(body)
    for index, token in enumerate(tokens):
        if is_step_heading(token) and token.map is not None:
            title = tokens[index + 1].content.strip()
            headings.append((token.map[0], token.map[1], title))
    if not headings:
        report.error(
            body_line,
            "the page has no step: start each step with a line '## Step title'",
        )
        return None, body
    intro = "\n".join(lines[: headings[0][0]])
    steps: list[Step] = []
    for number, (start, end, title) in enumerate(headings):
        stop = headings[number + 1][0] if number + 1 < len(headings) else len(lines)
        if not title:
            report.error(body_line + start, "this step heading '##' has no title")
        steps.append(
            Step(title=title, body_markdown="\n".join(lines[end:stop]), line=body_line + start)
        )
    return steps, intro


class _FrontMatterLines:
    """Finds the file line of a front matter field (the YAML starts on line 2 of the file)."""

    def __init__(self, fm_text: str) -> None:
        self.lines = fm_text.split("\n")

    def field(self, name: str) -> int:
        """Return the file line of `name:` (line 1 when the field is absent)."""
        return _find_line(self.lines, rf"^{re.escape(name)}\s*:", -1) + 2

    def containing(self, needle: str, default: int) -> int:
        """Return the file line of the first line containing needle, else default."""
        if not needle:
            return default
        index = next((i for i, line in enumerate(self.lines) if needle in line), None)
        return default if index is None else index + 2


def _text(value: Any) -> str:
    """Return a front matter scalar as stripped text ('' for missing or non-scalar)."""
    if value is None or isinstance(value, list | dict):
        return ""
    return str(value).strip()


def _as_date(value: Any) -> date | None:
    """Accept a YAML date, a datetime or an ISO date string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _find_line(lines: list[str], pattern: str, default: int) -> int:
    """Return the 0-based index of the first line matching pattern, else default."""
    regex = re.compile(pattern)
    return next((i for i, line in enumerate(lines) if regex.search(line)), default)


def section_line(path: Path, section_id: str) -> int:
    """Return the 1-based line of `- id: <section_id>` in sections.yaml (0 when not found)."""
    try:
        return _section_line(path.read_text(encoding="utf-8").splitlines(), section_id)
    except (OSError, UnicodeDecodeError):
        return 0


def _section_line(lines: list[str], section_id: str) -> int:
    """Return the 1-based line declaring section_id among lines (0 when not found)."""
    pattern = rf"^\s*-?\s*id:\s*['\"]?{re.escape(section_id)}['\"]?\s*(#.*)?$"
    return _find_line(lines, pattern, -1) + 1


def field_line(path: Path, name: str) -> int:
    """Return the 1-based line of a front matter field in a page (1 when not found)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return _find_line(lines, rf"^{re.escape(name)}\s*:", 0) + 1


def _yaml_error_line(exc: yaml.YAMLError, first_line: int) -> int:
    """Return the file line of a YAML error (first_line is where the YAML text starts)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return first_line + mark.line if mark is not None else first_line


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """Return the short reason of a YAML error."""
    problem = getattr(exc, "problem", None)
    return str(problem) if problem else str(exc).splitlines()[0]
