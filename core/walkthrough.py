"""A topic as a walkthrough: a flat list of pages (one message each) with their topic links."""

from __future__ import annotations

from dataclasses import dataclass

from core.content.model import Topic
from core.content.render import RenderedMessage, StepLabels, render_step


@dataclass(frozen=True)
class Page:
    """One screen of a walkthrough: one Telegram message and the topics it links to."""

    message: RenderedMessage
    topic_links: tuple[tuple[str, str], ...]
    step: int = 0


def walkthrough(topic: Topic, footer: RenderedMessage, labels: StepLabels) -> tuple[Page, ...]:
    """Every step of `topic` as pages; a step too long for one message becomes several pages.

    The footer (review date, sources, the not-legal-advice note) ends the last page.
    """
    pages: list[Page] = []
    last = len(topic.steps) - 1
    for index in range(len(topic.steps)):
        step = render_step(topic, index, labels=labels, footer=footer if index == last else None)
        pages.extend(Page(message, step.topic_links, index) for message in step.messages)
    return tuple(pages)


def first_page_of_step(pages: tuple[Page, ...], step: int) -> int:
    """The page where step `step` begins (0 when there is no such step)."""
    return next((number for number, page in enumerate(pages) if page.step == step), 0)
