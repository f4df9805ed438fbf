"""Russian typed in Latin letters ("zalog", "ubezhishe", "intervyu o strahe") back to Cyrillic.

Owns the small table of the habits people use on a phone without a Russian keyboard: sh, sch,
shch, zh, ch, kh, ts, ya/ja, yu/ju, yo/jo, ye/je, y, h, c, x, w, q and an apostrophe for the
soft sign. Some spellings are ambiguous ("sh" is ш or щ, "ts" is ц or тс, "c" is ц or к), so a
word gives a few Cyrillic variants, the most likely first. The other way, `to_latin` spells
Russian or Ukrainian Cyrillic in Latin letters ("чикаго" → "chikago"), for matching English
names such as the courts' cities. Pure: no I/O, no state.
"""

from __future__ import annotations

import re
from itertools import islice, product

__all__ = ["LATIN_WORD", "is_latin_word", "to_cyrillic", "to_cyrillic_variants", "to_latin"]

LATIN_WORD = re.compile(r"[a-z']+")

_VOWELS = frozenset("aeiouy")

# Longest chunk first; each maps to its Cyrillic options, most likely first.
_CHUNKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("щ",)),
    ("sch", ("щ",)),
    ("sh", ("ш", "щ")),
    ("zh", ("ж",)),
    ("ch", ("ч",)),
    ("kh", ("х",)),
    ("ts", ("ц", "тс")),
    ("tz", ("ц",)),
    ("ya", ("я",)),
    ("ja", ("я",)),
    ("yu", ("ю",)),
    ("ju", ("ю",)),
    ("iu", ("ю",)),
    ("yo", ("е",)),  # ё is folded to е everywhere in search
    ("jo", ("е",)),
    ("ye", ("е",)),
    ("je", ("е",)),
    ("a", ("а",)),
    ("b", ("б",)),
    ("c", ("ц", "к")),
    ("d", ("д",)),
    ("e", ("е",)),
    ("f", ("ф",)),
    ("g", ("г",)),
    ("h", ("х",)),
    ("i", ("и",)),
    ("j", ("й",)),
    ("k", ("к",)),
    ("l", ("л",)),
    ("m", ("м",)),
    ("n", ("н",)),
    ("o", ("о",)),
    ("p", ("п",)),
    ("q", ("к",)),
    ("r", ("р",)),
    ("s", ("с",)),
    ("t", ("т",)),
    ("u", ("у",)),
    ("v", ("в",)),
    ("w", ("в",)),
    ("x", ("кс",)),
    ("y", ("ы",)),  # refined by position in _options
    ("z", ("з",)),
    ("'", ("ь",)),
)
_LONGEST = max(len(latin) for latin, _ in _CHUNKS)
_TABLE = dict(_CHUNKS)


def is_latin_word(word: str) -> bool:
    """Tell whether word is made only of lowercase Latin letters (and apostrophes)."""
    return bool(LATIN_WORD.fullmatch(word))


def _options(word: str) -> list[tuple[str, ...]]:
    """Split a lowercase Latin word into chunks and return each chunk's Cyrillic options."""
    options: list[tuple[str, ...]] = []
    position = 0
    while position < len(word):
        for size in range(min(_LONGEST, len(word) - position), 0, -1):
            chunk = word[position : position + size]
            found = _TABLE.get(chunk)
            if found is None:
                continue
            if chunk == "y":
                # "y" after a vowel is й (moy, kakoy), elsewhere ы (vy, byl)
                found = ("й",) if position > 0 and word[position - 1] in _VOWELS else ("ы", "й")
            elif chunk == "e" and position == 0:
                found = ("е", "э")  # eto, ekstrenno
            elif (
                chunk == "a" and position + 1 == len(word) and word[position - 1 : position] == "i"
            ):
                found = ("я", "а")  # deportacia, mobilizacia
            options.append(found)
            position += size
            break
        else:
            position += 1  # a character the table does not know: drop it
    return options


def to_cyrillic_variants(word: str, limit: int = 8) -> list[str]:
    """Return up to limit Cyrillic readings of a Latin-typed Russian word, most likely first."""
    word = word.lower()
    if not is_latin_word(word):
        return []
    readings = ("".join(parts) for parts in product(*_options(word)))
    unique: dict[str, None] = {}
    for reading in islice(readings, limit * 4):
        if reading:
            unique.setdefault(reading, None)
        if len(unique) >= limit:
            break
    return list(unique)


def to_cyrillic(text: str) -> str:
    """Return text with every Latin word replaced by its most likely Cyrillic reading."""

    def replace(match: re.Match[str]) -> str:
        variants = to_cyrillic_variants(match.group(0))
        return variants[0] if variants else match.group(0)

    return LATIN_WORD.sub(replace, text.lower())


# Cyrillic → Latin, one spelling per letter (Russian and Ukrainian letters).
_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def to_latin(text: str) -> str:
    """Return lowercase Cyrillic text spelled in Latin letters; other characters are kept."""
    return "".join(_LATIN.get(ch, ch) for ch in text)
