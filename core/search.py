"""Free-text question matching: which explainer (and which step of it) answers a typed question.

Owns the search index over the explainer library and how a question is turned into terms:
lowercasing and ё→е, a few phrase rewrites (A-number, form numbers), stop words, Snowball
stemming (Russian for Cyrillic words, English for Latin ones), Latin-typed Russian turned back
into Cyrillic (core.translit), and typo tolerance (rapidfuzz against the index vocabulary).

Ranking is BM25 over weighted fields: a topic's title and keywords count more than its summary
and step titles, which count more than the body text, and the page's head (those short fields
alone) is scored once more on top. Adjacent query words found side by side add a little. Each
query word contributes through its best reading (exact stem, transliterated stem, or a
typo-corrected stem, the latter two discounted), so "zalog" and "залог" are never counted twice.
A question gets no answer when its best page scores below MIN_SCORE or when fewer than half of
its meaningful words are words the explainers use at all (gibberish, greetings, off-topic).

Every page (topic in one language) is a document, and term rarity is counted over all languages
together. The user's language is searched and so are the others (an English question in a
Russian session still finds the English page); a topic scores its best over the languages, the
other languages slightly discounted. Hits carry topic ids and the title in the user's language:
the caller shows the page in that language.

Pure: no Telegram, no SQL, no I/O; built once per library version.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import snowballstemmer
from rapidfuzz import fuzz, process

from core.content.model import Library, Topic
from core.translit import is_latin_word, to_cyrillic_variants

__all__ = ["Hit", "Query", "SearchIndex", "query_terms", "stem", "tokenize"]

# --- tuning (checked against tests/unit/search_questions.yaml; see bench/README.md) ----------

TITLE_WEIGHT = 4.0
KEYWORD_WEIGHT = 4.0
SUMMARY_WEIGHT = 2.0
STEP_TITLE_WEIGHT = 2.0
BODY_WEIGHT = 1.0

BM25_K1 = 2.0
BM25_B = 0.75
HEAD_FACTOR = 1.0  # extra score from the page's head alone: title, keywords, summary, step titles

TRANSLIT_FACTOR = 0.95  # a Latin-typed word read as Russian
FUZZY_FACTOR = 0.8  # times the similarity (0..1) of a typo-corrected word
FUZZY_MIN_LENGTH = 4  # words shorter than this must match exactly
TRANSLIT_FUZZY_MIN_LENGTH = 5  # the same for Latin-typed words read as Russian ("test" ≠ "текст")
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0..100) a typo must reach
FUZZY_CANDIDATES = 3
OTHER_LANGUAGE_FACTOR = 0.9  # a page found in another language than the user's

PAIR_FACTOR = 0.5  # two query words that stand side by side in the page, too
PAIR_READINGS = 2  # readings per word combined into pair readings

MIN_SCORE = 1.4  # below this the best topic is not a real answer: return nothing
MIN_COVERAGE = 0.5  # share of the meaningful query words that the explainers must know
# (a word counts by its reading: 1 exact, 0.95 transliterated, at most 0.8 typo-corrected)
RELATIVE_CUTOFF = 0.3  # further hits must score at least this share of the best one
STEP_MARGIN = 1.25  # the best step must beat the runner-up by this factor to be named

# --- text to terms ------------------------------------------------------------------------------

_WORD = re.compile(r"[0-9a-zа-яіїєґ']+")  # і ї є ґ: Ukrainian pages, if content/uk/ appears
_MARKDOWN_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_TAG = re.compile(r"<[^>]*>")
_URL_SCHEME = re.compile(r"\b(?:https?|tg)://")
_A_NUMBER = (
    re.compile(
        r"(?<![0-9a-zа-я])(?:alien|алиен|элиен)[\s-]+(?:registration[\s-]+)?(?:number|номер[а-я]*)"
    ),
    re.compile(r"(?<![0-9a-zа-я])[aа][\s-]?(?:number|номер[а-я]*|nomer)(?![0-9a-zа-я])"),
    re.compile(r"(?<![0-9a-zа-я])(?:номер[а-я]*|nomer)[\s-]?[aа](?![0-9a-zа-я])"),
)
_SMALL_TALK = re.compile(
    r"(?<![0-9a-zа-я])(?:как (?:у (?:тебя|вас) )?дела|как ты|kak dela|how are you"
    r"|добр(?:ый|ое|ого) (?:день|утро|утра|вечер|дня|вечера)|good (?:morning|evening|afternoon))"
    r"(?![0-9a-zа-я])"
)
_FORM_NUMBER = (
    (re.compile(r"(?<![0-9a-zа-я])(?:i|ай)[\s-]?(\d{3})(?![0-9])"), "i"),
    (re.compile(r"(?<![0-9a-zа-я])и-(\d{3})(?![0-9])"), "i"),
    (re.compile(r"(?<![0-9a-zа-я])(?:eoir|еоир)[\s-]?(\d{2})(?![0-9])"), "eoir"),
)


def _word_set(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of text as a set (for the stop word lists)."""
    return frozenset(text.split())


