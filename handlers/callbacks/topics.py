"""The codecs of the library's buttons: sections, topic pages, and the process picture."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final, Literal

from handlers.callbacks.base import AtMost, CallbackData
from handlers.callbacks.prefixes import Prefix

MAX_PAGE = 99  # no explainer has more pages; a forged page number beyond is refused


@dataclass(frozen=True)
class Sections(CallbackData, prefix=Prefix.SECTIONS):
    """The list of sections (`s`), or the topics of one (`s:<section>`)."""

    section: str | None = None


@dataclass(frozen=True)
class TopicPage(CallbackData, prefix=Prefix.TOPIC):
    """One page of a topic: `t:<topic>:<page>`, pages counted from 0."""

    topic: str
    page: Annotated[int, AtMost(MAX_PAGE)]


CONTENTS: Final = "c"  # the page counter: the topic's steps
SOURCES: Final = "src"  # the last page's "📚 Sources" button


@dataclass(frozen=True)
class TopicExtra(CallbackData, prefix=Prefix.TOPIC):
    """A topic's steps or sources, seen from one page: `t:<topic>:c|src:<page>`."""

    topic: str
    what: Literal["c", "src"]
    page: Annotated[int, AtMost(MAX_PAGE)]


@dataclass(frozen=True)
class Picture(CallbackData, prefix=Prefix.PICTURE):
    """ "🖼 The whole process as a picture". `pic`"""
