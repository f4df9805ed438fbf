"""The "Where am I?" triage: which question to ask next, and the checklist the answers lead to.

Pure logic: no Telegram, no SQL, no translation. Every user-facing string is an English gettext
msgid marked with `N_`; the handler translates it and fills its `%(name)s` placeholders from
`ChecklistItem.values` or `Deadline.values()`. The conversation state is an `Answers` value
(stored as `Answers.to_dict()`) plus the set of questions already asked.

Every rule cites its official source (a regulation on ecfr.gov, a statute, an EOIR or USCIS
page), so that a volunteer can re-check it when the law moves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Any, Final, Literal

from core.dates import add_years
from core.i18n import N_


class Question(Enum):
    """The triage questions; the value is short and ASCII, for callback data."""

    WHO = "who"
    CITIZEN = "cit"
    DETAINED = "det"
    BOND = "bond"
    CFI = "cfi"
    CFI_RESULT = "cfir"
    NTA = "nta"
    I589 = "i589"
    ARRIVAL = "arr"


class Who(Enum):
    """Whom the user is asking for; a relative or friend asks from the US or from abroad."""

    SELF = "self"
    RELATIVE = "relative"  # a relative or friend who is in the US
    RELATIVE_ABROAD = "abroad"  # a relative or friend outside the US, often in Russia


class Citizen(Enum):
    """The person's citizenship: it decides which explainers apply (mobilization, Ukraine)."""

    RUSSIA = "ru"
    UKRAINE = "ua"
    OTHER = "other"


class Detention(Enum):
    """Whether the person is in ICE detention now."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class BondHearing(Enum):
    """Whether a detained person has had a bond hearing before a judge, and its result."""

    SET = "set"
    DENIED = "denied"
    NONE = "none"
    UNKNOWN = "unknown"


class Cfi(Enum):
    """Whether the person has had a credible fear interview."""

    YES = "yes"
    NO = "no"
    NOT_YET = "not_yet"
    UNKNOWN = "unknown"


class CfiResult(Enum):
    """The answer of the credible fear interview."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    WAITING = "waiting"
    UNKNOWN = "unknown"


class Nta(Enum):
    """Whether the person has a Notice to Appear, and a court date on it."""

    WITH_DATE = "date"
    NO_DATE = "no_date"
    NO = "no"
    UNKNOWN = "unknown"


class Filing(Enum):
    """Whether the asylum application (Form I-589) has been filed."""

    FILED = "filed"
    NOT_FILED = "not_filed"
    UNKNOWN = "unknown"


QUESTION_ORDER: Final[tuple[Question, ...]] = tuple(Question)
MAX_QUESTIONS: Final = len(QUESTION_ORDER)
SKIP: Final = "skip"  # the option value that leaves a question unanswered


@dataclass(frozen=True)
class Option:
    """One answer button: a short ASCII value for callback data and a label msgid."""

    value: str
    label: str


@dataclass(frozen=True)
class QuestionSpec:
    """One question as the handler shows it: text msgid, buttons, and whether a date is typed."""

    question: Question
    text: str
    options: tuple[Option, ...]
    takes_date: bool = False


