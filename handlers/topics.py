"""Sections and topic walkthroughs: ◀ 2/5 ▶ paging in place, topic links as buttons."""

from __future__ import annotations

import html
from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update

from core.content.model import Topic
from core.content.render import RenderedMessage, StepLabels, render_footer
from core.i18n import Translator
from core.walkthrough import Page, walkthrough
from handlers import ui
from handlers.callbacks.topics import (
    CONTENTS,
    SOURCES,
    Picture,
    Sections,
    TopicExtra,
    TopicPage,
)
from handlers.context import Context, services, tr
from handlers.menus import stale_button


def review_lines(topic: Topic, t: Translator) -> list[str]:
    """What is true about the page's review, in the reader's language: when its sources were
    last checked; who reviewed it, or that no lawyer has yet; a machine translation says so."""
    lines = [t._("Sources checked: {date}").format(date=t.date(topic.sources_checked, "d MMMM y"))]
    if topic.reviewed and topic.reviewed_on is not None:
        lines.append(
            t._("Reviewed by {name}, {date}").format(
                name=topic.reviewed_by, date=t.date(topic.reviewed_on, "d MMMM y")
            )
        )
    else:
        lines.append(t._("A lawyer has not yet reviewed this page."))
    if topic.machine_translated:
        lines.append(t._("This page was translated by a machine and not yet checked by a person."))
    return lines


def _footer(topic: Topic, t: Translator) -> RenderedMessage:
    """Review status, then the standing not-legal-advice note; the sources are one button away
    (`show_sources`), so the last page is not a wall of English titles and links."""
    footer = render_footer(replace(topic, sources=()), review_lines(topic, t), sources_label="")
    note = t._("⚖️ This is information, not legal advice. For your case, ask a lawyer.")
    return RenderedMessage(f"{footer.text}\n\n{note}", footer.entities)


def pages_of(context: Context, topic: Topic, t: Translator) -> tuple[Page, ...]:
    """The topic's pages in the reader's language (rendered once per content version)."""
    live = services(context).library
    key = ("walkthrough", t.lang, topic.lang, topic.id)
    return live.memo(key, lambda: walkthrough(topic, _footer(topic, t), StepLabels()))


FLOWCHART_TOPIC = "process"
FLOWCHART_FILE_IDS = "flowchart-file-ids"  # bot_data key: Telegram file ids of uploaded pictures


async def flowchart_pressed(update: Update, context: Context) -> None:
    """Send the process flowchart in the user's language (uploaded once, then by file id)."""
    t = tr(update, context)
    await ui.acknowledge(update)
    chat = update.effective_chat
    if chat is None:
        return
    folder = services(context).library.content_dir / "flowchart"
    path = folder / f"process.{t.lang}.png"
    if not path.exists():
        path = folder / "process.ru.png"
    cache: dict[str, str] = context.application.bot_data.setdefault(FLOWCHART_FILE_IDS, {})
    caption = t._("The asylum process, simplified. Each case is different: ask a lawyer.")
    key = str(path)
    if key in cache:
        await chat.send_photo(cache[key], caption=caption)
        return
    message = await chat.send_photo(path.read_bytes(), caption=caption)
    if message.photo:
        cache[key] = message.photo[-1].file_id


def _entities(message: RenderedMessage) -> list[MessageEntity]:
    return [
        MessageEntity(type=e.type, offset=e.offset, length=e.length, url=e.url)
        for e in message.entities
    ]


def _topic_keyboard(
    t: Translator, topic: Topic, pages: tuple[Page, ...], index: int, section_title: str
) -> InlineKeyboardMarkup:
    total = len(pages)
    nav: list[InlineKeyboardButton] = []
    if total > 1:
        if index > 0:
            nav.append(ui.button("◀", TopicPage(topic.id, index - 1)))
        nav.append(ui.button(f"{index + 1}/{total}", TopicExtra(topic.id, CONTENTS, index)))
        if index < total - 1:
            nav.append(ui.button("▶", TopicPage(topic.id, index + 1)))
    related = [
        [ui.button(f"→ {label}", TopicPage(topic_id, 0))]
        for label, topic_id in pages[index].topic_links
    ]
    rows = [nav, *related]
    if topic.id == FLOWCHART_TOPIC and index == 0:
        rows.append([ui.button(t._("🖼 The whole process as a picture"), Picture())])
    if index == total - 1 and topic.sources:
        label = t._("📚 Sources (%(n)s)", n=len(topic.sources))
        rows.append([ui.button(label, TopicExtra(topic.id, SOURCES, index))])
    if index == total - 1 and topic.id != "legal-help":
        rows.append([ui.button(t._("🆘 Free legal help"), TopicPage("legal-help", 0))])
    rows.append([ui.button(f"⬅ {section_title}", Sections(topic.section)), *ui.menu_row(t)])
    return ui.keyboard(*rows)


