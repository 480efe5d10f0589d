"""The competent-authority directory: list it, refresh it from the officer's CSV, suggest addressees.

Seeded with the central authorities of TREATY-FACTS section 4 (migration 0003), then kept up to
date by the officer, who knows best when a desk moved. She maintains a CSV (a spreadsheet saved as
CSV, comma or semicolon separated, UTF-8) with these columns; the header row names them, in any
order:

==============  ========  ===============================================================
column          required  content
==============  ========  ===============================================================
country         yes       ISO 3166-1 alpha-2 code (CO, PE, NL…)
name            yes       the authority's name; with ``country`` it identifies the row
last_verified   yes       YYYY-MM-DD, the day the officer last confirmed the entry
kinds           no        request kinds separated by ``;`` (mla;eio); empty: every kind
role            no        central-authority (default), competent-authority,
                          receiving-authority or transmitting-authority
address         no        postal address
email           no        e-mail address
phone           no        international form, +CC…
languages       no        ISO 639-1 codes separated by ``;`` (es;en)
status          no        confirmed (default) or uncertain
note            no        anything the next reader should know
source          no        where the entry comes from (default: the file's name)
==============  ========  ===============================================================

An import is all or nothing: every line is checked first and every problem is reported with its
line number; only a clean file is written, in one transaction. A row whose country and name match
an existing one replaces it; other rows stay.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from casecoord.domain.authority import Authority
from casecoord.domain.enums import RequestKind
from casecoord.domain.errors import CasecoordError, ValidationError
from casecoord.domain.models import utcnow
from casecoord.domain.text import require_plain_text
from casecoord.domain.values import country_code, email, iso_date, language_code, phone_e164
from casecoord.services.journal import record
from casecoord.vault.vault import UnlockedVault

ROLES = (
    "central-authority",
    "competent-authority",
    "receiving-authority",
    "transmitting-authority",
)
STATUSES = ("confirmed", "uncertain")
REQUIRED_COLUMNS = ("country", "name", "last_verified")
OPTIONAL_COLUMNS = (
    "kinds",
    "role",
    "address",
    "email",
    "phone",
    "languages",
    "status",
    "note",
    "source",
)
MAX_ERRORS_SHOWN = 5
MAX_FILE_BYTES = 5 * 1024 * 1024


class AuthorityImportError(ValidationError):
    """The CSV has problems; ``problems`` lists every one as "line N: what is wrong"."""

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        shown = "; ".join(problems[:MAX_ERRORS_SHOWN])
        more = (
            f" (and {len(problems) - MAX_ERRORS_SHOWN} more)"
            if len(problems) > MAX_ERRORS_SHOWN
            else ""
        )
        super().__init__(path.name, f"nothing imported: {shown}{more}")
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    updated: int
    rows: int


# -- reading ------------------------------------------------------------------------------------


def list_authorities(vault: UnlockedVault, country: str | None = None) -> list[Authority]:
    """The directory, by country then name; ``country`` narrows it to one state."""
    with vault.session() as session:
        statement = select(Authority)
        if country:
            statement = statement.where(Authority.country == country_code(country))
        return list(session.exec(statement.order_by(col(Authority.country), col(Authority.name))))


def _rank(authority: Authority, kind: str) -> tuple[int, int, int, str]:
    specific = 0 if kind in authority.kinds else 1
    certain = 0 if authority.status == "confirmed" else 1
    verified = -(authority.last_verified or date.min).toordinal()
    return specific, certain, verified, authority.name


def suggest_in_session(session: Session, requested_state: str, kind: str) -> Authority | None:
    """:func:`suggest_addressee` inside the caller's session."""
    country = requested_state.strip().upper()
    candidates = [
        a
        for a in session.exec(select(Authority).where(Authority.country == country))
        if not a.kinds or kind in a.kinds
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda a: _rank(a, kind))


def suggest_addressee(vault: UnlockedVault, requested_state: str, kind: str) -> Authority | None:
    """Who should receive a request of ``kind`` in ``requested_state``.

    An authority named for the kind beats one for every kind; a confirmed entry beats an
    uncertain one; then the most recently verified. ``None``: the directory does not know, and
    the officer should check the EJN Fiches Belges rather than trust a guess.
    """
    with vault.session() as session:
        return suggest_in_session(session, requested_state, kind)


def suggest_for_request(vault: UnlockedVault, ref: str) -> Authority | None:
    """The suggested addressee of request ``ref``: the requested state's authority for its kind
    (for an incoming request, that is our own receiving authority)."""
    from casecoord.services.requests import require_request

    with vault.session() as session:
        request = require_request(session, ref)
        return suggest_in_session(session, request.requested_state, request.kind)