@dataclass(frozen=True)
class Answers:
    """What the user told us so far; None means skipped or not asked yet."""

    who: Who | None = None
    citizen: Citizen | None = None
    detained: Detention | None = None
    bond: BondHearing | None = None
    cfi: Cfi | None = None
    cfi_result: CfiResult | None = None
    nta: Nta | None = None
    i589: Filing | None = None
    arrival: date | None = None
    arrival_approximate: bool = False  # remembered roughly: `arrival` is the earliest it can be

    @property
    def relative(self) -> bool:
        """Whether the user asks for someone else, from the US or from abroad."""
        return self.who in (Who.RELATIVE, Who.RELATIVE_ABROAD)

    def with_approximate_arrival(self, earliest: date) -> Answers:
        """The arrival remembered only roughly: the earliest day it can be, so that the
        one-year deadline counted from it is never too late."""
        return replace(self, arrival=earliest, arrival_approximate=True)

    def with_answer(self, question: Question, value: str | date | None) -> Answers:
        """A copy with `question` answered: an option value, a date for ARRIVAL, or SKIP/None.

        Raises ValueError for a value that is not one of the question's options (for example,
        stale callback data). Answering or skipping the CFI question with anything but "yes"
        forgets an earlier CFI result, which no longer applies.
        """
        if value is None or value == SKIP:
            if question is Question.CFI:
                return replace(self, cfi=None, cfi_result=None)
            if question is Question.ARRIVAL:
                return replace(self, arrival=None, arrival_approximate=False)
            cleared: dict[str, Any] = {_FIELDS[question]: None}
            return replace(self, **cleared)
        if question is Question.ARRIVAL:
            if not isinstance(value, date):
                raise ValueError(f"the arrival answer must be a date, not {value!r}")
            return replace(self, arrival=value, arrival_approximate=False)
        if isinstance(value, date):
            raise ValueError(f"{question.name} does not take a date")
        match question:
            case Question.WHO:
                return replace(self, who=Who(value))
            case Question.CITIZEN:
                return replace(self, citizen=Citizen(value))
            case Question.DETAINED:
                detained = Detention(value)
                bond = self.bond if detained is Detention.YES else None
                return replace(self, detained=detained, bond=bond)
            case Question.BOND:
                return replace(self, bond=BondHearing(value))
            case Question.CFI:
                cfi = Cfi(value)
                return replace(
                    self, cfi=cfi, cfi_result=self.cfi_result if cfi is Cfi.YES else None
                )
            case Question.CFI_RESULT:
                return replace(self, cfi_result=CfiResult(value))
            case Question.NTA:
                return replace(self, nta=Nta(value))
            case Question.I589:
                return replace(self, i589=Filing(value))
        raise AssertionError(question)  # pragma: no cover - every question is handled above

    def to_dict(self) -> dict[str, str | None]:
        """The answers as JSON-safe strings (dates as ISO 8601), for the conversation state."""
        data: dict[str, str | None] = {}
        for question, name in _FIELDS.items():
            value = getattr(self, name)
            if value is None:
                data[name] = None
            elif question is Question.ARRIVAL:
                data[name] = value.isoformat()
            else:
                data[name] = value.value
        data["arrival_approximate"] = "1" if self.arrival_approximate else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Answers:
        """Answers back from `to_dict()`; a missing or unreadable value becomes None."""
        answers = cls()
        for question, name in _FIELDS.items():
            raw = data.get(name)
            if not isinstance(raw, str):
                continue
            try:
                value: str | date = date.fromisoformat(raw) if question is Question.ARRIVAL else raw
                answers = answers.with_answer(question, value)
            except ValueError:
                continue  # state written by another version of the bot: treat as not answered
        if data.get("arrival_approximate") == "1" and answers.arrival is not None:
            answers = answers.with_approximate_arrival(answers.arrival)
        return answers


_FIELDS: Final[dict[Question, str]] = {
    Question.WHO: "who",
    Question.CITIZEN: "citizen",
    Question.DETAINED: "detained",
    Question.BOND: "bond",
    Question.CFI: "cfi",
    Question.CFI_RESULT: "cfi_result",
    Question.NTA: "nta",
    Question.I589: "i589",
    Question.ARRIVAL: "arrival",
}


# --- Questions -------------------------------------------------------------------------------

YES = N_("Yes")
NO = N_("No")
DONT_KNOW = N_("I don't know")
SKIP_OPTION = Option(SKIP, N_("Skip"))

# (asking for oneself, asking for a relative or friend); WHO and CFI_RESULT read the same.
_WHO_TEXT = N_("Who are you asking about?")
_CFI_RESULT_TEXT = N_("What was the answer after the fear interview?")
_TEXTS: Final[dict[Question, tuple[str, str]]] = {
    Question.WHO: (_WHO_TEXT, _WHO_TEXT),
    Question.CITIZEN: (
        N_("What is your citizenship?"),
        N_("What is the person's citizenship?"),
    ),
    Question.BOND: (
        N_("Have you had a bond hearing before an immigration judge?"),
        N_("Has the person had a bond hearing before an immigration judge?"),
    ),
    Question.DETAINED: (
        N_("Are you in immigration detention (ICE) right now?"),
        N_("Is the person in immigration detention (ICE) right now?"),
    ),
    Question.CFI: (
        N_(
            "Have you had a credible fear interview? It is the interview with an asylum officer "
            "about why you are afraid to go back."
        ),
        N_(
            "Has the person had a credible fear interview? It is the interview with an asylum "
            "officer about why they are afraid to go back."
        ),
    ),
    Question.CFI_RESULT: (_CFI_RESULT_TEXT, _CFI_RESULT_TEXT),
    Question.NTA: (
        N_("Do you have a Notice to Appear (NTA) or a court date?"),
        N_("Does the person have a Notice to Appear (NTA) or a court date?"),
    ),
    Question.I589: (
        N_("Have you filed the asylum application (Form I-589)?"),
        N_("Has the person filed the asylum application (Form I-589)?"),
    ),
    Question.ARRIVAL: (
        N_("On what date did you last arrive in the US? Type the date."),
        N_("On what date did the person last arrive in the US? Type the date."),
    ),
}

