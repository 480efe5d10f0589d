"""A country's main time zone, for counterparts whose contact card names none.

Read from the IANA ``zone.tab`` shipped with the time-zone database (the ``tzdata`` package or
the system's ``/usr/share/zoneinfo``): its first zone per country is the most populous one
(America/New_York for the US, America/Bogota for Colombia). A contact's own zone always wins.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

_SYSTEM_TAB = Path("/usr/share/zoneinfo/zone.tab")


def _zone_tab_text() -> str:
    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        pass
    try:
        return _SYSTEM_TAB.read_text("utf-8")
    except OSError:
        return ""


@cache
def _first_zones() -> dict[str, str]:
    zones: dict[str, str] = {}
    for line in _zone_tab_text().splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            zones.setdefault(parts[0].upper(), parts[2].strip())
    return zones


def country_zone(country: str) -> str:
    return _first_zones().get(country.upper(), "UTC")