# -- importing ----------------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _row(line: int, raw: dict[str, str], default_source: str, today: date) -> Authority:
    def cell(name: str) -> str:
        return (raw.get(name) or "").strip()

    try:
        for column, value in raw.items():
            require_plain_text(value or "", str(column))
        country = country_code(cell("country"), "country")
        if not cell("name"):
            raise ValidationError("name", "must not be empty")
        kinds = []
        for kind in _split(cell("kinds")):
            try:
                kinds.append(RequestKind(kind.lower()).value)
            except ValueError:
                allowed = ", ".join(k.value for k in RequestKind)
                raise ValidationError("kinds", f"'{kind}' is not one of: {allowed}") from None
        role = cell("role").lower() or ROLES[0]
        if role not in ROLES:
            raise ValidationError("role", f"'{role}' is not one of: {', '.join(ROLES)}")
        status = cell("status").lower() or STATUSES[0]
        if status not in STATUSES:
            raise ValidationError("status", f"'{status}' is not one of: {', '.join(STATUSES)}")
        verified = iso_date(cell("last_verified"), "last_verified")
        if verified is None:
            raise ValidationError("last_verified", "must not be empty (YYYY-MM-DD)")
        if verified > today:
            raise ValidationError("last_verified", f"{verified.isoformat()} is in the future")
        return Authority(
            country=country,
            name=cell("name"),
            role=role,
            kinds=sorted(set(kinds)),
            address=cell("address"),
            email=email(cell("email")),
            phone=phone_e164(cell("phone"), region=country),
            languages=sorted(
                {language_code(code, "languages") for code in _split(cell("languages"))}
            ),
            note=cell("note"),
            source=cell("source") or default_source,
            status=status,
            last_verified=verified,
            origin="import",
        )
    except ValidationError as exc:
        raise ValidationError(exc.field, f"line {line}: {exc.field}: {exc.reason}") from None


def parse_csv(path: Path, today: date | None = None) -> list[Authority]:
    """Every row of ``path`` as an :class:`Authority`, or :class:`AuthorityImportError` naming
    every bad line. Nothing is written."""
    day = today or datetime.now(UTC).date()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise AuthorityImportError(path, [f"the file is larger than {MAX_FILE_BYTES:,} bytes"])
        content = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CasecoordError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise AuthorityImportError(
            path, ["the file is not UTF-8 text; save it as CSV UTF-8"]
        ) from None
    except OSError as exc:
        raise CasecoordError(f"{path}: cannot be read ({exc.strerror})") from None
    first_line = content.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(content), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        raise AuthorityImportError(path, ["line 1: the header row is missing"])
    reader.fieldnames = header
    problems: list[str] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(f"line 1: missing column(s) {', '.join(missing)}")
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        problems.append(
            f"line 1: unknown column(s) {', '.join(unknown)}; known: "
            f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}"
        )
    if problems:
        raise AuthorityImportError(path, problems)
    rows: list[Authority] = []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        line = reader.line_num  # where the row ends (a quoted cell may span lines)
        if None in raw:
            problems.append(f"line {line}: more cells than columns")
            continue
        if not any((value or "").strip() for value in raw.values()):
            continue  # a blank line
        try:
            authority = _row(line, raw, f"CSV {path.name}", day)
        except ValidationError as exc:
            problems.append(exc.reason)
            continue
        key = (authority.country, authority.name.casefold())
        if key in seen:
            problems.append(
                f"line {line}: {authority.country} '{authority.name}' repeats line {seen[key]}"
            )
            continue
        seen[key] = line
        rows.append(authority)
    if problems:
        raise AuthorityImportError(path, problems)
    if not rows:
        raise AuthorityImportError(path, ["the file holds no authority"])
    return rows


def import_csv(vault: UnlockedVault, path: Path, today: date | None = None) -> ImportResult:
    """Check every line of ``path``, then add or replace its authorities in one transaction."""
    rows = parse_csv(path, today)
    added = updated = 0
    with vault.transaction() as session:
        existing = {
            (a.country, a.name.casefold()): a for a in session.exec(select(Authority)).all()
        }
        for row in rows:
            current = existing.get((row.country, row.name.casefold()))
            if current is None:
                session.add(row)
                added += 1
                continue
            for name in (
                "name",
                "role",
                "kinds",
                "address",
                "email",
                "phone",
                "languages",
                "note",
                "source",
                "status",
                "last_verified",
                "origin",
            ):
                setattr(current, name, getattr(row, name))
            current.updated_at = utcnow()
            session.add(current)
            updated += 1
        record(
            session,
            "authority.import",
            "authority",
            path.name,
            {"file": path.name, "rows": len(rows), "added": added, "updated": updated},
        )
    return ImportResult(added=added, updated=updated, rows=len(rows))
