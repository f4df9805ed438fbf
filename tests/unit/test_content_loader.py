"""The loader turns content/<lang>/*.md and sections.yaml into a Library and reports problems."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from core.content.loader import load_library, load_topic, split_front_matter
from core.content.model import Problem, Section, Source, Step, Topic

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content_broken"

PAGE = """\
---
id: {id}
title: {title}
summary: Кто может выйти под залог.
section: {section}
order: {order}
keywords: [залог, bond, zalog]
sources_checked: 2026-11-20
# not yet reviewed by a lawyer
sources:
  - title: "ICE: Bonds"
    url: https://www.ice.gov/detain/bonds
---
{body}"""

BODY = """
Вступление.

## Первый шаг

Текст шага.

## Второй шаг

- пункт
"""


def page(topic_id: str, *, title: str = "Залог", order: int = 10, body: str = BODY) -> str:
    return PAGE.format(id=topic_id, title=title, section="detention", order=order, body=body)


def content(tmp_path: Path) -> Path:
    """Return a minimal valid content folder: the fixture's sections and bond/court pages."""
    root = tmp_path / "content"
    root.mkdir()
    shutil.copy(FIXTURE / "sections.yaml", root / "sections.yaml")
    for lang in ("ru", "en"):
        (root / lang).mkdir()
        for name in ("bond", "court"):
            shutil.copy(FIXTURE / lang / f"{name}.md", root / lang / f"{name}.md")
    return root


def errors(problems: list[Problem]) -> list[str]:
    return [p.format() for p in problems if p.severity == "error"]


def test_page_loads_into_a_topic_with_steps_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "bond.md"
    path.write_text(page("bond"), encoding="utf-8")

    topic, problems = load_topic(path, "ru", {"detention"})

    assert problems == []
    assert topic == Topic(
        id="bond",
        lang="ru",
        title="Залог",
        summary="Кто может выйти под залог.",
        section="detention",
        order=10,
        keywords=("залог", "bond", "zalog"),
        sources_checked=date(2026, 11, 20),
        sources=(Source("ICE: Bonds", "https://www.ice.gov/detain/bonds"),),
        intro="\nВступление.\n",
        steps=(
            Step("Первый шаг", "\nТекст шага.\n", 17),
            Step("Второй шаг", "\n- пункт\n", 21),
        ),
        path=path,
        intro_line=14,
    )


def test_heading_inside_a_code_fence_does_not_start_a_step(tmp_path: Path) -> None:
    path = tmp_path / "bond.md"
    path.write_text(page("bond", body="\n## Шаг\n\n```\n## не шаг\n```\n"), encoding="utf-8")

    topic, _ = load_topic(path, "ru")

    assert topic is not None
    assert [s.title for s in topic.steps] == ["Шаг"]


def test_windows_line_ends_and_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bond.md"
    path.write_bytes(b"\xef\xbb\xbf" + page("bond").replace("\n", "\r\n").encode("utf-8"))

    topic, problems = load_topic(path, "ru")

    assert problems == []
    assert topic is not None
    assert topic.steps[1].line == 21


def test_quoted_iso_date_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bond.md"
    path.write_text(page("bond").replace("2026-11-20", '"2026-11-20"'), encoding="utf-8")

    topic, problems = load_topic(path, "ru")

    assert problems == []
    assert topic is not None
    assert topic.sources_checked == date(2026, 11, 20)


def test_page_without_front_matter_is_an_error_on_line_1(tmp_path: Path) -> None:
    path = tmp_path / "bond.md"
    path.write_text("## Шаг\n\nТекст.\n", encoding="utf-8")

    topic, problems = load_topic(path, "ru")

    assert topic is None
    assert [(p.line, p.severity) for p in problems] == [(1, "error")]
    assert "must start with the front matter" in problems[0].message


def test_unknown_field_is_a_warning_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bond.md"
    path.write_text(page("bond").replace("order: 10", "order: 10\ntittle: x"), encoding="utf-8")

    topic, problems = load_topic(path, "ru")

    assert topic is not None
    assert [(p.line, p.severity) for p in problems] == [(7, "warning")]
    assert 'unknown field "tittle"' in problems[0].message