def exists(context: Context, topic_id: str) -> bool:
    """Whether there is an explainer `topic_id` (in any language: each falls back to Russian)."""
    return services(context).library.library.topic("ru", topic_id) is not None


async def show_topic(update: Update, context: Context, topic_id: str, index: int = 0) -> bool:
    """Show page `index` of a topic; False when there is no such topic or page."""
    t = tr(update, context)
    library = services(context).library.library
    topic = library.topic(t.lang, topic_id)
    if topic is None:
        return False
    pages = pages_of(context, topic, t)
    if not 0 <= index < len(pages):
        return False
    section = library.section(topic.section)
    section_title = section.title(t.lang) if section else t._("📚 Topics")
    page = pages[index]
    await ui.show(
        update,
        page.message.text,
        _topic_keyboard(t, topic, pages, index, section_title),
        entities=_entities(page.message),
    )
    return True


async def show_contents(update: Update, context: Context, topic_id: str, index: int) -> bool:
    """The page counter pressed: the topic's steps, each a button to its first page."""
    t = tr(update, context)
    topic = services(context).library.library.topic(t.lang, topic_id)
    if topic is None:
        return False
    pages = pages_of(context, topic, t)
    if not 0 <= index < len(pages):
        return False
    first_page: dict[int, int] = {}
    for number, page in enumerate(pages):
        first_page.setdefault(page.step, number)
    rows = [
        [ui.button(f"{step + 1}. {title}", TopicPage(topic.id, first_page[step]))]
        for step, title in enumerate(s.title for s in topic.steps)
        if step in first_page
    ]
    back = [ui.button(t._("◀ Back to page %(n)s", n=index + 1), TopicPage(topic.id, index))]
    text = f"<b>{_escape(topic.title)}</b>\n" + _escape(t._("The steps of this topic:"))
    await ui.show(update, text, ui.keyboard(*rows, back))
    return True


async def show_sources(update: Update, context: Context, topic_id: str, index: int) -> bool:
    """The topic's official sources, as links, with the way back to the page."""
    t = tr(update, context)
    topic = services(context).library.library.topic(t.lang, topic_id)
    if topic is None or not topic.sources:
        return False
    listing = render_footer(topic, [topic.title], sources_label=t._("Sources"))
    back = [ui.button(t._("◀ Back to page %(n)s", n=index + 1), TopicPage(topic.id, index))]
    await ui.show(update, listing.text, ui.keyboard(back), entities=_entities(listing))
    return True


async def topic_pressed(update: Update, context: Context) -> None:
    """A topic button or a ◀ ▶ press: show that page, or say the button is out of date.
    The page counter ("2/5") shows the topic's steps, to jump to one."""
    query = update.callback_query
    data = query.data if query else None
    extra = {SOURCES: show_sources, CONTENTS: show_contents}
    if (wanted := TopicExtra.unpack(data)) is not None and await extra[wanted.what](
        update, context, wanted.topic, wanted.page
    ):
        await ui.acknowledge(update)
        return
    if (page := TopicPage.unpack(data)) is not None and await show_topic(
        update, context, page.topic, page.page
    ):
        await ui.acknowledge(update)
        return
    await stale_button(update, context)


async def sections_pressed(update: Update, context: Context) -> None:
    """The list of sections, or the topics of one section."""
    query = update.callback_query
    pressed = Sections.unpack(query.data if query else None)
    t = tr(update, context)
    library = services(context).library.library
    await ui.acknowledge(update)
    section_id = pressed.section if pressed else None
    section = library.section(section_id) if section_id else None
    if section is None:
        rows = [[ui.button(s.title(t.lang), Sections(s.id))] for s in library.sections]
        text = t._("<b>Topics</b>\nChoose a section:")
        await ui.show(update, text, ui.keyboard(*rows, ui.menu_row(t)))
        return
    topics = library.topics_in_section(t.lang, section.id)
    rows = [[ui.button(topic.title, TopicPage(topic.id, 0))] for topic in topics]
    lines = [f"<b>{_escape(section.title(t.lang))}</b>"]
    lines += [f"• <b>{_escape(topic.title)}</b> — {_escape(topic.summary)}" for topic in topics]
    back = [ui.button(t._("⬅ All sections"), Sections()), *ui.menu_row(t)]
    await ui.show(update, "\n".join(lines), ui.keyboard(*rows, back))


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
