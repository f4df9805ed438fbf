"""The one Markdown parser configuration shared by the loader, the renderer and the checker.

Raw HTML, tables and strikethrough are *recognised* on purpose: the renderer drops them to
plain text and the checker reports them with their line, instead of letting `<b>` or `|---|`
reach a reader as stray symbols.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


@cache
def parser() -> MarkdownIt:
    """Return the shared CommonMark parser (HTML, tables and strikethrough recognised)."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def parse(markdown: str) -> list[Token]:
    """Parse Markdown into markdown-it block tokens (0-based line maps, relative to the text)."""
    return parser().parse(markdown)


def is_step_heading(token: Token) -> bool:
    """Tell whether a token opens a top-level `## ` heading, the only heading that starts a step."""
    return (
        token.type == "heading_open"
        and token.tag == "h2"
        and token.markup == "##"
        and token.level == 0
    )
