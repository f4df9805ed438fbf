"""Rendering explainers into Telegram messages: plain text plus entities, never parse_mode.

Owns the Markdown subset the bot shows (paragraphs, bold, italic, links, one level of bullet
and numbered lists, block quotes, inline code, the `##` step heading) and how everything else
degrades to plain text. Entity offsets and lengths are counted in UTF-16 code units, as the
Bot API requires. Long steps are split between paragraphs so no message passes 4096 units.

The same walk over the Markdown also yields the "markup issues" the checker reports, so what
the checker complains about is exactly what the renderer had to degrade.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from markdown_it.token import Token

from core.content.model import Severity, Topic
from core.content.parsing import parse, parser

TELEGRAM_LIMIT = 4096  # UTF-16 code units per message
READING_TARGET = 1200  # characters per step that a reader on a phone takes in comfortably
TOPIC_SCHEME = "topic:"
_OPENABLE = ("https://", "http://", "tg://")
_TAG = re.compile(r"<[^>]*>")
_SENTENCE_END = re.compile(r"[.!?…][)\]»\"'”]*\s")

BOLD = "bold"
ITALIC = "italic"
CODE = "code"
TEXT_LINK = "text_link"
BLOCKQUOTE = "blockquote"


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units (what Telegram counts)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Entity:
    """A Telegram MessageEntity: offset and length in UTF-16 code units."""

    type: str
    offset: int
    length: int
    url: str | None = None


@dataclass(frozen=True)
class RenderedMessage:
    """One Telegram message: plain text and its entities (send without parse_mode)."""

    text: str
    entities: tuple[Entity, ...] = ()


@dataclass(frozen=True)
class RenderedStep:
    """One step of a topic, as one or more messages, plus the topic links to show as buttons."""

    index: int
    total: int
    messages: tuple[RenderedMessage, ...]
    topic_links: tuple[tuple[str, str], ...]  # (label, topic id), first occurrence order

    @property
    def is_last(self) -> bool:
        """Tell whether this is the topic's last step."""
        return self.index == self.total - 1


@dataclass(frozen=True)
class StepLabels:
    """Caller-translated words for a step; placeholders {title}, {current}, {total}."""

    heading: str = "{title}"
    show_topic_title: bool = True  # put the topic title (bold) and the intro above step 1


@dataclass(frozen=True)
class MarkupIssue:
    """Markup the renderer had to degrade; line is 0-based within the rendered fragment."""

    line: int
    severity: Severity
    message: str


@dataclass(frozen=True)
class TopicLink:
    """A `[label](topic:id)` link; line is 0-based within the fragment."""

    label: str
    topic_id: str
    line: int


@dataclass(frozen=True)
class MarkupReport:
    """What inspecting a Markdown fragment found: degraded markup and topic links."""

    issues: tuple[MarkupIssue, ...]
    topic_links: tuple[TopicLink, ...]


@dataclass(frozen=True)
class _Block:
    """A piece of rendered text that is never split unless it alone is too long."""

    text: str
    entities: tuple[Entity, ...] = ()
    keep_with_next: bool = False

    @property
    def size(self) -> int:
        return utf16_len(self.text)


# ---------------------------------------------------------------------------------------------
# Public API


def render_step(
    topic: Topic,
    index: int,
    *,
    labels: StepLabels | None = None,
    footer: RenderedMessage | None = None,
    max_length: int = TELEGRAM_LIMIT,
) -> RenderedStep:
    """Render step `index` of topic into messages of at most max_length UTF-16 units.

    Step 0 starts with the topic title and intro (unless labels say otherwise); every step
    starts with its bold heading. A footer (see render_footer) is appended to the last message,
    or sent as a message of its own when it does not fit.
    """
    labels = labels or StepLabels()
    total = len(topic.steps)
    if not 0 <= index < total:
        raise IndexError(f"topic {topic.id!r} has {total} steps, not step {index}")
    step = topic.steps[index]
    blocks: list[_Block] = []
    links: list[TopicLink] = []
    if index == 0 and labels.show_topic_title:
        blocks.append(_bold_block(_inline_plain(topic.title), keep_with_next=True))
        if topic.intro.strip():
            converted = _Converter.run(topic.intro)
            blocks.extend(converted.blocks)
            links.extend(converted.links)
    heading = _fill(labels.heading, title=_inline_plain(step.title), current=index + 1, total=total)
    blocks.append(_bold_block(heading, keep_with_next=True))
    converted = _Converter.run(step.body_markdown)
    blocks.extend(converted.blocks)
    links.extend(converted.links)

    messages = _pack(blocks, max_length)
    if footer is not None and footer.text:
        last = messages[-1]
        if utf16_len(last.text) + 2 + utf16_len(footer.text) <= max_length:
            messages[-1] = _join(last, footer)
        else:
            messages.extend(_pack([_Block(footer.text, footer.entities)], max_length))
    return RenderedStep(
        index=index,
        total=total,
        messages=tuple(messages),
        topic_links=_unique_links(links),
    )


