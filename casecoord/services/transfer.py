"""Move cases between an officer's vault and the team store, explicitly and whole.

``team import VAULT_DIR`` brings every case of a local vault into the team store: its persons,
notes, requests (with their families), deadlines, attachments (streamed chunk by chunk) and the
contacts they name, plus the vault's audit chain as an *imported segment*: its entries are kept
as they were (``imported_audit``, still verifiable link by link), and one entry of the server's
own chain anchors the segment by its length and last hash. ``team export --case REF DIR`` makes a
new laptop vault holding the chosen cases, for a mission abroad.

What is the officer's and what is the team's (README, "Running casecoord for a team"):

- the officer's settings (name, authority, country, time zone, idle lock, theme) travel with
  her: an import fills those she has not set in the team store yet (what she set there stays),
  an export gives the new vault all of hers;
- the retention default is the team's: an import leaves the team's alone, an export gives the
  laptop vault the team's value, so cases created abroad follow the office's rule;
- the authority directory is shared by the team: an import adds the vault's entries the team
  directory lacks (by country and name; the team's entries stay as they are), an export gives
  the new vault the team's directory, entries and corrections alike;
- the signing identity never moves: its private key stays where it was made (the vault, or the
  officer's identity in the team store); counterparts pin its fingerprint, so an identity for the
  other store is made or imported there (``casecoord identity new`` / ``identity import``).

A case whose reference is already taken in the target is never merged into: the whole move is
refused, naming the references, and nothing is written. Ids are the target's own; references,
deadline uids and contact handles travel unchanged. The move is one transaction on the target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import text
from sqlmodel import Session, SQLModel, col, select

from casecoord.domain.authority import Authority
from casecoord.domain.errors import DuplicateError, NotFoundError
from casecoord.domain.models import (
    Attachment,
    AttachmentChunk,
    AuditEntry,
    Case,
    CaseLink,
    Contact,
    Deadline,
    Note,
    Person,
    Request,
    RequestPerson,
)
from casecoord.services.journal import record
from casecoord.services.setting_rows import is_team_setting, store_setting, stored_setting
from casecoord.store import Store
from casecoord.vault import audit

M = TypeVar("M", bound=SQLModel)
_NOT_COPIED = {"id", "version"}


@dataclass
class TransferReport:
    cases: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def describe(self) -> str:
        parts = [f"{len(self.cases)} cases"] + [
            f"{n} {what}" for what, n in sorted(self.counts.items())
        ]
        return ", ".join(parts)


def _clone(row: M, **changes: Any) -> M:
    data = {k: v for k, v in row.model_dump().items() if k not in _NOT_COPIED}
    data.update(changes)
    return type(row)(**data)


def _rows(session: Session, model: type[M], column: Any, ids: Iterable[int]) -> list[M]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(session.exec(select(model).where(col(column).in_(wanted)).order_by(col(column))))


def copy_cases(
    source: Session, target: Session, cases: list[Case], report: TransferReport
) -> dict[int, int]:
    """Copy ``cases`` with everything that hangs off them from ``source`` into ``target`` (the
    caller's transactions); returns the map of old to new case ids."""
    taken = [
        c.reference
        for c in cases
        if target.exec(select(Case.id).where(Case.reference == c.reference)).first() is not None
    ]
    if taken:
        raise DuplicateError(
            f"these case references already exist in the target, nothing was moved: "
            f"{', '.join(taken[:10])}{' …' if len(taken) > 10 else ''}"
        )
    case_ids: dict[int, int] = {}
    for case in cases:
        assert case.id is not None
        copy = _clone(case)
        target.add(copy)
        target.flush()
        assert copy.id is not None
        case_ids[case.id] = copy.id
        report.cases.append(case.reference)
    old_cases = list(case_ids)

    persons: dict[int, int] = {}
    for person in _rows(source, Person, Person.case_id, old_cases):
        assert person.id is not None
        new_person = _clone(person, case_id=case_ids[person.case_id])
        target.add(new_person)
        target.flush()
        assert new_person.id is not None
        persons[person.id] = new_person.id
    report.add("persons", len(persons))
    for note in _rows(source, Note, Note.case_id, old_cases):
        target.add(_clone(note, case_id=case_ids[note.case_id]))
        report.add("notes")
    for link in source.exec(select(CaseLink).where(col(CaseLink.case_id).in_(old_cases))):
        if link.linked_case_id in case_ids:
            target.add(
                CaseLink(
                    case_id=case_ids[link.case_id],
                    linked_case_id=case_ids[link.linked_case_id],
                    reason=link.reason,
                )
            )

    requests = _rows(source, Request, Request.case_id, old_cases)
    contacts = _contacts(source, target, {r.counterpart_id for r in requests if r.counterpart_id})
    report.add("contacts", len(contacts))
    request_ids: dict[int, int] = {}
    for request in requests:
        assert request.id is not None
        new_request = _clone(
            request,
            case_id=case_ids[request.case_id],
            parent_id=None,
            counterpart_id=contacts.get(request.counterpart_id) if request.counterpart_id else None,
        )
        target.add(new_request)
        target.flush()
        assert new_request.id is not None
        request_ids[request.id] = new_request.id
    for request in requests:  # families, once every member has its new id
        if request.parent_id is not None and request.parent_id in request_ids:
            assert request.id is not None
            moved = target.get(Request, request_ids[request.id])
            assert moved is not None
            moved.parent_id = request_ids[request.parent_id]
            target.add(moved)
    report.add("requests", len(request_ids))
    for named in _rows(source, RequestPerson, RequestPerson.request_id, request_ids):
        if named.person_id in persons:
            target.add(
                RequestPerson(
                    request_id=request_ids[named.request_id], person_id=persons[named.person_id]
                )
            )
    for deadline in _rows(source, Deadline, Deadline.case_id, old_cases):
        target.add(
            _clone(
                deadline,
                case_id=case_ids[deadline.case_id],
                request_id=request_ids.get(deadline.request_id) if deadline.request_id else None,
            )
        )
        report.add("deadlines")
    for attachment in _rows(source, Attachment, Attachment.case_id, old_cases):
        assert attachment.id is not None
        new_attachment = _clone(
            attachment,
            case_id=case_ids[attachment.case_id],
            request_id=request_ids.get(attachment.request_id) if attachment.request_id else None,
        )
        target.add(new_attachment)
        target.flush()
        assert new_attachment.id is not None
        _copy_chunks(source, target, attachment.id, new_attachment.id)
        report.add("attachments")
    target.flush()
    return case_ids


IDENTITY_STAYS = (
    "the signing identity and its private key stay where they are; make or import one for the "
    "other store with 'casecoord identity new' or 'casecoord identity import'"
)


def _setting_keys() -> list[str]:
    from casecoord.services.settings import DEFAULTS

    return list(DEFAULTS)


def import_settings(source: Session, target: Session, report: TransferReport) -> dict[str, str]:
    """The vault's officer settings that the officer has not set in the team store yet."""
    brought: dict[str, str] = {}
    for key in _setting_keys():
        value = stored_setting(source, key)
        if value is None or is_team_setting(key):
            continue
        if stored_setting(target, key) is None:
            store_setting(target, key, value)
            brought[key] = value
        else:
            report.add("settings kept as in the team store")
    report.add("settings", len(brought))
    return brought


def export_settings(source: Session, target: Session, report: TransferReport) -> dict[str, str]:
    """All of the officer's settings and the team's retention default, into the new vault."""
    given: dict[str, str] = {}
    for key in _setting_keys():
        value = stored_setting(source, key)
        if value is not None:
            store_setting(target, key, value)
            given[key] = value
    report.add("settings", len(given))
    return given


_AUTHORITY_FIELDS = (
    "role", "kinds", "address", "email", "phone", "languages", "note", "source", "status",
    "last_verified", "origin",
)  # fmt: skip


def copy_authorities(
    source: Session, target: Session, report: TransferReport, *, correct: bool
) -> None:
    """Add the directory entries of ``source`` that ``target`` lacks (by country and name);
    with ``correct``, entries both hold take the source's values too."""
    for entry in source.exec(select(Authority).order_by(col(Authority.id))):
        existing = target.exec(
            select(Authority).where(
                Authority.country == entry.country, Authority.name == entry.name
            )
        ).first()
        if existing is None:
            target.add(_clone(entry))
            report.add("authorities")
        elif correct and any(
            getattr(existing, name) != getattr(entry, name) for name in _AUTHORITY_FIELDS
        ):
            for name in (*_AUTHORITY_FIELDS, "updated_at"):
                setattr(existing, name, getattr(entry, name))
            target.add(existing)
            report.add("authorities corrected")
    target.flush()


def _contacts(source: Session, target: Session, ids: set[int]) -> dict[int, int]:
    """The contacts the moved requests name: matched by handle in the target, else copied."""
    mapping: dict[int, int] = {}
    for contact in _rows(source, Contact, Contact.id, ids):
        assert contact.id is not None
        existing = target.exec(select(Contact).where(Contact.handle == contact.handle)).first()
        if existing is None:
            existing = _clone(contact)
            target.add(existing)
            target.flush()
        assert existing.id is not None
        mapping[contact.id] = existing.id
    return mapping


def _copy_chunks(source: Session, target: Session, old_id: int, new_id: int) -> None:
    """One chunk in memory at a time: attachments can be large."""
    seqs = source.exec(
        select(AttachmentChunk.seq)
        .where(AttachmentChunk.attachment_id == old_id)
        .order_by(col(AttachmentChunk.seq))
    ).all()
    for seq in seqs:
        chunk = source.get(AttachmentChunk, (old_id, seq))
        assert chunk is not None
        target.add(AttachmentChunk(attachment_id=new_id, seq=seq, data=chunk.data))
        target.flush()
        source.expunge(chunk)
        target.expunge_all()


def import_vault(vault: Store, team: Store, segment: str) -> TransferReport:
    """``team import``: every case of ``vault`` into ``team``; the vault's chain as a segment
    named ``segment`` (the vault's id)."""
    report = TransferReport()
    with vault.session() as source:
        chain = audit.verify_chain(source)
        if not chain.ok:
            raise DuplicateError(
                f"the vault's audit chain does not verify ({chain.describe()}); nothing was moved"
            )
        cases = list(source.exec(select(Case).order_by(col(Case.id))))
        with team.transaction() as target:
            if (
                target.connection()
                .execute(
                    text("SELECT 1 FROM imported_audit WHERE segment = :s LIMIT 1"), {"s": segment}
                )
                .first()
            ):
                raise DuplicateError(f"the vault {segment} was imported before; nothing was moved")
            copy_cases(source, target, cases, report)
            settings = import_settings(source, target, report)
            copy_authorities(source, target, report, correct=False)
            head = audit.GENESIS
            count = 0
            for entry in source.exec(select(AuditEntry).order_by(col(AuditEntry.seq))):
                target.connection().execute(
                    text(
                        "INSERT INTO imported_audit (segment, seq, at, actor, action, entity, "
                        "entity_ref, case_ref, payload, payload_digest, prev_hash, entry_hash) "
                        "VALUES (:segment, :seq, :at, :actor, :action, :entity, :entity_ref, "
                        ":case_ref, CAST(:payload AS json), :payload_digest, :prev_hash, "
                        ":entry_hash)"
                    ),
                    {
                        "segment": segment,
                        **entry.model_dump(exclude={"payload"}),
                        "payload": None
                        if entry.payload is None
                        else audit.canonical_json(entry.payload).decode("utf-8"),
                    },
                )
                head, count = entry.entry_hash, count + 1
            report.add("audit entries", count)
            record(
                target,
                "team.import",
                "vault",
                segment,
                {"cases": len(report.cases), "entries": count, "head": head},
            )
            if settings:
                record(target, "setting.change", "setting", "team.import", {"values": settings})
    return report


def export_cases(team: Store, vault: Store, refs: list[str], label: str) -> TransferReport:
    """``team export``: the cases ``refs`` (as this officer sees them) into a new vault."""
    report = TransferReport()
    with team.transaction() as source:
        cases = []
        for ref in refs:
            case = source.exec(select(Case).where(Case.reference == ref.strip())).first()
            if case is None:
                raise NotFoundError(
                    f"no case '{ref.strip()}' that you can see; nothing was exported"
                )
            cases.append(case)
        with vault.transaction() as target:
            copy_cases(source, target, cases, report)
            settings = export_settings(source, target, report)
            copy_authorities(source, target, report, correct=True)
            record(
                target,
                "team.export-received",
                "store",
                label,
                {"cases": report.cases, "settings": settings},
            )
        record(
            source, "team.export", "cases", ",".join(report.cases)[:200], {"cases": report.cases}
        )
    return report


def verify_segment(team: Store, segment: str) -> audit.ChainReport:
    """Check an imported segment link by link, and against its anchor in the server's chain."""
    with team.session() as session:
        rows = session.connection().execute(
            text(
                "SELECT seq, at, actor, action, entity, entity_ref, case_ref, payload, "
                "payload_digest, prev_hash, entry_hash FROM imported_audit "
                "WHERE segment = :s ORDER BY seq"
            ),
            {"s": segment},
        )
        entries = [AuditEntry(**dict(r._mapping)) for r in rows]
        anchor = session.exec(
            select(AuditEntry)
            .where(AuditEntry.action == "team.import", AuditEntry.entity_ref == segment)
            .order_by(col(AuditEntry.seq).desc())
        ).first()
    report = audit.verify_entries(entries)
    if not report.ok:
        return report
    payload = (anchor.payload or {}) if anchor is not None else {}
    last = entries[-1].entry_hash if entries else audit.GENESIS
    if anchor is None or payload.get("entries") != len(entries) or payload.get("head") != last:
        return audit.ChainReport(
            len(entries), len(entries), "the segment does not match its anchor"
        )
    return report
