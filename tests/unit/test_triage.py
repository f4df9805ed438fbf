"""The "Where am I?" triage: question flow, checklist contents and order, the one-year deadline."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract

from core import triage
from core.triage import (
    MAX_QUESTIONS,
    SKIP,
    WARN_CFI_NEGATIVE,
    WARN_DEADLINE_PAST,
    Answers,
    BondHearing,
    Cfi,
    CfiResult,
    Checklist,
    Citizen,
    Detention,
    Filing,
    Nta,
    Question,
    QuestionSpec,
    Who,
    checklist,
    next_question,
    one_year_due,
)

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 27)
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# As of TODAY: deadline ok, near, today, past; and a typo in the future.
ARRIVALS = (
    None,
    date(2026, 6, 1),
    date(2025, 12, 20),
    date(2025, 11, 27),
    date(2025, 1, 1),
    date(2026, 12, 25),
)


def keys(result: Checklist) -> list[str]:
    return [item.key for item in result.items]


def answer_paths(
    answers: Answers, asked: frozenset[Question]
) -> Iterator[tuple[Answers, list[Question]]]:
    """Every way through the conversation: each option (Skip included) of each question asked."""
    spec = next_question(answers, asked)
    if spec is None:
        yield answers, []
        return
    values: list[str | date] = [option.value for option in spec.options]
    if spec.takes_date:
        values.append(date(2025, 6, 1))
    for value in values:
        after = answers.with_answer(spec.question, value)
        for final, rest in answer_paths(after, asked | {spec.question}):
            yield final, [spec.question, *rest]


def all_answers() -> Iterator[Answers]:
    """Every combination of answers, consistent or not, with a few arrival dates; citizenship
    and the bond hearing take each of their values in turn (all of them with every other
    combination would be 20 times slower and find nothing more)."""
    citizens = itertools.cycle((None, *Citizen))
    bonds = itertools.cycle((None, *BondHearing, None))
    for who, det, cfi, result, nta, i589, arrival in itertools.product(
        (None, *Who),
        (None, *Detention),
        (None, *Cfi),
        (None, *CfiResult),
        (None, *Nta),
        (None, *Filing),
        ARRIVALS,
    ):
        answers = Answers(
            who=who,
            citizen=next(citizens),
            detained=det,
            bond=next(bonds),
            cfi=cfi,
            cfi_result=result,
            nta=nta,
            i589=i589,
            arrival=arrival,
        )
        yield answers
        if arrival is not None:  # the same arrival remembered only roughly
            yield replace(answers, arrival_approximate=True)


def extracted_msgids() -> set[str]:
    """The msgids Babel extracts from core/triage.py with the project's keywords."""
    keywords = {"_": None, "n_": (1, 2), "N_": None}
    with (ROOT / "core" / "triage.py").open("rb") as source:
        return {
            message if isinstance(message, str) else message[0]
            for _line, message, _comments, _ctx in extract("python", source, keywords=keywords)
        }


# --- Questions -------------------------------------------------------------------------------


def test_every_path_through_the_questions_ends_within_nine_questions() -> None:
    paths = list(answer_paths(Answers(), frozenset()))
    assert MAX_QUESTIONS == 9
    assert max(len(asked) for _answers, asked in paths) <= 9
    assert all(len(set(asked)) == len(asked) for _answers, asked in paths)  # none asked twice
    assert len(paths) > 1000  # the walk really branched


def test_skipping_every_question_asks_seven_and_stops() -> None:
    answers, asked = Answers(), frozenset[Question]()
    shown: list[Question] = []
    while (spec := next_question(answers, asked)) is not None:
        shown.append(spec.question)
        assert spec.options[-1].value == SKIP
        answers, asked = answers.with_answer(spec.question, SKIP), asked | {spec.question}
    assert answers == Answers()
    assert shown == [
        Question.WHO,
        Question.CITIZEN,
        Question.DETAINED,
        Question.CFI,
        Question.NTA,
        Question.I589,
        Question.ARRIVAL,
    ]


