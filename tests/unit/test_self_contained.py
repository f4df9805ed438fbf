"""The repository is self-contained: no tracked file reads or names a path outside it.

A fresh clone has nothing beside it, so a path that climbs above the repository root, an absolute
path of a developer's machine, or the sibling ``shared/`` folder the project was built beside
would break `make demo` and `make test` for everyone outside. This test reads every tracked text
file (``git ls-files``; the working tree minus the virtual environment and caches when git is
not there) and names each offending line.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Folders that are never part of the repository's own text.
_SKIPPED_DIRS = {".git", ".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}
_BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".mo", ".sqlite3", ".sqlite", ".pyc", ".ics", ".gz"}

# `../a/b` (possibly repeated): resolved against the file's own folder, it must stay inside.
_RELATIVE_RE = re.compile(r"(?<![\w./])((?:\.\./)+)([\w.-]*)")
# Absolute paths of a developer's or a build machine's home or work folder.
_ABSOLUTE_RE = re.compile(r"(?<![\w.:/])(/work/|/home/\w|/Users/\w|/root/|[A-Z]:\\Users\\)")
# The sibling folder the project was built beside, by any spelling of its well-known contents.
_SIBLING_RE = re.compile(
    r"shared/(content-brief|content-review|conventions|people-trial|data/|telegram-bot-api|hooks)"
)
# A path built in code by climbing above the repository (``parents[2]`` from a top-level package).
_CLIMB_RE = re.compile(r"\.parents\[(\d+)\]")


def tracked_files() -> list[Path]:
    """Every file of the repository: git's list, or the working tree without generated folders."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        ).stdout.decode()
        names = [name for name in listed.split("\0") if name]
        if names:
            return [ROOT / name for name in names]
    except (OSError, subprocess.SubprocessError):
        pass
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        generated = _SKIPPED_DIRS.intersection(relative.parts) or relative.parts[0] == "data"
        if path.is_file() and not generated:
            found.append(path)
    return found


def outside_references(path: Path, text: str) -> list[str]:
    """The lines of ``text`` (the file at ``path``) that name a place outside the repository."""
    problems = []
    folder = PurePosixPath(path.parent.relative_to(ROOT).as_posix())
    depth = 0 if str(folder) == "." else len(folder.parts)
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path.relative_to(ROOT)}:{number}"
        for match in _RELATIVE_RE.finditer(line):
            if match.group(1).count("../") > depth:
                problems.append(f"{where}: climbs above the repository: {match.group(0)}")
        if _ABSOLUTE_RE.search(line):
            problems.append(f"{where}: an absolute path of a machine: {line.strip()[:80]}")
        if _SIBLING_RE.search(line):
            problems.append(f"{where}: names the sibling shared/ folder: {line.strip()[:80]}")
        if path.suffix == ".py":
            for climb in _CLIMB_RE.finditer(line):
                # a module at depth d reaches the repository root with parents[d]
                if int(climb.group(1)) > depth:
                    problems.append(f"{where}: climbs above the repository: {climb.group(0)}")
    return problems


def test_no_tracked_file_refers_to_a_path_outside_the_repository() -> None:
    problems = []
    for path in tracked_files():
        if path.suffix in _BINARY_SUFFIXES or path == Path(__file__).resolve():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        problems.extend(outside_references(path, text))
    assert problems == []


@pytest.mark.parametrize(
    ("where", "line"),
    [
        ("emulator/spec.py", 'SPEC = Path(__file__).parents[2] / "shared" / "api.min.json"'),
        ("emulator/spec.py", "spec = '../../shared/telegram-bot-api/api.min.json'"),
        ("README.md", "See ../shared/content-brief.md for the facts."),
        ("core/triage.py", "Every rule cites /work/shared/content-brief.md."),
        ("core/triage.py", "Every rule cites /home/dev/notes.md."),
        ("Makefile", "\tcp shared/telegram-bot-api/api.min.json emulator/"),
    ],
)
def test_each_kind_of_outside_path_is_caught(where: str, line: str) -> None:
    assert outside_references(ROOT / where, line) != []


@pytest.mark.parametrize(
    ("where", "line"),
    [
        ("content/README.md", "See [the README](../README.md)."),
        ("emulator/spec.py", 'ROOT = Path(__file__).resolve().parents[1] / "emulator"'),
        ("docs/x.md", "Use https://www.uscis.gov/ar-11 and /start bond."),
    ],
)
def test_paths_inside_the_repository_are_allowed(where: str, line: str) -> None:
    assert outside_references(ROOT / where, line) == []
