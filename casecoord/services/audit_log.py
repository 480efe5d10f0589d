"""Read the audit chain: who changed what and when, and whether the chain still holds."""

from __future__ import annotations

from sqlmodel import col, func, select

from casecoord.domain.models import AuditEntry
from casecoord.domain.values import row_count
from casecoord.store import Store
from casecoord.vault import audit


def list_entries(
    vault: Store, case_ref: str | None = None, limit: int = 200, newest_first: bool = True
) -> list[AuditEntry]:
    with vault.session() as session:
        statement = select(AuditEntry)
        if case_ref:
            statement = statement.where(AuditEntry.case_ref == case_ref)
        order = col(AuditEntry.seq).desc() if newest_first else col(AuditEntry.seq)
        return list(session.exec(statement.order_by(order).limit(row_count(limit))))


def get_entry(vault: Store, seq: int) -> AuditEntry:
    """One entry with its payload: what a release reason, a bundle id or a container digest was."""
    from casecoord.domain.errors import NotFoundError

    with vault.session() as session:
        entry = session.get(AuditEntry, row_count(seq)) if 0 < seq < (1 << 62) else None
    if entry is None:
        raise NotFoundError(f"the audit chain has no entry {seq}")
    return entry


def last_seq(vault: Store) -> int:
    """The sequence number of the chain's last entry (0 when empty): every change the services
    make writes an entry in its own transaction, so while this holds still nothing changed."""
    with vault.session() as session:
        return int(session.exec(select(func.max(col(AuditEntry.seq)))).one() or 0)


def verify(vault: Store) -> audit.ChainReport:
    with vault.session() as session:
        return audit.verify_chain(session)


def describe(entry: AuditEntry) -> str:
    """One line for the timeline: what happened, in the officer's words."""
    payload = {k: v for k, v in (entry.payload or {}).items() if k != audit.ROW_DIGEST_KEY}
    if entry.action.endswith(".status"):
        return f"{entry.entity} {entry.entity_ref}: {payload.get('from')} → {payload.get('to')}"
    if entry.action.endswith(".update"):
        return f"{entry.entity} {entry.entity_ref}: changed {', '.join(sorted(payload))}"
    if entry.action == "deadline.create":
        return f"deadline '{payload.get('title')}' due {payload.get('due_at')}"
    if entry.action == "deadline.recompute":
        return (
            f"deadline {payload.get('article')} moved {payload.get('from')} → "
            f"{payload.get('to')}: {payload.get('cause')}"
        )
    return f"{entry.action} {entry.entity_ref}"