def test_the_fear_interview_result_is_asked_only_after_an_interview() -> None:
    asked = frozenset({Question.WHO, Question.CITIZEN, Question.DETAINED, Question.CFI})
    for cfi in Cfi:
        spec = next_question(Answers(cfi=cfi), asked)
        assert spec is not None
        expected = Question.CFI_RESULT if cfi is Cfi.YES else Question.NTA
        assert spec.question is expected


def test_the_arrival_date_is_not_asked_once_the_i589_is_filed() -> None:
    asked = frozenset(set(Question) - {Question.ARRIVAL})
    assert next_question(Answers(i589=Filing.FILED), asked) is None
    spec = next_question(Answers(i589=Filing.NOT_FILED), asked)
    assert spec == QuestionSpec(
        question=Question.ARRIVAL,
        text="On what date did you last arrive in the US? Type the date.",
        options=(triage.SKIP_OPTION,),
        takes_date=True,
    )


def test_i589_is_asked_even_when_detained() -> None:
    answers = Answers(who=Who.SELF, detained=Detention.YES, cfi=Cfi.NO, nta=Nta.NO)
    asked = frozenset({Question.WHO, Question.CITIZEN, Question.DETAINED, Question.BOND})
    spec = next_question(answers, asked | {Question.CFI, Question.NTA})
    assert spec is not None
    assert spec.question is Question.I589


def test_questions_speak_of_the_person_when_asking_for_a_relative() -> None:
    first = frozenset({Question.WHO, Question.CITIZEN})
    mine = next_question(Answers(who=Who.SELF), first)
    theirs = next_question(Answers(who=Who.RELATIVE), first)
    assert mine is not None
    assert theirs is not None
    assert mine.text == "Are you in immigration detention (ICE) right now?"
    assert theirs.text == "Is the person in immigration detention (ICE) right now?"
    assert [o.value for o in mine.options] == ["yes", "no", SKIP]
    assert [o.value for o in theirs.options] == ["yes", "no", "unknown", SKIP]


def test_option_values_are_short_ascii_and_unique_within_a_question() -> None:
    for answers in (Answers(), Answers(who=Who.RELATIVE, cfi=Cfi.YES)):
        for question in Question:
            spec = triage.question_spec(question, answers)
            values = [option.value for option in spec.options]
            assert len(values) == len(set(values))
            for value in values:
                assert value.isascii()
                assert 0 < len(value) <= 10
            assert question.value.isascii()
            assert len(question.value) <= 4


def test_with_answer_rejects_stale_values() -> None:
    with pytest.raises(ValueError, match="maybe"):
        Answers().with_answer(Question.DETAINED, "maybe")
    with pytest.raises(ValueError, match="date"):
        Answers().with_answer(Question.ARRIVAL, "2025-01-01")
    with pytest.raises(ValueError, match="date"):
        Answers().with_answer(Question.NTA, date(2025, 1, 1))


def test_a_new_fear_interview_answer_forgets_the_old_result() -> None:
    answers = (
        Answers().with_answer(Question.CFI, "yes").with_answer(Question.CFI_RESULT, "negative")
    )
    assert answers.cfi_result is CfiResult.NEGATIVE
    assert answers.with_answer(Question.CFI, "yes").cfi_result is CfiResult.NEGATIVE
    assert answers.with_answer(Question.CFI, "no") == Answers(cfi=Cfi.NO)
    assert answers.with_answer(Question.CFI, SKIP) == Answers()


# --- Storage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        Answers(),
        Answers(
            who=Who.RELATIVE,
            detained=Detention.UNKNOWN,
            cfi=Cfi.YES,
            cfi_result=CfiResult.WAITING,
            nta=Nta.NO_DATE,
            i589=Filing.NOT_FILED,
            arrival=date(2024, 2, 29),
        ),
        Answers(who=Who.SELF, nta=Nta.WITH_DATE, i589=Filing.FILED),
    ],
)
def test_answers_round_trip_through_json(answers: Answers) -> None:
    stored = json.dumps(answers.to_dict())
    assert Answers.from_dict(json.loads(stored)) == answers


def test_answers_round_trip_for_every_combination() -> None:
    for answers in all_answers():
        if answers.cfi is not Cfi.YES and answers.cfi_result is not None:
            continue  # with_answer never builds this; from_dict would rightly drop the result
        assert Answers.from_dict(answers.to_dict()) == answers