RUSSIAN_STOP_WORDS = _word_set(
    """
    а без более бы был была были было быть в вам вас ведь весь во вот впрочем все всегда всего
    всех всю вы где да даже для до его ее ей ему если есть еще ж же за зачем здесь и из или им
    их к как какая какие каким какое какой когда кого кому который которая которые кто куда ли
    лучше меня мне мной мое моего моей моем мои моим моих мой моя мы на над надо наконец нам нас
    наш наша наше наши не него нее ней нельзя нет ни нибудь никогда ним них ничего но ну о об
    один он она они оно опять от очень по под потом потому почему почти при про раз разве с сам
    сама сами самое свое своего своей свои своим свой свою себе себя сейчас со совсем так такая
    также такие такое такой там твой твоя те тебе тебя тем теперь то тогда того тоже той только
    том тот тут ты у уж уже хоть хочу чего чем через что чтобы чтоб чье чья эта эти это этого
    этой этом этот эту я
    ваш ваша ваше ваши вашего вашей вашим вашу
    можно может могу могут можем нужно нужен нужна надо должен должна
    делать делаю делат сделать сделат делаем будет будут было бы будем буду
    сколько сколко скока какие какую каком больше большое большой много
    пожалуйста пожалуста плиз спасибо помогите подскажите скажите скажи подскажи
    привет приветствую здравствуйте здрасте добрый доброе вопрос вопросы
    просто вообще случае ещё типа короче блин
    """
)

ENGLISH_STOP_WORDS = _word_set(
    """
    a about after again all am an and any are as at be because been before being both but by can
    could did do does doing don down during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours out over own same she should so some such than that
    the their theirs them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    hi hello hey please thanks thank pls ok okay question get got going want need
    https http www com org gov html
    """
)

UKRAINIAN_STOP_WORDS = _word_set(  # only words that are not already in the Russian list
    """
    і й що як де коли чи це цей ця ці цього цієї мені мене мій моє мої моїх ваші він вона
    воно вони із зі від якщо вже ще бути буде будуть був була були є може можна треба потрібно маю
    має чому який яка яке які якого скільки ласка дякую привіт вітаю питання взагалі тобто
    """
)

# There is no Ukrainian Snowball stemmer. Folding і ї є ґ to и и е г lets the Russian one strip
# most Ukrainian endings too (суді -> суди -> суд): pages and questions go through the same
# folding, so the stems only need to agree with each other, not to be Russian words.
_UKRAINIAN_LETTERS = str.maketrans("іїєґ", "ииег")
_STEMMERS = threading.local()  # Snowball stemmers keep state while stemming: one per thread


def _stemmer(language: str) -> Any:
    """This thread's Snowball stemmer for the language (the index is built in a worker thread)."""
    found = getattr(_STEMMERS, language, None)
    if found is None:
        found = snowballstemmer.stemmer(language)
        setattr(_STEMMERS, language, found)
    return found


# Words people use for asylum that the explainers do not: the English word in Cyrillic letters.
_ASYLUM_SLANG = re.compile(r"(?<![0-9a-zа-я])(?:[аэе]сайл[уаю]м[а-я]*|политубежищ[а-я]*)")

