"""The time zones a reminder can be in.

Owns `ZONES` (the US zones offered, with a msgid naming each), `zone_key` and `zone_label`.
(A court's city in the reader's language is `Court.city_in`, from content/data/courts.csv.)
"""

from __future__ import annotations

from typing import Final

from core.i18n import N_

# --- Time zones ------------------------------------------------------------------------------

ZONES: Final[dict[str, tuple[str, str]]] = {
    "et": ("America/New_York", N_("Eastern time (New York)")),
    "ct": ("America/Chicago", N_("Central time (Chicago)")),
    "mt": ("America/Denver", N_("Mountain time (Denver)")),
    "az": ("America/Phoenix", N_("Arizona time (Phoenix)")),
    "pt": ("America/Los_Angeles", N_("Pacific time (Los Angeles)")),
    "ak": ("America/Anchorage", N_("Alaska time (Anchorage)")),
    "hi": ("Pacific/Honolulu", N_("Hawaii time (Honolulu)")),
    "pr": ("America/Puerto_Rico", N_("Puerto Rico time (San Juan)")),
    "mp": ("Pacific/Saipan", N_("Saipan and Guam time")),
}
# Zones that keep the same clock as one of the above.
_SAME_CLOCK: Final = {
    "America/Detroit": "et",
    "America/Indiana/Indianapolis": "et",
    "America/Kentucky/Louisville": "et",
    "Pacific/Guam": "mp",
}


def zone_key(zone: str) -> str | None:
    """The short key of a zone among `ZONES` ("ct"), or None for a zone we do not offer."""
    for key, (name, _) in ZONES.items():
        if name == zone:
            return key
    return _SAME_CLOCK.get(zone)


def zone_label(zone: str) -> str:
    """A msgid naming the zone for people ("Central time (Chicago)"), or the IANA name."""
    key = zone_key(zone)
    return ZONES[key][1] if key else zone
