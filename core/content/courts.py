"""Reference data files: content/data/courts.csv and content/data/legal-help.csv.

Owns their required columns and row rules (unique ids, a real IANA time zone per court, city
names in the bot's languages written cleanly, https-only addresses for legal help) and turns rows
into typed values for the bot.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.content.model import Problem

COURT_COLUMNS = ("id", "name", "city", "state", "address", "timezone")
LEGAL_HELP_COLUMNS = ("id", "name", "kind", "url")
# The court's city in Russian and Ukrainian (`Court.city_in`); empty means "as `city`".
CITY_COLUMNS = ("city_ru", "city_uk")


@dataclass(frozen=True)
class Court:
    """One immigration court (or detention court location)."""

    id: str
    name: str
    city: str
    state: str
    address: str
    timezone: str
    kind: str = ""
    detained: str = ""
    notes: str = ""
    city_ru: str = ""
    city_uk: str = ""

    def city_in(self, lang: str) -> str:
        """The city as a reader of `lang` reads it («Чикаго»); English, or no name given in the
        file for that language, is `city` as written."""
        local = {"ru": self.city_ru, "uk": self.city_uk}.get(lang, "")
        return local or self.city


@dataclass(frozen=True)
class LegalHelp:
    """One source of free or low-cost legal help, or an official list or hotline."""

    id: str
    name: str
    kind: str
    url: str
    phone: str = ""
    languages: str = ""
    scope: str = ""
    notes: str = ""


def load_courts(path: Path) -> tuple[list[Court], list[Problem]]:
    """Read courts.csv; rows with problems are reported and left out."""
    courts: list[Court] = []
    problems: list[Problem] = []
    for line, row, raw in _rows(path, COURT_COLUMNS, problems):
        for column in CITY_COLUMNS:
            problem = _stray_spaces(raw.get(column, ""))
            if problem:
                problems.append(
                    Problem(
                        path,
                        line,
                        "error",
                        f'the court "{row["id"]}" has the {column} "{raw[column]}", which has '
                        f"{problem}: write the city name alone, or leave it empty to show the "
                        "English name",
                    )
                )
        zone = row["timezone"]
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                Problem(
                    path,
                    line,
                    "error",
                    f'the court "{row["id"]}" has the time zone "{zone}", which is unknown: '
                    "use a name like America/New_York or America/Los_Angeles",
                )
            )
            continue
        courts.append(
            Court(
                id=row["id"],
                name=row["name"],
                city=row["city"],
                state=row["state"],
                address=row["address"],
                timezone=zone,
                kind=row.get("kind", ""),
                detained=row.get("detained", ""),
                notes=row.get("notes", ""),
                city_ru=" ".join(row.get("city_ru", "").split()),
                city_uk=" ".join(row.get("city_uk", "").split()),
            )
        )
    return courts, problems


def _stray_spaces(value: str) -> str:
    """What is wrong with the spaces in a name ("two spaces in a row"), or "" when nothing."""
    if value != value.strip():
        return "spaces at the start or end"
    if any(c.isspace() and c != " " for c in value):
        return "a line break or tab inside"
    if "  " in value:
        return "two spaces in a row"
    return ""


def load_legal_help(path: Path) -> tuple[list[LegalHelp], list[Problem]]:
    """Read legal-help.csv; rows with problems are reported and left out."""
    entries: list[LegalHelp] = []
    problems: list[Problem] = []
    for line, row, _ in _rows(path, LEGAL_HELP_COLUMNS, problems):
        url = row["url"]
        if url and (not url.startswith("https://") or any(c.isspace() for c in url)):
            problems.append(
                Problem(
                    path,
                    line,
                    "error",
                    f'"{row["id"]}" has the address "{url}": it must be empty or a full '
                    "https:// address",
                )
            )
            continue
        entries.append(
            LegalHelp(
                id=row["id"],
                name=row["name"],
                kind=row["kind"],
                url=url,
                phone=row.get("phone", ""),
                languages=row.get("languages", ""),
                scope=row.get("scope", ""),
                notes=row.get("notes", ""),
            )
        )
    return entries, problems


def _rows(
    path: Path, required: Sequence[str], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    """Yield (first line, row, row as written) for each well-formed row with a new, non-empty id
    and name; `row` has its values stripped of surrounding spaces."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problems.append(Problem(path, 0, "error", f"cannot read this file ({exc})"))
        return
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            problems.append(Problem(path, 0, "error", "this file is empty: it needs a header row"))
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(Problem(path, 1, "error", f"cannot read the header row ({exc})"))
            return
        missing = [name for name in required if name not in header]
        if missing:
            problems.append(
                Problem(
                    path,
                    1,
                    "error",
                    f"the header row lacks the column(s) {', '.join(missing)} "
                    f"(required: {', '.join(required)})",
                )
            )
            return
        seen: dict[str, int] = {}
        last_line = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                problems.append(Problem(path, last_line + 1, "error", f"broken row ({exc})"))
                return
            line, last_line = last_line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                problems.append(
                    Problem(
                        path,
                        line,
                        "error",
                        f"this row has {len(values)} values but the header has {len(header)} "
                        'columns (a comma inside a value needs "quotes")',
                    )
                )
                continue
            raw = dict(zip(header, values, strict=True))
            row = {name: value.strip() for name, value in raw.items()}
            row_id = row["id"]
            if not row_id or not row["name"]:
                problems.append(Problem(path, line, "error", "this row needs an id and a name"))
                continue
            if row_id in seen:
                problems.append(
                    Problem(
                        path,
                        line,
                        "error",
                        f'the id "{row_id}" is used twice (first on line {seen[row_id]}): '
                        "each row needs its own id",
                    )
                )
                continue
            seen[row_id] = line
            yield line, row, raw
