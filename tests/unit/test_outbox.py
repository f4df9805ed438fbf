"""The outbox: written before sending, claimed alerts-first, never twice per user and ref."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.announcements import AnnouncementStore, Audience
from storage.db import open_database
from storage.outbox import Outbox, Progress
from storage.users import UserStore

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def make(users: int = 3) -> Outbox:
    db = open_database(":memory:")
    store = UserStore(db)
    for user_id in range(1, users + 1):
        store.seen(user_id, "ru", NOW.date())
    return Outbox(db)


def test_a_ref_reaches_each_user_once() -> None:
    outbox = make()
    assert outbox.enqueue_many("announcement", "ann:1", [(1, {}), (2, {}), (3, {})], NOW) == 3
    assert outbox.enqueue_many("announcement", "ann:1", [(1, {}), (2, {})], NOW) == 0
    assert outbox.enqueue(1, "announcement", "ann:1", {}, NOW) is False
    assert outbox.progress("ann:1") == Progress(pending=3)


def test_alerts_are_claimed_before_announcements_and_only_when_due() -> None:
    outbox = make()
    outbox.enqueue_many("announcement", "ann:1", [(1, {"n": 1}), (2, {"n": 2})], NOW)
    outbox.enqueue(3, "alert", "alert:9:d1", {"n": 3}, NOW)
    outbox.enqueue(3, "alert", "alert:9:d0", {}, NOW, due_at=NOW + timedelta(days=1))
    claimed = outbox.claim_due(NOW, limit=10)
    assert [(i.user_id, i.kind) for i in claimed] == [
        (3, "alert"),
        (1, "announcement"),
        (2, "announcement"),
    ]
    assert outbox.claim_due(NOW, limit=10) == []
    assert outbox.next_due_at() == NOW + timedelta(days=1)


def test_settling_rows_and_recovering_after_a_crash() -> None:
    outbox = make()
    outbox.enqueue_many("announcement", "ann:2", [(1, {}), (2, {}), (3, {})], NOW)
    first, second, third = outbox.claim_due(NOW, limit=3)
    outbox.mark_sent(first.id, NOW)
    outbox.mark_blocked(second.id)
    # the process dies with the third "sending": it goes back to pending
    assert outbox.recover_in_flight() == 1
    assert outbox.progress("ann:2") == Progress(sent=1, blocked=1, pending=1)
    outbox.retry_later(third.id, NOW + timedelta(seconds=5), "NetworkError")
    assert outbox.claim_due(NOW, limit=3) == []
    assert [i.attempts for i in outbox.claim_due(NOW + timedelta(seconds=5), limit=3)] == [1]


def test_cancel_stops_what_is_left() -> None:
    outbox = make()
    outbox.enqueue_many("announcement", "ann:3", [(1, {}), (2, {}), (3, {})], NOW)
    outbox.mark_sent(outbox.claim_due(NOW, limit=1)[0].id, NOW)
    assert outbox.cancel("ann:3") == 2
    assert outbox.progress("ann:3") == Progress(sent=1, cancelled=2)
    assert outbox.progress("ann:3").done


def test_a_users_rows_go_with_the_user() -> None:
    outbox = make()
    outbox.enqueue(1, "alert", "alert:1:d7", {}, NOW)
    outbox.enqueue(1, "alert", "alert:1:d3", {}, NOW)
    assert outbox.cancel_for_user(1, "alert:1:") == 2
    UserStore(outbox._db).forget(1)
    assert outbox.backlog() == 0


def test_an_audience_is_queued_and_counted_in_sql() -> None:
    db = open_database(":memory:")
    users = UserStore(db)
    for user_id, lang in [(1, "ru"), (2, "ru"), (3, "en"), (4, "uk"), (5, "ru")]:
        users.seen(user_id, lang, NOW.date())
    users.set_announcements(2, False)
    users.mark_blocked(5)
    users.set_news(3, True)
    store = AnnouncementStore(db)
    assert store.count_by_language(Audience("all"), NOW) == {"ru": 1, "en": 1, "uk": 1}
    assert store.count(Audience("news"), NOW) == 1
    assert store.count(Audience("lang", "ru"), NOW) == 1
    assert store.count(Audience("court", "miami-krome"), NOW) == 0
    outbox = Outbox(db)
    select = "SELECT user_id FROM users WHERE language = ?", ["ru"]
    assert outbox.enqueue_selected("announcement", "ann:7", {"announcement": 7}, select, NOW) == 3
    assert outbox.enqueue_selected("announcement", "ann:7", {"announcement": 7}, select, NOW) == 0
    assert [i.user_id for i in outbox.claim_due(NOW, limit=10)] == [1, 2, 5]
