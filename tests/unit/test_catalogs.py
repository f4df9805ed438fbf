"""The gettext catalogs: complete in ru, en and uk, placeholders and plurals intact, compiled."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from core.i18n import LANGUAGES, LOCALES_DIR, pick_language, translator

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}


def load(lang: str) -> Catalog:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


def extracted_msgids() -> set[str]:
    found: set[str] = set()
    for folder in ("core", "handlers"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT / folder), keywords=KEYWORDS, method_map=[("**.py", "python")]
        ):
            found.add(message if isinstance(message, str) else message[0])
    with (ROOT / "bot.py").open("rb") as source:
        from babel.messages.extract import extract

        for _line, message, _comments, _ctx in extract("python", source, keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_msgid_in_the_code_is_translated(lang: str) -> None:
    catalog = load(lang)
    missing = sorted(
        msgid
        for msgid in extracted_msgids()
        if msgid not in catalog or not _translated(catalog[msgid].string)
    )
    assert missing == [], f"untranslated in {lang}: {missing}"


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_babel_checks_find_no_broken_placeholder_or_plural(lang: str) -> None:
    problems = [
        (message.id, [str(e) for e in errors]) for message, errors in load(lang).check() if errors
    ]
    assert problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_exists_and_matches_the_po(lang: str) -> None:
    mo_path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.mo"
    assert mo_path.exists(), f"run `make texts-compile`: {mo_path} is missing"
    with mo_path.open("rb") as mo:
        compiled = read_mo(mo)
    fresh = io.BytesIO()
    write_mo(fresh, load(lang))
    fresh.seek(0)
    expected = read_mo(fresh)
    assert _messages(compiled) == _messages(expected), (
        "the .mo is older than the .po: run `make texts-compile`"
    )


def _messages(catalog: Catalog) -> dict[object, object]:
    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {frozen(m.id): frozen(m.string) for m in catalog if m.id}


def test_russian_and_ukrainian_plurals() -> None:
    ru = translator("ru")
    uk = translator("uk")
    assert [ru.n_("%(n)s active user", "%(n)s active users", n) for n in (1, 2, 5, 21)] == [
        "1 активный пользователь",
        "2 активных пользователя",
        "5 активных пользователей",
        "21 активный пользователь",
    ]
    assert [uk.n_("%(n)s active user", "%(n)s active users", n) for n in (1, 3, 11)] == [
        "1 активний користувач",
        "3 активних користувачі",
        "11 активних користувачів",
    ]


def test_dates_are_localized_through_babel() -> None:
    day = date(2027, 1, 15)
    # Without CLDR's year mark ("2027 г."), whose full stop doubled at the end of a sentence.
    assert translator("ru").date(day, "full") == "пятница, 15 января 2027"
    assert translator("en").date(day, "full") == "Friday, January 15, 2027"
    assert translator("uk").date(day, "long") == "15 січня 2027"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ru", "ru"), ("en-US", "en"), ("uk", "uk"), ("de", "ru"), (None, "ru"), ("", "ru")],
)
def test_language_code_falls_back_to_russian(code: str | None, expected: str) -> None:
    assert pick_language(code) == expected


def test_every_gettext_call_in_the_code_is_extractable() -> None:
    """A t._("...") inside an f-string is invisible to Babel: catch it here."""
    import ast

    called: set[str] = set()
    for path in [
        ROOT / "bot.py",
        *(ROOT / "handlers").rglob("*.py"),
        *(ROOT / "core").rglob("*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
                in ("_", "n_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                called.add(node.args[0].value)
    assert sorted(called - extracted_msgids()) == []


TAG = re.compile(r"</?([a-z-]+)(?:\s[^>]*)?>")


def html_tags(text: str) -> list[str]:
    """The tags of a text in order, no attributes: ``<a href=…>`` is ``a``, ``</a>`` ``/a``."""
    return [
        ("/" if match.group(0)[1] == "/" else "") + match.group(1) for match in TAG.finditer(text)
    ]


def tag_problems(catalog: Catalog) -> list[tuple[str, list[str], list[str]]]:
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        expected = sorted(html_tags(ids[0]))
        for string in strings:
            if string and sorted(html_tags(string)) != expected:
                problems.append((str(ids[0])[:60], expected, sorted(html_tags(string))))
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_translation_keeps_its_msgids_html_tags(lang: str) -> None:
    assert tag_problems(load(lang)) == []


def test_a_translation_that_drops_a_tag_is_caught() -> None:
    catalog = Catalog(locale="ru")
    catalog.add("Press <b>Save</b>.", "Нажмите <b>Сохранить.")
    catalog.add("Read <a href='{url}'>the page</a>.", "Прочитайте <a href='{url}'>страницу</a>.")
    assert tag_problems(catalog) == [("Press <b>Save</b>.", ["/b", "b"], ["b"])]


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_no_date_follows_a_preposition_that_needs_another_case(lang: str) -> None:
    """A date placeholder is filled in the nominative ("четверг, 31 декабря 2026"): after «до»
    it reads "до четверг, 31 декабря" (issue 16.5). Write "Последний день — %(date)s" instead."""
    import re

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as source:
        catalog = read_po(source)
    wrong = re.compile(r"\b(до|не позднее|не пізніше|від)\s+%\((date|when)\)s", re.IGNORECASE)
    bad = [m.id for m in catalog if m.id and isinstance(m.string, str) and wrong.search(m.string)]
    assert bad == []
