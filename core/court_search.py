"""Finding a court: by its id, from what a person typed ("Chicago", "чикаго", "Чикаго суд",
"chikago"), and from the words a staff member typed to choose an announcement's audience.

Every lookup of content/data/courts.csv goes through here. Pure: the courts in, the matches
out (city or name, in any language the bot speaks, Cyrillic read as Latin by core/translit.py,
typos forgiven by rapidfuzz).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from core.content.courts import Court
from core.translit import to_latin

MAX_COURT_MATCHES = 8


def court_by_id(courts: tuple[Court, ...], court_id: str | None) -> Court | None:
    """The court with this id, or None (no id, or a court no longer in the list)."""
    if not court_id:
        return None
    return next((court for court in courts if court.id == court_id), None)


def find_courts(courts: tuple[Court, ...], typed: str) -> list[Court]:
    """Courts whose city or name matches what was typed (any language, typos forgiven)."""
    query = _fold(typed)
    for word in ("immigration court", "immigration", "court", "иммиграционный суд", "суд"):
        query = query.replace(_fold(word), " ")
    query = " ".join(query.split())
    if len(query) < 3:
        return []
    latin = _fold(to_latin(query))
    scored: list[tuple[float, str, Court]] = []
    for court in courts:
        names = {_fold(court.city), _fold(court.name)}
        names |= {_fold(court.city_in(lang)) for lang in ("ru", "uk")}
        best = 0.0
        for name in names:
            for q in {query, latin}:
                if q in name:
                    best = max(best, 100.0)
                else:
                    best = max(best, fuzz.ratio(q, _fold(name)), fuzz.partial_ratio(q, name) - 10)
        if best >= 80:
            scored.append((best, court.name, court))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [court for _, _, court in scored[:MAX_COURT_MATCHES]]


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").replace("-", " ").replace(".", " ").split())


def matching_courts(courts: tuple[Court, ...], query: str) -> list[Court]:
    """Courts whose name, city, state or id contains every word typed (case ignored): the
    staff's exact choice of an announcement's audience, no typos forgiven."""
    words = [w for w in re.split(r"[\s,]+", query.casefold()) if w]
    if not words:
        return []
    found = []
    for court in courts:
        haystack = f"{court.name} {court.city} {court.state} {court.id}".casefold()
        if all(word in haystack for word in words):
            found.append(court)
    return found
