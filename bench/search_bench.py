"""Benchmark of the free-text search: index build time, per-question latency, top-3 accuracy.

Run from the repository root:  python -m bench.search_bench [--rounds N]
It builds the index from content/ (best of several builds), answers every question of
tests/unit/search_questions.yaml N times, and prints the machine, the figures and the misses.
The figures are recorded by hand in bench/README.md ("Search").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from bench.botproc import machine, percentile
from core.content import load_library
from core.search import SearchIndex

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
QUESTIONS = ROOT / "tests" / "unit" / "search_questions.yaml"
BUILDS = 5
TARGET_MS = 300.0


Question = tuple[str, str, list[str]]  # query, session language, acceptable topic ids


def questions() -> dict[str, list[Question]]:
    """Return the quality set by group: ru, en, cross (the other language), nonsense."""
    data: dict[str, Any] = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return {
        "ru": [(i["q"], "ru", i["ids"]) for i in data["ru"]],
        "en": [(i["q"], "en", i["ids"]) for i in data["en"]],
        "uk": [(i["q"], "uk", i["ids"]) for i in data.get("uk", [])],
        "cross": [(i["q"], i["lang"], i["ids"]) for i in data["cross"]],
        "nonsense": [(q, "ru", []) for q in data["nonsense"]],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report; exit 1 if the latency target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50, help="times each question is asked")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    library, problems = load_library(CONTENT)
    load_s = time.perf_counter() - started
    if not library.topics:
        print(f"no topics loaded from {CONTENT}: {problems}", file=sys.stderr)
        return 2
    build_times = []
    index = SearchIndex.build(library)
    for _ in range(BUILDS):
        started = time.perf_counter()
        index = SearchIndex.build(library)
        build_times.append(time.perf_counter() - started)

    groups = questions()
    asked = [question for group in groups.values() for question in group]
    latencies_ms: list[float] = []
    first_round_ms: list[float] = []  # each question's first time: the stem cache is cold
    for round_number in range(args.rounds):
        for query, lang, _ids in asked:
            started = time.perf_counter()
            index.search(query, lang)
            elapsed = (time.perf_counter() - started) * 1000
            latencies_ms.append(elapsed)
            if round_number == 0:
                first_round_ms.append(elapsed)

    print(f"machine: {machine()}")
    print(f"content: {len(library.topics)} pages in {', '.join(library.languages)}")
    print(f"library load: {load_s * 1000:.0f} ms (not part of the index build)")
    print(
        f"index build: best {min(build_times) * 1000:.0f} ms, "
        f"median {statistics.median(build_times) * 1000:.0f} ms of {BUILDS}"
    )
    print(
        f"query latency over {len(latencies_ms)} searches ({len(asked)} questions x "
        f"{args.rounds}): p50 {percentile(latencies_ms, 0.5):.2f} ms, "
        f"p95 {percentile(latencies_ms, 0.95):.2f} ms, max {max(latencies_ms):.2f} ms "
        f"(target < {TARGET_MS:.0f} ms)"
    )
    print(
        f"first time each question is asked: p50 {percentile(first_round_ms, 0.5):.2f} ms, "
        f"p95 {percentile(first_round_ms, 0.95):.2f} ms, max {max(first_round_ms):.2f} ms"
    )
    for name in ("ru", "en", "uk", "cross"):
        items = groups[name]
        top1 = top3 = 0
        misses = []
        for query, lang, ids in items:
            found = [hit.topic_id for hit in index.search(query, lang)]
            top1 += bool(found) and found[0] in ids
            if set(found[:3]) & set(ids):
                top3 += 1
            else:
                misses.append(f"    {query!r} ({lang}): want {ids}, got {found}")
        print(
            f"{name}: top-3 accuracy {top3 / len(items):.3f} ({top3}/{len(items)}), "
            f"top-1 {top1 / len(items):.3f}"
        )
        for miss in misses:
            print(miss)
    nonsense = [query for query, _, _ in groups["nonsense"]]
    answered = [query for query in nonsense if index.search(query, "ru")]
    print(f"nonsense: {len(nonsense) - len(answered)}/{len(nonsense)} return no hits {answered}")
    return 1 if max(latencies_ms) > TARGET_MS or answered else 0


if __name__ == "__main__":
    raise SystemExit(main())