def test_split_front_matter_reports_where_the_body_starts() -> None:
    assert split_front_matter("---\nid: x\n---\nbody\n") == ("id: x", "body\n", 4)
    assert split_front_matter("no front matter") is None
    assert split_front_matter("---\nid: x\n") is None


def test_library_holds_sections_sorted_and_both_languages(tmp_path: Path) -> None:
    library, problems = load_library(content(tmp_path))

    assert problems == []
    assert library.languages == ("ru", "en")
    assert library.sections == (
        Section("detention", 30, {"ru": "Задержание", "en": "Detention"}),
        Section("court", 40, {"ru": "Суд", "en": "Court"}),
    )
    assert library.all_ids() == ("bond", "court")
    bond = library.topic("en", "bond")
    assert bond is not None
    assert bond.lang == "en"


def test_topic_falls_back_to_russian_then_english(tmp_path: Path) -> None:
    root = content(tmp_path)
    (root / "uk").mkdir()
    (root / "uk" / "bond.md").write_text(page("bond", title="Застава"), encoding="utf-8")
    (root / "en" / "extra.md").write_text(page("extra"), encoding="utf-8")

    library, _ = load_library(root)

    assert library.languages == ("ru", "en", "uk")
    found = [library.topic("uk", i) for i in ("bond", "court", "extra")]
    assert [(t.id, t.lang) for t in found if t] == [
        ("bond", "uk"),
        ("court", "ru"),
        ("extra", "en"),
    ]
    assert library.topic("uk", "nothing") is None


def test_topics_in_section_are_sorted_by_order_and_use_fallbacks(tmp_path: Path) -> None:
    root = content(tmp_path)
    for lang in ("ru", "en"):
        (root / lang / "parole.md").write_text(page("parole", order=5), encoding="utf-8")
        (root / lang / "zbond.md").write_text(page("zbond", order=10), encoding="utf-8")
    (root / "uk").mkdir()
    (root / "uk" / "zbond.md").write_text(page("zbond", order=10), encoding="utf-8")

    library, _ = load_library(root)

    in_uk = library.topics_in_section("uk", "detention")
    assert [(t.id, t.lang) for t in in_uk] == [("parole", "ru"), ("bond", "ru"), ("zbond", "uk")]
    assert [t.id for t in library.topics_in_section("en", "court")] == ["court"]


def test_missing_english_folder_and_sections_file_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "ru").mkdir(parents=True)

    library, problems = load_library(root)

    assert library.topics == {}
    assert errors(problems) == [
        f"{root}/sections.yaml: error: the file sections.yaml (the menu tree) is missing",
        f'{root}/en: error: the folder "en" is missing: every page needs a Russian (ru) '
        "and an English (en) version",
    ]


def test_broken_sections_yaml_names_the_line(tmp_path: Path) -> None:
    root = content(tmp_path)
    (root / "sections.yaml").write_text(
        "- id: detention\n  order: 30\n  title: {ru: Задержание}\n- id: Court\n  order: x\n"
    )

    library, problems = load_library(root)

    assert library.sections == ()
    assert [(p.line, p.message) for p in problems if "sections.yaml" in str(p.path)] == [
        (1, 'the section "detention" has no title in: en'),
        (4, "section number 2 has the id \"Court\": use small latin letters, digits and '-' only"),
    ]


def test_duplicate_id_keeps_the_first_page_and_reports_the_second(tmp_path: Path) -> None:
    root = content(tmp_path)
    (root / "ru" / "zz-copy.md").write_text(page("bond", title="Копия"), encoding="utf-8")

    library, problems = load_library(root)

    ru_bond = library.topic("ru", "bond")
    assert ru_bond is not None
    assert ru_bond.title == "Залог"
    assert [(p.path.name, p.line) for p in problems] == [("zz-copy.md", 2), ("zz-copy.md", 2)]
    assert any("already used by bond.md" in p.message for p in problems)


def test_hidden_files_are_ignored_and_other_files_are_errors(tmp_path: Path) -> None:
    root = content(tmp_path)
    (root / "ru" / ".gitkeep").write_text("")
    (root / "ru" / "photo.png").write_bytes(b"\x89PNG")
    (root / "ru" / "sub").mkdir()

    _, problems = load_library(root)

    assert [(p.path.name, p.line, p.severity) for p in problems] == [
        ("photo.png", 0, "error"),
        ("sub", 0, "error"),
    ]
