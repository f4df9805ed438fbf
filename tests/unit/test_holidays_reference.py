"""Our federal holiday table against the maintained `holidays` package, 2000-2040 (dev only).

`core.reminders.federal_holidays` is hand-written so the bot needs no extra runtime dependency;
this test checks every observed date it gives against the `holidays` package's United States
calendar (weekend holidays there appear twice, on the day and on the observed weekday: only the
weekdays are compared, since federal offices close on the observed day).
"""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from core.holidays import federal_holidays


@pytest.mark.parametrize("year", range(2000, 2041))
def test_federal_holidays_match_the_holidays_package(year: int) -> None:
    reference = holidays.country_holidays("US", years=year, observed=True)
    observed = {day for day in reference if day.year == year and day.weekday() < 5}
    assert set(federal_holidays(year)) == observed


def test_the_comparison_can_fail() -> None:
    """A table missing Juneteenth in 2021 would be caught by the comparison above."""
    reference = holidays.country_holidays("US", years=2021, observed=True)
    observed = {day for day in reference if day.year == 2021 and day.weekday() < 5}
    ours = set(federal_holidays(2021)) - {date(2021, 6, 18)}
    assert ours != observed
