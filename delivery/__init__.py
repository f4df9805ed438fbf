"""Delivery: sending queued messages (reminder alerts, staff announcements) to Telegram.

`pacing.Pacer` decides when the next message may go (pure, token buckets, injectable clock);
`sender.Sender` drains the durable outbox (storage/outbox.py) at that pace, alerts first, and
settles every row (sent, blocked, failed, retried later), so that nobody gets a message twice
and nobody is lost when the process stops or is killed.
"""
