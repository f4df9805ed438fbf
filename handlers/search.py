"""Free-text questions: the three best explainers as buttons, or a kind "not found"."""

from __future__ import annotations

import asyncio

from telegram import Update

from core.content.model import Library
from core.i18n import translator
from core.library import LiveLibrary
from core.search import Hit, SearchIndex
from core.walkthrough import first_page_of_step
from handlers import topics, ui
from handlers.context import Context, services, tr

RESULTS = 3
INDEX_KEY = "search-index"  # its key in the library's per-version cache


async def search_index(context: Context) -> SearchIndex:
    """The index of the content being served (built once per content version)."""
    return await build_index(services(context).library)


def build_index(live: LiveLibrary) -> asyncio.Future[SearchIndex]:
    """The index of the content being served, built once per content version in a worker
    thread (a few hundred ms of work the event loop must not wait for). Everyone who needs it
    meanwhile (the start-up job, a reload, the first questions) awaits the same build."""
    library = live.library
    build = live.memo(INDEX_KEY, lambda: asyncio.ensure_future(_build_in_thread(library)))
    if build.done() and build.exception() is not None:  # a failed build is tried again
        live.forget(INDEX_KEY)
        build = live.memo(INDEX_KEY, lambda: asyncio.ensure_future(_build_in_thread(library)))
    return build


async def _build_in_thread(library: Library) -> SearchIndex:
    return await asyncio.to_thread(SearchIndex.build, library)


async def prepare_index(context: Context) -> None:
    """JobQueue job (bot.py, just after start): build the index now, not on the first question."""
    await build_index(services(context).library)


def _page_of(context: Context, hit: Hit, lang: str) -> int:
    """The walkthrough page where the best-matching step starts."""
    if hit.step_index is None:
        return 0
    library = services(context).library.library
    topic = library.topic(lang, hit.topic_id)
    if topic is None:
        return 0
    return first_page_of_step(topics.pages_of(context, topic, translator(lang)), hit.step_index)


async def answer_question(update: Update, context: Context, question: str) -> None:
    """Search the explainers for the question (its text is never logged or stored)."""
    t = tr(update, context)
    hits = (await search_index(context)).search(question, t.lang, limit=RESULTS)
    if not hits:
        await ui.show(
            update,
            t._(
                "I could not find an answer to that in my explainers. Try other words, "
                "or choose a topic. For your own case, a lawyer can help: see free legal help."
            ),
            ui.keyboard(
                [ui.button(t._("📚 Topics"), ui.SECTIONS)],
                [ui.button(t._("🆘 Free legal help"), ui.TOPIC, "legal-help", 0)],
                ui.menu_row(t),
            ),
        )
        return
    rows = [
        [ui.button(hit.title, ui.TOPIC, hit.topic_id, _page_of(context, hit, t.lang))]
        for hit in hits
    ]
    await ui.show(
        update,
        t._("This is what I found. Choose one:"),
        ui.keyboard(*rows, ui.menu_row(t)),
    )
