"""The reviewed list of source domains (content/sources.yaml), enforced on every cited address.

Every source in a page's front matter and every address in content/data/*.csv must be on a
domain the list accepts (subdomains included), never on one it refuses; a source title that
names an organization ("CLINIC: ...") must be on that organization's own domain, unless the
domain publishes every agency's documents (the Federal Register, eCFR, GovInfo...). Problems
name the file and line. Used by the content checker; reads only the files it is given.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from core.content.model import Problem

SOURCES_FILE = "sources.yaml"
_URL_LINE = re.compile(r"^\s*url:\s*['\"]?(?P<url>[^'\"\s]+)")
_TITLE_LINE = re.compile(r"^\s*-\s*title:\s*(?P<title>.+?)\s*$")


@dataclass(frozen=True)
class Accepted:
    """A domain sources may come from: its kind, its owner, the names titles may use for it."""

    domain: str
    kind: str
    owner: str
    names: tuple[str, ...]
    publishes_for_others: bool = False


@dataclass(frozen=True)
class Refused:
    """A domain never to cite (a mirror, a copy site, a content farm), and what to cite instead."""

    domain: str
    reason: str


def _covers(domain: str, host: str) -> bool:
    return host == domain or host.endswith("." + domain)


@dataclass(frozen=True)
class Registry:
    """The accepted and refused domains."""

    accepted: tuple[Accepted, ...]
    refused: tuple[Refused, ...]

    def refused_for(self, host: str) -> Refused | None:
        """The refused entry covering `host`, if any."""
        return next((r for r in self.refused if _covers(r.domain, host)), None)

    def accepted_for(self, host: str) -> Accepted | None:
        """The most specific accepted entry covering `host`, if any."""
        found = [a for a in self.accepted if _covers(a.domain, host)]
        return max(found, key=lambda a: len(a.domain)) if found else None

    def owner_named(self, title: str) -> Accepted | None:
        """The organization a title names before its first colon ("EOIR: ..."), if listed."""
        head = title.split(":", 1)[0].strip().strip("\"'«»").casefold()
        if not head or head == title.strip().casefold():
            return None
        return next((a for a in self.accepted if head in (n.casefold() for n in a.names)), None)


def load_registry(path: Path) -> tuple[Registry | None, list[Problem]]:
    """Read content/sources.yaml (None and a problem when it cannot be used)."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        accepted = tuple(
            Accepted(
                domain=str(e["domain"]).lower(),
                kind=str(e["kind"]),
                owner=str(e["owner"]),
                names=tuple(str(n) for n in e.get("names") or ()),
                publishes_for_others=bool(e.get("publishes_for_others", False)),
            )
            for e in raw["accepted"]
        )
        refused = tuple(
            Refused(str(e["domain"]).lower(), str(e["reason"])) for e in raw.get("refused") or ()
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        return None, [Problem(path, 0, "error", f"cannot read the list of sources ({error})")]
    return Registry(accepted, refused), []


def check_address(
    registry: Registry, path: Path, line: int, url: str, title: str | None
) -> list[Problem]:
    """One cited address (and its title, for a page source) against the list."""
    host = (urlparse(url).hostname or "").lower()
    refused = registry.refused_for(host)
    if refused is not None:
        message = f'"{host}" is not a source to cite: {refused.reason}'
        return [Problem(path, line, "error", message)]
    accepted = registry.accepted_for(host)
    if accepted is None:
        message = (
            f'"{host}" is not in content/{SOURCES_FILE}: cite an official page (government, '
            "courts, eCFR, UNHCR) or a named organization's own site, and add its domain to "
            "the list with its kind and owner"
        )
        return [Problem(path, line, "error", message)]
    named = registry.owner_named(title) if title else None
    if named is not None and named is not accepted and not accepted.publishes_for_others:
        message = (
            f'the title names {named.owner}, but "{host}" belongs to {accepted.owner}: '
            "label a source with the name of the organization whose site it is"
        )
        return [Problem(path, line, "error", message)]
    return []


def check_page_sources(registry: Registry, page: Path) -> list[Problem]:
    """Every `url:` of a page's front matter sources, with the title just above it."""
    problems: list[Problem] = []
    lines = page.read_text(encoding="utf-8-sig").splitlines()
    title: str | None = None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            break
        if match := _TITLE_LINE.match(line):
            title = match.group("title").strip("\"'")
        elif match := _URL_LINE.match(line):
            problems += check_address(registry, page, number, match.group("url"), title)
            title = None
    return problems


def check_data_sources(registry: Registry, table: Path) -> list[Problem]:
    """Every http(s) address in a data table (content/data/*.csv)."""
    problems: list[Problem] = []
    with table.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        for row in reader:
            for cell in row:
                if cell.startswith(("http://", "https://")):
                    problems += check_address(registry, table, reader.line_num, cell, None)
    return problems


def check_sources(content_dir: Path) -> list[Problem]:
    """Every page source and data address in a content folder against content/sources.yaml."""
    path = content_dir / SOURCES_FILE
    if not path.is_file():
        return []
    registry, problems = load_registry(path)
    if registry is None:
        return problems
    for page in sorted(content_dir.glob("*/*.md")):
        problems += check_page_sources(registry, page)
    for table in sorted((content_dir / "data").glob("*.csv")):
        problems += check_data_sources(registry, table)
    return problems
