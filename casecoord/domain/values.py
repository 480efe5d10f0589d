"""Value checks shared by every entry point (CLI, TUI, bundle import).

Each function returns the normalised value or raises :class:`ValidationError` naming the field and
saying what is wrong, so the same message reaches the officer whichever way the value came in.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
import pycountry

from casecoord.domain.errors import ValidationError

_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{1,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def comma_separated(*texts: str | None) -> list[str]:
    """The entries of one or more typed texts, comma-separated and trimmed, empties dropped:
    ``--country NL,CO --country PE`` and an "Aliases" field alike (an entry may hold spaces:
    "El Flaco", "passport CO AB123456")."""
    return [part.strip() for text in texts for part in (text or "").split(",") if part.strip()]


def country_code(value: str, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code, upper case; names and alpha-3 codes are refused with a hint."""
    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code
    hint = ""
    if len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
        if found is not None:
            hint = f" (did you mean {found.alpha_2}?)"
    raise ValidationError(
        field, f"'{value}' is not an ISO 3166-1 alpha-2 country code such as NL or CO{hint}"
    )


def country_name(code: str) -> str:
    """The English short name of a valid alpha-2 code, for letters and screens."""
    found = pycountry.countries.get(alpha_2=code)
    return str(found.name) if found is not None else code


def reference(value: str, field: str = "reference") -> str:
    """A user-visible reference such as ``NL-2026-0042``: letters, digits, ``. _ / -``."""
    text = value.strip()
    if not _REFERENCE.match(text):
        raise ValidationError(
            field,
            f"'{value}' is not a usable reference: 2 to 64 letters, digits, '.', '_', '/' or '-', "
            "starting with a letter or digit",
        )
    return text


def required_text(value: str | None, field: str, max_length: int = 500) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(field, "must not be empty")
    if len(text) > max_length:
        raise ValidationError(field, f"is {len(text)} characters long; at most {max_length}")
    return text


def iso_date(value: str | date | None, field: str) -> date | None:
    """A calendar date written YYYY-MM-DD (or None when empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def aware_datetime(value: str | datetime, field: str, default_zone: str = "UTC") -> datetime:
    """A moment in time, returned in UTC.

    Text without an offset is read in ``default_zone`` (the officer's zone), because a deadline typed
    as ``2026-12-01 17:00`` means five o'clock where the officer is, not in UTC.
    """
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip().replace(" ", "T", 1)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:
                moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
            except ValueError:
                raise ValidationError(
                    field, f"'{value}' is not a date/time; write YYYY-MM-DD or YYYY-MM-DD HH:MM"
                ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=time_zone(default_zone, field))
    return moment.astimezone(UTC)


def date_range(start: date | None, end: date | None, field: str = "dates") -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(field, f"ends on {end.isoformat()}, before it starts on {start}")


def time_zone(value: str, field: str = "time zone") -> ZoneInfo:
    """An IANA zone such as ``America/Bogota``."""
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            field, f"'{value}' is not an IANA time zone such as Europe/Amsterdam or America/Bogota"
        ) from None


def is_time_zone(value: str) -> bool:
    return value in available_timezones()


def phone_e164(value: str | None, field: str = "phone", region: str | None = None) -> str | None:
    """A phone number in E.164 (``+573001234567``); national numbers need the contact's country."""
    if value is None or not value.strip():
        return None
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            field, f"'{value}' is not a phone number; write it in international form, +CC…"
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(field, f"'{value}' is not a valid phone number for its country code")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def email(value: str | None, field: str = "email") -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not _EMAIL.match(text):
        raise ValidationError(field, f"'{value}' is not an e-mail address")
    return text


def language_code(value: str, field: str = "language") -> str:
    """An ISO 639-1 code (``es``, ``nl``, ``en``)."""
    code = value.strip().lower()
    if len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None:
        return code
    raise ValidationError(field, f"'{value}' is not an ISO 639-1 language code such as en or es")


MAX_ROWS = 1 << 62
"""SQLite's integers are 64-bit: a larger OFFSET or LIMIT is an overflow error, not an answer."""


def penalty_years(value: str | float | None, field: str = "max penalty years") -> float | None:
    """An offence's maximum penalty in years (0 to 200; fractions allowed, e.g. 2.5); empty text
    or ``None``: not answered."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        years = -1.0
    elif isinstance(value, int | float):
        years = float(value)
    else:
        try:
            years = float(value.strip().replace(",", "."))
        except ValueError:
            years = -1.0
    if years != years or not 0 <= years <= 200:
        raise ValidationError(field, f"'{value}' is not a number of years such as 4 or 12")
    return years


def row_count(value: int) -> int:
    """An offset or limit as SQLite can take it: below zero is zero, beyond 2**62 is 2**62
    (past the end of any table, so the page is simply empty)."""
    return min(max(0, int(value)), MAX_ROWS)
