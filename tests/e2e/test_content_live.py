"""Content in the running bot: a volunteer's edit goes live without a restart, a broken edit
keeps the last good version and tells staff, and the process picture is sent."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.content.model import Library
from core.search import SearchIndex
from emulator.server import BotApiEmulator
from handlers.search import INDEX_KEY, build_index
from tests.harness import ROOT, STAFF_ID, BotHarness, make_settings


@pytest.fixture
async def live_bot(emulator: BotApiEmulator, tmp_path: Path) -> AsyncIterator[BotHarness]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    emulator.user(user_id=STAFF_ID, first_name="Staff", language_code="en")
    harness = BotHarness(emulator, make_settings(emulator, tmp_path, content_dir=content))
    await harness.start()
    yield harness
    await harness.stop()
    assert emulator.errors == []


async def run_watch_job(bot: BotHarness) -> None:
    """Run the content watcher now, as the JobQueue would every few seconds."""
    assert bot.app.job_queue is not None
    (job,) = bot.app.job_queue.get_jobs_by_name("content")
    await job.run(bot.app)


async def test_an_edit_goes_live_and_a_broken_edit_does_not(
    live_bot: BotHarness, emulator: BotApiEmulator
) -> None:
    bot = live_bot
    page = bot.settings.content_dir / "en" / "parole.md"
    user = emulator.user(user_id=5001, first_name="Anna", language_code="en")
    await bot.say(user, "/start parole")
    assert "A SENTENCE A VOLUNTEER ADDED" not in user.last.body

    original = page.read_text(encoding="utf-8")
    first_step = original.index("\n## ")
    edited = (
        original[:first_step]
        + "\n\nA SENTENCE A VOLUNTEER ADDED about quokkas.\n"
        + original[first_step:]
    )
    page.write_text(edited, encoding="utf-8")
    await run_watch_job(bot)
    await bot.say(user, "/start parole")
    assert "A SENTENCE A VOLUNTEER ADDED about quokkas." in user.last.body
    # The new version's search index was built off the event loop, before the job ended.
    assert build_index(bot.app.bot_data["services"].library).done()
    await bot.say(user, "quokkas")
    assert user.last.buttons == ["Release on parole", "☰ Menu"]  # the only page with the word

    page.write_text(edited.replace("title:", "titel:", 1), encoding="utf-8")
    await run_watch_job(bot)
    staff = emulator.users[STAFF_ID]
    # The staff member never wrote to the bot, so they are told in Russian, the default.
    assert staff.last.body.startswith("❌ В изменённых текстах есть ошибки")
    assert "en/parole.md" in staff.last.body
    await bot.say(user, "/start parole")
    assert "A SENTENCE A VOLUNTEER ADDED about quokkas." in user.last.body  # last good stays

    page.write_text(original, encoding="utf-8")
    await bot.say(staff, "/reload")
    assert staff.last.body.startswith("✅ The explainers were reloaded and are live.")  # en now
    await bot.say(user, "/start parole")
    assert "A SENTENCE A VOLUNTEER ADDED." not in user.last.body


async def test_the_process_picture_in_the_users_language(
    bot: BotHarness, emulator: BotApiEmulator
) -> None:
    user = emulator.user(user_id=5002, first_name="Иван", language_code="ru")
    await bot.say(user, "/start process")
    await bot.press(user, "🖼 Весь путь на одной картинке")
    picture = user.last
    assert picture.kind == "photo"
    assert picture.caption is not None
    assert picture.caption.startswith("Путь дела об убежище, упрощённо")
    await bot.press(user, "🖼 Весь путь на одной картинке")  # the second time by file id
    assert [m.kind for m in user.bot_messages].count("photo") == 2
    uploads = [r for r in emulator.requests if r.method == "sendPhoto"]
    assert isinstance(uploads[1].params["photo"], str)


async def test_a_failed_index_build_is_tried_again(
    live_bot: BotHarness, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = live_bot
    live = bot.app.bot_data["services"].library
    live.forget(INDEX_KEY)
    real_build = SearchIndex.build

    def broken(library: Library) -> SearchIndex:
        raise MemoryError("no room for the index")

    monkeypatch.setattr(SearchIndex, "build", broken)
    with pytest.raises(MemoryError):
        await build_index(live)
    monkeypatch.setattr(SearchIndex, "build", real_build)
    user = emulator.user(user_id=5002, first_name="Anna", language_code="en")
    await bot.say(user, "how do i pay bond")
    assert "Bond" in " ".join(user.last.buttons)
