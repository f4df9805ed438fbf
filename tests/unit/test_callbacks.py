"""Callback codecs: the wire stays as it was, forged data is None, prefixes never clash."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

import pytest

import handlers.routes  # noqa: F401  (imports every handler, so every codec is defined)
from handlers.callbacks import AtMost, CallbackData, Prefix
from handlers.callbacks.broadcast import (
    MAX_DELAY_HOURS,
    BroadcastAudienceLanguage,
    BroadcastDelay,
    BroadcastStep,
    BroadcastStop,
)
from handlers.callbacks.menus import Menu, Nothing
from handlers.callbacks.reminders import (
    DeadlineNew,
    DeadlinesFromArrival,
    FormDay,
    FormDayReading,
    FormMonth,
    FormSave,
    FormStates,
    ReminderAction,
    ReminderList,
    ReminderNew,
    ReminderSwitch,
    ReminderTopic,
)
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


def test_reminder_buttons() -> None:
    assert [ReminderList().pack(), ReminderNew().pack(), DeadlineNew().pack()] == [
        "rm",
        "rm:new",
        "rm:dl",
    ]
    assert ReminderAction("v", 12).pack() == "rm:v:12"
    assert ReminderAction("stop", 12, "a").pack() == "rm:stop:12:a"
    assert ReminderSwitch("wk", 12, False, "a").pack() == "rm:wk:12:0:a"
    assert ReminderSwitch("keep", 12, True).pack() == "rm:keep:12:1"
    assert ReminderTopic("court", "bring").pack() == "rm:t:court:bring"
    assert DeadlinesFromArrival(date(2026, 9, 3)).pack() == "rm:arr:20260903"
    assert ReminderAction.unpack("rm:wk:12:1") is None
    assert ReminderSwitch.unpack("rm:wk:12:1") == ReminderSwitch("wk", 12, True)
    assert ReminderAction.unpack("rm:v:²") is None
    assert ReminderAction.unpack("rm:zz:12") is None
    assert [FormSave().pack(), FormStates().pack(), FormStates("TX").pack()] == [
        "ra:ok",
        "ra:pl",
        "ra:pl:TX",
    ]
    assert FormDay(date(2026, 1, 31)).pack() == "ra:d:20260131"
    assert FormDayReading.unpack("ra:a:20260131") == FormDayReading(date(2026, 1, 31))
    assert FormMonth.unpack("ra:cal:999912") == FormMonth("999912")  # the handler checks the range


def test_broadcast_buttons() -> None:
    assert [BroadcastStep("send").pack(), BroadcastStop(7).pack()] == ["bc:send", "bc:stop:7"]
    assert BroadcastDelay(24).pack() == "bc:at:24"
    assert BroadcastDelay.unpack(f"bc:at:{MAX_DELAY_HOURS + 1}") is None
    assert BroadcastAudienceLanguage("uk").pack() == "bc:al:uk"
    assert BroadcastStep.unpack("bc:stop") is None
    assert BroadcastStop.unpack("bc:stop:" + "9" * 30) is None


def test_the_overlap_check_sees_overlaps() -> None:
    assert _shape(TriageAnswer)[1] is None
    assert _shape(ReminderAction)[1] & _shape(ReminderSwitch)[1] == set()  # type: ignore[operator]


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


def _shape(codec: type[CallbackData]) -> tuple[str, set[str] | None, range]:
    """Its prefix, the words its data may start with after it (None: any), its part counts."""
    fields = dataclasses.fields(codec)  # type: ignore[arg-type]
    optional = sum(1 for f in fields if f.default is None)
    head = 0 if codec.ACTION is None else 1
    counts = range(head + len(fields) - optional, head + len(fields) + 1)
    if codec.ACTION is not None:
        return codec.PREFIX.value, {codec.ACTION}, counts
    if not fields:
        return codec.PREFIX.value, set(), counts
    first = typing.get_type_hints(codec)[fields[0].name]
    words = set(typing.get_args(first)) if typing.get_origin(first) is Literal else None
    return codec.PREFIX.value, words, counts


# A kind taking any word reads its siblings' data too: its handler tries those first.
MEANT_TO_OVERLAP = {
    frozenset({TriageAnswer, TriageArrival}),
    frozenset({TriageAnswer, TriageDeadlineAlerts}),
}


def test_no_two_codecs_read_the_same_data() -> None:
    """Two kinds of one prefix differ by their first word or their number of parts."""
    codecs = [c for c in CallbackData.CODECS if c is not Sample]
    for i, one in enumerate(codecs):
        for other in codecs[i + 1 :]:
            (prefix, words, counts), (prefix2, words2, counts2) = _shape(one), _shape(other)
            overlap = (
                prefix == prefix2
                and set(counts) & set(counts2)
                and (words is None or words2 is None or words & words2)
            )
            if overlap:
                pair = frozenset({one, other})
                assert pair in MEANT_TO_OVERLAP, f"{one.__name__} and {other.__name__} overlap"
