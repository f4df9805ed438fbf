"""A local emulator of the Telegram Bot API, for demos and end-to-end tests."""