def test_stored_state_from_another_version_reads_as_unanswered() -> None:
    stored = {"who": "cousin", "detained": "no", "arrival": "29.02.2024", "nta": 3, "extra": "x"}
    assert Answers.from_dict(stored) == Answers(detained=Detention.NO)
    assert Answers().to_dict() == {
        "who": None,
        "citizen": None,
        "detained": None,
        "bond": None,
        "cfi": None,
        "cfi_result": None,
        "nta": None,
        "i589": None,
        "arrival": None,
        "arrival_approximate": None,
    }


# --- The one-year deadline -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "level", "text"),
    [
        (61, "ok", triage.DEADLINE_OK),
        (60, "near", triage.DEADLINE_NEAR),
        (1, "near", triage.DEADLINE_NEAR),
        (0, "near", triage.DEADLINE_TODAY),
        (-1, "past", triage.DEADLINE_PAST),
    ],
)
def test_one_year_deadline_levels_at_the_boundaries(days_left: int, level: str, text: str) -> None:
    due = TODAY + timedelta(days=days_left)
    arrival = due.replace(year=due.year - 1)
    result = checklist(Answers(i589=Filing.NOT_FILED, arrival=arrival), TODAY)
    (deadline,) = result.deadlines
    assert deadline.kind == "one_year_filing"
    assert deadline.due == due
    assert deadline.days_left == days_left
    assert deadline.level == level
    assert deadline.text == text
    assert deadline.topic_id == "i589"
    assert deadline.source_url.startswith("http")
    assert deadline.values() == {
        "date": due.isoformat(),
        "days": str(days_left),
        "left": str(days_left),
    }


def test_the_deadline_is_the_anniversary_and_a_leap_day_falls_back_to_28_february() -> None:
    assert one_year_due(date(2025, 3, 10)) == date(2026, 3, 10)
    assert one_year_due(date(2024, 2, 29)) == date(2025, 2, 28)
    assert one_year_due(date(2023, 2, 28)) == date(2024, 2, 28)
    result = checklist(Answers(arrival=date(2024, 2, 29)), today=date(2025, 2, 28))
    (deadline,) = result.deadlines
    assert (deadline.due, deadline.days_left, deadline.level) == (date(2025, 2, 28), 0, "near")
    assert deadline.values(lambda d: d.strftime("%d.%m.%Y"), lambda n: f"{n} left") == {
        "date": "28.02.2025",
        "days": "0",
        "left": "0 left",
    }


def test_a_past_deadline_warns_about_exceptions_and_sends_to_a_lawyer() -> None:
    result = checklist(Answers(who=Who.SELF, arrival=date(2024, 5, 1)), TODAY)
    assert result.deadlines[0].level == "past"
    assert result.warnings == (WARN_DEADLINE_PAST,)
    for words in ("exceptions", "changed circumstances", "extraordinary", "lawyer urgently"):
        assert words in WARN_DEADLINE_PAST
    assert keys(result)[0] == "one_year_passed"
    assert result.items[0].topic_id == "i589"
    assert result.items[-1].topic_id == "legal-help"
    assert result.items[-1].text == "Talk to a lawyer now: where to find free legal help."


def test_the_changed_circumstances_examples_are_neutral_never_mobilization() -> None:
    # 8 CFR 208.4(a)(4): the 2022 mobilization is no change for people who came later, and its
    # "reasonable period" ran out long ago for those who came before.
    assert "mobiliz" not in WARN_DEADLINE_PAST.lower()
    assert "new persecution of your family at home" in WARN_DEADLINE_PAST
    assert "new political activity after you arrived" in WARN_DEADLINE_PAST


def test_no_deadline_once_the_i589_is_filed() -> None:
    result = checklist(Answers(i589=Filing.FILED, arrival=date(2024, 5, 1)), TODAY)
    assert result.deadlines == ()
    assert result.warnings == ()
    assert "work_permit" in keys(result)
    assert not {"i589", "one_year_passed", "one_year_near"} & set(keys(result))


def test_an_arrival_date_in_the_future_gives_no_deadline() -> None:
    result = checklist(Answers(arrival=TODAY + timedelta(days=1)), TODAY)
    assert result.deadlines == ()
    assert "i589" in keys(result)