def render_footer(topic: Topic, status_lines: Sequence[str], sources_label: str) -> RenderedMessage:
    """Render the review status (lines in italics, already translated: when the sources were
    checked, whether a lawyer reviewed the page) and the sources as links."""
    builder = _Builder()
    for number, line in enumerate(status_lines):
        if number:
            builder.add("\n")
        start = builder.length
        builder.add(line)
        builder.span(ITALIC, start)
    if topic.sources:
        builder.add("\n")
        start = builder.length
        builder.add(f"{_label(sources_label)}:")
        builder.span(BOLD, start)
        for source in topic.sources:
            builder.add("\n• ")
            start = builder.length
            builder.add(source.title or source.url)
            if source.url.startswith(_OPENABLE):
                builder.span(TEXT_LINK, start, source.url)
    block = builder.block()
    return RenderedMessage(block.text, block.entities)


def plain_text(topic: Topic) -> str:
    """Return everything a reader can find in the topic, as plain text, for the search index."""
    parts = [topic.title, topic.summary, " ".join(topic.keywords)]
    parts += [block.text for block in _Converter.run(topic.intro).blocks]
    for step in topic.steps:
        parts.append(_inline_plain(step.title))
        parts += [block.text for block in _Converter.run(step.body_markdown).blocks]
    return "\n".join(part for part in parts if part)


def inspect_markdown(markdown: str) -> MarkupReport:
    """Return the unsupported markup and the topic links in a Markdown fragment."""
    converted = _Converter.run(markdown)
    return MarkupReport(issues=tuple(converted.issues), topic_links=tuple(converted.links))


# ---------------------------------------------------------------------------------------------
# Building text with entities


