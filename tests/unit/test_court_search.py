"""Every court lookup (core/court_search.py): by id, from what a person typed, and from the
words a staff member typed for an announcement's audience; Cyrillic spelled in Latin letters
(core/translit.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.content.courts import Court, load_courts
from core.court_search import court_by_id, find_courts, matching_courts
from core.translit import to_latin

COURTS: tuple[Court, ...] = tuple(load_courts(Path("content/data/courts.csv"))[0])


def test_a_court_by_its_id() -> None:
    court = court_by_id(COURTS, "chicago")
    assert court is not None
    assert court.id == "chicago"
    assert court_by_id(COURTS, "atlantis") is None
    assert court_by_id(COURTS, None) is None
    assert court_by_id(COURTS, "") is None


@pytest.mark.parametrize("typed", ["Chicago", "чикаго", "Чикаго суд", "chikago", "Чікаго"])
def test_a_typed_city_in_any_language(typed: str) -> None:
    assert "chicago" in [court.id for court in find_courts(COURTS, typed)]


def test_too_short_or_unknown_finds_nothing() -> None:
    assert find_courts(COURTS, "суд") == []
    assert find_courts(COURTS, "Zzyzxqw") == []


def test_staff_words_must_all_be_there() -> None:
    chicago = court_by_id(COURTS, "chicago")
    assert chicago is not None
    found = matching_courts(COURTS, f"{chicago.city.upper()}, {chicago.state}")
    assert chicago in found
    assert all(court.state == chicago.state for court in found)
    assert matching_courts(COURTS, " , ") == []
    assert matching_courts(COURTS, "chicago atlantis") == []


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("чикаго", "chikago"),
        ("щука", "shchuka"),
        ("київ", "kiyiv"),
        ("объём", "obёm"),
        ("ok 1", "ok 1"),
    ],
)
def test_cyrillic_spelled_in_latin_letters(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic) == latin