# "Когда мой суд?" asks for the hearing date, not what happens at court.
_WHEN_HEARING = re.compile(
    r"(?<![0-9a-zа-я])(?:когда|kogda)\s+(?:(?:[уu]\s+)?(?:меня|нас|мужа|него|menya|nas|muzha)\s+|"
    r"(?:мой|мое|наш|moi|moy|moe|nash)\s+)?(?:суд|слушание|заседание|sud|slushanie)(?![0-9a-zа-я])"
)


def normalize(text: str) -> str:
    """Lowercase, fold ё to е, and rewrite the phrases that must stay one term (A-number, forms)."""
    text = text.lower().replace("ё", "е").replace("’", "'")
    text = _SMALL_TALK.sub(" ", text)
    text = _ASYLUM_SLANG.sub(" убежище ", text)
    text = _WHEN_HEARING.sub(" дата суда ", text)
    for pattern in _A_NUMBER:
        text = pattern.sub(" anumber ", text)
    for pattern, prefix in _FORM_NUMBER:
        text = pattern.sub(rf" {prefix}\1 ", text)
    return text


def tokenize(text: str) -> list[str]:
    """Return the normalized words of text, stop words included (apostrophes trimmed)."""
    words = (word.strip("'") for word in _WORD.findall(normalize(text)))
    return [word for word in words if word]


def _is_cyrillic(word: str) -> bool:
    """Tell whether a normalized word has a Cyrillic letter."""
    return any("а" <= char <= "я" or char in "іїєґ" for char in word)


