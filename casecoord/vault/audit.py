"""The tamper-evident audit chain.

Each row's ``entry_hash`` is SHA-256 over the previous row's hash, its own sequence number, time,
actor, action, entity, reference and the SHA-256 of its payload. Editing, deleting or reordering
any row breaks the chain at that row, which :func:`verify_chain` names. The payload itself is not
hashed into the chain (only its digest), so a retention purge can blank a payload that holds
personal data and the chain still verifies; a blank payload is a break unless a later
``case.purged`` entry names that case.

A chain alone cannot show that its *last* entries (or all of them) were removed: what is left
is still a valid chain. So every append also rewrites the one-row ``audit_anchor`` table, in the
same transaction, with the new head (sequence and hash) and an HMAC-SHA256 of it under a key
derived from the vault's data key (:func:`audit_anchor_key`). :func:`verify_chain` compares the
chain's end with the anchor: a shortened or emptied chain, a deleted anchor or one rewritten
without the key is a break.

On a team store (PostgreSQL) the server keeps the chain: :func:`append` hands the entry to the
SECURITY DEFINER function ``casecoord_audit_append``, which numbers, times and hashes it with
the same formula, records the database role as the actor, and is the only way into the table;
:func:`verify_chain` asks the server's ``casecoord_audit_verify`` to walk the whole chain, which
an officer's role cannot read in full (row-level security hides other teams' entries). There the
officers cannot delete entries at all, so the vault's anchor is not needed.

A chain says what the services did; it cannot see a row edited in the database behind their
back. So in a vault every entry about a case, request, person or deadline also records, in its
payload under ``row_sha256``, the SHA-256 of that row's audited fields as stored after the
change (:func:`row_digest`: canonical JSON of every column but ``id``, ``updated_at`` and
``version``). The payload's digest is in the chain, so that record cannot be changed without
breaking it, and :func:`verify_rows` compares each row with the digest of its last entry: a
row edited directly is named. Entries written before this (and bulk loads that record one entry
for many rows) carry no digest; their rows are counted as "not covered", never as a break.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from casecoord.domain.models import AuditEntry

GENESIS = "0" * 64
_VERIFY_BATCH = 2000
ANCHOR_KEY_INFO = "casecoord.audit_anchor_key"
"""Where a vault session carries the anchor key (``Session.info``)."""
PURGED_ACTION = "case.purged"
ROW_DIGEST_KEY = "row_sha256"
"""Where an entry's payload records the digest of its subject row after the change."""
ROW_SOURCES: dict[str, tuple[str, str]] = {
    "case": ("case_file", "reference"),
    "request": ("request", "reference"),
    "person": ("person", "id"),
    "deadline": ("deadline", "uid"),
}
"""The audited entities whose rows ``check`` compares: entity -> (table, column of entity_ref)."""
_ROW_UNAUDITED = frozenset({"id", "updated_at", "version"})


def audit_anchor_key(data_key: bytes) -> bytes:
    """A key for the anchor MAC only, derived from the data key (HMAC-SHA256 as a PRF)."""
    return hmac.new(data_key, b"casecoord audit anchor v1", hashlib.sha256).digest()


def anchor_mac(key: bytes, seq: int, entry_hash: str) -> str:
    return hmac.new(key, f"{seq}:{entry_hash}".encode(), hashlib.sha256).hexdigest()


def _write_anchor(session: Session, seq: int, entry_hash: str) -> None:
    key = session.info.get(ANCHOR_KEY_INFO)
    if key is None:
        return
    session.connection().execute(
        text(
            "INSERT INTO audit_anchor (id, seq, entry_hash, mac) VALUES (1, :s, :h, :m) "
            "ON CONFLICT(id) DO UPDATE SET seq = :s, entry_hash = :h, mac = :m"
        ),
        {"s": seq, "h": entry_hash, "m": anchor_mac(key, seq, entry_hash)},
    )


def canonical_json(payload: Any) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


