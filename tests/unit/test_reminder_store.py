"""The reminder store on a fake clock: every alert once, at its time; the overdue rules; a crash
in the middle of a sweep; changes, stops and deletions at once; expiry; /forget."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from core.clock import FakeClock
from core.reminders import Draft, Outcome, plan_alerts
from storage.db import open_database
from storage.outbox import Outbox, Progress
from storage.reminders import DueAlert, Reminder, ReminderStore, SettleReport
from storage.users import UserStore

START = datetime(2026, 11, 27, 12, tzinfo=UTC)
HEARING = Draft("master", date(2027, 1, 15), time(8, 30), "America/Chicago", court_id="chicago")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def compose(alert: DueAlert) -> dict[str, Any]:
    """A stand-in alert message that names what it is for."""
    return {"text": f"{alert.reminder.id}:{alert.kind}:{alert.language}", "parse_mode": None}


def settle(store: ReminderStore, now: datetime) -> SettleReport:
    """One batch, one way, as handlers/alerts_job.py does it: read, compose, record."""
    batch = store.due_alerts(now, 500)
    messages = {a.ref: compose(a) for a in batch.alerts if a.outcome is Outcome.SEND}
    return store.record(batch, messages, now)


class World:
    """A database, a clock, one store: what the alert job sees."""

    def __init__(self, path: str = ":memory:") -> None:
        self.db = open_database(path)
        self.clock = FakeClock(START)
        self.users = UserStore(self.db)
        self.outbox = Outbox(self.db)
        self.store = ReminderStore(self.db, self.outbox)

    def user(self, user_id: int, language: str = "en") -> int:
        self.users.seen(user_id, language, START.date())
        return user_id

    def add(self, user_id: int, draft: Draft = HEARING) -> Reminder:
        return self.store.add(
            user_id, draft, plan_alerts(draft, self.clock.now()), self.clock.now()
        )

    def sweep(self) -> list[str]:
        """Settle what is due now; the refs handed to the outbox (and claim them, as sent)."""
        report = settle(self.store, self.clock.now())
        for item in self.outbox.claim_due(self.clock.now(), 1000):
            self.outbox.mark_sent(item.id, self.clock.now())
        return report.queued_refs

    def run_until(self, moment: datetime) -> list[tuple[datetime, str]]:
        """Move the clock from alert to alert up to `moment`, sweeping at each due time."""
        sent: list[tuple[datetime, str]] = []
        while (due := self.store.next_due_at()) is not None and due <= moment:
            self.clock.set(due)
            sent += [(due, ref) for ref in self.sweep()]
        self.clock.set(moment)
        sent += [(moment, ref) for ref in self.sweep()]
        return sent


def test_every_alert_fires_once_at_its_time() -> None:
    world = World()
    reminder = world.add(world.user(1))
    assert world.store.next_due_at() == utc(2027, 1, 9, 0)
    # One second before the 7-day alert: nothing.
    world.clock.set(utc(2027, 1, 8, 23, 59, 59))
    assert world.sweep() == []
    sent = world.run_until(utc(2027, 2, 1))
    rid = reminder.id
    assert sent == [
        (utc(2027, 1, 9, 0), f"alert:{rid}:d7.1"),
        (utc(2027, 1, 13, 0), f"alert:{rid}:d3.1"),
        (utc(2027, 1, 15, 0), f"alert:{rid}:d1.1"),
        (utc(2027, 1, 15, 11, 30), f"alert:{rid}:d0.1"),
    ]
    assert world.store.next_due_at() is None
    assert world.sweep() == []
    assert [e.outcome for e in world.store.log(rid)] == [Outcome.SEND] * 4
    assert world.outbox.progress(f"alert:{rid}:d7.1") == Progress(sent=1)


def test_many_reminders_of_many_users_each_once() -> None:
    world = World()
    reminders = [world.add(world.user(uid)) for uid in range(1, 51)]
    sent = world.run_until(utc(2027, 2, 1))
    assert len(sent) == 50 * 4
    assert len({ref for _, ref in sent}) == 200
    assert {r.id for r in reminders} == {int(ref.split(":")[1]) for _, ref in sent}


def test_a_crash_in_the_middle_of_a_sweep_loses_nothing_and_sends_nothing_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = World()
    for uid in range(1, 6):
        world.add(world.user(uid))
    world.clock.set(utc(2027, 1, 9, 0))
    real_enqueue = world.outbox.enqueue
    calls = {"n": 0}

    def dying_enqueue(*args: Any, **kwargs: Any) -> bool:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")  # the process dies inside the transaction
        return real_enqueue(*args, **kwargs)

    monkeypatch.setattr(world.outbox, "enqueue", dying_enqueue)
    with pytest.raises(KeyboardInterrupt):
        settle(world.store, world.clock.now())
    assert world.outbox.backlog() == 0  # rolled back: nothing half-done
    monkeypatch.setattr(world.outbox, "enqueue", real_enqueue)
    refs = world.sweep()
    assert len(refs) == 5
    assert world.sweep() == []


def test_restart_on_the_same_database_file(tmp_path: Any) -> None:
    path = str(tmp_path / "bot.sqlite3")
    first = World(path)
    reminder = first.add(first.user(1))
    first.clock.set(utc(2027, 1, 9, 0))
    assert settle(first.store, first.clock.now()).queued_refs  # queued …
    first.db.close()  # … and the process dies before the sender sent it
    second = World(path)
    second.clock.set(utc(2027, 1, 9, 0, 1))
    assert settle(second.store, second.clock.now()).queued_refs == []
    assert second.outbox.progress(f"alert:{reminder.id}:d7.1") == Progress(pending=1)
    assert second.store.next_due_at() == utc(2027, 1, 13, 0)


def test_overdue_while_down_latest_goes_if_the_event_is_ahead_else_all_missed() -> None:
    world = World()
    reminder = world.add(world.user(1))
    other = world.add(world.user(2))
    # Down from before the 7-day alert until the evening before: only the "tomorrow" one goes.
    world.clock.set(utc(2027, 1, 15, 2))
    refs = world.sweep()
    assert refs == [f"alert:{reminder.id}:d1.1", f"alert:{other.id}:d1.1"]
    assert [(e.alert_key, e.outcome) for e in world.store.log(reminder.id)] == [
        ("d7.1", Outcome.SUPERSEDED),
        ("d3.1", Outcome.SUPERSEDED),
        ("d1.1", Outcome.SEND),
    ]
    # Down again from before the morning alert until after the hearing began: missed.
    world.clock.set(utc(2027, 1, 15, 14, 30))
    assert world.sweep() == []
    assert world.store.log(reminder.id)[-1].outcome is Outcome.MISSED
    assert world.store.next_due_at() is None


def test_a_blocked_user_gets_nothing_more() -> None:
    world = World()
    reminder = world.add(world.user(1))
    world.users.mark_blocked(1)
    world.run_until(utc(2027, 2, 1))
    assert {e.outcome for e in world.store.log(reminder.id)} == {Outcome.BLOCKED}
    assert world.outbox.backlog() == 0


def test_a_change_cancels_what_waits_and_the_new_date_gets_its_own_alerts() -> None:
    world = World()
    reminder = world.add(world.user(1))
    world.clock.set(utc(2027, 1, 9, 0))
    settle(world.store, world.clock.now())  # d7 queued, not yet sent
    moved = Draft("master", date(2027, 2, 19), time(9, 0), "America/Chicago", court_id="chicago")
    changed = world.store.replace(
        1, reminder.id, moved, plan_alerts(moved, world.clock.now()), world.clock.now()
    )
    assert changed is not None
    assert changed.revision == 2
    assert world.outbox.progress(f"alert:{reminder.id}:d7.1") == Progress(cancelled=1)
    sent = world.run_until(utc(2027, 3, 1))
    assert [ref for _, ref in sent] == [
        f"alert:{reminder.id}:{kind}.2" for kind in ("d7", "d3", "d1", "d0")
    ]
    assert sent[0][0] == utc(2027, 2, 13, 0)
    # Someone else's id changes nothing.
    assert world.store.replace(2, reminder.id, HEARING, [], world.clock.now()) is None


def test_stop_resume_delete() -> None:
    world = World()
    reminder = world.add(world.user(1))
    assert world.store.stop(1, reminder.id)
    assert world.store.next_due_at() is None
    assert world.store.get(1, reminder.id).stopped  # type: ignore[union-attr]
    now = world.clock.now()
    assert world.store.resume(1, reminder.id, plan_alerts(HEARING, now), now)
    assert world.store.next_due_at() == utc(2027, 1, 9, 0)
    world.clock.set(utc(2027, 1, 9, 0))
    world.sweep()
    assert world.outbox.progress(f"alert:{reminder.id}:d7.1") == Progress(sent=1)
    assert not world.store.delete(2, reminder.id)  # not theirs
    assert world.store.delete(1, reminder.id)
    assert world.store.list_for(1) == []
    assert world.outbox.progress(f"alert:{reminder.id}:d7.1") == Progress()  # texts gone
    assert world.store.pending_count() == 0


def test_weekly_checks_follow_one_another() -> None:
    world = World()
    weekly = Draft(
        "master", date(2027, 1, 15), time(8, 30), "America/Chicago", court_id="x", weekly=True
    )
    reminder = world.add(world.user(1), weekly)
    sent = [ref.rsplit(":", 1)[1] for _, ref in world.run_until(utc(2027, 2, 1))]
    assert sent == [
        "wk20261127.1",
        "wk20261204.1",
        "wk20261211.1",
        "wk20261218.1",
        "wk20261225.1",
        "wk20270101.1",
        "d7.1",
        "d3.1",
        "d1.1",
        "d0.1",
    ]
    assert world.store.set_weekly(1, reminder.id, False, None)


def test_expired_reminders_go_unless_kept_and_forget_takes_everything() -> None:
    world = World()
    gone = world.add(world.user(1))
    kept = world.add(1)
    assert world.store.set_keep(1, kept.id, True)
    world.run_until(utc(2027, 2, 14, 14))
    assert world.store.delete_expired(world.clock.now()) == 0  # 29 days after
    world.clock.set(utc(2027, 2, 14, 14, 30))
    assert world.store.delete_expired(world.clock.now()) == 1
    assert [r.id for r in world.store.list_for(1)] == [kept.id]
    assert world.outbox.progress(f"alert:{gone.id}:d7.1") == Progress()
    world.users.forget(1)
    for table in ("reminders", "reminder_alerts", "alert_log", "outbox"):
        assert world.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_reading_back_what_was_stored() -> None:
    world = World()
    draft = Draft("one_year", date(2027, 9, 3), None, "America/Phoenix", basis=date(2026, 9, 3))
    stored = world.add(world.user(1), draft)
    assert world.store.get(1, stored.id) == stored
    assert stored.draft == draft
    assert world.store.get(2, stored.id) is None
    person = Draft("checkin", date(2027, 1, 15), time(8, 30), "America/Chicago", person="Маша")
    assert world.add(1, person).draft == person
    assert [r.draft.kind for r in world.store.list_for(1)] == ["checkin", "one_year"]
    assert world.store.count_for(1) == 2
    row = world.db.execute("SELECT event_at, timezone FROM reminders WHERE kind = 'checkin'")
    assert row.fetchone() == ("2027-01-15T14:30:00+00:00", "America/Chicago")
    assert world.store.pending_alerts(stored.id)[0].due_at == utc(2027, 7, 6, 1)


def test_the_alert_path_goes_one_way_and_a_change_in_between_wins() -> None:
    """Issue 15.5: storage reads the due alerts, the caller composes, storage records. A
    reminder changed between the read and the record keeps its new alerts: nothing of the old
    date is logged or queued."""
    world = World()
    reminder = world.add(world.user(1))
    world.clock.set(utc(2027, 1, 9, 0))
    batch = world.store.due_alerts(world.clock.now(), 500)
    assert [a.kind for a in batch.alerts] == ["d7"]
    assert batch.alerts[0].outcome is Outcome.SEND
    assert world.outbox.backlog() == 0  # reading wrote nothing
    moved = Draft("master", date(2027, 2, 19), time(9, 0), "America/Chicago", court_id="chicago")
    world.store.replace(
        1, reminder.id, moved, plan_alerts(moved, world.clock.now()), world.clock.now()
    )
    messages = {a.ref: compose(a) for a in batch.alerts}
    report = world.store.record(batch, messages, world.clock.now())
    assert report.total == 0
    assert world.outbox.backlog() == 0
    assert world.store.log(reminder.id) == []
    assert world.store.next_due_at() is not None  # the new date's alerts stand