class _Builder:
    """Accumulates text and entities, counting UTF-16 units as it goes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0  # UTF-16 units
        self.chars = 0  # Python characters
        self.entities: list[Entity] = []

    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.length += utf16_len(text)
            self.chars += len(text)

    def ends_line(self) -> bool:
        return not self.parts or self.parts[-1].endswith("\n")

    def text(self) -> str:
        return "".join(self.parts)

    def span(self, kind: str, start: int, url: str | None = None) -> None:
        """Add an entity of kind from UTF-16 offset start to the current end (if not empty)."""
        if self.length > start:
            self.entities.append(Entity(kind, start, self.length - start, url))

    def block(self, keep_with_next: bool = False) -> _Block:
        text = self.text()
        return _slice(_Block(text, tuple(self.entities), keep_with_next), 0, len(text))


@dataclass
class _ListFrame:
    ordered: bool
    number: int
    depth: int


@dataclass
class _QuoteFrame:
    start: int
    nested: bool


@dataclass
class _TableFrame:
    cell: int = 0


@dataclass
class _Converted:
    blocks: list[_Block] = field(default_factory=list)
    issues: list[MarkupIssue] = field(default_factory=list)
    links: list[TopicLink] = field(default_factory=list)


class _Converter:
    """Walks markdown-it block tokens and builds blocks, issues and topic links."""

    def __init__(self) -> None:
        self.out = _Converted()
        self.builder: _Builder | None = None
        self.stack: list[_ListFrame | _QuoteFrame | _TableFrame] = []
        self.item_fresh = False  # a list marker was just written: no line break before the text
        self.line = 0

    @classmethod
    def run(cls, markdown: str) -> _Converted:
        converter = cls()
        for token in parse(markdown):
            converter.token(token)
        converter.flush()
        return converter.out

    # -- helpers

    def issue(self, message: str, severity: Severity = "error") -> None:
        found = MarkupIssue(self.line, severity, message)
        if found not in self.out.issues:
            self.out.issues.append(found)

    def flush(self) -> None:
        if self.builder is not None:
            block = self.builder.block()
            if block.text:
                self.out.blocks.append(block)
        self.builder = None

    def current(self) -> _Builder:
        if self.builder is None:
            self.builder = _Builder()
        return self.builder

    def begin_block(self) -> _Builder:
        """Start a paragraph-like block: a new block at top level, a new line inside containers."""
        if not self.stack:
            self.flush()
        builder = self.current()
        if self.item_fresh:
            self.item_fresh = False
        elif not builder.ends_line():
            builder.add("\n")
        return builder

    def end_block(self) -> None:
        if not self.stack:
            self.flush()

    def lists(self) -> list[_ListFrame]:
        return [frame for frame in self.stack if isinstance(frame, _ListFrame)]

    # -- block tokens

    def token(self, token: Token) -> None:
        if token.map is not None:
            self.line = token.map[0]
        kind = token.type
        if kind == "paragraph_open":
            self.begin_block()
        elif kind in ("paragraph_close", "heading_close"):
            self.end_block()
        elif kind == "inline":
            self.inline(token)
        elif kind == "heading_open":
            self.heading(token)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            depth = len(self.lists())
            if depth >= 1:
                self.issue(
                    "a list inside a list is not supported: use one level of list items only"
                )
            if not self.stack:
                self.flush()
            start = token.attrGet("start")
            number = int(start) if isinstance(start, int | str) and str(start).isdigit() else 1
            self.stack.append(_ListFrame(kind == "ordered_list_open", number, depth))
        elif kind == "list_item_open":
            self.list_item()
        elif kind == "list_item_close":
            self.item_fresh = False
        elif kind in ("bullet_list_close", "ordered_list_close", "table_close"):
            self.stack.pop()
            self.end_block()
        elif kind == "blockquote_open":
            nested = any(isinstance(frame, _QuoteFrame) for frame in self.stack)
            if nested:
                self.issue("a quote inside a quote is not supported: use one level of '>'")
            if not self.stack:
                self.flush()
            builder = self.current()
            if not self.item_fresh and not builder.ends_line():
                builder.add("\n")
            self.stack.append(_QuoteFrame(builder.length, nested))
        elif kind == "blockquote_close":
            frame = self.stack.pop()
            if isinstance(frame, _QuoteFrame) and not frame.nested:
                self.current().span(BLOCKQUOTE, frame.start)
            self.end_block()
        elif kind in ("fence", "code_block"):
            self.issue(
                "code blocks are not supported (a line starting with 4 spaces or ``` makes one): "
                "remove the indentation or the ``` lines"
            )
            self.begin_block().add(token.content.strip("\n"))
            self.end_block()
        elif kind == "html_block":
            self.issue("raw HTML is not supported: write plain Markdown instead")
            text = _TAG.sub("", token.content).strip()
            if text:
                self.begin_block().add(text)
                self.end_block()
        elif kind == "hr":
            self.issue("a line of --- or *** (a divider) is not supported: remove it")
        elif kind == "table_open":
            self.issue("tables are not supported in Telegram: write the rows as a list")
            self.begin_block()
            self.stack.append(_TableFrame())
        elif kind == "tr_open":
            builder = self.current()
            if not builder.ends_line():
                builder.add("\n")
            frame = self.stack[-1]
            if isinstance(frame, _TableFrame):
                frame.cell = 0
        elif kind in ("th_open", "td_open"):
            frame = self.stack[-1]
            if isinstance(frame, _TableFrame):
                if frame.cell:
                    self.current().add(" | ")
                frame.cell += 1

    def heading(self, token: Token) -> None:
        if token.markup in ("-", "="):
            self.issue(
                "a line of --- or === right under text turns that text into a heading: "
                "leave an empty line above it, or write '## Title' to start a new step"
            )
        elif token.markup == "##" and token.level == 0:
            pass  # a step heading: the loader cuts pages there, so only inspect() meets it
        elif token.markup == "##":
            self.issue("a '##' step heading inside a list or a quote does not start a step")
        else:
            self.issue(
                f"'{token.markup} ' headings are not supported: only '## ' is allowed, "
                "and it starts a new step"
            )
        self.begin_block()

    def list_item(self) -> None:
        frames = self.lists()
        if not frames:
            return
        frame = frames[-1]
        builder = self.current()
        if not builder.ends_line():
            builder.add("\n")
        marker = f"{frame.number}. " if frame.ordered else ("• " if frame.depth == 0 else "◦ ")
        frame.number += 1
        builder.add("    " * frame.depth + marker)
        self.item_fresh = True

    # -- inline tokens

    def inline(self, token: Token) -> None:
        builder = self.current()
        line = self.line
        open_spans: list[tuple[str, int, int, str | None]] = []  # kind, u16 start, char start, arg
        for child in token.children or []:
            kind = child.type
            self.line = line
            if kind in ("text", "text_special"):
                builder.add(child.content)
            elif kind == "softbreak":
                builder.add(" ")
                line += 1
            elif kind == "hardbreak":
                builder.add("\n")
                line += 1
            elif kind in ("strong_open", "em_open", "s_open"):
                if kind == "s_open":
                    self.issue("~~strikethrough~~ is not supported: remove the ~~")
                entity = {"strong_open": BOLD, "em_open": ITALIC}.get(kind, "")
                open_spans.append((entity, builder.length, builder.chars, None))
            elif kind == "link_open":
                open_spans.append(self.link_open(child, builder))
            elif kind in ("strong_close", "em_close", "s_close", "link_close"):
                if open_spans:
                    self.close_span(open_spans.pop(), builder)
            elif kind == "code_inline":
                start = builder.length
                builder.add(child.content)
                if not any(span[0] == TEXT_LINK for span in open_spans):
                    builder.span(CODE, start)  # Telegram refuses code inside a link
            elif kind == "image":
                self.issue("images are not supported: describe the picture in words")
                builder.add(child.content)
            elif kind == "html_inline":
                if child.content.startswith("</"):
                    continue  # the opening tag was reported already
                self.issue(
                    f"raw HTML ({child.content.strip()[:30]}) is not supported: "
                    "use **bold**, *italic* or [text](https://...) instead"
                )
            else:
                builder.add(child.content)
        while open_spans:
            self.close_span(open_spans.pop(), builder)
        self.line = line

    def link_open(self, child: Token, builder: _Builder) -> tuple[str, int, int, str | None]:
        href = str(child.attrGet("href") or "")
        if href.startswith(TOPIC_SCHEME):
            return ("topic", builder.length, builder.chars, href[len(TOPIC_SCHEME) :])
        if href.startswith(_OPENABLE):
            return (TEXT_LINK, builder.length, builder.chars, href)
        self.issue(
            f'the link "{href}" cannot be opened from Telegram: use a full https:// address '
            "or topic:<id>; it is shown as plain text",
            "warning",
        )
        return ("", builder.length, builder.chars, None)

    def close_span(self, span: tuple[str, int, int, str | None], builder: _Builder) -> None:
        kind, start, char_start, arg = span
        if kind == "topic":
            label = builder.text()[char_start:].strip()
            self.out.links.append(TopicLink(label, (arg or "").strip(), self.line))
            builder.span(BOLD, start)
        elif kind:
            builder.span(kind, start, arg)


# ---------------------------------------------------------------------------------------------
# Splitting and joining


def _pack(blocks: Sequence[_Block], max_length: int) -> list[RenderedMessage]:
    """Join blocks with blank lines into as few messages as fit in max_length."""
    pieces: list[_Block] = []
    for block in blocks:
        previous = pieces[-1] if pieces else None
        first_limit = max_length
        if previous is not None and previous.keep_with_next:
            first_limit = max(max_length - previous.size - 2, max_length // 2)
        pieces.extend(_split_block(block, max_length, first_limit))
    glued: list[_Block] = []
    for piece in pieces:
        previous = glued[-1] if glued else None
        if previous is not None and previous.keep_with_next:
            joined = _join_blocks(previous, piece)
            if joined.size <= max_length:
                glued[-1] = joined
                continue
        glued.append(piece)
    messages: list[_Block] = []
    for piece in glued:
        if messages and messages[-1].size + 2 + piece.size <= max_length:
            messages[-1] = _join_blocks(messages[-1], piece)
        else:
            messages.append(piece)
    if not messages:
        return [RenderedMessage("")]
    return [RenderedMessage(m.text, _sorted(m.entities)) for m in messages]


def _split_block(block: _Block, limit: int, first_limit: int) -> list[_Block]:
    """Split a block longer than limit at line, then sentence, then word boundaries.

    The first piece gets first_limit, leaving room for a heading glued in front of it.
    """
    text = block.text
    pieces: list[_Block] = []
    start = 0
    if utf16_len(text) <= limit:
        return [block]
    while utf16_len(text[start:]) > (first_limit if not pieces else limit):
        end = _fit(text, start, first_limit if not pieces else limit)
        cut = _best_cut(text, start, end)
        pieces.append(_slice(block, start, cut, keep_with_next=False))
        start = cut
        while start < len(text) and text[start].isspace():
            start += 1
    pieces.append(_slice(block, start, len(text)))
    return [piece for piece in pieces if piece.text]


def _fit(text: str, start: int, limit: int) -> int:
    """Return the largest end so that text[start:end] has at most limit UTF-16 units."""
    used = 0
    for index in range(start, len(text)):
        used += 2 if ord(text[index]) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def _best_cut(text: str, start: int, end: int) -> int:
    """Choose where to cut text[start:end]: a line break, a sentence end, a space, else end."""
    floor = start + (end - start) // 2
    newline = text.rfind("\n", floor, end)
    if newline > floor:
        return newline
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, end + 1)]
    sentence_ends = [cut for cut in sentence_ends if cut <= end]
    if sentence_ends:
        return sentence_ends[-1]
    space = text.rfind(" ", floor, end)
    if space > floor:
        return space
    return end


def _slice(block: _Block, start: int, end: int, *, keep_with_next: bool | None = None) -> _Block:
    """Return text[start:end] of a block without edge whitespace, entities clipped to it."""
    text = block.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    low = utf16_len(text[:start])
    high = low + utf16_len(text[start:end])
    entities = []
    for entity in block.entities:
        first = max(entity.offset, low)
        last = min(entity.offset + entity.length, high)
        if last > first:
            entities.append(replace(entity, offset=first - low, length=last - first))
    keep = block.keep_with_next if keep_with_next is None else keep_with_next
    return _Block(text[start:end], tuple(entities), keep)


def _join_blocks(first: _Block, second: _Block, separator: str = "\n\n") -> _Block:
    """Join two blocks with separator, moving the second block's entities."""
    shift = first.size + utf16_len(separator)
    moved = tuple(replace(e, offset=e.offset + shift) for e in second.entities)
    return _Block(
        first.text + separator + second.text, first.entities + moved, second.keep_with_next
    )


