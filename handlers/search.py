"""Free-text messages: the three best explainers as buttons; a human answer to greetings,
thanks, cries for help and emergencies; and a "not found" that always shows the way on."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, Update

from core.content.model import Library
from core.i18n import Translator, translator
from core.intents import Intent, intent_of
from core.library import LiveLibrary
from core.search import Hit, SearchIndex
from core.walkthrough import first_page_of_step
from handlers import topics, ui
from handlers.callbacks.topics import Sections, TopicPage
from handlers.callbacks.triage import TriageStart
from handlers.context import Context, services, tr

RESULTS = 3
STORY_LENGTH = 300  # longer than a question: a person telling their story
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
    """Answer a typed message (its text is never logged or stored): an emergency, a greeting,
    thanks or a cry for help like a person would; a question with the best explainers; and
    never a dead end: "not found" leads to "Where am I?", the topics and free legal help."""
    t = tr(update, context)
    intent = intent_of(question)
    if intent is not None:
        await _answer_intent(update, t, intent)
        return
    hits = (await search_index(context)).search(question, t.lang, limit=RESULTS)
    if not hits:
        await ui.show(
            update,
            t._(
                "I have no answer to this question. Try other words or choose a topic. "
                "Or answer a few questions with buttons, and I will show your next steps "
                "and deadlines. For your own case, a lawyer can help: see free legal help."
            ),
            ui.keyboard(*_ways_on(t), ui.menu_row(t)),
        )
        return
    rows = [
        [ui.button(hit.title, TopicPage(hit.topic_id, _page_of(context, hit, t.lang)))]
        for hit in hits
    ]
    if len(question) > STORY_LENGTH:
        lead = t._(
            "I have read your message (I do not keep it). These explainers are the closest to "
            "what you describe. For your own case, a lawyer can help: see free legal help."
        )
        if all(hit.topic_id != "legal-help" for hit in hits):
            rows.append([ui.button(t._("🆘 Free legal help"), TopicPage("legal-help", 0))])
    else:
        lead = t._("This is what I found. Choose one:")
    await ui.show(update, lead, ui.keyboard(*rows, ui.menu_row(t)))


def _ways_on(t: Translator) -> list[list[InlineKeyboardButton]]:
    """Where a person who is lost can go next: their situation, the topics, a lawyer."""
    return [
        [ui.button(t._("🧭 Where am I? A few questions"), TriageStart())],
        [ui.button(t._("📚 Topics"), Sections())],
        [ui.button(t._("🆘 Free legal help"), TopicPage("legal-help", 0))],
    ]


async def _answer_intent(update: Update, t: Translator, intent: Intent) -> None:
    """A human answer to a message that is not a question, leading to the right place."""
    if intent is Intent.EMERGENCY:
        text = t._(
            "<b>If this is happening now:</b> the emergency numbers and what to do are in "
            "«Official contacts». A lawyer can help: see free legal help. "
            "If someone's life is in danger, call 911."
        )
        rows = [
            [ui.button(t._("☎️ Official contacts"), TopicPage("contacts", 0))],
            [ui.button(t._("🆘 Free legal help"), TopicPage("legal-help", 0))],
            [ui.button(t._("🧭 Where am I? A few questions"), TriageStart())],
        ]
    elif intent is Intent.THANKS:
        text = t._(
            "You are welcome. Take care of yourself. If a question comes up, just write it to me."
        )
        rows = []
    elif intent is Intent.GREETING:
        text = t._(
            "Hello! I explain the US asylum process in plain words. Write what worries you in "
            "a few words, or start here:"
        )
        rows = _ways_on(t)
    else:
        text = t._(
            "I am here to help. Let us start with where you are now: a few questions with "
            "buttons, and I will show your next steps and deadlines. You can also read the "
            "topics or find a free lawyer. If someone's life is in danger, call 911."
        )
        rows = [*_ways_on(t), [ui.button(t._("☎️ Official contacts"), TopicPage("contacts", 0))]]
    await ui.show(update, text, ui.keyboard(*rows, ui.menu_row(t)))
