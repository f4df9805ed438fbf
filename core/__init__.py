"""Pure logic with no Telegram and no SQL: settings, clock, i18n, content."""
