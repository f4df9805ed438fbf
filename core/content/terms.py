"""The terminology file (content/terms.yaml): one set of legal terms per language, enforced.

Each entry names an English legal term, the Russian and Ukrainian words to use for it, the words
never to use for it (regular expressions) and, where a refused word is right in another sense,
what around it makes it right. `check_terms` refuses a "never" word in the ru and uk pages (their
title, summary and text: not the search keywords, which keep the words people type) and in the
ru and uk interface catalogs, and checks that the glossary page gives each term's words. Used by
the content checker (core/content/check.py). Pure apart from reading the files it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel.messages.pofile import read_po

from core.content.model import Problem

TERMS_FILE = "terms.yaml"
CHECKED_LANGUAGES = ("ru", "uk")
GLOSSARY_TOPIC = "glossary"


@dataclass(frozen=True)
class Term:
    """One legal term: the words to use per language, and the refused ones."""

    term: str
    words: dict[str, str]
    never: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    allow: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    reason: str = ""
    glossary: str = ""


def load_terms(path: Path) -> tuple[list[Term], list[Problem]]:
    """Read the terminology file; problems name the entry that cannot be used."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        return [], [Problem(path, 0, "error", f"cannot read the terminology file ({error})")]
    if not isinstance(raw, list):
        return [], [Problem(path, 0, "error", "the terminology file must be a list of terms")]
    terms: list[Term] = []
    problems: list[Problem] = []
    for number, entry in enumerate(raw, start=1):
        try:
            terms.append(_term(entry))
        except (KeyError, TypeError, re.error) as error:
            problems.append(
                Problem(path, 0, "error", f"term number {number} cannot be used: {error}")
            )
    return terms, problems


def _patterns(raw: Any) -> dict[str, tuple[re.Pattern[str], ...]]:
    return {
        lang: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
        for lang, patterns in (raw or {}).items()
    }


def _term(entry: dict[str, Any]) -> Term:
    name = str(entry["term"])
    return Term(
        term=name,
        words={lang: str(entry[lang]) for lang in CHECKED_LANGUAGES},
        never=_patterns(entry.get("never")),
        allow=_patterns(entry.get("allow")),
        reason=str(entry.get("reason", "")),
        glossary=str(entry.get("glossary") or name),
    )


@dataclass(frozen=True)
class Finding:
    """A refused word found in a line of text."""

    term: Term
    word: str


def find_refused(terms: list[Term], lang: str, line: str) -> list[Finding]:
    """Every refused word of `lang` in one line of text (unless an "allow" pattern is there)."""
    found: list[Finding] = []
    for term in terms:
        for pattern in term.never.get(lang, ()):
            match = pattern.search(line)
            if match is None:
                continue
            if any(ok.search(line) for ok in term.allow.get(lang, ())):
                continue
            found.append(Finding(term, match.group(0)))
    return found


def _message(finding: Finding, lang: str) -> str:
    term = finding.term
    return (
        f'"{finding.word}" is the wrong word for {term.term}: write "{term.words[lang]}" '
        f"({term.reason})"
    )


def check_page(terms: list[Term], path: Path, lang: str) -> list[Problem]:
    """Refused words in a page's title, summary and text (front matter keywords and sources are
    not read: keywords hold the words people type, sources the documents' own titles)."""
    if lang not in CHECKED_LANGUAGES:
        return []
    problems: list[Problem] = []
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    for number, line in enumerate(lines, start=1):
        if in_front_matter:
            if number > 1 and line.strip() == "---":
                in_front_matter = False
                continue
            if not line.startswith(("title:", "summary:")):
                continue
        for finding in find_refused(terms, lang, line):
            problems.append(Problem(path, number, "error", _message(finding, lang)))
    return problems


def check_catalog(terms: list[Term], path: Path, lang: str) -> list[Problem]:
    """Refused words in the translations of an interface catalog (locales/<lang>/.../*.po)."""
    with path.open("rb") as source:
        catalog = read_po(source)
    problems: list[Problem] = []
    for message in catalog:
        if not message.id:
            continue
        raw = message.string
        texts: list[str] = [raw] if isinstance(raw, str) else [str(t) for t in raw or ()]
        for text in texts:
            for line in (text or "").splitlines():
                for finding in find_refused(terms, lang, line):
                    problems.append(
                        Problem(path, message.lineno or 0, "error", _message(finding, lang))
                    )
    return problems


def check_glossary(terms: list[Term], path: Path, lang: str) -> list[Problem]:
    """The glossary page gives each term's words: its line for the term contains them."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    problems: list[Problem] = []
    for term in terms:
        head = f"- **{term.glossary}**"
        number, line = next(
            ((n, text) for n, text in enumerate(lines, start=1) if text.startswith(head)),
            (0, ""),
        )
        if not number:
            problems.append(
                Problem(path, 0, "error", f'the glossary has no line for "{term.glossary}"')
            )
        elif term.words[lang].lower() not in line.lower():
            problems.append(
                Problem(
                    path,
                    number,
                    "error",
                    f'the glossary line for "{term.glossary}" must give the words of '
                    f'{TERMS_FILE}: "{term.words[lang]}"',
                )
            )
    return problems


def check_terms(content_dir: Path, locales_dir: Path | None) -> list[Problem]:
    """Every check of the terminology file over a content folder (and the catalogs, if given)."""
    path = content_dir / TERMS_FILE
    if not path.is_file():
        return []
    terms, problems = load_terms(path)
    for lang in CHECKED_LANGUAGES:
        folder = content_dir / lang
        for page in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            problems += check_page(terms, page, lang)
        problems += check_glossary(terms, folder / f"{GLOSSARY_TOPIC}.md", lang)
        if locales_dir is not None:
            catalog = locales_dir / lang / "LC_MESSAGES" / "messages.po"
            if catalog.is_file():
                problems += check_catalog(terms, catalog, lang)
    return problems
