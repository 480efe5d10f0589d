"""Officer settings kept inside the encrypted store (never in a plaintext config file).

On a team store each officer has her own (name, authority, country, time zone, idle lock, theme);
``retention.default_years`` is the team's, set by the administrator (``services.setting_rows``).
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from casecoord.domain.errors import ValidationError
from casecoord.domain.values import country_code, time_zone
from casecoord.services.journal import OFFICER_SETTING, record
from casecoord.services.setting_rows import (
    is_officer,
    is_team_setting,
    store_setting,
    stored_setting,
)
from casecoord.store import Store

DEFAULTS: dict[str, str] = {
    OFFICER_SETTING: "",
    "officer.authority": "",
    "officer.time_zone": "Europe/Amsterdam",
    "officer.country": "NL",
    "lock.idle_minutes": "5",
    "ui.theme": "textual-dark",
    "retention.default_years": "10",
}


def read_setting(session: Session, key: str) -> str:
    found = stored_setting(session, key)
    return found if found is not None else DEFAULTS.get(key, "")


def get_setting(vault: Store, key: str) -> str:
    with vault.session() as session:
        return read_setting(session, key)


def all_settings(vault: Store) -> dict[str, str]:
    with vault.session() as session:
        return {key: read_setting(session, key) for key in DEFAULTS}


def set_setting(vault: Store, key: str, value: str) -> None:
    if key not in DEFAULTS:
        raise ValidationError("setting", f"'{key}' is not a setting; known: {', '.join(DEFAULTS)}")
    if key == "officer.time_zone":
        time_zone(value, key)
    if key == "officer.country":
        value = country_code(value, key)
    if key == "lock.idle_minutes" and not (value.isdigit() and 1 <= int(value) <= 240):
        raise ValidationError(key, "must be a whole number of minutes from 1 to 240")
    with vault.transaction() as session:
        if is_team_setting(key) and is_officer(session):
            raise ValidationError(
                key,
                "is the team's setting on a team store: the administrator (the database owner) "
                "sets it for every officer",
            )
        store_setting(session, key, value)
        record(session, "setting.change", "setting", key, {"value": value})


PROFILE_KEYS = (
    OFFICER_SETTING,
    "officer.authority",
    "officer.country",
    "officer.time_zone",
    "lock.idle_minutes",
)
"""What the first-run set-up and the Settings screen edit, in the order they ask."""


def guess_time_zone(localtime: Path = Path("/etc/localtime")) -> str:
    """The system's IANA zone (``TZ``, else the ``/etc/localtime`` link), else UTC.

    The officer confirms or corrects it; the guess only spares her typing it when it is right.
    """
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = str(localtime.resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def save_profile(vault: Store, values: dict[str, str]) -> None:
    """Store the profile's settings, each checked first; the first refusal names its key."""
    for key in PROFILE_KEYS:
        if key in values:
            if key == "officer.country":
                country_code(values[key], key)
            if key == "officer.time_zone":
                time_zone(values[key], key)
    for key in PROFILE_KEYS:
        if key in values and values[key] != get_setting(vault, key):
            set_setting(vault, key, values[key].strip())
