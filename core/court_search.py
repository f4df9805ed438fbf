"""Finding a court from what a person typed: "Chicago", "чикаго", "Чикаго суд", "chikago".

Pure: the courts of content/data/courts.csv in, the best matches out (city or name, in any
language the bot speaks, Cyrillic read as Latin, typos forgiven by rapidfuzz).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from core.content.courts import Court
from core.i18n import translator
from core.zones import CITY_NAMES

MAX_COURT_MATCHES = 8


def find_courts(courts: tuple[Court, ...], typed: str) -> list[Court]:
    """Courts whose city or name matches what was typed (any language, typos forgiven)."""
    query = _fold(typed)
    for word in ("immigration court", "immigration", "court", "иммиграционный суд", "суд"):
        query = query.replace(_fold(word), " ")
    query = " ".join(query.split())
    if len(query) < 3:
        return []
    latin = _fold(_to_latin(query))
    scored: list[tuple[float, str, Court]] = []
    for court in courts:
        names = {_fold(court.city), _fold(court.name)}
        names |= {
            _fold(translator(lang)._(CITY_NAMES.get(court.city, court.city)))
            for lang in ("ru", "uk")
        }
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


_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def _to_latin(text: str) -> str:
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)