def is_stop_word(word: str) -> bool:
    """Tell whether a normalized word carries no meaning for search (Russian, Ukrainian or
    English)."""
    return word in RUSSIAN_STOP_WORDS or word in UKRAINIAN_STOP_WORDS or word in ENGLISH_STOP_WORDS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the Snowball stem of a normalized word: Russian if it has Cyrillic, else English."""
    if _is_cyrillic(word):  # Ukrainian too: its own letters folded to their Russian neighbours
        return str(_stemmer("russian").stemWord(word.translate(_UKRAINIAN_LETTERS)))
    if word.isdigit():
        return word
    return str(_stemmer("english").stemWord(word.replace("'", "")))


def _markdown_words(markdown: str) -> str:
    """Return Markdown as searchable text: link targets, tags and URL schemes dropped."""
    text = _MARKDOWN_LINK_TARGET.sub("]", markdown)
    text = _TAG.sub(" ", text)
    return _URL_SCHEME.sub(" ", text)


def _terms(text: str) -> list[str]:
    """Return the stems of the meaningful words of text, in order."""
    return [stem(word) for word in tokenize(text) if not is_stop_word(word)]


# --- the query ----------------------------------------------------------------------------------

Alternatives = tuple[tuple[str, float], ...]  # (term, factor): the readings of one query word


@dataclass(frozen=True)
class _Vocabulary:
    """Every indexed word (surface form) with its term, bucketed by first letter for typos."""

    terms: frozenset[str]
    words_by_initial: Mapping[str, tuple[str, ...]]
    term_of: Mapping[str, str]

    @classmethod
    def build(cls, words: Iterable[str]) -> _Vocabulary:
        term_of = {word: stem(word) for word in set(words)}
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in sorted(term_of):
            if len(word) >= FUZZY_MIN_LENGTH and not word.isdigit():
                buckets[word[0]].append(word)
        return cls(
            terms=frozenset(term_of.values()),
            words_by_initial={initial: tuple(ws) for initial, ws in buckets.items()},
            term_of=term_of,
        )

    def near(self, word: str) -> list[tuple[str, float]]:
        """Return (term, similarity 0..1) for indexed words that look like a typo of word."""
        if len(word) < FUZZY_MIN_LENGTH or word.isdigit():
            return []
        candidates = self.words_by_initial.get(word[0], ())
        found = process.extract(
            word,
            candidates,
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
            limit=FUZZY_CANDIDATES,
        )
        best: dict[str, float] = {}
        for candidate, score, _ in found:
            term = self.term_of[candidate]
            best[term] = max(best.get(term, 0.0), score / 100.0)
        return sorted(best.items(), key=lambda item: -item[1])


@dataclass(frozen=True)
class Query:
    """A question as terms: the readings of each meaningful word, and of each adjacent pair."""

    words: tuple[Alternatives, ...]  # empty alternatives: a word the index does not know
    pairs: tuple[Alternatives, ...]

    @property
    def groups(self) -> tuple[Alternatives, ...]:
        """Return every group that scores: the known words and the pairs."""
        return tuple(group for group in self.words if group) + self.pairs


def _pair(first: str, second: str) -> str:
    """Return the term of two adjacent stems (unigram terms never contain a space)."""
    return f"{first} {second}"


def _pairs(terms: Sequence[str]) -> list[str]:
    """Return the pair terms of a sequence of stems."""
    return [_pair(a, b) for a, b in pairwise(terms)]


def query_terms(query: str, vocabulary: _Vocabulary | None = None) -> Query:
    """Turn a question into weighted term readings per meaningful word and per adjacent pair.

    Without a vocabulary only exact and transliterated readings are given (no typo search).
    """
    words: list[Alternatives] = []
    for word in tokenize(query):
        if is_stop_word(word):
            continue
        readings: dict[str, float] = {}
        own = stem(word)
        in_index = vocabulary is not None and own in vocabulary.terms
        known = vocabulary is None or in_index
        if known:
            readings[own] = 1.0
        if is_latin_word(word):
            variants = to_cyrillic_variants(word)
            if variants and variants[0] in RUSSIAN_STOP_WORDS and not in_index:
                continue  # "kak", "chto", "mne": a Russian stop word typed in Latin
            translit_known = False
            for variant in variants:
                term = stem(variant)
                if vocabulary is None or term in vocabulary.terms:
                    _keep_best(readings, term, TRANSLIT_FACTOR)
                    translit_known = True
            if vocabulary is not None and not translit_known and not known:
                for variant in variants[:2] if len(word) >= TRANSLIT_FUZZY_MIN_LENGTH else []:
                    for term, similarity in vocabulary.near(variant):
                        _keep_best(readings, term, TRANSLIT_FACTOR * FUZZY_FACTOR * similarity)
        if vocabulary is not None and not known:
            for term, similarity in vocabulary.near(word):
                _keep_best(readings, term, FUZZY_FACTOR * similarity)
        words.append(tuple(sorted(readings.items(), key=lambda item: -item[1])))
    pairs: list[Alternatives] = []
    for first, second in pairwise(words):
        combined: dict[str, float] = {}
        for term_a, factor_a in first[:PAIR_READINGS]:
            for term_b, factor_b in second[:PAIR_READINGS]:
                _keep_best(combined, _pair(term_a, term_b), PAIR_FACTOR * factor_a * factor_b)
        if combined:
            pairs.append(tuple(sorted(combined.items(), key=lambda item: -item[1])))
    return Query(words=tuple(words), pairs=tuple(pairs))


def _keep_best(readings: dict[str, float], term: str, factor: float) -> None:
    """Record a reading of a word, keeping the highest factor seen for a term."""
    if factor > readings.get(term, 0.0):
        readings[term] = factor


# --- the index ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A topic that answers the question; step_index names its best step when one stands out."""

    topic_id: str
    step_index: int | None
    score: float
    title: str


class _Bm25:
    """BM25 over documents given as weighted term counts; postings hold each term's score."""

    def __init__(self, documents: Sequence[Mapping[str, float]]) -> None:
        count = len(documents)
        lengths = [sum(value for term, value in d.items() if " " not in term) for d in documents]
        average = (sum(lengths) / count) if count else 1.0
        frequency: Counter[str] = Counter()
        for document in documents:
            frequency.update(document.keys())
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        for number, document in enumerate(documents):
            norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[number] / (average or 1.0))
            for term, tf in document.items():
                idf = math.log(1 + (count - frequency[term] + 0.5) / (frequency[term] + 0.5))
                self.postings[term][number] = idf * tf * (BM25_K1 + 1) / (tf + norm)

    def scores(self, groups: Iterable[Alternatives]) -> dict[int, float]:
        """Return document → score: per query group, its best reading's score, summed."""
        totals: dict[int, float] = defaultdict(float)
        for alternatives in groups:
            best: dict[int, float] = {}
            for term, factor in alternatives:
                for number, value in self.postings.get(term, {}).items():
                    weighted = value * factor
                    if weighted > best.get(number, 0.0):
                        best[number] = weighted
            for number, value in best.items():
                totals[number] += value
        return totals

    def reading(self, alternatives: Alternatives, number: int) -> float:
        """Return the factor of the best reading of a query word found in document number."""
        found = (factor for term, factor in alternatives if number in self.postings.get(term, {}))
        return max(found, default=0.0)


