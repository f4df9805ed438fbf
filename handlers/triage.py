""" "Where am I?": up to seven questions by buttons, then a personal checklist with deadlines.

The answers live only in the open conversation (SQLite, so a restart loses nothing) and are
deleted as soon as the checklist is shown. Its buttons are the codecs of
`handlers.callbacks.triage`: start, an answer, one reading of an ambiguous arrival date, and
the checklist's reminder offers.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from core.dates import (
    DateAmbiguous,
    DateOk,
    DateRejected,
    Problem,
    parse_approximate,
    parse_date,
)
from core.i18n import Translator
from core.triage import (
    MAX_QUESTIONS,
    Answers,
    Checklist,
    Question,
    QuestionSpec,
    checklist,
    next_question,
)
from handlers import flows, reminders, ui
from handlers.callbacks.topics import TopicPage
from handlers.callbacks.triage import (
    TriageAddReminder,
    TriageAnswer,
    TriageArrival,
    TriageDeadlineAlerts,
    TriageStart,
)
from handlers.context import Context, services, tr
from handlers.menus import stale_button
from storage.conversations import Conversation

FLOW = "triage"


def _state(answers: Answers, asked: frozenset[Question]) -> dict[str, object]:
    return {"answers": answers.to_dict(), "asked": sorted(q.value for q in asked)}


def _load(conversation: Conversation | None) -> tuple[Answers, frozenset[Question]] | None:
    if conversation is None or conversation.flow != FLOW:
        return None
    state = conversation.state
    answers = Answers.from_dict(state.get("answers", {}))
    known = {q.value for q in Question}
    asked = frozenset(Question(v) for v in state.get("asked", []) if v in known)
    return answers, asked


async def start_triage(update: Update, context: Context) -> None:
    """Begin the questions (from the menu button)."""
    await ui.acknowledge(update)
    await _ask_next(update, context, Answers(), frozenset())


async def _ask_next(
    update: Update, context: Context, answers: Answers, asked: frozenset[Question]
) -> None:
    spec = next_question(answers, asked)
    if spec is None:
        await _show_checklist(update, context, answers)
        return
    flows.save(update, context, FLOW, _state(answers, asked) | {"waiting": spec.question.value})
    await _show_question(update, context, spec, len(asked) + 1)


async def _show_question(update: Update, context: Context, spec: QuestionSpec, number: int) -> None:
    t = tr(update, context)
    head = t._("Question %(n)s of up to %(max)s", n=number, max=MAX_QUESTIONS)
    text = f"<i>{html.escape(head)}</i>\n\n<b>{html.escape(t._(spec.text))}</b>"
    if spec.takes_date:
        text += "\n\n" + html.escape(t._("For example: 15.03.2025 or 15 March 2025."))
    rows: list[list[InlineKeyboardButton]] = [
        [ui.button(t._(option.label), TriageAnswer(spec.question.value, option.value))]
        for option in spec.options
    ]
    await ui.show(update, text, ui.keyboard(*rows, ui.menu_row(t)))


async def answer_pressed(update: Update, context: Context) -> None:
    """An answer button: keep it, then the next question or the checklist."""
    query = update.callback_query
    data = query.data if query else None
    if TriageStart.unpack(data) is not None:
        await start_triage(update, context)
        return
    if TriageAddReminder.unpack(data) is not None:
        await ui.acknowledge(update)
        await reminders.start_add_reminder(update, context)
        return
    answer = TriageAnswer.unpack(data)
    if answer is not None and answer.question == TriageDeadlineAlerts.ACTION:
        alerts = TriageDeadlineAlerts.unpack(data)
        if alerts is None:
            await stale_button(update, context)
            return
        await ui.acknowledge(update)
        await reminders.start_deadline_alerts(update, context, alerts.arrival)
        return
    loaded = _load(flows.current(update, context))
    if loaded is None or answer is None:
        await _expired(update, context)
        return
    answers, asked = loaded
    try:
        question = Question(answer.question)
        value: str | date = answer.value
        if question is Question.ARRIVAL and (arrival := TriageArrival.unpack(data)) is not None:
            value = arrival.day
        answers = answers.with_answer(question, value)
    except ValueError:
        await stale_button(update, context)
        return
    await ui.acknowledge(update)
    await _ask_next(update, context, answers, asked | {question})


async def _expired(update: Update, context: Context) -> None:
    t = tr(update, context)
    await ui.acknowledge(update)
    await ui.show(
        update,
        t._("These questions were interrupted. You can start them again."),
        ui.keyboard([ui.button(t._("🧭 Where am I?"), TriageStart())], ui.menu_row(t)),
        new_message=True,
    )


@flows.on_text(FLOW)
async def typed(update: Update, context: Context, conversation: Conversation) -> None:
    """Typed text during the questions: the arrival date, if that is the question."""
    t = tr(update, context)
    loaded = _load(conversation)
    message = update.effective_message
    if loaded is None or message is None or message.text is None:
        return
    answers, asked = loaded
    if conversation.state.get("waiting") != Question.ARRIVAL.value:
        await ui.show(
            update,
            t._("Please answer with the buttons above, or send /cancel to stop the questions."),
        )
        return
    today = services(context).clock.now().date()
    parsed = parse_date(message.text, today, future=False)
    if isinstance(parsed, DateOk):
        await _ask_next(
            update,
            context,
            answers.with_answer(Question.ARRIVAL, parsed.value),
            asked | {Question.ARRIVAL},
        )
        return
    if (
        isinstance(parsed, DateRejected)
        and (rough := parse_approximate(message.text, today)) is not None
    ):
        await _ask_next(
            update,
            context,
            answers.with_approximate_arrival(rough.earliest),
            asked | {Question.ARRIVAL},
        )
        return
    if isinstance(parsed, DateAmbiguous):
        rows = [
            [ui.button(t.date(day, "full"), TriageArrival(day))]
            for day in (parsed.day_first, parsed.month_first)
        ]
        await ui.show(
            update,
            t._("This date can be read two ways. Which one do you mean?"),
            ui.keyboard(*rows),
        )
        return
    await ui.show(update, date_problem(t, parsed))


def date_problem(t: Translator, rejected: DateRejected) -> str:
    """Why a typed date was refused, and how to type it."""
    reasons = {
        Problem.NONSENSE: t._("I could not read a date there."),
        Problem.IMPOSSIBLE: t._("There is no such date in the calendar."),
        Problem.FUTURE: t._("This date has not come yet: the arrival date must be in the past."),
        Problem.PAST: t._("This date has already passed."),
        Problem.TOO_FAR: t._("This date is more than 3 years ahead."),
    }
    example = t._(
        "Type it like this: 15.03.2025. If you do not remember the day, type the month and "
        "year, for example: September 2025. Or press Skip."
    )
    return f"{html.escape(reasons[rejected.problem])} {html.escape(example)}"


async def _show_checklist(update: Update, context: Context, answers: Answers) -> None:
    t = tr(update, context)
    svc = services(context)
    result = checklist(answers, svc.clock.now().date())
    if t.lang == "uk":  # Ukrainian readers are not sent to the Russian mobilization page
        items = tuple(item for item in result.items if item.key != "draft_claims")
        result = replace(result, items=items)
    flows.end(update, context)
    buttons = _checklist_buttons(context, t, result, answers)
    await ui.show(update, checklist_text(t, result), buttons)


def checklist_text(t: Translator, result: Checklist) -> str:
    """The checklist as HTML: deadlines and warnings first, then numbered steps."""
    title = t._("Your next steps")
    lines = [f"<b>{html.escape(title)}</b>", ""]
    for deadline in result.deadlines:
        mark = "⏳" if deadline.level == "ok" else "⚠️"
        values = deadline.values(
            lambda d: t.date(d, "long"),
            lambda n: t.n_("%(n)s day left.", "%(n)s days left.", n),
        )
        text = t._(deadline.text, **values)
        lines.append(f"{mark} <b>{html.escape(text)}</b>")
        lines.append(html.escape(t._("Source: %(url)s", url=deadline.source_url)))
    for warning in result.warnings:
        lines.append(f"⚠️ {html.escape(t._(warning))}")
    if result.deadlines or result.warnings:
        lines.append("")
    for number, item in enumerate(result.items, start=1):
        lines.append(f"{number}. {html.escape(t._(item.text, **item.values))}")
    kept = t._("Your answers were used only for this list and are not kept.")
    lines += ["", f"<i>{html.escape(kept)}</i>"]
    return "\n".join(lines)


def _checklist_buttons(
    context: Context, t: Translator, result: Checklist, answers: Answers
) -> InlineKeyboardMarkup:
    library = services(context).library.library
    seen: list[str] = []
    for topic_id in [d.topic_id for d in result.deadlines] + [i.topic_id for i in result.items]:
        if topic_id not in seen:
            seen.append(topic_id)
    rows = []
    for topic_id in seen:
        topic = library.topic(t.lang, topic_id)
        if topic is not None:
            rows.append([ui.button(topic.title, TopicPage(topic_id, 0))])
    # The answers are gone; a reminder is offered by buttons that carry what it needs, so
    # nothing is kept unless the user goes on and confirms it.
    if any(item.key == "hearing_reminder" for item in result.items):
        rows.insert(0, [ui.button(t._("⏰ Add a hearing reminder"), TriageAddReminder())])
    if answers.arrival is not None and any(d.level != "past" for d in result.deadlines):
        label = t._("⏰ Remind me of the one-year deadline")
        rows.insert(0, [ui.button(label, TriageDeadlineAlerts(answers.arrival))])
    return ui.keyboard(*rows, ui.menu_row(t))