# --- Checklists ------------------------------------------------------------------------------


def test_skipping_everything_still_gives_a_checklist_ending_with_legal_help() -> None:
    result = checklist(Answers(), TODAY)
    assert keys(result) == [
        "hearing_find",
        "i589",
        "change_address",
        "draft_claims",
        "process",
        "legal_help",
    ]
    assert result.deadlines == ()
    assert result.warnings == ()
    assert result.items[-1].text == "Find free or low-cost legal help, and avoid scammers."


def test_detained_after_a_negative_interview() -> None:
    answers = Answers(
        who=Who.SELF,
        detained=Detention.YES,
        cfi=Cfi.YES,
        cfi_result=CfiResult.NEGATIVE,
        nta=Nta.NO,
        i589=Filing.NOT_FILED,
        arrival=date(2026, 10, 1),
    )
    result = checklist(answers, TODAY)
    # Expedited removal (no NTA): no bond, no parole, no hearing, no I-589 or one-year clock
    # (issue 16: never a route that does not apply); the judge's review first.
    assert keys(result) == [
        "cfi_review",
        "expedited",
        "detention",
        "draft_claims",
        "legal_help",
    ]
    assert result.items[0].topic_id == "negative-cfi"
    assert "expedited removal" in result.items[1].text
    assert result.warnings == (WARN_CFI_NEGATIVE,)
    assert result.items[-1].text == "Talk to a lawyer now: where to find free legal help."
    assert result.deadlines == ()


def test_a_negative_interview_with_an_nta_is_a_court_case_with_its_routes() -> None:
    answers = Answers(
        who=Who.SELF,
        detained=Detention.YES,
        cfi=Cfi.YES,
        cfi_result=CfiResult.NEGATIVE,
        nta=Nta.WITH_DATE,
        i589=Filing.NOT_FILED,
        arrival=date(2026, 10, 1),
    )
    result = checklist(answers, TODAY)
    assert "expedited" not in keys(result)
    assert {"bond", "hearing_check", "i589"} <= set(keys(result))


def test_relative_of_a_detained_person_with_a_court_date() -> None:
    answers = Answers(
        who=Who.RELATIVE,
        detained=Detention.YES,
        cfi=Cfi.YES,
        cfi_result=CfiResult.POSITIVE,
        nta=Nta.WITH_DATE,
        i589=Filing.UNKNOWN,
    )
    result = checklist(answers, TODAY)
    assert keys(result) == [
        "detention_find",
        "hearing_check",
        "hearing_reminder",
        "do_not_sign",
        "bond",
        "parole",
        "relatives",
        "court",
        "i589",
        "draft_claims",
        "glossary",
        "process",
        "legal_help",
    ]
    find, check, reminder = result.items[:3]
    assert find.values == {"url": "https://locator.ice.gov"}
    assert check.values == {"url": "https://acis.eoir.justice.gov", "phone": "1-800-898-7180"}
    assert (check.topic_id, reminder.topic_id) == ("hearing-date", "hearing-date")


def test_released_with_a_pending_application() -> None:
    answers = Answers(
        who=Who.SELF, detained=Detention.NO, cfi=Cfi.NO, nta=Nta.NO_DATE, i589=Filing.FILED
    )
    result = checklist(answers, TODAY)
    assert keys(result) == [
        "hearing_no_date",
        "court",
        "change_address",
        "checkins",
        "do_not_sign_checkin",
        "release_papers",
        "work_permit",
        "travel",
        "legal_help",
    ]
    assert "within 5 days (Form EOIR-33" in result.items[2].text
    assert "working" not in result.items[2].text
    assert "within 10 days (Form AR-11, %(ar11)s)" in result.items[2].text
    assert result.items[2].values["ar11"] == "https://www.uscis.gov/ar-11"
    assert result.items[3].topic_id == "check-ins"  # check-ins (ICE, ISAP)
    assert "150" in result.items[6].text
    assert "proposed rule" in result.items[6].text
    assert "at most 18 months" in result.items[6].text
    assert "not extended automatically" in result.items[6].text
    assert "up to 180 days before it expires" in result.items[6].text