@dataclass(frozen=True)
class _Page:
    """One topic in one language, as indexed."""

    lang: str
    topic_id: str
    first_step: int  # number of its first step document
    title: frozenset[str]  # terms of its title
    step_titles: tuple[frozenset[str], ...]  # terms of each step's title


def _add(counts: dict[str, float], terms: Sequence[str], weight: float) -> None:
    """Add weighted counts of terms and of their adjacent pairs."""
    for term in terms:
        counts[term] += weight
    for pair in _pairs(terms):
        counts[pair] += weight


@dataclass
class _PageDocuments:
    """The weighted terms of one page: all of it, its head, each step; and its surface words."""

    whole: dict[str, float]
    head: dict[str, float]
    steps: list[dict[str, float]]
    words: set[str]


def _page_documents(topic: Topic) -> _PageDocuments:
    """Return the documents a topic is indexed as."""
    head: dict[str, float] = defaultdict(float)
    _add(head, _terms(topic.title), TITLE_WEIGHT)
    for keyword in topic.keywords:
        _add(head, _terms(keyword), KEYWORD_WEIGHT)
    _add(head, _terms(topic.summary), SUMMARY_WEIGHT)
    document: dict[str, float] = defaultdict(float, head)
    _add(document, _terms(_markdown_words(topic.intro)), BODY_WEIGHT)
    steps: list[dict[str, float]] = []
    for step in topic.steps:
        title = _terms(_markdown_words(step.title))
        body = _terms(_markdown_words(step.body_markdown))
        _add(head, title, STEP_TITLE_WEIGHT)
        _add(document, title, STEP_TITLE_WEIGHT)
        _add(document, body, BODY_WEIGHT)
        step_document: dict[str, float] = defaultdict(float)
        _add(step_document, title, STEP_TITLE_WEIGHT)
        _add(step_document, body, BODY_WEIGHT)
        steps.append(step_document)
    texts = [topic.title, *topic.keywords, topic.summary, topic.intro]
    texts += [f"{step.title}\n{step.body_markdown}" for step in topic.steps]
    words = {
        word for text in texts for word in tokenize(_markdown_words(text)) if not is_stop_word(word)
    }
    return _PageDocuments(whole=document, head=head, steps=steps, words=words)