_OPTIONS: Final[dict[Question, tuple[Option, ...]]] = {
    Question.WHO: (
        Option(Who.SELF.value, N_("Myself")),
        Option(Who.RELATIVE.value, N_("A relative or friend; I am in the US")),
        Option(Who.RELATIVE_ABROAD.value, N_("A relative or friend; I am outside the US")),
    ),
    Question.CITIZEN: (
        Option(Citizen.RUSSIA.value, N_("Russia")),
        Option(Citizen.UKRAINE.value, N_("Ukraine")),
        Option(Citizen.OTHER.value, N_("Another country")),
    ),
    Question.BOND: (
        Option(BondHearing.SET.value, N_("Yes, bond was set")),
        Option(BondHearing.DENIED.value, N_("Yes, bond was denied")),
        Option(BondHearing.NONE.value, NO),
        Option(BondHearing.UNKNOWN.value, DONT_KNOW),
    ),
    Question.DETAINED: (Option(Detention.YES.value, YES), Option(Detention.NO.value, NO)),
    Question.CFI: (
        Option(Cfi.YES.value, YES),
        Option(Cfi.NO.value, NO),
        Option(Cfi.NOT_YET.value, N_("Not yet, waiting for it")),
        Option(Cfi.UNKNOWN.value, DONT_KNOW),
    ),
    Question.CFI_RESULT: (
        Option(CfiResult.POSITIVE.value, N_("Positive (passed)")),
        Option(CfiResult.NEGATIVE.value, N_("Negative (not passed)")),
        Option(CfiResult.WAITING.value, N_("No answer yet")),
        Option(CfiResult.UNKNOWN.value, DONT_KNOW),
    ),
    Question.NTA: (
        Option(Nta.WITH_DATE.value, N_("Yes, with a court date")),
        Option(Nta.NO_DATE.value, N_("An NTA, but no date")),
        Option(Nta.NO.value, NO),
        Option(Nta.UNKNOWN.value, DONT_KNOW),
    ),
    Question.I589: (
        Option(Filing.FILED.value, YES),
        Option(Filing.NOT_FILED.value, N_("Not yet")),
        Option(Filing.UNKNOWN.value, DONT_KNOW),
    ),
    Question.ARRIVAL: (),
}


def _applies(question: Question, answers: Answers) -> bool:
    """Whether `question` still means something after the answers so far."""
    if question is Question.BOND:
        return answers.detained is Detention.YES  # only a detained person has a bond question
    if question is Question.CFI_RESULT:
        return answers.cfi is Cfi.YES  # no result to ask about without an interview
    if question is Question.ARRIVAL:
        return answers.i589 is not Filing.FILED  # the date only serves the one-year deadline
    return True


def question_spec(question: Question, answers: Answers) -> QuestionSpec:
    """How `question` is shown, worded for the person asked about; Skip is the last button."""
    relative = answers.relative
    options = _OPTIONS[question]
    if question is Question.DETAINED and relative:
        # Relatives, often in Russia, may have lost contact; someone asking for themselves knows.
        options = (*options, Option(Detention.UNKNOWN.value, DONT_KNOW))
    return QuestionSpec(
        question=question,
        text=_TEXTS[question][1 if relative else 0],
        options=(*options, SKIP_OPTION),
        takes_date=question is Question.ARRIVAL,
    )


def next_question(answers: Answers, asked: frozenset[Question]) -> QuestionSpec | None:
    """The next question to ask, or None when the triage is over (at most MAX_QUESTIONS)."""
    for question in QUESTION_ORDER:
        if question not in asked and _applies(question, answers):
            return question_spec(question, answers)
    return None


# --- Checklist -------------------------------------------------------------------------------

Level = Literal["ok", "near", "past"]

# Official addresses the item texts show (kept out of the msgids so translators never touch them).
# EOIR Automated Case Information, by A-number (Immigration Court Practice Manual 1.6(c)).
ACIS_URL: Final = "https://acis.eoir.justice.gov"
ACIS_PHONE: Final = "1-800-898-7180"
# ICE Online Detainee Locator.
LOCATOR_URL: Final = "https://locator.ice.gov"
# EOIR Respondent Access portal: files Form EOIR-33 without a login.
RESPONDENT_ACCESS_URL: Final = "https://respondentaccess.eoir.justice.gov"
# INA 265 (8 U.S.C. 1305); 8 CFR 265.1: every noncitizen reports a new address to USCIS within
# 10 days (Form AR-11, or online).
AR11_URL: Final = "https://www.uscis.gov/ar-11"