def test_an_nta_without_a_date_sends_the_i589_to_uscis_now_not_to_a_wait() -> None:
    # 8 CFR 208.2(b), 1003.14(a): until DHS files the NTA with the court, USCIS takes the I-589,
    # and its receipt date counts for the one-year deadline.
    answers = Answers(
        who=Who.SELF,
        detained=Detention.NO,
        cfi=Cfi.NO,
        nta=Nta.NO_DATE,
        i589=Filing.NOT_FILED,
        arrival=date(2026, 6, 1),
    )
    result = checklist(answers, TODAY)
    assert "hearing_no_date" not in keys(result)
    assert keys(result)[0] == "nta_not_filed"
    item = result.items[0]
    assert item.values == {"url": "https://acis.eoir.justice.gov"}
    assert item.topic_id == "i589-before-court"
    assert "file the asylum application (I-589) with USCIS now" in item.text
    assert "counts for the one-year deadline" in item.text
    assert "Do not wait for a letter from the court" in item.text
    for listed in result.items:
        assert "sends the date by mail" not in listed.text
    # Near the deadline it comes right after the deadline item, before everything else.
    near = checklist(replace(answers, arrival=date(2025, 12, 20)), TODAY)
    assert keys(near)[:2] == ["one_year_near", "nta_not_filed"]
    # Unsure whether the I-589 was filed: the same advice.
    unsure = checklist(replace(answers, i589=Filing.UNKNOWN), TODAY)
    assert "nta_not_filed" in keys(unsure)


def test_waiting_for_the_fear_interview_with_a_near_deadline() -> None:
    answers = Answers(detained=Detention.YES, cfi=Cfi.NOT_YET, arrival=date(2025, 12, 20))
    result = checklist(answers, TODAY)
    assert result.deadlines[0].level == "near"
    assert keys(result) == [
        "one_year_near",
        "detention",
        "do_not_sign",
        "bond",
        "parole",
        "cfi_prepare",
        "hearing_find",
        "entry_rules",  # arrived after 11 May 2023
        "draft_claims",
        "process",
        "legal_help",
    ]
    assert result.warnings == ()
    assert result.items[-1].text == "Talk to a lawyer now: where to find free legal help."


def test_a_stale_interview_result_is_ignored_without_an_interview() -> None:
    assert checklist(Answers(cfi=Cfi.NO, cfi_result=CfiResult.NEGATIVE), TODAY) == checklist(
        Answers(cfi=Cfi.NO), TODAY
    )


def test_every_checklist_is_ordered_unique_linked_and_ends_with_legal_help() -> None:
    topics = {path.stem for path in (ROOT / "content" / "en").glob("*.md")}
    seen_keys: set[str] = set()
    for answers in all_answers():
        result = checklist(answers, TODAY)
        found = keys(result)
        seen_keys.update(found)
        assert found[-1] == "legal_help"
        assert len(found) == len(set(found))
        assert found == sorted(found, key=triage.URGENCY.index)
        for item in result.items:
            assert item.topic_id in topics, item
        for deadline in result.deadlines:
            assert deadline.topic_id in topics
    assert seen_keys == set(triage.URGENCY)  # every item can actually appear


def test_every_text_is_an_extracted_msgid_with_only_supplied_placeholders() -> None:
    msgids = extracted_msgids()
    shown: set[str] = set()
    for answers in all_answers():
        result = checklist(answers, TODAY)
        for item in result.items:
            assert item.text in msgids, item.text
            assert set(PLACEHOLDER.findall(item.text)) == set(item.values), item
            shown.add(item.text)
        for deadline in result.deadlines:
            assert deadline.text in msgids
            assert set(PLACEHOLDER.findall(deadline.text)) <= set(deadline.values())
            shown.add(deadline.text)
        for warning in result.warnings:
            assert warning in msgids
            assert not PLACEHOLDER.findall(warning)
            shown.add(warning)
    for answers in (Answers(), Answers(who=Who.RELATIVE)):
        for question in Question:
            spec = triage.question_spec(question, answers)
            for text in (spec.text, *(option.label for option in spec.options)):
                assert text in msgids, text
                assert not PLACEHOLDER.findall(text), text
                shown.add(text)
    for text in shown:
        assert "%" not in PLACEHOLDER.sub("", text), text  # no stray % to break formatting
    assert shown == msgids  # and no msgid in the module goes unused


