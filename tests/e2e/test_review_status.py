"""What a reader is told about a page's review is true (issue 12.4): the day its sources were
checked, and that no lawyer has reviewed it until a named one has; a machine translation says
so; staff see in /stats how many pages each language has reviewed, and which are stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from emulator.client import SimulatedUser
from emulator.server import BotApiEmulator
from tests.harness import ROOT, STAFF_ID, BotHarness, make_settings


def content_with(tmp_path: Path, page: str, old: str, new: str) -> Path:
    """A copy of the content in which `page` (e.g. "uk/bond.md") has `old` replaced by `new`;
    the page is first stripped of any "translation: machine" line."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / page
    text = path.read_text(encoding="utf-8").replace("translation: machine\n", "")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return content


def pages(lang: str) -> int:
    """How many explainer pages the repository has in `lang`."""
    return len(list((ROOT / "content" / lang).glob("*.md")))


async def last_page(bot: BotHarness, user: SimulatedUser, topic: str) -> str:
    """Open `topic` by its deep link and page to its end; the last page's text."""
    await bot.say(user, f"/start {topic}")
    counter = next((b for b in user.last.buttons if "/" in b), "1/1")
    for _ in range(int(counter.split("/")[1]) - 1):
        await bot.press(user, "▶")
    return user.last.body


async def test_a_draft_page_says_no_lawyer_has_reviewed_it(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    reader = emulator.user(user_id=4101, first_name="Ольга", language_code="ru")
    text = await last_page(bot, reader, "bond")
    assert "Источники проверены: 27 ноября 2026" in text
    assert "Юрист эту страницу ещё не проверял." in text
    assert "Проверил юрист" not in text


async def test_a_machine_translation_says_so_in_ukrainian(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    marked = "sources_checked: 2026-11-27\ntranslation: machine\n"
    content = content_with(tmp_path, "uk/bond.md", "sources_checked: 2026-11-27\n", marked)
    bot = BotHarness(emulator, make_settings(emulator, tmp_path, content_dir=content))
    await bot.start()
    try:
        reader = emulator.user(user_id=4102, first_name="Оксана", language_code="uk")
        text = await last_page(bot, reader, "bond")
        assert "Джерела перевірено: 27 листопада 2026" in text
        assert "Юрист цю сторінку ще не перевіряв." in text
        assert "Цю сторінку переклала програма з російської" in text
        natively = await last_page(bot, reader, "court")  # read by a native speaker
        assert "переклала програма" not in natively
    finally:
        await bot.stop()


async def test_a_page_a_named_lawyer_reviewed_shows_who_and_when(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    reviewed = 'sources_checked: 2026-11-27\nreviewed_by: "Анна Петрова, адвокат"\n'
    reviewed += "reviewed_on: 2026-11-30\n"
    content = content_with(tmp_path, "ru/bond.md", "sources_checked: 2026-11-27\n", reviewed)
    bot = BotHarness(emulator, make_settings(emulator, tmp_path, content_dir=content))
    await bot.start()
    try:
        reader = emulator.user(user_id=4103, first_name="Иван", language_code="ru")
        text = await last_page(bot, reader, "bond")
        assert "Проверил юрист: Анна Петрова, адвокат, 30 ноября 2026" in text
        assert "ещё не проверял" not in text
        staff = emulator.user(user_id=STAFF_ID)
        await bot.say(staff, "/stats")
        assert f"• ru: юрист проверил 1 из {pages('ru')}" in staff.last.body
    finally:
        await bot.stop()


async def test_staff_see_how_many_pages_each_language_has_reviewed(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    staff = emulator.user(user_id=STAFF_ID)
    await bot.say(staff, "/stats")
    body = staff.last.body
    assert "Объяснения" in body
    assert f"• ru: юрист проверил 0 из {pages('ru')}" in body
    machine = sum(
        "\ntranslation: machine" in p.read_text() for p in (ROOT / "content/uk").glob("*.md")
    )
    assert f"• uk: юрист проверил 0 из {pages('uk')} · машинный перевод: {machine}" in body
    bot.clock.advance(bot.clock.now() - bot.clock.now().replace(year=2026, month=5, day=1))
    await bot.say(staff, "/stats")
    assert "источники проверены больше 180 дней назад: bond, change-address" in staff.last.body