def _join(first: RenderedMessage, second: RenderedMessage) -> RenderedMessage:
    """Join two messages with a blank line."""
    joined = _join_blocks(_Block(first.text, first.entities), _Block(second.text, second.entities))
    return RenderedMessage(joined.text, _sorted(joined.entities))


def _sorted(entities: Iterable[Entity]) -> tuple[Entity, ...]:
    """Sort entities by offset, outer (longer) first, as Telegram clients expect."""
    return tuple(sorted(entities, key=lambda e: (e.offset, -e.length)))


# ---------------------------------------------------------------------------------------------
# Small helpers


def _inline_plain(markdown: str) -> str:
    """Return inline Markdown (a title) as plain text, markup removed."""
    converter = _Converter()
    for token in parser().parseInline(markdown.strip()):
        converter.inline(token)
    return converter.current().text().strip()


def _bold_block(text: str, *, keep_with_next: bool) -> _Block:
    """Return text as a block that is bold all through."""
    text = text.strip()
    entities = (Entity(BOLD, 0, utf16_len(text)),) if text else ()
    return _Block(text, entities, keep_with_next)


def _fill(template: str, **values: object) -> str:
    """Fill {name} placeholders without failing on a translator's stray brace."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _label(label: str) -> str:
    """Return a caller's label without a trailing colon (the footer adds its own)."""
    return label.strip().rstrip(":").rstrip()


def _unique_links(links: Iterable[TopicLink]) -> tuple[tuple[str, str], ...]:
    """Return (label, topic id) pairs, one per topic id, in order of first appearance."""
    seen: dict[str, str] = {}
    for link in links:
        if link.topic_id and link.topic_id not in seen:
            seen[link.topic_id] = link.label
    return tuple((label, topic_id) for topic_id, label in seen.items())
