"""Retention: every case has a date after which it must go, and a purge that leaves no trace.

Data about suspects, witnesses and victims may be kept only as long as needed. Each case carries
``retention_until``; a case created without one gets the default from the settings
(``retention.default_years``, counted from its creation). When the date has passed the case is
flagged (:func:`expired_cases`) and ``casecoord purge --expired`` erases it.

What "erase" means here, since the laptop may be examined after it is lost:

* the rows: the case, and through ``ON DELETE CASCADE`` its persons, requests (with their person
  links), notes, deadlines, attachments and their chunks, and its links to other cases;
* the full-text indexes: the triggers of migration 0002 delete the entries; FTS5 then still holds
  the deleted text in old segments until they are merged, so both indexes are ``optimize``-d;
* the audit chain: the payloads of the case's entries are blanked (the chain hashes their
  digests, so it still verifies); one "case.purged" entry records that the case existed and was
  erased, naming it only by the SHA-256 of its reference;
* the file: ``secure_delete`` (on for every connection) zeroes freed cells, then the WAL is
  checkpointed and truncated and the database is ``VACUUM``-ed, so no freed page or stale WAL
  frame keeps the text.

Only closed cases are erased: a lapsed case still intake, active or dormant is reported as held,
because erasing a case someone is working on would be worse than keeping it a day longer; the
officer closes it or extends its retention.

Limits that the officer should know: earlier audit entries keep their ``case_ref`` and
``entity_ref`` (the case and request references, person and attachment ids, deadline uids) in
clear, because those fields are hashed into the chain; nothing personal is in them, but the
references remain as pseudonyms. Backups made before the purge still hold the case until they
are destroyed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from casecoord.domain.enums import CaseStatus
from casecoord.domain.errors import ValidationError
from casecoord.domain.models import (
    Attachment,
    AuditEntry,
    Case,
    Deadline,
    Note,
    Person,
    Request,
)
from casecoord.services.journal import record
from casecoord.services.settings import read_setting
from casecoord.store import is_postgres

if TYPE_CHECKING:
    from casecoord.store import Store

SETTING = "retention.default_years"
PURGED_ACTION = "case.purged"
PURGEABLE = frozenset({CaseStatus.CLOSED.value})


def reference_digest(reference: str) -> str:
    """How the purge entry names a case: SHA-256 of its reference (see the module docstring)."""
    return hashlib.sha256(reference.strip().encode("utf-8")).hexdigest()


def _add_years(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February into a common year
        return start.replace(year=start.year + years, day=28)


def default_years(session: Session) -> int:
    raw = read_setting(session, SETTING).strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationError(
            SETTING,
            f"is '{raw}'; set a whole number of years, e.g. 'casecoord settings {SETTING} 10'",
        )
    return int(raw)


def apply_default_retention(session: Session, case: Case) -> None:
    """Give a new case without a retention date the default period, counted from today."""
    if case.retention_until is not None:
        return
    created = (case.created_at or datetime.now(UTC)).astimezone(UTC).date()
    case.retention_until = _add_years(created, default_years(session))


@dataclass(frozen=True, slots=True)
class ExpiredCase:
    """A case whose retention has lapsed; ``held`` says why it is not erased yet, if it is not."""

    reference: str
    status: str
    retention_until: date
    held: str | None

    @property
    def purgeable(self) -> bool:
        return self.held is None


def _expired(session: Session, today: date) -> list[ExpiredCase]:
    cases = session.exec(
        select(Case)
        .where(col(Case.retention_until).is_not(None), col(Case.retention_until) < today)
        .order_by(col(Case.retention_until), col(Case.reference))
    ).all()
    found = []
    for case in cases:
        assert case.retention_until is not None
        held = (
            None
            if case.status in PURGEABLE
            else f"still {case.status}: close the case or extend its retention"
        )
        found.append(ExpiredCase(case.reference, case.status, case.retention_until, held))
    return found


def expired_cases(vault: Store, today: date | None = None) -> list[ExpiredCase]:
    """Cases kept past their retention date (the day itself is still within it)."""
    with vault.session() as session:
        return _expired(session, today or datetime.now(UTC).date())


@dataclass
class PurgeResult:
    """What a purge erased (or, with ``dry_run``, would erase) and what it had to keep."""

    dry_run: bool
    purged: list[str] = field(default_factory=list)
    held: list[ExpiredCase] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    audit_payloads_blanked: int = 0


_CHILDREN: tuple[
    tuple[str, type[Person] | type[Request] | type[Note] | type[Deadline] | type[Attachment]], ...
] = (
    ("persons", Person),
    ("requests", Request),
    ("notes", Note),
    ("deadlines", Deadline),
    ("attachments", Attachment),
)


def _tally(session: Session, case: Case, result: PurgeResult) -> None:
    assert case.id is not None
    for name, model in _CHILDREN:
        count = session.exec(
            select(func.count()).select_from(model).where(model.case_id == case.id)
        ).one()
        result.rows[name] = result.rows.get(name, 0) + int(count)
    result.rows["cases"] = result.rows.get("cases", 0) + 1
    result.purged.append(case.reference)


def _erase_case(session: Session, case: Case, result: PurgeResult) -> None:
    assert case.id is not None
    _tally(session, case, result)
    connection = session.connection()
    if is_postgres(session):
        # on a team store the server purges (casecoord_purge_case, 0012): it checks the rule,
        # erases, blanks and records the purge with rights no officer's role has
        blanked_rows = connection.execute(
            text("SELECT casecoord_purge_case(:ref)"), {"ref": case.reference}
        ).scalar_one()
        result.audit_payloads_blanked += int(blanked_rows or 0)
        return
    connection.execute(text("DELETE FROM case_file WHERE id = :id"), {"id": case.id})
    # the triggers removed the index entries of every cascaded row; this catches any they missed
    connection.execute(text("DELETE FROM search_index WHERE case_id = :id"), {"id": case.id})
    connection.execute(text("DELETE FROM case_filter WHERE rowid = :id"), {"id": case.id})
    blanked = connection.execute(
        text("UPDATE audit_entry SET payload = NULL WHERE case_ref = :ref AND payload IS NOT NULL"),
        {"ref": case.reference},
    )
    result.audit_payloads_blanked += int(getattr(blanked, "rowcount", 0) or 0)
    record(
        session,
        PURGED_ACTION,
        "case",
        reference_digest(case.reference),
        {
            "retention_until": case.retention_until.isoformat() if case.retention_until else None,
            "purged_on": datetime.now(UTC).date().isoformat(),
        },
        None,
    )


def _targets(session: Session, day: date, result: PurgeResult) -> list[Case]:
    expired = _expired(session, day)
    result.held = [e for e in expired if not e.purgeable]
    wanted = [e.reference for e in expired if e.purgeable]
    if not wanted:
        return []
    return list(
        session.exec(
            select(Case).where(col(Case.reference).in_(wanted)).order_by(col(Case.reference))
        )
    )


def purge_expired(vault: Store, today: date | None = None, dry_run: bool = False) -> PurgeResult:
    """Erase every closed case whose retention has lapsed; see the module docstring for how.

    With ``dry_run`` nothing is written: the result lists what would be erased and held.
    """
    day = today or datetime.now(UTC).date()
    result = PurgeResult(dry_run=dry_run)
    if dry_run:
        with vault.session() as session:
            for case in _targets(session, day, result):
                _tally(session, case, result)
        return result
    with vault.transaction() as session:
        targets = _targets(session, day, result)
        for case in targets:
            _erase_case(session, case, result)
        if targets and not is_postgres(session):  # PostgreSQL's GIN indexes need no optimize
            connection = session.connection()
            connection.execute(text("INSERT INTO search_index(search_index) VALUES('optimize')"))
            connection.execute(text("INSERT INTO case_filter(case_filter) VALUES('optimize')"))
    if result.purged:
        compact(vault)
    return result


def compact(vault: Store) -> None:
    """Fold the WAL into the database, truncate it, and rebuild the file without free pages.

    Runs on a raw connection in autocommit: ``VACUUM`` cannot run inside a transaction, and the
    engine's connections open one for every statement. A team store is left to the server's
    autovacuum.
    """
    from casecoord.vault.vault import UnlockedVault

    if not isinstance(vault, UnlockedVault):
        return
    raw = vault.engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            cursor.close()
    finally:
        raw.close()


def purged_entries(vault: Store) -> list[AuditEntry]:
    """The audit chain's record of erased cases, newest first."""
    with vault.session() as session:
        return list(
            session.exec(
                select(AuditEntry)
                .where(AuditEntry.action == PURGED_ACTION)
                .order_by(col(AuditEntry.seq).desc())
            )
        )
