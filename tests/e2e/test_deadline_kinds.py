"""The deadlines that come after a decision or a move (issue 14): each new kind from the offer
to its alert in the chat (sent through the outbox), counted as its rule says, its source named.

Rules: INA 265 and 8 CFR 265.1 (AR-11, 10 days after a move, offered with the court's
EOIR-33); 8 U.S.C. 1252(b)(1) (petition for review, 30 days after the BIA's final order);
8 U.S.C. 1229a(c)(7)(C)(i) and 8 CFR 1003.23(b)(1) (motion to reopen, 90 days); USCIS Form
I-765 (a renewal up to 180 days before the card ends, no automatic extension); the annual
asylum fee, 30 days after the notice (as ASAP reports USCIS's policy).
"""

from __future__ import annotations

from datetime import UTC, datetime

from emulator.client import SimulatedUser
from tests.e2e.test_reminders import alerts, at, en_user
from tests.harness import BotHarness

__all__ = ["en_user"]


async def add_deadline(bot: BotHarness, user: SimulatedUser, button: str, typed: str) -> str:
    """The person asks for a deadline alert of this kind; the confirmation screen's text."""
    await bot.say(user, "/reminders")
    await bot.press(user, "➕ Deadline alert")
    await bot.press(user, button)
    await bot.say(user, typed)
    await bot.press(user, "Eastern time (New York)")
    return user.last.body


async def test_ar11_is_offered_with_the_courts_eoir33_and_alerts_before_its_ten_days(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    await add_deadline(bot, en_user, "🏠 New address for the court (after a move)", "11/25/2026")
    await bot.press(en_user, "✅ Save")
    await bot.press(en_user, "➕ Also for USCIS: Form AR-11 (10 days)")
    confirm = en_user.last.body
    assert "new address (Form AR-11): Saturday, December 5, 2026, 10 days after the move" in confirm
    await bot.press(en_user, "✅ Save")
    await at(bot, datetime(2026, 12, 2, 23, tzinfo=UTC))  # 18:00 EST, 3 days before
    alert = alerts(en_user)[-1].body
    assert alert.startswith("⏰ New address for USCIS (Form AR-11): in 3 days")
    assert "within 10 days: by Saturday, December 5, 2026" in alert
    assert "Source: https://www.ecfr.gov/current/title-8/section-265.1" in alert


async def test_a_petition_for_review_is_due_30_days_after_the_bia_decision(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    confirm = await add_deadline(
        bot, en_user, "⚖️ Petition for review (after a BIA decision)", "11/20/2026"
    )
    assert "court of appeals: Sunday, December 20, 2026, 30 days after" in confirm
    await bot.press(en_user, "✅ Save")
    await at(bot, datetime(2026, 12, 13, 23, tzinfo=UTC))  # 7 days before
    alert = alerts(en_user)[-1].body
    assert alert.startswith("⏰ Petition for review: the last day is")
    assert "does not stop removal by itself" in alert
    assert "section1252" in alert


async def test_a_motion_to_reopen_is_due_90_days_after_the_final_order(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    confirm = await add_deadline(
        bot, en_user, "📂 Motion to reopen (after a final order)", "November 1, 2026"
    )
    assert "Saturday, January 30, 2027, 90 days after the final order" in confirm
    await bot.press(en_user, "✅ Save")
    await at(bot, datetime(2026, 12, 31, 23, tzinfo=UTC))  # 30 days before
    alert = alerts(en_user)[-1].body
    assert alert.startswith("⏰ Motion to reopen: the last day is")
    assert "Source: https://www.ecfr.gov/current/title-8/section-1003.23" in alert


async def test_a_work_permit_renewal_is_announced_180_days_before_the_card_ends(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    confirm = await add_deadline(
        bot, en_user, "💼 Renew the work permit (from the date it ends)", "06/30/2027"
    )  # a date ahead: the card's end
    assert "Your work permit ends on Wednesday, June 30, 2027" in confirm
    await bot.press(en_user, "✅ Save")
    await at(bot, datetime(2027, 1, 1, 23, tzinfo=UTC))  # 18:00 EST, 180 days before
    alert = alerts(en_user)[-1].body
    assert alert.startswith("💼 Work permit ends in 180 days")
    assert "not extended while the renewal waits" in alert
    assert "Source: https://www.uscis.gov/i-765" in alert


async def test_the_annual_asylum_fee_is_due_30_days_after_the_notice(
    bot: BotHarness, en_user: SimulatedUser
) -> None:
    confirm = await add_deadline(
        bot, en_user, "💵 Annual asylum fee (after the notice to pay)", "11/20/2026"
    )
    assert "annual asylum fee: Sunday, December 20, 2026, 30 days after the notice" in confirm
    await bot.press(en_user, "✅ Save")
    await at(bot, datetime(2026, 12, 13, 23, tzinfo=UTC))
    alert = alerts(en_user)[-1].body
    assert alert.startswith("💵 Annual asylum fee: in 7 days")
    assert "Source: https://asaptogether.org/en/annual-asylum-fees" in alert
