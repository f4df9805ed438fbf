"""Errors with the Bot API's own words: what a refusal of a text or its entities says."""

from __future__ import annotations


def bot_api_detail(message: str) -> str:
    """TDLib's message as the Bot API shows it: the first letter lower-cased unless an acronym."""
    if len(message) >= 2 and message[0].isupper() and not message[1].isupper():
        return message[0].lower() + message[1:]
    return message


class FormattingError(ValueError):
    """Text or entities that Telegram refuses; ``description`` is the whole Bot API answer."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail
        self.description = f"Bad Request: {detail}"


class UnsupportedParseMode(FormattingError):
    """A parse_mode other than HTML or none (the Markdown modes are not emulated)."""

    def __init__(self, parse_mode: str) -> None:
        super().__init__("unsupported parse_mode", "unsupported parse_mode")
        self.parse_mode = parse_mode


class EntityParseError(FormattingError):
    """Raised with the part of the error after "Bad Request: can't parse entities: "."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message, detail or f"can't parse entities: {message}")


class InvalidEntitiesError(EntityParseError):
    """Explicit ``entities`` that Telegram refuses; their description has no parse prefix."""

    def __init__(self, message: str) -> None:
        super().__init__(message, bot_api_detail(message))


class _LinkError(Exception):
    """A URL that TDLib's link check refuses (the message is TDLib's)."""
