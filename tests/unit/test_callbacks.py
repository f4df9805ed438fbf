"""Callback codecs: the wire stays as it was, forged data is None, prefixes never clash."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

import pytest

import handlers.routes  # noqa: F401  (imports every handler, so every codec is defined)
from handlers.callbacks import AtMost, CallbackData, Prefix
from handlers.callbacks.menus import Menu, Nothing
from handlers.callbacks.settings import (
    AnnouncementsSetting,
    AnnouncementSwitch,
    ForgetAnswer,
    ForgetAsk,
    LanguageChosen,
    LanguageMenu,
    News,
    Privacy,
)
from handlers.callbacks.topics import Sections, TopicExtra, TopicPage
from handlers.callbacks.triage import (
    TriageAddReminder,
    TriageAnswer,
    TriageArrival,
    TriageDeadlineAlerts,
    TriageStart,
)


@dataclass(frozen=True)
class Sample(CallbackData, prefix=Prefix.NOTHING, action="sample"):
    """Every field type, for these tests only."""

    word: str
    count: Annotated[int, AtMost(500)]
    on: bool
    day: date
    answer: Literal["yes", "no"]
    origin: Literal["a"] | None = None


SAMPLE = Sample("bond", 42, True, date(2026, 3, 15), "yes")


def test_the_wire_is_what_it_was() -> None:
    assert Menu().pack() == "m"
    assert Nothing().pack() == "x"
    assert Sections().pack() == "s"
    assert Sections("work").pack() == "s:work"
    assert TopicPage("bond", 2).pack() == "t:bond:2"
    assert TopicExtra("bond", "c", 3).pack() == "t:bond:c:3"
    assert SAMPLE.pack() == "x:sample:bond:42:1:20260315:yes"
    assert (
        Sample("w", 0, False, date(2026, 1, 2), "no", "a").pack() == "x:sample:w:0:0:20260102:no:a"
    )


@pytest.mark.parametrize(
    "codec",
    [
        Menu(),
        Sections(),
        Sections("work"),
        TopicPage("bond", 0),
        TopicExtra("bond", "src", 99),
        SAMPLE,
        Sample("w", 500, False, date(1999, 12, 31), "no", "a"),
    ],
)
def test_round_trip(codec: CallbackData) -> None:
    assert type(codec).unpack(codec.pack()) == codec


@pytest.mark.parametrize(
    "data",
    [
        *[None, "", "garbage", "x", "x:sample", "x:other:bond:42:1:20260315:yes"],
        *["x:sample:bond:42:1:20260315", "x:sample:bond:42:1:20260315:yes:a:b"],
        *["x:sample:bond:²:1:20260315:yes", "x:sample:bond:501:1:20260315:yes"],
        *["x:sample:bond:-1:1:20260315:yes", "x:sample:bond:" + "9" * 30 + ":1:20260315:yes"],
        *["x:sample:bond:42:2:20260315:yes", "x:sample:bond:42:1:20261399:yes"],
        *["x:sample:bond:42:1:2026²315:yes", "x:sample:bond:42:1:99999999:yes"],
        *["x:sample:bond:42:1:20260315:maybe", "x:sample:bond:42:1:20260315:yes:b"],
        "x:sample:bond:42:1:20260315:yes:",
    ],
)
def test_forged_or_malformed_data_is_none(data: str | None) -> None:
    assert Sample.unpack(data) is None


def test_triage_buttons() -> None:
    assert TriageStart().pack() == "w:go"
    assert TriageAddReminder().pack() == "w:rem"
    assert TriageAnswer("cfi", "yes").pack() == "w:cfi:yes"
    assert TriageArrival(date(2025, 3, 4)).pack() == "w:arr:20250304"
    assert TriageDeadlineAlerts.unpack("w:dl:20250304") == TriageDeadlineAlerts(date(2025, 3, 4))
    assert TriageDeadlineAlerts.unpack("w:dl:20251399") is None
    assert TriageAnswer.unpack("w:dl:20251399") == TriageAnswer("dl", "20251399")
    assert TriageStart.unpack("w:go:extra") is None


def test_settings_buttons() -> None:
    assert [LanguageMenu().pack(), LanguageChosen("uk").pack()] == ["lang", "lang:uk"]
    assert [ForgetAsk().pack(), ForgetAnswer("yes").pack()] == ["fg", "fg:yes"]
    assert [News().pack(), News("off").pack(), Privacy().pack()] == ["nw", "nw:off", "priv"]
    assert AnnouncementsSetting("on").pack() == "ann:on"
    assert AnnouncementSwitch("off").pack() == "ao:off"
    assert News.unpack("nw") == News()
    assert News.unpack("nw:maybe") is None
    assert ForgetAnswer.unpack("fg:YES") is None
    assert AnnouncementSwitch.unpack("ao") is None


def test_kinds_sharing_a_prefix_do_not_take_each_other() -> None:
    assert TopicPage.unpack("t:bond:c:3") is None
    assert TopicExtra.unpack("t:bond:3") is None
    assert TopicPage.unpack("s:bond:3") is None
    assert Menu.unpack("m:extra") is None


def test_the_64_byte_limit_is_checked_when_packing() -> None:
    assert len(TopicPage("a" * 58, 99).pack()) == 63
    with pytest.raises(ValueError, match="64 bytes"):
        TopicPage("a" * 61, 1).pack()
    with pytest.raises(ValueError, match="64 bytes"):
        TopicPage("ы" * 31, 1).pack()  # bytes, not letters


def test_a_value_the_wire_cannot_carry_is_refused_when_packing() -> None:
    for bad in [TopicPage("a:b", 1), TopicPage("bond", 100), TopicPage("bond", -1)]:
        with pytest.raises(ValueError, match="cannot carry"):
            bad.pack()


def test_every_prefix_is_listed_once_and_every_codec_uses_one() -> None:
    values = [p.value for p in Prefix]
    assert len(values) == len(set(values))
    assert all(v and ":" not in v for v in values)
    assert all(isinstance(c.PREFIX, Prefix) for c in CallbackData.CODECS)


def test_no_two_codecs_read_the_same_data() -> None:
    """Two kinds with one prefix and action differ by their number of fields. (A kind without
    an action, like `TriageAnswer`, also reads its siblings' data: handlers try those first.)"""
    shapes: dict[tuple[str, str | None, int], str] = {}
    for codec in CallbackData.CODECS:
        if codec is Sample:
            continue
        fields = dataclasses.fields(codec)  # type: ignore[arg-type]
        optional = sum(1 for f in fields if f.default is None)
        for count in range(len(fields) - optional, len(fields) + 1):
            shape = (codec.PREFIX.value, codec.ACTION, count)
            assert shape not in shapes, f"{codec.__name__} and {shapes[shape]} overlap"
            shapes[shape] = codec.__name__
