"""The process flowchart: its pictures match its source, and the source is complete and sound.

None of this needs matplotlib: the check reads the PNG chunks with the standard library.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tools.flowchart as fc

REPO = Path(__file__).resolve().parent.parent.parent
CONTENT = REPO / "content"
SOURCE: Path = fc.SOURCE
LANGS: tuple[str, ...] = fc.LANGS


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the flowchart folder; returns the copied source file."""
    folder = tmp_path / "flowchart"
    shutil.copytree(SOURCE.parent, folder)
    return folder / SOURCE.name


def test_pictures_match_the_source() -> None:
    assert fc.check() == []


@pytest.mark.parametrize("lang", LANGS)
def test_picture_is_a_phone_sized_png_stamped_with_the_source(lang: str) -> None:
    data = fc.picture_path(SOURCE, lang).read_bytes()
    width, height = fc.png_size(data)
    assert width == 1080
    assert 1200 <= height <= 2700  # portrait, but short enough to stay readable when scaled
    assert 30_000 <= len(data) <= 1_500_000
    chunks = fc.png_text_chunks(data)
    assert chunks[fc.HASH_KEY] == fc.source_digest(SOURCE)
    assert chunks[fc.VERSION_KEY] == fc.GENERATOR_VERSION
    assert "Software" not in chunks  # no tool version or timestamp that would churn the file


def test_source_is_valid_and_every_box_has_text_in_every_language() -> None:
    chart = fc.load_chart(SOURCE)
    assert fc.validate(chart, CONTENT) == []
    for node in chart.nodes:
        assert {lang: bool(node.text.get(lang)) for lang in LANGS} == dict.fromkeys(LANGS, True)
    for edge in chart.edges:
        if edge.label:
            assert sorted(edge.label) == sorted(LANGS)


def test_every_topic_named_in_the_chart_has_an_explainer() -> None:
    topics = {node.topic for node in fc.load_chart(SOURCE).nodes if node.topic}
    assert topics  # the boxes do point to explainers
    missing = sorted(t for t in topics if not (CONTENT / "ru" / f"{t}.md").is_file())
    assert missing == []


def test_chart_covers_every_stage_of_the_process() -> None:
    topics = {node.topic for node in fc.load_chart(SOURCE).nodes}
    assert topics >= {
        "process",
        "credible-fear",
        "detention",
        "bond",
        "parole",
        "court",
        "hearing-date",
        "i589",
        "removal-order",
    }


def test_editing_the_source_makes_the_check_fail(copy: Path) -> None:
    assert fc.check(copy) == []
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("Задержание в ICE", "Задержание"),
        encoding="utf-8",
    )
    problems = fc.check(copy)
    assert len(problems) == len(LANGS)
    assert all("drawn from another version of process.yaml" in p for p in problems)


def test_missing_or_damaged_picture_makes_the_check_fail(copy: Path) -> None:
    fc.picture_path(copy, "uk").unlink()
    damaged = fc.picture_path(copy, "en")
    data = bytearray(damaged.read_bytes())
    data[20] ^= 0xFF  # inside the IHDR chunk, so its CRC no longer matches
    damaged.write_bytes(bytes(data))
    problems = fc.check(copy)
    assert len(problems) == 2
    assert "process.en.png: not a valid PNG" in problems[0]
    assert "the IHDR chunk is damaged (CRC mismatch)" in problems[0]
    assert "process.uk.png: missing" in problems[1]


def test_validate_reports_a_broken_source(copy: Path) -> None:
    text = copy.read_text(encoding="utf-8")
    text = text.replace('      uk: "Прибуття на кордон США"\n', "")
    text = text.replace("    to: individual-hearing\n", "    to: nowhere\n")
    copy.write_text(text, encoding="utf-8")
    problems = fc.validate(fc.load_chart(copy), CONTENT)
    assert 'node "arrival": no text in uk' in problems
    assert "edge i589 -> nowhere: leads from or to a box that does not exist" in problems


def test_command_line_check_exits_1_when_out_of_date(copy: Path) -> None:
    script = REPO / "tools" / "flowchart.py"
    ok = subprocess.run(
        [sys.executable, str(script), "--check", "--source", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ok.returncode, ok.stdout.strip()) == (0, "flowchart pictures: up to date")
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stale = subprocess.run(
        [sys.executable, str(script), "--check", "--source", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert stale.returncode == 1
    assert stale.stdout.strip().endswith("flowchart pictures: out of date")


def test_check_needs_no_plotting_library() -> None:
    blocked = (
        "import sys; sys.modules['matplotlib'] = None; "  # any import of matplotlib now fails
        f"sys.path.insert(0, {str(REPO)!r}); "
        "from tools.flowchart import main; sys.exit(main(['--check']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocked], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
