"""Tests for the emulator's reading of text + parse_mode / entities, as Telegram (TDLib) does it."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.formatting import (
    MAX_CAPTION_LENGTH,
    MAX_MESSAGE_LENGTH,
    EntityParseError,
    FormattingError,
    InvalidEntitiesError,
    UnsupportedParseMode,
    parse_html,
    parse_text,
    strip_outer_whitespace,
    utf16_len,
    validate_entities,
)


def span(text: str, part: str) -> tuple[int, int]:
    """UTF-16 offset and length of the first ``part`` in ``text``, computed independently."""
    index = text.index(part)
    units = len(text[:index].encode("utf-16-le")) // 2
    return units, len(part.encode("utf-16-le")) // 2


def entity(kind: str, text: str, part: str, **extra: Any) -> dict[str, Any]:
    """The MessageEntity Telegram gives for ``part`` of ``text``."""
    offset, length = span(text, part)
    return {"type": kind, "offset": offset, "length": length, **extra}


def refusal(call: Any, *args: Any) -> FormattingError:
    """The error a call raises (it must raise one)."""
    with pytest.raises(FormattingError) as caught:
        call(*args)
    return caught.value


# --- constants and units -------------------------------------------------------------------------


def test_limits_are_telegrams() -> None:
    assert (MAX_MESSAGE_LENGTH, MAX_CAPTION_LENGTH) == (4096, 1024)


def test_utf16_len_counts_surrogate_pairs() -> None:
    assert utf16_len("") == 0
    assert utf16_len("Привет") == 6
    assert utf16_len("😀") == 2
    assert utf16_len("👍🏽 ok") == 7


# --- HTML: accepted ------------------------------------------------------------------------------


def test_html_basic_tags_give_entities() -> None:
    text, entities = parse_html(
        "<b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s> "
        "<strike>k</strike> <del>d</del> <tg-spoiler>p</tg-spoiler> "
        '<span class="tg-spoiler">q</span> <code>c</code>'
    )
    assert text == "b s i e u n s k d p q c"
    kinds = [e["type"] for e in entities]
    assert kinds == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
        "code",
    ]
    assert [e["offset"] for e in entities] == list(range(0, 24, 2))
    assert all(e["length"] == 1 for e in entities)


def test_html_tags_are_case_insensitive() -> None:
    assert parse_html("<B>X</B>") == ("X", [{"type": "bold", "offset": 0, "length": 1}])


def test_html_offsets_are_utf16_with_emoji_and_cyrillic() -> None:
    source = "😀 <b>жирный</b> 👍🏽 <i>x</i>"
    text, entities = parse_html(source)
    assert text == "😀 жирный 👍🏽 x"
    assert entities == [entity("bold", text, "жирный"), entity("italic", text, "x")]
    assert entities[0]["offset"] == 3
    assert entities[1]["offset"] == 15


def test_html_nested_tags_are_split_like_telegram() -> None:
    text, entities = parse_html("<b>bold <i>both</i></b>")
    assert text == "bold both"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "bold", "offset": 5, "length": 4},
        {"type": "italic", "offset": 5, "length": 4},
    ]


def test_html_same_tag_nested_twice_is_one_entity() -> None:
    assert parse_html("<b><b>x</b></b>") == ("x", [{"type": "bold", "offset": 0, "length": 1}])


def test_html_nothing_is_bold_inside_code() -> None:
    assert parse_html("<code><b>x</b></code>") == (
        "x",
        [{"type": "code", "offset": 0, "length": 1}],
    )
    assert parse_html("<b>a<code>b</code>c</b>")[1] == [
        {"type": "bold", "offset": 0, "length": 1},
        {"type": "code", "offset": 1, "length": 1},
        {"type": "bold", "offset": 2, "length": 1},
    ]


def test_html_character_references() -> None:
    text, entities = parse_html("&lt;b&gt; &amp; &quot;q&quot; &#1055;&#x440;&#1080; &#128512;")
    assert text == '<b> & "q" При 😀'
    assert entities == []


def test_html_unknown_or_broken_references_stay_literal() -> None:
    text, _ = parse_html("a &nbsp; b & c &AMP; &#X41; &#0; &#65 &copy")
    assert text == "a &nbsp; b & c &AMP; &#X41; &#0; A &copy"


def test_html_lone_surrogate_reference_is_refused() -> None:
    error = refusal(parse_html, "&#xD83D;&#xDE00;")
    assert str(error) == (
        "Text contains invalid Unicode characters after decoding HTML entities, "
        "check for unmatched surrogate code units"
    )


def test_html_links() -> None:
    text, entities = parse_html(
        "<a href=\"https://Example.com\">сайт</a>, <a href='uscis.gov/i-589'>форма</a>, "
        "<a>https://ice.gov</a>"
    )
    assert text == "сайт, форма, https://ice.gov"
    assert entities == [
        entity("text_link", text, "сайт", url="https://example.com/"),
        entity("text_link", text, "форма", url="http://uscis.gov/i-589"),
        entity("text_link", text, "https://ice.gov", url="https://ice.gov/"),
    ]


def test_html_link_with_invalid_url_loses_only_the_link() -> None:
    assert parse_html('<a href="localhost">here</a>') == ("here", [])
    assert parse_html('<a href="ftp://files.example.com">here</a>') == ("here", [])


def test_html_user_link_becomes_text_mention() -> None:
    text, entities = parse_html('<a href="tg://user?id=123456">Иван</a>')
    assert entities == [{"type": "text_mention", "offset": 0, "length": 4, "user": {"id": 123456}}]
    assert text == "Иван"


def test_html_pre_with_language() -> None:
    assert parse_html('<pre><code class="language-python">print(1)</code></pre>') == (
        "print(1)",
        [{"type": "pre", "offset": 0, "length": 8, "language": "python"}],
    )
    assert parse_html("<pre><code>x</code></pre>") == (
        "x",
        [{"type": "pre", "offset": 0, "length": 1}],
    )
    # a language on a lone <code> is dropped
    assert parse_html('<code class="language-py">x</code>') == (
        "x",
        [{"type": "code", "offset": 0, "length": 1}],
    )


def test_html_blockquotes() -> None:
    assert parse_html("<blockquote>quote</blockquote>") == (
        "quote",
        [{"type": "blockquote", "offset": 0, "length": 5}],
    )
    assert parse_html("<blockquote expandable>quote</blockquote>") == (
        "quote",
        [{"type": "expandable_blockquote", "offset": 0, "length": 5}],
    )


def test_html_custom_emoji() -> None:
    assert parse_html('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>') == (
        "👍",
        [
            {
                "type": "custom_emoji",
                "offset": 0,
                "length": 2,
                "custom_emoji_id": "5368324170671202286",
            }
        ],
    )


def test_html_empty_tags_give_no_entity() -> None:
    assert parse_html("<b></b>x<i></i>") == ("x", [])


def test_html_unknown_attributes_are_ignored() -> None:
    assert parse_html('<b class=x id="y">z</b>') == (
        "z",
        [{"type": "bold", "offset": 0, "length": 1}],
    )


def test_html_short_end_tag_closes_the_last_tag() -> None:
    assert parse_html("<b>x</>") == ("x", [{"type": "bold", "offset": 0, "length": 1}])


# --- HTML: refused -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Цена <100$", "Unclosed start tag at byte offset 9"),
        ("Цена <100$ в день", 'Unsupported start tag "100$" at byte offset 9'),
        ("1 <2", "Unclosed start tag at byte offset 2"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("x <<b>y</b>", 'Unsupported start tag "<b" at byte offset 2'),
        ("<b/>x", 'Unsupported start tag "b/" at byte offset 0'),
        ('<a href="https://a.com"', "Unclosed start tag at byte offset 0"),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ("<a ", 'Empty attribute name in the tag "a" at byte offset 0'),
        ('<a href="x"/>y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x.com/>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</ b>", "Unclosed end tag at byte offset 4"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ('<tg-emoji emoji-id="abc">👍</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_html_refusals_use_telegrams_words(source: str, message: str) -> None:
    error = refusal(parse_html, source)
    assert isinstance(error, EntityParseError)
    assert str(error) == message
    assert error.description == f"Bad Request: can't parse entities: {message}"


def test_html_byte_offsets_count_utf8_bytes() -> None:
    assert str(refusal(parse_html, "Привет <div>")) == (
        'Unsupported start tag "div" at byte offset 13'
    )
    assert str(refusal(parse_html, "😀 <b>x</i>")) == (
        'Unmatched end tag at byte offset 9, expected "</b>", found "</i>"'
    )


def test_html_unescaped_user_content_is_caught() -> None:
    """The bug class the emulator exists for: a name with '<' pasted into HTML."""
    user_name = "Анна <3"
    error = refusal(parse_html, f"Здравствуйте, <b>{user_name}</b>!")
    assert error.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "3</b" at byte offset 38'
    )


# --- parse_mode handling -------------------------------------------------------------------------


def test_parse_mode_is_case_insensitive() -> None:
    assert parse_text("<b>x</b>", "html", None) == parse_html("<b>x</b>")


def test_parse_mode_none_and_empty_mean_plain_text() -> None:
    for mode in (None, "", "None", "none"):
        assert parse_text("<b>x</b>", mode, None) == ("<b>x</b>", [])


def test_unsupported_parse_mode() -> None:
    error = refusal(parse_text, "x", "XML", None)
    assert isinstance(error, UnsupportedParseMode)
    assert error.description == "Bad Request: unsupported parse_mode"


@pytest.mark.parametrize("mode", ["MarkdownV2", "Markdown"])
def test_markdown_modes_are_not_emulated(mode: str) -> None:
    """The bot writes HTML only: the Markdown modes are refused, never silently read as text."""
    error = refusal(parse_text, "*x*", mode, None)
    assert isinstance(error, UnsupportedParseMode)


def test_empty_text_is_not_parsed() -> None:
    assert parse_text("", "XML", None) == ("", [])


def test_parse_mode_wins_over_entities() -> None:
    given = [{"type": "italic", "offset": 0, "length": 1}]
    assert parse_text("<b>x</b>", "HTML", given) == (
        "x",
        [{"type": "bold", "offset": 0, "length": 1}],
    )


# --- cleaning and trimming -----------------------------------------------------------------------


def test_outer_whitespace_is_trimmed_and_entities_shift() -> None:
    assert parse_html("  \n<b>Заголовок</b>\n\nтекст  \n\n") == (
        "Заголовок\n\nтекст",
        [{"type": "bold", "offset": 0, "length": 9}],
    )


def test_leading_whitespace_inside_an_entity_is_kept() -> None:
    assert parse_html("<b>  x  </b>") == ("  x", [{"type": "bold", "offset": 0, "length": 3}])


def test_whitespace_only_text_becomes_empty() -> None:
    assert parse_html(" <b> </b>\n") == ("", [])
    assert parse_text(" \n ", None, None) == ("", [])


def test_carriage_returns_vanish_and_entities_follow() -> None:
    entities = [{"type": "bold", "offset": 3, "length": 1}]
    assert parse_text("a\r\nb", None, entities) == (
        "a\nb",
        [{"type": "bold", "offset": 2, "length": 1}],
    )


def test_control_characters_become_spaces() -> None:
    assert parse_text("a\x01b\tc", None, None) == ("a b\tc", [])
    # with entities TDLib also turns the tab into a space
    bold = [{"type": "bold", "offset": 0, "length": 1}]
    assert parse_text("a\tb", None, bold) == ("a b", bold)


def test_strip_outer_whitespace() -> None:
    assert strip_outer_whitespace("  hi  ", [{"type": "bold", "offset": 2, "length": 4}]) == (
        "hi",
        [{"type": "bold", "offset": 0, "length": 2}],
    )
    assert strip_outer_whitespace("\n😀 x \n", []) == ("😀 x", [])
    assert strip_outer_whitespace("   ", [{"type": "bold", "offset": 0, "length": 1}]) == ("", [])


# --- explicit entities ---------------------------------------------------------------------------


def test_explicit_entities_are_kept() -> None:
    text = "Привет, мир 😀!"
    given = [
        {"type": "bold", "offset": 0, "length": 6},
        {"type": "text_link", "offset": 8, "length": 3, "url": "https://example.org"},
        {"type": "pre", "offset": 12, "length": 2, "language": ""},
    ]
    assert parse_text(text, None, given) == (
        text,
        [
            {"type": "bold", "offset": 0, "length": 6},
            {"type": "text_link", "offset": 8, "length": 3, "url": "https://example.org/"},
            {"type": "pre", "offset": 12, "length": 2},
        ],
    )


def test_explicit_auto_types_are_ignored_and_found_again() -> None:
    given = [
        {"type": "url", "offset": 0, "length": 1},
        {"type": "mention", "offset": 0, "length": 2},
    ]
    assert parse_text("see https://uscis.gov", None, given) == (
        "see https://uscis.gov",
        [{"type": "url", "offset": 4, "length": 17}],
    )


def test_explicit_overlapping_bold_is_merged() -> None:
    given = [{"type": "bold", "offset": 0, "length": 3}, {"type": "bold", "offset": 2, "length": 3}]
    assert parse_text("Hello", None, given) == (
        "Hello",
        [{"type": "bold", "offset": 0, "length": 5}],
    )


def test_explicit_empty_entities_vanish() -> None:
    assert parse_text("Hello", None, [{"type": "bold", "offset": 1, "length": 0}]) == ("Hello", [])


@pytest.mark.parametrize(
    ("given", "description"),
    [
        (
            [{"type": "bold", "offset": 0, "length": 100}],
            "Bad Request: entity beginning at UTF-16 offset 0 ends after the end of the text "
            "at UTF-16 offset 100",
        ),
        (
            [{"type": "bold", "offset": 10, "length": 1}],
            "Bad Request: entity begins after the end of the text at UTF-16 offset 10",
        ),
        (
            [{"type": "bold", "offset": -1, "length": 1}],
            "Bad Request: receive an entity with incorrect offset -1",
        ),
        (
            [{"type": "bold", "offset": 0, "length": -2}],
            "Bad Request: receive an entity with incorrect length -2",
        ),
        (
            [{"type": "shiny", "offset": 0, "length": 1}],
            "Bad Request: can't parse MessageEntity: Unsupported type specified",
        ),
        (
            [{"type": "", "offset": 0, "length": 1}],
            "Bad Request: can't parse MessageEntity: Type is not specified",
        ),
        (
            [{"offset": 0, "length": 1}],
            "Bad Request: can't parse MessageEntity: Can't find field \"type\"",
        ),
        (
            [{"type": "bold", "length": 1}],
            "Bad Request: can't parse MessageEntity: Can't find field \"offset\"",
        ),
        (
            [{"type": "bold", "offset": "x", "length": 1}],
            'Bad Request: can\'t parse MessageEntity: Field "offset" must be a valid Number',
        ),
        (["bold"], "Bad Request: can't parse MessageEntity: expected an Object"),
        (
            [{"type": "text_link", "offset": 0, "length": 1}],
            "Bad Request: can't parse MessageEntity: Can't find field \"url\"",
        ),
        (
            [{"type": "text_link", "offset": 0, "length": 1, "url": "localhost"}],
            "Bad Request: entity URL 'localhost' is invalid: Wrong HTTP URL",
        ),
        (
            [{"type": "text_link", "offset": 0, "length": 1, "url": "ftp://a.com"}],
            "Bad Request: entity URL 'ftp://a.com' is invalid: Unsupported URL protocol",
        ),
        (
            [{"type": "text_link", "offset": 0, "length": 1, "url": "tg:http://a.com"}],
            "Bad Request: entity URL 'tg:http://a.com' is invalid: Wrong tg URL",
        ),
        (
            [{"type": "text_mention", "offset": 0, "length": 1}],
            "Bad Request: can't parse MessageEntity: Can't find field \"user\"",
        ),
        (
            [{"type": "custom_emoji", "offset": 0, "length": 1, "custom_emoji_id": "0"}],
            "Bad Request: invalid custom emoji identifier specified",
        ),
    ],
)
def test_explicit_entity_refusals(given: list[dict[str, Any]], description: str) -> None:
    error = refusal(parse_text, "Hello", None, given)
    assert isinstance(error, InvalidEntitiesError)
    assert isinstance(error, EntityParseError)
    assert error.description == description


def test_explicit_entity_shape_is_checked_before_links() -> None:
    given = [
        {"type": "text_link", "offset": 0, "length": 1, "url": "localhost"},
        {"type": "shiny", "offset": 0, "length": 1},
    ]
    error = refusal(parse_text, "Hello", None, given)
    assert error.description == "Bad Request: can't parse MessageEntity: Unsupported type specified"


def test_explicit_entity_inside_a_surrogate_pair_is_refused() -> None:
    begins = refusal(parse_text, "😀x", None, [{"type": "bold", "offset": 1, "length": 1}])
    assert str(begins) == "Entity begins in a middle of a UTF-16 symbol at byte offset 4"
    ends = refusal(parse_text, "😀x", None, [{"type": "bold", "offset": 0, "length": 1}])
    assert str(ends) == (
        "Entity beginning at UTF-16 offset 0 ends in a middle of a UTF-16 symbol at byte offset 4"
    )


def test_explicit_entities_counted_in_code_points_are_caught() -> None:
    """A classic bot bug: offsets computed with len() instead of UTF-16 units."""
    text = "🇺🇸 Суд"  # the flag is 2 code points and 4 UTF-16 units
    assert span(text, "Суд") == (5, 3)
    right = [{"type": "bold", "offset": 5, "length": 3}]
    assert parse_text(text, None, right) == (text, right)
    wrong = [{"type": "bold", "offset": 3, "length": 3}]  # len()-based: "Суд" at 3
    error = refusal(parse_text, text, None, wrong)
    assert error.description == (
        "Bad Request: entity begins in a middle of a UTF-16 symbol at byte offset 8"
    )


def test_entities_that_are_not_a_list_are_ignored() -> None:
    assert parse_text("Hello", None, {"type": "bold"}) == ("Hello", [])  # type: ignore[arg-type]


def test_validate_entities_sorts_and_normalizes_without_touching_offsets() -> None:
    given = [
        {"type": "italic", "offset": 3, "length": 2},
        {"type": "url", "offset": 0, "length": 1},
        {"type": "text_link", "offset": 0, "length": 2, "url": "example.com"},
    ]
    assert validate_entities(" Hello\r", given) == [
        {"type": "text_link", "offset": 0, "length": 2, "url": "http://example.com/"},
        {"type": "italic", "offset": 3, "length": 2},
    ]


def test_validate_entities_refuses_out_of_range() -> None:
    error = refusal(validate_entities, "Hi", [{"type": "bold", "offset": 1, "length": 5}])
    assert str(error) == (
        "Entity beginning at UTF-16 offset 1 ends after the end of the text at UTF-16 offset 6"
    )


# --- entities Telegram finds by itself -----------------------------------------------------------


def test_auto_detected_entities() -> None:
    text = "см. https://uscis.gov/i-589, пишите help@example.org, /start @asylum_help #убежище $USD"
    result, entities = parse_text(text, None, None)
    assert result == text
    assert entities == [
        entity("url", text, "https://uscis.gov/i-589"),
        entity("email", text, "help@example.org"),
        entity("bot_command", text, "/start"),
        entity("mention", text, "@asylum_help"),
        entity("hashtag", text, "#убежище"),
        entity("cashtag", text, "$USD"),
    ]


def test_urls_without_protocol_need_a_known_domain() -> None:
    text = "Visit uscis.gov/i-589. Or file.txt, госуслуги.рф, 192.168.0.1, Example.Com, localhost"
    _, entities = parse_text(text, None, None)
    assert entities == [
        entity("url", text, "uscis.gov/i-589"),
        entity("url", text, "госуслуги.рф"),
        entity("url", text, "192.168.0.1"),
    ]


def test_bot_command_forms() -> None:
    text = "/help@my_bot, a/b, /start/x, /старт"
    _, entities = parse_text(text, None, None)
    assert entities == [entity("bot_command", text, "/help@my_bot")]


def test_short_mentions_are_not_mentions() -> None:
    _, entities = parse_text("@abc @gif @abcd mail@abcd", None, None)
    assert [e["offset"] for e in entities] == [5, 10]


def test_auto_detection_skips_code_and_links_and_splits_bold() -> None:
    assert parse_html("<code>https://uscis.gov/</code>")[1] == [
        {"type": "code", "offset": 0, "length": 18}
    ]
    assert parse_html('<a href="https://a.com">https://b.com</a>')[1] == [
        {"type": "text_link", "offset": 0, "length": 13, "url": "https://a.com/"}
    ]
    text, entities = parse_html("<b>see https://uscis.gov/ now</b>")
    assert entities == [
        {"type": "bold", "offset": 0, "length": 4},
        entity("url", text, "https://uscis.gov/"),
        entity("bold", text, "https://uscis.gov/"),
        {"type": "bold", "offset": 22, "length": 4},
    ]


# --- typical bot output --------------------------------------------------------------------------


def test_round_trip_of_a_typical_html_message() -> None:
    source = (
        "<b>Что делать после освобождения</b>\n\n"
        '• Сообщите новый адрес: <a href="https://www.ice.gov/webform/change-address">ICE</a>\n'
        "• Проверьте дату суда: <code>1-880-898-7980</code>\n"
        "• Подайте I-589 в течение <i>одного года</i> 📅\n\n"
        "<blockquote>Это не юридическая консультация &amp; не замена адвокату.</blockquote>"
    )
    text, entities = parse_html(source)
    assert text == (
        "Что делать после освобождения\n\n"
        "• Сообщите новый адрес: ICE\n"
        "• Проверьте дату суда: 1-880-898-7980\n"
        "• Подайте I-589 в течение одного года 📅\n\n"
        "Это не юридическая консультация & не замена адвокату."
    )
    assert entities == [
        entity("bold", text, "Что делать после освобождения"),
        entity("text_link", text, "ICE", url="https://www.ice.gov/webform/change-address"),
        entity("code", text, "1-880-898-7980"),
        entity("italic", text, "одного года"),
        entity("blockquote", text, "Это не юридическая консультация & не замена адвокату."),
    ]
