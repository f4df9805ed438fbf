"""The live explainer library: loaded at start, reloaded when content/ changes, last good kept.

An edit that breaks the content (an error from the checker) never replaces the library the bot
is serving; the problems are returned so staff can be told what to fix. Rendered pages are
memoised per library version, so a page is rendered once, not on every button press.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from core.clock import Clock
from core.content.check import check_content
from core.content.loader import load_library
from core.content.model import Library, Problem

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: whether the new content went live, and what is wrong with it."""

    applied: bool
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Only the problems that stopped the reload."""
        return tuple(p for p in self.problems if p.severity == "error")


@dataclass(frozen=True)
class Candidate:
    """Content read from disk and checked, not yet served: `library` is None if it has errors."""

    fingerprint: tuple[tuple[str, int, int], ...]
    problems: tuple[Problem, ...]
    library: Library | None


class LiveLibrary:
    """Holds the library being served and knows when the files under it changed."""

    def __init__(self, content_dir: Path, clock: Clock) -> None:
        self.content_dir = content_dir
        self._clock = clock
        self._fingerprint = self._scan()
        library, problems = load_library(content_dir)
        self._library = library
        self._memo: dict[Any, Any] = {}
        self.version = 1
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            log.error("content_loaded_with_errors count=%s", len(errors))

    @property
    def library(self) -> Library:
        """The library being served now."""
        return self._library

    def changed_on_disk(self) -> bool:
        """Whether any file under the content folder was added, removed or modified."""
        return self._scan() != self._fingerprint

    def prepare(self) -> Candidate:
        """Read and check the content on disk. Touches nothing the bot serves, so it can run in
        a worker thread while the event loop keeps answering; `apply` then makes it live."""
        fingerprint = self._scan()
        problems = tuple(check_content(self.content_dir, self._clock.now().date()))
        if any(p.severity == "error" for p in problems):
            return Candidate(fingerprint, problems, None)
        library, _ = load_library(self.content_dir)
        return Candidate(fingerprint, problems, library)

    def apply(self, candidate: Candidate) -> ReloadResult:
        """Serve the prepared content if it has no errors, else keep the last good one."""
        self._fingerprint = candidate.fingerprint
        result = ReloadResult(applied=candidate.library is not None, problems=candidate.problems)
        if candidate.library is None:
            log.warning("content_reload_rejected errors=%s", len(result.errors))
            return result
        self._library = candidate.library
        self._memo.clear()
        self.version += 1
        log.info(
            "content_reloaded version=%s topics=%s", self.version, len(candidate.library.topics)
        )
        return result

    def memo(self, key: Any, make: Callable[[], T]) -> T:
        """Return the value cached under `key` for this library version, making it once."""
        if key not in self._memo:
            self._memo[key] = make()
        value: T = self._memo[key]
        return value

    def forget(self, key: Any) -> None:
        """Drop the value cached under `key` (it is made again on next use)."""
        self._memo.pop(key, None)

    def _scan(self) -> tuple[tuple[str, int, int], ...]:
        entries = []
        for path in sorted(self.content_dir.rglob("*")):
            if path.is_file():
                stat = path.stat()
                entries.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(entries)