# 8 CFR 208.4(a)(2): the I-589 must be filed within 1 year of the last arrival; its current
# official text.
ONE_YEAR_SOURCE_URL: Final = (
    "https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-208/subpart-A/section-208.4"
)
ENTRY_RULES_FROM: Final = date(2023, 5, 11)  # the Circumvention of Lawful Pathways rule's start
NEAR_DAYS: Final = 60  # "near" from 60 days left down to the last day itself


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to read or do: a msgid, the explainer it links to, and its placeholder values.

    `key` names the item for the handler (e.g. "hearing_reminder" gets an "add a reminder"
    button) and for tests; it never reaches the user.
    """

    key: str
    text: str
    topic_id: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Deadline:
    """A dated deadline: when it falls, how far away it is, and the official source."""

    kind: str
    due: date
    days_left: int
    level: Level
    text: str
    source_url: str
    topic_id: str

    def values(
        self,
        format_date: Callable[[date], str] = date.isoformat,
        format_left: Callable[[int], str] = str,
    ) -> dict[str, str]:
        """The placeholder values for `text`: the due date and the days left ("281 days
        left."), each formatted by the caller, and the bare number of days."""
        return {
            "date": format_date(self.due),
            "days": str(self.days_left),
            "left": format_left(self.days_left),
        }


@dataclass(frozen=True)
class Checklist:
    """What to do next, most urgent first; always ends with legal help."""

    items: tuple[ChecklistItem, ...]
    deadlines: tuple[Deadline, ...]
    warnings: tuple[str, ...]


# %(left)s is "281 days left." in the reader's language (plural forms), from the handler.
DEADLINE_OK = N_("Deadline to file the asylum application (I-589): %(date)s. %(left)s")
DEADLINE_NEAR = N_(
    "Deadline to file the asylum application (I-589): %(date)s. %(left)s File as soon as you can."
)
DEADLINE_TODAY = N_("Deadline to file the asylum application (I-589): today, %(date)s.")
DEADLINE_PAST = N_(
    "The deadline to file the asylum application (I-589) was %(date)s. It has passed."
)

# 8 CFR 208.4(a)(4) (changed circumstances), (a)(5) (extraordinary circumstances), both with a
# "reasonable period" to file; INA 241(b)(3) and 8 CFR 208.16 (no deadline for withholding or
# CAT). The examples of changed circumstances are neutral ones that can arise after arrival.
WARN_DEADLINE_PAST = N_(
    "The one-year deadline has passed, but that does not always end the case. There are "
    "exceptions: changed circumstances (for example, new persecution of your family at home, or "
    "new political activity after you arrived) or extraordinary circumstances (for example, "
    "serious illness). Then the application must be filed within a reasonable period, often "
    "only a few months. Withholding of removal and protection under the Convention Against "
    "Torture have no one-year deadline. Talk to a lawyer urgently."
)
# 8 CFR 1003.42 (the judge's review of a negative finding, within 7 days at most); USCIS
# credible fear Q&A: https://www.uscis.gov/humanitarian/refugees-asylum/asylum/questions-answers-credible-fear-screening
WARN_APPROXIMATE = N_(
    "You remember the arrival date only roughly, so the deadline is counted from the earliest "
    "day it can be. Do not wait for the last day, and check the exact date on your papers."
)
WARN_CFI_NEGATIVE = N_(
    "After a negative fear interview, ask for a review by an immigration judge at once: if you "
    "are asked whether you want one, answer yes. The review should happen within 7 days. Without "
    "it, ICE may deport."
)

# Item texts. checklist() below chooses them; its comments name each rule's official source.
_CFI_REVIEW = N_("Ask an immigration judge to review the negative answer: how the review works.")
_DETENTION_FIND = N_(
    "Find where the person is held: ICE's Online Detainee Locator, %(url)s. Search by A-number, "
    "or by full name, with the country of birth."
)
_DETENTION = N_("Detention: where to turn with problems, and what happens after release.")
_EXPEDITED = N_(
    "Without an NTA, a negative fear interview leaves you in expedited removal: there is no "
    "court case, bond or asylum application until the judge's review finds a credible fear. "
    "What this means and what a lawyer can still do."
)
_CHECKINS = N_(
    "Check-ins with ICE or ISAP: go to every one, and tell your officer before a date you "
    "cannot make."
)
_RELEASE_PAPERS = N_(
    "Which release paper you have (parole, I-220A or bond), and what it means if you are "
    "detained again and for a green card later."
)
_DO_NOT_SIGN = N_(
    "At a check-in or after an arrest: papers never to sign without a lawyer (voluntary "
    "departure, a stipulated removal order)."
)
_DO_NOT_SIGN_RELATIVE = N_(
    "Papers the person must not sign without a lawyer in detention (voluntary departure, a "
    "stipulated removal order), and what to tell them."
)
_ENTRY_RULES = N_(
    "You arrived on or after 11 May 2023: rules that depend on the date and way of entry may "
    "apply to you. What they mean, and withholding and CAT as the fallback."
)
_FRIVOLOUS = N_(
    "Tell only the truth in your application: a made-up story bars you from every immigration "
    "benefit for life, and the fear-interview notes will be compared with it."
)
_EVIDENCE = N_(
    "Collect evidence for a mobilization claim (summonses, military ID, cases) and have every "
    "document translated into English."
)
_TRAVEL = N_(
    "Do not leave the US while the application is pending without permission (advance "
    "parole): it can count as abandoning it. Never travel to Russia."
)
_ONE_YEAR_PASSED = N_("The one-year deadline has passed: read about the exceptions.")
_ONE_YEAR_NEAR = N_("The one-year deadline is close: file the asylum application (I-589) in time.")
_HEARING_CHECK = N_(
    "Check the date, time and place of the hearing on EOIR's website, %(url)s, or by phone, "
    "%(phone)s, with the 9-digit A-number. Check again before the hearing."
)
_HEARING_REMINDER = N_("Set a reminder for the hearing, so that it is not missed.")
_BOND = N_("Bond: who can get a bond hearing now, and how to pay.")
_PAROLE = N_("Parole: how to ask ICE for release.")
_RELATIVES = N_(
    "For relatives and friends in the US: who can pay bond, and how to call, visit and send "
    "money to a detained person."
)
_RELATIVES_ABROAD = N_(
    "For relatives and friends outside the US: how to find the person, keep in touch and find "
    "them a lawyer from afar."
)
_BOND_SET = N_(
    "Bond was set: only a US citizen, a green-card holder, a law firm or a nonprofit can pay "
    "it, in full, to ICE. If nobody can, ask a bond fund. How to pay."
)
_BOND_DENIED = N_(
    "Bond was denied: the judge's bond decision can be appealed to the Board of Immigration "
    "Appeals within 30 days. Talk to a lawyer now."
)
_UKRAINE = N_(
    "Citizens of Ukraine: besides asylum, there may be Temporary Protected Status (TPS) and "
    "parole. What each gives, and where to check the current dates."
)
_CFI_PREPARE = N_("Prepare for the fear interview: your rights, and how to tell your story.")
_CFI_EXPLAIN = N_("The credible fear interview: what it is, and what each answer means.")
_HEARING_NO_DATE = N_(
    "The NTA has no date yet: the court sends the date by mail. Check EOIR's website, %(url)s, "
    "every week."
)
_NTA_NOT_FILED = N_(
    "An NTA without a court date: check EOIR's website, %(url)s, with the 9-digit A-number. If "
    "it finds no case, the NTA is not yet with the court: you can file the asylum application "
    "(I-589) with USCIS now, and the date USCIS receives it counts for the one-year deadline. Do "
    "not wait for a letter from the court. If the site shows a case, file with the court."
)
_HEARING_FIND = N_(
    "How to find out whether there is a court date: EOIR's website, %(url)s, with the 9-digit "
    "A-number."
)
_COURT = N_("Immigration court: the NTA, the hearings, the interpreter.")
_I589 = N_(
    "The asylum application (I-589) must be filed within 1 year of the last arrival in the US: "
    "how and where to file it."
)
_CHANGE_ADDRESS = N_(
    "After any move, give the new address to USCIS within 10 days (Form AR-11, %(ar11)s) and, if "
    "you have a case in immigration court, to the court within 5 days (Form EOIR-33, %(url)s)."
)
_WORK_PERMIT = N_(
    "Work permit: under the current rule you can apply once the I-589 has been pending 150 days; "
    "a proposed rule would make the wait longer, so check before applying. A permit is valid for "
    "at most 18 months and is not extended automatically while a renewal is pending: apply to "
    "renew up to 180 days before it expires."
)
_DRAFT_CLAIMS = N_("Mobilization and the draft in an asylum case: what helps and what does not.")
_GLOSSARY = N_("Words you will meet: NTA, A-number, credible fear, I-589 and others.")
_PROCESS = N_("All the stages of an asylum case, from the border to the decision.")
_LEGAL_HELP = N_("Find free or low-cost legal help, and avoid scammers.")
_LEGAL_HELP_URGENT = N_("Talk to a lawyer now: where to find free legal help.")

# Most urgent first. The order is the point of the checklist, so it lives in one place.
URGENCY: Final[tuple[str, ...]] = (
    "cfi_review",  # a judge's review must be asked for now and happens within 7 days
    "expedited",  # expedited removal: no court case unless the judge's review finds fear
    "detention_find",  # nobody can help a detained person until they know where they are
    "one_year_passed",
    "hearing_check",  # a missed hearing can mean removal in absentia (INA 240(b)(5))
    "hearing_reminder",
    "one_year_near",
    "nta_not_filed",  # the I-589 can go to USCIS now, which stops the one-year clock
    "detention",
    "do_not_sign",  # a signature in detention can end the case before a judge sees it
    "bond_denied",  # 30 days to appeal the bond decision to the BIA
    "bond_set",
    "bond",
    "parole",
    "relatives",
    "cfi_prepare",
    "cfi_explain",
    "hearing_no_date",
    "hearing_find",
    "court",
    "i589",
    "entry_rules",
    "frivolous",
    "evidence",
    "change_address",
    "checkins",
    "do_not_sign_checkin",  # released: what not to sign if a check-in turns into an arrest
    "release_papers",
    "work_permit",
    "travel",
    "ukraine",
    "draft_claims",
    "glossary",
    "process",
    "legal_help",  # always last
)


def one_year_due(arrival: date) -> date:
    """The last day to file the I-589: the first anniversary of the last arrival.

    INA 208(a)(2)(B) and 8 CFR 208.4(a)(2): the application must be filed within 1 year of the
    last arrival. We show the anniversary date itself as the last day; for an arrival on 29
    February, whose anniversary does not exist, we show 28 February, the earlier and safer of
    the two possible readings. The date is never moved later for a weekend or holiday.
    """
    return add_years(arrival, 1)


def one_year_deadline(arrival: date, today: date) -> Deadline:
    """The one-year filing deadline for an arrival date, with its level as of `today`."""
    due = one_year_due(arrival)
    days_left = (due - today).days
    level: Level
    if days_left < 0:
        level, text = "past", DEADLINE_PAST
    elif days_left <= NEAR_DAYS:
        level, text = "near", DEADLINE_TODAY if days_left == 0 else DEADLINE_NEAR
    else:
        level, text = "ok", DEADLINE_OK
    return Deadline(
        kind="one_year_filing",
        due=due,
        days_left=days_left,
        level=level,
        text=text,
        source_url=ONE_YEAR_SOURCE_URL,
        topic_id="i589",
    )


def checklist(answers: Answers, today: date) -> Checklist:
    """The checklist for `answers` as of `today`: items by urgency, deadlines and warnings."""
    items: dict[str, ChecklistItem] = {}

    def add(key: str, text: str, topic_id: str, **values: str) -> None:
        items[key] = ChecklistItem(key=key, text=text, topic_id=topic_id, values=values)

    relative = answers.relative
    cfi_result = answers.cfi_result if answers.cfi is Cfi.YES else None
    warnings: list[str] = []
    deadlines: list[Deadline] = []
    urgent = False

    # Credible fear. 8 CFR 1003.42 (negative: a judge's review within 7 days, else ICE may
    # remove); 8 CFR 208.30 (before the interview: rights, how to tell the story). USCIS Q&A:
    # https://www.uscis.gov/humanitarian/refugees-asylum/asylum/questions-answers-credible-fear-screening
    if cfi_result is CfiResult.NEGATIVE:
        add("cfi_review", _CFI_REVIEW, "negative-cfi")
        warnings.append(WARN_CFI_NEGATIVE)
        urgent = True
    elif answers.cfi is Cfi.NOT_YET:
        add("cfi_prepare", _CFI_PREPARE, "credible-fear")
    elif answers.cfi is Cfi.UNKNOWN or cfi_result in (CfiResult.WAITING, CfiResult.UNKNOWN):
        add("cfi_explain", _CFI_EXPLAIN, "credible-fear")

    # Detention. ICE Online Detainee Locator (https://locator.ice.gov); bond under INA 236(a);
    # parole under INA 212(d)(5), the only way out under INA 235(b).
    if answers.detained is Detention.UNKNOWN or (answers.detained is Detention.YES and relative):
        add("detention_find", _DETENTION_FIND, "detention", url=LOCATOR_URL)
    elif answers.detained is Detention.YES:
        add("detention", _DETENTION, "detention")
    # Expedited removal (INA 235(b)(1); 8 CFR 1003.42, 208.30(g)): after a negative finding and
    # without an NTA there is no removal case in court, so no bond hearing (INA 236(a) applies to
    # people in removal proceedings) and no I-589 to file with anyone: only the judge's review,
    # and a lawyer. Never offer routes that do not apply.
    expedited = cfi_result is CfiResult.NEGATIVE and answers.nta in (None, Nta.NO, Nta.UNKNOWN)
    if expedited:
        add("expedited", _EXPEDITED, "negative-cfi")
    # A bond decision is appealed to the BIA within 30 days (8 CFR 1003.38(b), 1236.1(d)(3));
    # who may post a bond: ICE's CeBONDS page (https://www.ice.gov/detain/cebonds).
    if answers.detained is Detention.YES and not expedited:
        if answers.bond is BondHearing.SET:
            add("bond_set", _BOND_SET, "bond")
        elif answers.bond is BondHearing.DENIED:
            add("bond_denied", _BOND_DENIED, "bond")
            urgent = True
        else:
            add("bond", _BOND, "bond")
        add("parole", _PAROLE, "parole")
    if answers.who is Who.RELATIVE:
        add("relatives", _RELATIVES, "relatives")
    elif answers.who is Who.RELATIVE_ABROAD:
        add("relatives", _RELATIVES_ABROAD, "relatives")

    # Court. Immigration Court Practice Manual 1.6(c) (checking a hearing date:
    # https://justice.gov/eoir/reference-materials/ic/chapter-1/6); INA 240(b)(5) (missing a
    # hearing); 8 CFR 208.30(f) (after a positive finding the person gets an NTA).
    # An NTA with no date may not be filed with the court yet: until it is, USCIS takes the
    # I-589 and its receipt date counts for the one-year deadline (8 CFR 208.2(b), 1003.14(a);
    # USCIS "What happens after you file Form I-589 with USCIS"). Never tell them to wait.
    if expedited:
        pass  # no court case, so no hearing to find or check
    elif answers.nta is Nta.WITH_DATE:
        add("hearing_check", _HEARING_CHECK, "hearing-date", url=ACIS_URL, phone=ACIS_PHONE)
        add("hearing_reminder", _HEARING_REMINDER, "hearing-date")
    elif answers.nta is Nta.NO_DATE and answers.i589 is not Filing.FILED:
        add("nta_not_filed", _NTA_NOT_FILED, "i589-before-court", url=ACIS_URL)
    elif answers.nta is Nta.NO_DATE:
        add("hearing_no_date", _HEARING_NO_DATE, "hearing-date", url=ACIS_URL)
    else:
        add("hearing_find", _HEARING_FIND, "hearing-date", url=ACIS_URL)
    if answers.nta in (Nta.WITH_DATE, Nta.NO_DATE) or cfi_result is CfiResult.POSITIVE:
        add("court", _COURT, "court")

    # Moving. USCIS within 10 days (INA 265, 8 CFR 265.1, Form AR-11); the court within 5 days
    # (8 U.S.C. 1229(a)(1)(F)(ii), 8 CFR 1003.15(d)(2), Practice Manual 2.2(c), Form EOIR-33).
    # Released people report to ICE or ISAP (ICE, https://www.ice.gov/features/atd) and hold a
    # release paper: parole under INA 212(d)(5), release on recognizance (I-220A) or bond under
    # INA 236(a). Voluntary departure (8 CFR 1240.26) and stipulated removal (8 CFR 1003.25(b))
    # are offered in detention and at check-ins; signing ends the case without a hearing.
    if answers.detained is Detention.NO and not expedited:
        add("checkins", _CHECKINS, "check-ins")
        add("release_papers", _RELEASE_PAPERS, "release-papers")
    if answers.detained is Detention.YES and not expedited:
        add("do_not_sign", _DO_NOT_SIGN_RELATIVE if relative else _DO_NOT_SIGN, "do-not-sign")
    elif answers.detained is Detention.NO and not expedited:
        add("do_not_sign_checkin", _DO_NOT_SIGN, "do-not-sign")
    if answers.detained is not Detention.YES:
        add(
            "change_address",
            _CHANGE_ADDRESS,
            "change-address",
            url=RESPONDENT_ACCESS_URL,
            ar11=AR11_URL,
        )

    # The asylum application. INA 208(a)(2)(B), 8 CFR 208.4(a)(2) (one year from the last
    # arrival). Work permit: 8 CFR 208.7 (150 days pending; proposed 365-day rule, 91 FR 8616);
    # no automatic extension of renewals filed from 30 Oct 2025 (90 FR 48799); (c)(8) permits
    # valid at most 18 months from 5 Dec 2025 (USCIS Policy Manual).
    if answers.i589 is Filing.FILED:
        add("work_permit", _WORK_PERMIT, "work-permit")
        # 8 CFR 208.8: leaving without advance parole is presumed abandonment.
        add("travel", _TRAVEL, "travel")
    elif expedited:  # no I-589 to file in expedited removal: the judge's review comes first
        add("draft_claims", _DRAFT_CLAIMS, "draft-claims")  # what the review can weigh
    else:
        deadline = None
        if answers.arrival is not None and answers.arrival <= today:  # a future date is a typo
            deadline = one_year_deadline(answers.arrival, today)
            deadlines.append(deadline)
        if deadline is not None and answers.arrival_approximate:
            warnings.append(WARN_APPROXIMATE)
        if deadline is not None and deadline.level == "past":
            add("one_year_passed", _ONE_YEAR_PASSED, "i589")
            warnings.append(WARN_DEADLINE_PAST)
            urgent = True
        elif deadline is not None and deadline.level == "near":
            add("one_year_near", _ONE_YEAR_NEAR, "i589")
            urgent = True
        else:  # a case with a court date files there, step by step (8 CFR 1208.4(b)(3))
            in_court = answers.nta is Nta.WITH_DATE
            add("i589", _I589, "i589-court" if in_court else "i589")
        add("draft_claims", _DRAFT_CLAIMS, "draft-claims")
        if answers.i589 is Filing.NOT_FILED:  # about to write it: the truth, and the evidence
            # INA 208(d)(6), 8 CFR 1208.20: a frivolous application bars every benefit for life.
            add("frivolous", _FRIVOLOUS, "frivolous")
            if answers.citizen is Citizen.RUSSIA:  # 8 CFR 1003.33: documents translated
                add("evidence", _EVIDENCE, "mobilization-evidence")

    # Entry-date rules: the Circumvention of Lawful Pathways rule covers entries from 11 May
    # 2023 to 11 May 2025 (8 CFR 208.33, 1208.33); Proclamation 10888 of 20 January 2025.
    if (
        not expedited
        and answers.i589 is not Filing.FILED
        and answers.arrival is not None
        and answers.arrival >= ENTRY_RULES_FROM
    ):
        add("entry_rules", _ENTRY_RULES, "entry-bars")

    # Citizenship. The mobilization explainer is about Russia's draft; a citizen of Ukraine or
    # of another country is not sent there. Ukraine: TPS and parole (USCIS, uscis.gov/tps).
    if answers.citizen is not None and answers.citizen is not Citizen.RUSSIA:
        items.pop("draft_claims", None)
    if answers.citizen is Citizen.UKRAINE:
        add("ukraine", _UKRAINE, "ukraine")

    # Orientation for someone who could not tell where they are.
    unsure = (
        answers.detained is Detention.UNKNOWN
        or answers.cfi is Cfi.UNKNOWN
        or cfi_result is CfiResult.UNKNOWN
        or answers.nta is Nta.UNKNOWN
        or answers.i589 is Filing.UNKNOWN
    )
    if unsure:
        add("glossary", _GLOSSARY, "glossary")
    if answers.nta in (None, Nta.UNKNOWN) or answers.i589 in (None, Filing.UNKNOWN):
        add("process", _PROCESS, "process")

    # Always last. EOIR's list of pro bono legal service providers (8 CFR 1003.61),
    # https://www.justice.gov/eoir/list-pro-bono-legal-service-providers
    add("legal_help", _LEGAL_HELP_URGENT if urgent else _LEGAL_HELP, "legal-help")

    ordered = tuple(sorted(items.values(), key=lambda item: URGENCY.index(item.key)))
    return Checklist(items=ordered, deadlines=tuple(deadlines), warnings=tuple(warnings))
