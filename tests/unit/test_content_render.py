"""The renderer turns a step into plain text plus UTF-16 entities, split to fit Telegram."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.content.model import Source, Step, Topic
from core.content.render import (
    TELEGRAM_LIMIT,
    Entity,
    MarkupIssue,
    RenderedMessage,
    StepLabels,
    TopicLink,
    inspect_markdown,
    plain_text,
    render_footer,
    render_step,
    utf16_len,
)

NO_TITLE = StepLabels(show_topic_title=False)


def make_topic(*bodies: str, intro: str = "", title: str = "Залог") -> Topic:
    return Topic(
        id="bond",
        lang="ru",
        title=title,
        summary="Кто может выйти под залог.",
        section="detention",
        order=10,
        keywords=("залог", "zalog"),
        sources_checked=date(2026, 11, 20),
        sources=(
            Source("ICE: Bonds", "https://www.ice.gov/detain/bonds"),
            Source("EOIR 🏛 Policy", "https://www.justice.gov/eoir"),
        ),
        intro=intro,
        steps=tuple(Step(f"Шаг {n}", body, 17 + n) for n, body in enumerate(bodies, start=1)),
        path=Path("content/ru/bond.md"),
    )


def render_one(body: str) -> RenderedMessage:
    """Render a one-step topic without its title; return the single message."""
    step = render_step(make_topic(body), 0, labels=NO_TITLE)
    assert len(step.messages) == 1
    return step.messages[0]


def covered(message: RenderedMessage) -> list[tuple[str, str]]:
    """Return (entity type, the text it covers, cut by UTF-16 units as Telegram does)."""
    data = message.text.encode("utf-16-le")
    out = []
    for entity in message.entities:
        assert entity.length > 0
        assert entity.offset + entity.length <= len(data) // 2
        out.append((entity.type, data[entity.offset * 2 : (entity.offset + entity.length) * 2]))
    return [(kind, raw.decode("utf-16-le")) for kind, raw in out]


def test_inline_markup_becomes_entities_with_utf16_offsets() -> None:
    message = render_one(
        "🚨 Это **важно**: *срочно* [ICE](https://www.ice.gov) и `A-123`. 👨‍👩‍👧 **конец**"
    )

    assert message.text == "Шаг 1\n\n🚨 Это важно: срочно ICE и A-123. 👨‍👩‍👧 конец"
    assert message.entities == (
        Entity("bold", 0, 5),
        Entity("bold", 14, 5),
        Entity("italic", 21, 6),
        Entity("text_link", 28, 3, "https://www.ice.gov"),
        Entity("code", 34, 5),
        Entity("bold", 50, 5),
    )
    assert covered(message) == [
        ("bold", "Шаг 1"),
        ("bold", "важно"),
        ("italic", "срочно"),
        ("text_link", "ICE"),
        ("code", "A-123"),
        ("bold", "конец"),
    ]


def test_code_inside_a_link_stays_a_plain_link() -> None:
    message = render_one("Форма [`I-589`](https://www.uscis.gov/i-589).")

    assert covered(message) == [("bold", "Шаг 1"), ("text_link", "I-589")]


def test_wrapped_lines_join_with_spaces_and_hard_breaks_stay() -> None:
    message = render_one("первая строка\nвторая строка  \nтретья")

    assert message.text == "Шаг 1\n\nпервая строка вторая строка\nтретья"


def test_bullet_and_numbered_lists_become_marked_lines() -> None:
    message = render_one("Возьмите:\n\n- паспорт\n- **NTA**\n\n3. первое\n4. второе\n")

    assert message.text == "Шаг 1\n\nВозьмите:\n\n• паспорт\n• NTA\n\n3. первое\n4. второе"
    assert covered(message) == [("bold", "Шаг 1"), ("bold", "NTA")]


def test_block_quote_becomes_one_blockquote_entity() -> None:
    message = render_one("До.\n\n> Судья сказал:\n>\n> «Приходите **вовремя**».\n\nПосле.")

    assert message.text == "Шаг 1\n\nДо.\n\nСудья сказал:\n«Приходите вовремя».\n\nПосле."
    assert covered(message) == [
        ("bold", "Шаг 1"),
        ("blockquote", "Судья сказал:\n«Приходите вовремя»."),
        ("bold", "вовремя"),
    ]


def test_topic_links_stay_as_bold_labels_and_become_buttons() -> None:
    topic = make_topic(
        "См. [суд](topic:court), [залог](topic:bond) и снова [суд](topic:court).",
        intro="Сначала [про задержание](topic:detention).",
    )

    step = render_step(topic, 0)

    assert step.messages[0].text == (
        "Залог\n\nСначала про задержание.\n\nШаг 1\n\nСм. суд, залог и снова суд."
    )
    assert step.topic_links == (
        ("про задержание", "detention"),
        ("суд", "court"),
        ("залог", "bond"),
    )
    assert ("bold", "про задержание") in covered(step.messages[0])


def test_links_telegram_cannot_open_stay_plain_text() -> None:
    message = render_one("Пишите [нам](mailto:help@example.org).")

    assert message.text == "Шаг 1\n\nПишите нам."
    assert covered(message) == [("bold", "Шаг 1")]


def test_raw_html_and_unsupported_markup_degrade_to_plain_text() -> None:
    message = render_one(
        "Текст <b>жирный</b> <script>x</script>\n\n"
        "<div>\nблок\n</div>\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "![схема суда](x.png)\n\n"
        "### Подзаголовок\n\n"
        "    отступ\n\n"
        "- один\n  - два\n"
    )

    assert "<" not in message.text
    assert ">" not in message.text
    assert message.text == (
        "Шаг 1\n\nТекст жирный x\n\nблок\n\na | b\n1 | 2\n\nсхема суда\n\nПодзаголовок\n\n"
        "отступ\n\n• один\n    ◦ два"
    )
    assert covered(message) == [("bold", "Шаг 1")]


def test_inspect_reports_unsupported_markup_with_lines() -> None:
    report = inspect_markdown(
        "Текст\n\n<b>x</b>\n\n- a\n  - b\n\n## В списке?\n\n[c](topic:court)\n"
    )

    assert report.issues == (
        MarkupIssue(2, "error", report.issues[0].message),
        MarkupIssue(5, "error", report.issues[1].message),
    )
    assert "raw HTML" in report.issues[0].message
    assert "list inside a list" in report.issues[1].message
    assert report.topic_links == (TopicLink("c", "court", 9),)


def test_first_step_carries_title_and_intro_later_steps_do_not() -> None:
    topic = make_topic("Первый.", "Второй.", intro="Вступление.")
    labels = StepLabels(heading="Шаг {current} из {total}: {title}")

    first = render_step(topic, 0, labels=labels)
    second = render_step(topic, 1, labels=labels)

    assert first.messages[0].text == "Залог\n\nВступление.\n\nШаг 1 из 2: Шаг 1\n\nПервый."
    assert second.messages[0].text == "Шаг 2 из 2: Шаг 2\n\nВторой."
    assert (first.index, first.total, first.is_last, second.is_last) == (0, 2, False, True)
    with pytest.raises(IndexError):
        render_step(topic, 2)


def test_step_that_fits_exactly_stays_one_message() -> None:
    heading = "Шаг 1\n\n"
    body = "я" * (TELEGRAM_LIMIT - len(heading))

    step = render_step(make_topic(body), 0, labels=NO_TITLE)

    assert [utf16_len(m.text) for m in step.messages] == [TELEGRAM_LIMIT]


def test_long_step_splits_between_paragraphs_under_the_limit() -> None:
    paragraphs = [f"Абзац {n}. " + "слово " * 200 + "🙂" for n in range(8)]  # ~1,200 chars each

    step = render_step(make_topic("\n\n".join(paragraphs)), 0, labels=NO_TITLE)

    assert len(step.messages) == 3
    assert all(utf16_len(m.text) <= TELEGRAM_LIMIT for m in step.messages)
    rendered = [p.strip() for m in step.messages for p in m.text.split("\n\n")]
    assert rendered == ["Шаг 1", *(p.strip() for p in paragraphs)]


def test_heading_is_never_left_alone_at_the_end_of_a_message() -> None:
    long_intro = "В" * 4075  # the heading alone would still fit after it, its text would not

    step = render_step(make_topic("Текст шага.", intro=long_intro), 0)

    assert [m.text[:5] for m in step.messages] == ["Залог", "Шаг 1"]
    assert step.messages[1].text == "Шаг 1\n\nТекст шага."


def test_paragraph_over_the_limit_splits_at_sentences_keeping_entities() -> None:
    sentence = "Это предложение про залог 🙂 и суд. "
    body = "**" + (sentence * 200).strip() + "**"

    step = render_step(make_topic(body), 0, labels=NO_TITLE)

    assert len(step.messages) == 2
    first, second = step.messages
    assert all(utf16_len(m.text) <= TELEGRAM_LIMIT for m in step.messages)
    assert first.text.startswith("Шаг 1\n\nЭто предложение")
    assert first.text.endswith("и суд.")
    assert second.text.startswith("Это предложение")
    assert second.text.endswith("и суд.")
    assert covered(first)[1] == ("bold", first.text[7:])
    assert covered(second) == [("bold", second.text)]
    assert len(first.text) + len(second.text) - 7 == len(body) - 4 - 1  # only the cut space lost


def test_custom_max_length_splits_near_the_reading_target() -> None:
    paragraphs = ["а" * 500, "б" * 500, "в" * 500]

    step = render_step(make_topic("\n\n".join(paragraphs)), 0, labels=NO_TITLE, max_length=1200)

    assert [len(m.text) for m in step.messages] == [1009, 500]


def test_footer_lists_the_review_status_and_linked_sources() -> None:
    status = ["Источники проверены: 15 ноября 2026", "Юрист эту страницу ещё не проверял."]
    footer = render_footer(make_topic("x"), status, "Источники")

    assert footer.text == (
        "Источники проверены: 15 ноября 2026\nЮрист эту страницу ещё не проверял.\n"
        "Источники:\n• ICE: Bonds\n• EOIR 🏛 Policy"
    )
    assert covered(footer) == [
        ("italic", "Источники проверены: 15 ноября 2026"),
        ("italic", "Юрист эту страницу ещё не проверял."),
        ("bold", "Источники:"),
        ("text_link", "ICE: Bonds"),
        ("text_link", "EOIR 🏛 Policy"),
    ]
    assert footer.entities[-1].url == "https://www.justice.gov/eoir"


def test_footer_joins_the_last_message_or_follows_it_when_full() -> None:
    topic = make_topic("Коротко.")
    footer = render_footer(topic, ["Checked: 15 November 2026"], "Sources")

    short = render_step(topic, 0, labels=NO_TITLE, footer=footer)
    full = render_step(make_topic("я" * 4080), 0, labels=NO_TITLE, footer=footer)

    assert short.messages[0].text.endswith("Коротко.\n\nChecked: 15 November 2026\nSources:\n"
                                           "• ICE: Bonds\n• EOIR 🏛 Policy")  # fmt: skip
    assert ("text_link", "ICE: Bonds") in covered(short.messages[0])
    assert [m.text == footer.text for m in full.messages] == [False, True]
    assert full.messages[1].entities == footer.entities


def test_plain_text_has_every_searchable_word_without_markup() -> None:
    topic = make_topic("Про **залог** и [суд](topic:court).", "- бонд\n", intro="Вступление.")

    assert plain_text(topic) == (
        "Залог\nКто может выйти под залог.\nзалог zalog\nВступление.\n"
        "Шаг 1\nПро залог и суд.\nШаг 2\n• бонд"
    )
