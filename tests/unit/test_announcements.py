"""Announcements as plain data (core/announcements.py): the draft kept between steps, which
text a user gets, link buttons and typed schedule times."""

from __future__ import annotations

from datetime import UTC, datetime

from core.announcements import Draft, fallback_language, parse_button, parse_when, pick_text

NOW = datetime(2026, 11, 27, 12, 0, 30, tzinfo=UTC)


def test_a_draft_survives_the_conversation_store_and_a_malformed_one_starts_afresh() -> None:
    draft = Draft(step="ready", lang="en", texts={"en": "Hi"}, audience="all", zone="UTC")
    draft.button = {"text": "Read", "url": "https://www.uscis.gov"}
    assert Draft.from_dict(draft.to_dict()) == draft
    broken = {"step": None, "texts": ["x"], "button": "https://x", "audience": 3, "zone": 5}
    assert Draft.from_dict(broken) == Draft()


def test_a_user_gets_their_language_else_russian_else_the_first_text() -> None:
    texts = {"en": "Hello", "ru": "Привет"}
    assert pick_text(texts, "en") == "Hello"
    assert pick_text(texts, "uk") == "Привет"
    assert fallback_language(texts, "uk") == "ru"
    assert pick_text({"en": "Hello"}, "uk") == "Hello"


def test_a_link_button_is_a_label_and_an_https_address_on_two_lines() -> None:
    assert parse_button("Read\nhttps://www.uscis.gov") == {
        "text": "Read",
        "url": "https://www.uscis.gov",
    }
    assert parse_button("Read http://x.org") is None
    assert parse_button("Read\nhttp://www.uscis.gov") is None


def test_typed_times_are_read_on_the_staff_members_clock() -> None:
    assert parse_when("+2h", NOW) == datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    assert parse_when("2026-11-28 09:00", NOW, "America/New_York") == datetime(
        2026, 11, 28, 14, 0, tzinfo=UTC
    )
    assert parse_when("07:00", NOW, "America/New_York") == datetime(
        2026, 11, 28, 12, 0, tzinfo=UTC
    )  # 07:00 has just passed in New York (07:00:30): the next one, tomorrow
    assert parse_when("tomorrow-ish", NOW) is None
