"""Handlers: one module per feature, speaking Telegram only; `register` fixes their order."""
