"""The time zones a reminder can be in, and the court cities as people read them.

Owns `ZONES` (the US zones offered, with a msgid naming each), `zone_key` and `zone_label`,
and `CITY_NAMES` (a court city in the reader's language).
"""

from __future__ import annotations

from typing import Final

from core.i18n import N_, Translator

# --- Time zones and places -------------------------------------------------------------------

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


# The court cities of content/data/courts.csv, so that «Чикаго» reads as the user reads it.
# A city missing here is shown as written in the file.
CITY_NAMES: Final[dict[str, str]] = {
    "Adelanto": N_("Adelanto"),
    "Annandale": N_("Annandale"),
    "Atlanta": N_("Atlanta"),
    "Aurora": N_("Aurora"),
    "Baltimore": N_("Baltimore"),
    "Batavia": N_("Batavia"),
    "Baton Rouge": N_("Baton Rouge"),
    "Boston": N_("Boston"),
    "Buffalo": N_("Buffalo"),
    "Chaparral": N_("Chaparral"),
    "Charlotte": N_("Charlotte"),
    "Chelmsford": N_("Chelmsford"),
    "Chicago": N_("Chicago"),
    "Cleveland": N_("Cleveland"),
    "Concord": N_("Concord"),
    "Conroe": N_("Conroe"),
    "Dallas": N_("Dallas"),
    "Denver": N_("Denver"),
    "Detroit": N_("Detroit"),
    "El Paso": N_("El Paso"),
    "Elizabeth": N_("Elizabeth"),
    "Eloy": N_("Eloy"),
    "Falls Church": N_("Falls Church"),
    "Florence": N_("Florence"),
    "Fort Snelling": N_("Fort Snelling"),
    "Fort Worth": N_("Fort Worth"),
    "Guaynabo": N_("Guaynabo"),
    "Harlingen": N_("Harlingen"),
    "Hartford": N_("Hartford"),
    "Honolulu": N_("Honolulu"),
    "Houston": N_("Houston"),
    "Hyattsville": N_("Hyattsville"),
    "Imperial": N_("Imperial"),
    "Indianapolis": N_("Indianapolis"),
    "Jena": N_("Jena"),
    "Kansas City": N_("Kansas City"),
    "Laredo": N_("Laredo"),
    "Las Vegas": N_("Las Vegas"),
    "Los Angeles": N_("Los Angeles"),
    "Los Fresnos": N_("Los Fresnos"),
    "Louisville": N_("Louisville"),
    "Lumpkin": N_("Lumpkin"),
    "Memphis": N_("Memphis"),
    "Miami": N_("Miami"),
    "Napanoch": N_("Napanoch"),
    "New Orleans": N_("New Orleans"),
    "New York": N_("New York"),
    "Newark": N_("Newark"),
    "Oakdale": N_("Oakdale"),
    "Omaha": N_("Omaha"),
    "Orlando": N_("Orlando"),
    "Pearsall": N_("Pearsall"),
    "Philadelphia": N_("Philadelphia"),
    "Phoenix": N_("Phoenix"),
    "Portland": N_("Portland"),
    "Richmond": N_("Richmond"),
    "Sacramento": N_("Sacramento"),
    "Saipan": N_("Saipan"),
    "San Antonio": N_("San Antonio"),
    "San Diego": N_("San Diego"),
    "San Francisco": N_("San Francisco"),
    "Santa Ana": N_("Santa Ana"),
    "Seattle": N_("Seattle"),
    "Sterling": N_("Sterling"),
    "Tacoma": N_("Tacoma"),
    "Tucson": N_("Tucson"),
    "Van Nuys": N_("Van Nuys"),
    "West Valley City": N_("West Valley City"),
}


def city_name(t: Translator, city: str) -> str:
    """The court's city in the reader's language, when we have it."""
    msgid = CITY_NAMES.get(city)
    return t._(msgid) if msgid else city