class SearchIndex:
    """An in-memory index of every topic in every language of a library."""

    def __init__(
        self,
        library: Library,
        pages: Sequence[_Page],
        topics: _Bm25,
        heads: _Bm25,
        steps: _Bm25,
        vocabulary: _Vocabulary,
    ) -> None:
        self._library = library
        self._pages = tuple(pages)
        self._topics = topics
        self._heads = heads
        self._steps = steps
        self._vocabulary = vocabulary

    @classmethod
    def build(cls, library: Library) -> SearchIndex:
        """Index every topic of library (once per library version: it takes a fraction of 1 s).

        Term rarity (IDF) is counted over all languages together, so an English word in a
        Russian page (a keyword, a form name) is as common there as it is in English pages.
        """
        pages: list[_Page] = []
        wholes: list[dict[str, float]] = []
        heads: list[dict[str, float]] = []
        steps: list[dict[str, float]] = []
        words: set[str] = set()
        for (lang, topic_id), topic in sorted(library.topics.items()):
            documents = _page_documents(topic)
            pages.append(
                _Page(
                    lang,
                    topic_id,
                    first_step=len(steps),
                    title=frozenset(_terms(topic.title)),
                    step_titles=tuple(
                        frozenset(_terms(_markdown_words(step.title))) for step in topic.steps
                    ),
                )
            )
            wholes.append(documents.whole)
            heads.append(documents.head)
            steps += documents.steps
            words |= documents.words
        return cls(
            library,
            pages,
            _Bm25(wholes),
            _Bm25(heads),
            _Bm25(steps),
            _Vocabulary.build(words),
        )

    @property
    def languages(self) -> tuple[str, ...]:
        """Return the languages that have pages in the index."""
        return tuple(sorted({page.lang for page in self._pages}))

    def query(self, query: str) -> Query:
        """Return how the index reads a question (for tests and tuning)."""
        return query_terms(query, self._vocabulary)

    def search(self, query: str, lang: str, limit: int = 3) -> list[Hit]:
        """Return up to limit topics answering query, best first; [] when nothing fits well."""
        if limit <= 0:
            return []
        parsed = query_terms(query, self._vocabulary)
        groups = parsed.groups
        if not groups:
            return []
        best: dict[str, tuple[float, int]] = {}  # topic id → (score, page number)
        scores = self._topics.scores(groups)
        if HEAD_FACTOR:
            for number, score in self._heads.scores(groups).items():
                scores[number] += HEAD_FACTOR * score
        for number, score in scores.items():
            page = self._pages[number]
            weighted = score * (1.0 if page.lang == lang else OTHER_LANGUAGE_FACTOR)
            if weighted > best.get(page.topic_id, (0.0, 0))[0]:
                best[page.topic_id] = (weighted, number)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        if not ranked or not self._confident(parsed, ranked[0][1][0]):
            return []
        floor = ranked[0][1][0] * RELATIVE_CUTOFF
        step_scores = self._steps.scores(groups)
        hits: list[Hit] = []
        for topic_id, (score, number) in ranked[:limit]:
            if score < floor:
                break
            hits.append(self._hit(topic_id, score, number, lang, parsed.words, step_scores))
        return hits

    def _confident(self, parsed: Query, score: float) -> bool:
        """Tell whether the best page is a real answer, not a chance hit on one stray word.

        Its score must reach MIN_SCORE, and most of the question's meaningful words must be
        words the explainers use (an exact word counts 1, a guessed reading less).
        """
        words = parsed.words
        coverage = sum(max((f for _, f in group), default=0.0) for group in words) / len(words)
        return score >= MIN_SCORE and coverage >= MIN_COVERAGE

    def _hit(
        self,
        topic_id: str,
        score: float,
        number: int,
        lang: str,
        words: Sequence[Alternatives],
        step_scores: Mapping[int, float],
    ) -> Hit:
        """Return the hit for a page: title in the user's language, the clearly best step.

        Its step is found by _best_step, in the language the page was found in.
        """
        page = self._pages[number]
        shown = self._library.topic(lang, topic_id)
        step = self._best_step(page, words, step_scores)
        if (
            shown is not None
            and shown.lang != page.lang
            and len(shown.steps) != len(page.step_titles)
        ):
            step = None  # the translations are not cut into the same steps
        return Hit(
            topic_id=topic_id,
            step_index=step,
            score=round(score, 3),
            title=shown.title if shown is not None else topic_id,
        )

    @staticmethod
    def _best_step(
        page: _Page, words: Sequence[Alternatives], step_scores: Mapping[int, float]
    ) -> int | None:
        """Return the step that answers the question, or None to start at the beginning.

        When the topic's own title holds every known word of the question, the question is
        about the whole topic: None. Otherwise the step whose title holds the most of those
        words wins, if it holds at least half of them and no other step title holds as many.
        Otherwise the best-scoring step is named if it beats the runner-up by STEP_MARGIN.
        """
        known = [group for group in words if group]
        if not known:
            return None

        def held(terms: frozenset[str]) -> int:
            return sum(1 for group in known if any(term in terms for term, _ in group))

        if held(page.title) == len(known):
            return None
        counts = sorted((held(title), -index) for index, title in enumerate(page.step_titles))
        most = counts[-1][0] if counts else 0
        runner = counts[-2][0] if len(counts) > 1 else 0
        if most > 0 and 2 * most >= len(known) and most > runner:
            return -counts[-1][1]
        scored = sorted(
            (
                (step_scores.get(page.first_step + index, 0.0), index)
                for index in range(len(page.step_titles))
            ),
            key=lambda item: (-item[0], item[1]),
        )
        if not scored or scored[0][0] <= 0:
            return None
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        return scored[0][1] if scored[0][0] >= STEP_MARGIN * runner_up else None
