"""The terminal demo's own input rules: a line ending in a backslash continues the message."""

from __future__ import annotations

import pytest

from emulator import terminal


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    pending: list[str] = []

    def fake_input(prompt: str = "") -> str:
        if not pending:
            raise EOFError
        return pending.pop(0)

    monkeypatch.setattr("builtins.input", fake_input)
    return pending


async def test_a_backslash_at_the_end_of_a_line_continues_the_message(keyboard: list[str]) -> None:
    keyboard.extend(["Спасибо за помощь\\", "https://example.org", "/quit"])
    assert await terminal.read_message("> ") == "Спасибо за помощь\nhttps://example.org"
    assert await terminal.read_message("> ") == "/quit"
    assert await terminal.read_message("> ") is None


async def test_end_of_input_after_a_continued_line_sends_what_was_typed(
    keyboard: list[str],
) -> None:
    keyboard.extend(["first line\\"])
    assert await terminal.read_message("> ") == "first line"


def test_every_demo_flavour_has_its_own_database() -> None:
    names = {
        terminal.demo_database("ru", staff=False).name,
        terminal.demo_database("en", staff=False).name,
        terminal.demo_database("ru", staff=True).name,
    }
    assert len(names) == 3