def payload_digest(payload: Any) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def link_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_ref: str,
    case_ref: str | None,
    digest: str,
) -> str:
    fields = [
        prev_hash,
        str(seq),
        _stamp(at),
        actor,
        action,
        entity,
        entity_ref,
        case_ref or "",
        digest,
    ]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def _stamp(at: datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "officer"


def append(
    session: Session,
    action: str,
    entity: str,
    entity_ref: str,
    payload: dict[str, Any] | None = None,
    case_ref: str | None = None,
    actor: str | None = None,
) -> AuditEntry:
    """Append one link inside the caller's transaction, so the change and its record commit together.

    On a team store the server links the entry onto its chain when the transaction commits
    (migration 0014): the entry returned is provisional there (seq 0, no hashes yet)."""
    if _on_server(session):
        row = session.execute(
            text(
                "SELECT * FROM casecoord_audit_append(:action, :entity, :entity_ref, :case_ref, "
                ":payload)"
            ),
            {
                "action": action,
                "entity": entity,
                "entity_ref": entity_ref,
                "case_ref": case_ref,
                "payload": canonical_json(payload or {}).decode("utf-8"),
            },
        ).one()
        return AuditEntry.model_validate(dict(row._mapping))
    last = session.exec(
        select(AuditEntry.seq, AuditEntry.entry_hash).order_by(col(AuditEntry.seq).desc()).limit(1)
    ).first()
    seq = 1 if last is None else int(last[0]) + 1
    prev = GENESIS if last is None else str(last[1])
    at = datetime.now(UTC)
    who = actor or default_actor()
    body = dict(payload or {})
    if entity in ROW_SOURCES:
        session.flush()  # the row as this transaction leaves it
        digest_now = row_digest(session, entity, entity_ref)
        if digest_now is not None:
            body[ROW_DIGEST_KEY] = digest_now
    digest = payload_digest(body)
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=who,
        action=action,
        entity=entity,
        entity_ref=entity_ref,
        case_ref=case_ref,
        payload=body,
        payload_digest=digest,
        prev_hash=prev,
        entry_hash=link_hash(prev, seq, at, who, action, entity, entity_ref, case_ref, digest),
    )
    session.add(entry)
    session.flush()
    _write_anchor(session, seq, entry.entry_hash)
    return entry


def _row_fields(mapping: Any) -> dict[str, Any]:
    return {k: v for k, v in dict(mapping).items() if k not in _ROW_UNAUDITED}


def row_digest(session: Session, entity: str, entity_ref: str) -> str | None:
    """SHA-256 of the canonical JSON of the row's audited fields, as the database holds them."""
    table, column = ROW_SOURCES[entity]
    key: Any = entity_ref
    if column == "id":
        if not entity_ref.isdigit():
            return None
        key = int(entity_ref)
    row = (
        session.connection()
        .execute(text(f"SELECT * FROM {table} WHERE {column} = :k"), {"k": key})  # noqa: S608 (names are ours)
        .mappings()
        .first()
    )
    return None if row is None else payload_digest(_row_fields(row))


@dataclass(frozen=True)
class RowReport:
    """Rows compared with the digest their last audit entry recorded."""

    checked: int
    not_covered: int
    edited: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.edited

    def describe(self) -> str:
        head = (
            f"rows: {self.checked} match their last audit entry, {self.not_covered} not covered "
            "(no digest recorded)"
        )
        if self.ok:
            return head
        shown = ", ".join(self.edited[:10]) + (" …" if len(self.edited) > 10 else "")
        return f"{head}; {len(self.edited)} edited outside casecoord: {shown}"


def verify_rows(session: Session) -> RowReport:
    """Compare every case, request, person and deadline row with its last entry's row digest."""
    checked = not_covered = 0
    edited: list[str] = []
    connection = session.connection()
    for entity, (table, column) in ROW_SOURCES.items():
        recorded: dict[str, Any] = {}
        for ref, payload in connection.execute(
            text(
                "SELECT entity_ref, payload FROM audit_entry WHERE seq IN "
                "(SELECT max(seq) FROM audit_entry WHERE entity = :e GROUP BY entity_ref)"
            ),
            {"e": entity},
        ):
            body = json.loads(payload) if isinstance(payload, str) else payload
            recorded[str(ref)] = body.get(ROW_DIGEST_KEY) if isinstance(body, dict) else None
        for row in connection.execute(text(f"SELECT * FROM {table}")).mappings():  # noqa: S608 (names are ours)
            ref = str(row[column])
            expected = recorded.get(ref)
            if not isinstance(expected, str):
                not_covered += 1
            elif hmac.compare_digest(expected, payload_digest(_row_fields(row))):
                checked += 1
            else:
                edited.append(f"{entity} {ref}")
    return RowReport(checked, not_covered, tuple(edited))


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.entries} entries"
        return f"audit chain broken at entry {self.broken_at}: {self.reason}"


