"""Callback data: one small typed codec per kind of button, and the one list of prefixes.

`base` owns the encoding (":"-separated, 64 bytes at most), `prefixes` every feature's first
word, and one module per feature its codecs. Handlers build buttons with `ui.button(label,
Codec(...))` and read a press with `Codec.unpack(query.data)`, which is None when forged.
"""

from handlers.callbacks.base import AtMost, CallbackData, parse_date, parse_int
from handlers.callbacks.prefixes import Prefix

__all__ = ["AtMost", "CallbackData", "Prefix", "parse_date", "parse_int"]
