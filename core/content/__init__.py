"""Explainer content: load the Markdown pages, render them for Telegram, and check them.

Public API (import from here):
- load_library(content_dir) -> (Library, problems)
- render_step(topic, index, *, labels=None, footer=None) -> RenderedStep
- render_footer(topic, lang, reviewed_label, sources_label, date_text) -> RenderedMessage
- plain_text(topic) -> str, for the search index
- check_content(content_dir, today) -> problems
- load_courts(path) / load_legal_help(path) -> (rows, problems)
"""

from core.content.check import check_content, summary_line
from core.content.courts import Court, LegalHelp, load_courts, load_legal_help
from core.content.loader import load_library
from core.content.model import Library, Problem, Section, Source, Step, Topic
from core.content.render import (
    READING_TARGET,
    TELEGRAM_LIMIT,
    Entity,
    RenderedMessage,
    RenderedStep,
    StepLabels,
    plain_text,
    render_footer,
    render_step,
    utf16_len,
)

__all__ = [
    "READING_TARGET",
    "TELEGRAM_LIMIT",
    "Court",
    "Entity",
    "LegalHelp",
    "Library",
    "Problem",
    "RenderedMessage",
    "RenderedStep",
    "Section",
    "Source",
    "Step",
    "StepLabels",
    "Topic",
    "check_content",
    "load_courts",
    "load_legal_help",
    "load_library",
    "plain_text",
    "render_footer",
    "render_step",
    "summary_line",
    "utf16_len",
]