def _iter_entries(session: Session) -> Iterator[AuditEntry]:
    after = 0
    while True:
        batch = list(
            session.exec(
                select(AuditEntry)
                .where(col(AuditEntry.seq) > after)
                .order_by(col(AuditEntry.seq))
                .limit(_VERIFY_BATCH)
            )
        )
        if not batch:
            return
        yield from batch
        after = batch[-1].seq


def _purged_cases(session: Session) -> set[str]:
    """SHA-256 digests of the case references a retention purge erased."""
    return set(
        session.exec(select(AuditEntry.entity_ref).where(AuditEntry.action == PURGED_ACTION))
    )


def verify_chain(session: Session, on_server: bool | None = None) -> ChainReport:
    """Walk the chain in order, name the first link that does not hold, then check the anchor.

    On a team store the server walks it (``on_server=False`` walks what this role can read,
    which for an auditor or the owner is the whole chain)."""
    server = _on_server(session) if on_server is None else on_server
    if server:
        entries, broken_at, reason = session.execute(
            text("SELECT entries, broken_at, reason FROM casecoord_audit_verify()")
        ).one()
        return ChainReport(int(entries), broken_at, reason)
    report, last_seq, last_hash = _walk(_iter_entries(session), _purged_cases(session))
    if not report.ok:
        return report
    return _check_anchor(session, report.entries, last_seq, last_hash)


def verify_entries(entries: Iterable[AuditEntry]) -> ChainReport:
    """Check a chain given entry by entry, in order (an imported vault's segment)."""
    rows = list(entries)
    purged = {e.entity_ref for e in rows if e.action == PURGED_ACTION}
    return _walk(rows, purged)[0]


def _walk(entries: Iterable[AuditEntry], purged: set[str]) -> tuple[ChainReport, int, str]:
    """The links one by one; the report, and the last sequence number and hash walked."""
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return (
                ChainReport(
                    count, expected_seq, f"entry {expected_seq} is missing (next is {entry.seq})"
                ),
                0,
                "",
            )
        if entry.prev_hash != expected_prev:
            return (
                ChainReport(
                    count,
                    entry.seq,
                    "it does not follow the entry before it (reordered or replaced)",
                ),
                0,
                "",
            )
        if entry.payload is None:
            case_digest = hashlib.sha256((entry.case_ref or "").strip().encode()).hexdigest()
            if not entry.case_ref or case_digest not in purged:
                return (
                    ChainReport(
                        count,
                        entry.seq,
                        "its recorded details were erased, and no purge explains it",
                    ),
                    0,
                    "",
                )
        elif entry.payload_digest != payload_digest(entry.payload):
            return ChainReport(count, entry.seq, "its recorded details were edited"), 0, ""
        recomputed = link_hash(
            entry.prev_hash,
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.entity,
            entry.entity_ref,
            entry.case_ref,
            entry.payload_digest,
        )
        if recomputed != entry.entry_hash:
            return (
                ChainReport(count, entry.seq, "its time, actor, action or subject was edited"),
                0,
                "",
            )
        expected_prev = entry.entry_hash
        expected_seq += 1
    return ChainReport(count, None, None), expected_seq - 1, expected_prev


def _check_anchor(session: Session, count: int, last_seq: int, last_hash: str) -> ChainReport:
    key = session.info.get(ANCHOR_KEY_INFO)
    if key is None:
        return ChainReport(count, None, None)  # not a vault session: the walk is all we can do
    row = (
        session.connection()
        .execute(text("SELECT seq, entry_hash, mac FROM audit_anchor WHERE id = 1"))
        .first()
    )
    if row is None:  # every vault gets its anchor when created or upgraded
        return ChainReport(count, max(1, last_seq), "the chain's anchor is missing: it was deleted")
    seq, entry_hash, mac = int(row[0]), str(row[1]), str(row[2])
    if not hmac.compare_digest(mac, anchor_mac(key, seq, entry_hash)):
        return ChainReport(count, seq, "the chain's anchor was rewritten without the vault key")
    if seq > last_seq:
        gone = "every entry" if last_seq == 0 else f"entries {last_seq + 1} to {seq}"
        return ChainReport(count, last_seq + 1, f"{gone} were removed (the anchor names {seq})")
    if seq < last_seq or not hmac.compare_digest(entry_hash, last_hash):
        return ChainReport(
            count, seq, f"the chain does not end where its anchor says (entry {seq})"
        )
    return ChainReport(count, None, None)


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def count_entries(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(AuditEntry)).one())
