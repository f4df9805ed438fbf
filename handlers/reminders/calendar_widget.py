"""The inline month calendar of the form's date step: ◀ month ▶, weekday names and the days
that can be chosen (`FormDay`), and `FormMonth` to turn the month."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date, get_day_names
from telegram import InlineKeyboardButton

from core.dates import add_years
from core.i18n import Translator
from handlers import ui
from handlers.callbacks import parse_date
from handlers.callbacks.menus import Nothing
from handlers.callbacks.reminders import FormDay, FormMonth


def month_shown(text: str, today: date) -> bool:
    """Whether callback data "YYYYMM" is a month the calendar can show (ten years back to
    three ahead): forged data never reaches the state (it would break every later screen)."""
    first = parse_date(text + "01")
    return first is not None and (
        add_years(today, -10).replace(day=1) <= first <= add_years(today, 3).replace(day=1)
    )


def calendar_rows(
    t: Translator, month: date, today: date, *, future: bool
) -> list[list[InlineKeyboardButton]]:
    """An inline month calendar: ◀ month ▶, weekday names, and the days that can be chosen."""
    first = month.replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    last = add_years(today, 3)
    limit_ahead = last.replace(day=1) if future else today.replace(day=1)
    limit_back = today.replace(day=1) if future else add_years(today, -10).replace(day=1)
    title = str(format_date(first, format="LLLL y", locale=t.lang))
    header: list[InlineKeyboardButton] = []
    header.append(
        ui.button("◀", FormMonth(f"{previous:%Y%m}"))
        if previous >= limit_back
        else ui.button("·", Nothing())
    )
    header.append(ui.button(title, Nothing()))
    header.append(
        ui.button("▶", FormMonth(f"{following:%Y%m}"))
        if following <= limit_ahead
        else ui.button("·", Nothing())
    )
    names = get_day_names("abbreviated", context="stand-alone", locale=t.lang)
    weekdays = [ui.button(str(names[i])[:2], Nothing()) for i in range(7)]
    rows = [header, weekdays]
    day = first - timedelta(days=first.weekday())
    while day < following:
        week: list[InlineKeyboardButton] = []
        any_day = False
        for _ in range(7):
            allowed = day.month == first.month and (
                today <= day <= last if future else day <= today
            )
            any_day = any_day or allowed
            week.append(
                ui.button(str(day.day), FormDay(day)) if allowed else ui.button("·", Nothing())
            )
            day += timedelta(days=1)
        if any_day:  # weeks with nothing to choose are left out
            rows.append(week)
    return rows