# --- Citizenship, the bond hearing, and where a relative is (issue 16.2) ----------------------


def _keys(answers: Answers) -> list[str]:
    return [item.key for item in checklist(answers, TODAY).items]


def test_the_bond_question_is_asked_only_of_a_detained_person() -> None:
    asked = frozenset({Question.WHO, Question.CITIZEN, Question.DETAINED})
    for detained in Detention:
        spec = next_question(Answers(detained=detained), asked)
        assert spec is not None
        assert (spec.question is Question.BOND) is (detained is Detention.YES)
    released = Answers(detained=Detention.YES, bond=BondHearing.SET)
    assert released.with_answer(Question.DETAINED, "no").bond is None


def test_a_bond_that_was_set_is_about_paying_it_and_a_denied_one_about_the_appeal() -> None:
    held = Answers(who=Who.RELATIVE, detained=Detention.YES, nta=Nta.WITH_DATE)
    set_keys = _keys(replace(held, bond=BondHearing.SET))
    assert "bond_set" in set_keys
    assert "bond" not in set_keys
    denied = checklist(replace(held, bond=BondHearing.DENIED), TODAY)
    denied_keys = [item.key for item in denied.items]
    assert "bond_denied" in denied_keys
    assert "bond" not in denied_keys
    assert denied.items[-1].text == triage._LEGAL_HELP_URGENT  # 30 days: a lawyer now
    for bond in (None, BondHearing.NONE, BondHearing.UNKNOWN):
        assert "bond" in _keys(replace(held, bond=bond))


def test_a_relative_abroad_reads_about_helping_from_afar_and_one_in_the_us_about_visits() -> None:
    abroad = checklist(Answers(who=Who.RELATIVE_ABROAD, detained=Detention.YES), TODAY)
    here = checklist(Answers(who=Who.RELATIVE, detained=Detention.YES), TODAY)
    abroad_item = next(item for item in abroad.items if item.key == "relatives")
    here_item = next(item for item in here.items if item.key == "relatives")
    assert "outside the US" in abroad_item.text
    assert "visit" in here_item.text
    abroad_question = triage.question_spec(Question.DETAINED, Answers(who=Who.RELATIVE_ABROAD))
    assert abroad_question.text == "Is the person in immigration detention (ICE) right now?"


def test_only_a_citizen_of_russia_is_sent_to_the_mobilization_page() -> None:
    base = Answers(who=Who.SELF, detained=Detention.NO, nta=Nta.WITH_DATE)
    assert "draft_claims" in _keys(base)  # not told: the page stays
    assert "draft_claims" in _keys(replace(base, citizen=Citizen.RUSSIA))
    ukraine = _keys(replace(base, citizen=Citizen.UKRAINE))
    assert "ukraine" in ukraine
    assert "draft_claims" not in ukraine
    other = _keys(replace(base, citizen=Citizen.OTHER))
    assert "ukraine" not in other
    assert "draft_claims" not in other


def test_the_checklist_points_to_the_pages_for_where_the_person_is() -> None:
    """Issue 14: the new explainers are reached from the checklist where they apply."""
    in_court = Answers(nta=Nta.WITH_DATE, i589=Filing.NOT_FILED, citizen=Citizen.RUSSIA)
    items = {item.key: item.topic_id for item in checklist(in_court, TODAY).items}
    assert items["i589"] == "i589-court"  # the case is with the court: file there
    assert items["frivolous"] == "frivolous"  # about to write the application
    assert items["evidence"] == "mobilization-evidence"
    unsure = {item.key for item in checklist(replace(in_court, i589=Filing.UNKNOWN), TODAY).items}
    assert "frivolous" not in unsure
    assert "evidence" not in unsure
    before = Answers(arrival=date(2023, 5, 10))
    assert "entry_rules" not in {item.key for item in checklist(before, TODAY).items}
    after = replace(before, arrival=date(2023, 5, 11))
    assert "entry_rules" in {item.key for item in checklist(after, TODAY).items}
    filed = {item.key: item.topic_id for item in checklist(Answers(i589=Filing.FILED), TODAY).items}
    assert filed["travel"] == "travel"
