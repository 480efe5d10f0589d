"""Officer settings kept inside the encrypted store (never in a plaintext config file)."""

from __future__ import annotations

from sqlmodel import Session

from casecoord.domain.errors import ValidationError
from casecoord.domain.models import Setting
from casecoord.domain.values import time_zone
from casecoord.services.journal import OFFICER_SETTING, record
from casecoord.store import Store

DEFAULTS: dict[str, str] = {
    OFFICER_SETTING: "",
    "officer.time_zone": "Europe/Amsterdam",
    "officer.country": "NL",
    "lock.idle_minutes": "5",
    "ui.theme": "textual-dark",
    "retention.default_years": "10",
}


def read_setting(session: Session, key: str) -> str:
    found = session.get(Setting, key)
    return found.value if found is not None else DEFAULTS.get(key, "")


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
    if key == "lock.idle_minutes" and not (value.isdigit() and 1 <= int(value) <= 240):
        raise ValidationError(key, "must be a whole number of minutes from 1 to 240")
    with vault.transaction() as session:
        existing = session.get(Setting, key)
        if existing is None:
            session.add(Setting(key=key, value=value))
        else:
            existing.value = value
            session.add(existing)
        record(session, "setting.change", "setting", key, {"value": value})
