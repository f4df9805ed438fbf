"""A hearing keeps the wall-clock time people were given when a zone's rules change.

The story: a hearing at 08:30 on 15 January 2027 in Chicago is stored while Chicago keeps
standard time in winter (UTC-6: 14:30 UTC). Then the rules change under it: a new tz database
edition in which Chicago stays on daylight time all year (UTC-5), as a US permanent-daylight-time
law would make it. The reminder must still say 08:30, and its instant and alerts must move to
13:30 UTC, the new meaning of 08:30 in Chicago, when the bot starts with the new rules.
"""

from __future__ import annotations

import shutil
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from core.reminders import Draft, plan_alerts
from core.tzrules import rules_version
from storage.db import open_database
from storage.reminders import ReminderStore
from storage.users import UserStore

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
HEARING = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago", court_id="chicago")


def use_rules(folder: Path | None) -> None:
    """Read zones from `folder` (None: the usual search path), forgetting cached zones."""
    zoneinfo.reset_tzpath(to=[str(folder)] if folder else None)
    zoneinfo.ZoneInfo.clear_cache()


@pytest.fixture
def permanent_daylight_chicago(tmp_path: Path) -> Iterator[Path]:
    """A folder holding tz database edition "2099z", in which America/Chicago is UTC-5 all year
    (the zone file of Etc/GMT+5, POSIX sign). The usual rules are back after the test."""
    folder = tmp_path / "zoneinfo"
    (folder / "America").mkdir(parents=True)
    system = next(Path(p) for p in zoneinfo.TZPATH if (Path(p) / "Etc" / "GMT+5").exists())
    shutil.copy(system / "Etc" / "GMT+5", folder / "America" / "Chicago")
    (folder / "tzdata.zi").write_text("# version 2099z\n", encoding="utf-8")
    try:
        yield folder
    finally:
        use_rules(None)


def test_a_stored_hearing_keeps_its_time_when_the_zone_rules_change(
    tmp_path: Path, permanent_daylight_chicago: Path
) -> None:
    # Stored under today's rules.
    db = open_database(str(tmp_path / "bot.sqlite3"))
    UserStore(db).seen(1, "ru", NOW.date())
    store = ReminderStore(db)
    stored = store.add(1, HEARING, plan_alerts(HEARING, NOW), NOW)
    assert HEARING.starts_at == datetime(2027, 1, 15, 14, 30, tzinfo=UTC)
    old_rules = rules_version()

    # The rules change: Chicago on daylight time all year.
    use_rules(permanent_daylight_chicago)
    assert rules_version() == "2099z" != old_rules

    # What the person was given is what they still see, before and after re-planning.
    before_replan = store.get(1, stored.id)
    assert before_replan is not None
    assert before_replan.draft.at == time(8, 30)
    assert store.replan_for_rules(NOW) == 1
    again = store.get(1, stored.id)
    assert again is not None
    assert again.draft.day == date(2027, 1, 15)
    assert again.draft.at == time(8, 30)
    # The instant and every pending alert follow the new rules (one hour earlier in UTC).
    assert again.draft.starts_at == datetime(2027, 1, 15, 13, 30, tzinfo=UTC)
    assert store.pending_alerts(stored.id) == plan_alerts(again.draft, NOW)
    assert store.next_due_at() == datetime(2027, 1, 8, 23, 0, tzinfo=UTC)  # 18:00 local, 7 days
    # Re-planned once: a second start with the same rules changes nothing.
    assert store.replan_for_rules(NOW) == 0
    db.close()


def test_the_migration_carries_stored_reminders_over_as_wall_clock_times(tmp_path: Path) -> None:
    """A reminder stored before migration 0008 (UTC instant only) comes out as the local date
    and time it meant then, planned with today's rules."""
    from sqlite_utils import Database

    from storage.migrations import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    db = Database(str(path))
    MIGRATIONS.apply(db, stop_before="0008_reminder_wall_clock")
    UserStore(db).seen(1, "ru", NOW.date())
    db.execute(
        "INSERT INTO reminders (user_id, kind, event_at, timezone, has_time, created_at, "
        "updated_at) VALUES (1, 'master', '2027-01-15T14:30:00+00:00', 'America/Chicago', 1, "
        "?, ?), (1, 'one_year', '2027-03-01T06:00:00+00:00', 'America/Chicago', 0, ?, ?)",
        [NOW.isoformat()] * 4,
    )
    db.close()
    migrated = open_database(str(path))
    hearing, deadline = ReminderStore(migrated).list_for(1)
    assert (hearing.draft.day, hearing.draft.at) == (date(2027, 1, 15), time(8, 30))
    assert (deadline.draft.day, deadline.draft.at) == (date(2027, 3, 1), None)
    assert ReminderStore(migrated).replan_for_rules(NOW) == 0  # planned with today's rules
    migrated.close()
