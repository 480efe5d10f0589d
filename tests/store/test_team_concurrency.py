"""Two officers' transactions racing on the same request on the server: the version counter turns
the later commit into a conflict instead of overwriting the earlier one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import select

from casecoord.domain.errors import ConflictError
from casecoord.domain.models import Request
from casecoord.services.cases import CaseInput, add_case
from casecoord.services.requests import RequestInput, add_request, get_request
from casecoord.store.postgres import TeamStore


def test_racing_transactions_never_lose_an_update(
    officer_store: Callable[[str], TeamStore],
) -> None:
    ada, cy = officer_store("ada"), officer_store("cy")  # both in team alpha
    add_case(ada, CaseInput(reference="NL-R-1", title="Race", countries=["NL", "CO"]))
    add_request(
        ada,
        RequestInput(
            reference="NL-R-1-R1", case_ref="NL-R-1", kind="mla", direction="outgoing",
            requesting_state="NL", requested_state="CO",
        ),
    )  # fmt: skip
    with pytest.raises(ConflictError, match="another officer saved this record"):
        with ada.transaction() as slow:
            mine = slow.exec(select(Request).where(Request.reference == "NL-R-1-R1")).one()
            with cy.transaction() as fast:  # cy reads, changes and commits in between
                theirs = fast.exec(select(Request).where(Request.reference == "NL-R-1-R1")).one()
                theirs.facts = "cy's facts"
                fast.add(theirs)
            mine.facts = "ada's facts"
            slow.add(mine)
    saved = get_request(ada, "NL-R-1-R1").request
    assert saved.facts == "cy's facts" and saved.version > 1


def test_the_chain_is_linked_at_commit_in_commit_order_and_nothing_waits_after(
    officer_store: Callable[[str], TeamStore], admin_store: TeamStore
) -> None:
    """The chain's lock is taken at COMMIT (migration 0014): a transaction that wrote first but
    commits last comes last in the chain, a rolled-back one leaves nothing, the chain verifies,
    and no officer can write the staging tables herself."""
    from sqlalchemy import text

    from casecoord.domain.errors import StoreError
    from casecoord.services.audit_log import list_entries, verify

    ada, cy = officer_store("ada"), officer_store("cy")
    with ada.transaction() as slow:
        add_case_in(slow, "NL-L-1")  # written first, committed last
        add_case(cy, CaseInput(reference="NL-L-2", title="Fast", countries=["NL"]))
    with pytest.raises(RuntimeError), ada.transaction() as undone:
        add_case_in(undone, "NL-L-3")
        raise RuntimeError("rolled back")
    entries = [e for e in list_entries(admin_store, limit=1000) if e.action == "case.create"]
    assert [e.entity_ref for e in sorted(entries, key=lambda e: e.seq)] == ["NL-L-2", "NL-L-1"]
    assert [e.actor for e in sorted(entries, key=lambda e: e.seq)] == ["cy", "ada"]
    assert verify(admin_store).ok and verify(ada).ok
    with admin_store.engine.connect() as connection:
        waiting = connection.execute(
            text("SELECT (SELECT count(*) FROM audit_pending) + (SELECT count(*) FROM audit_tx)")
        ).scalar_one()
    assert waiting == 0
    for statement in (
        "INSERT INTO audit_tx (tx) VALUES (1)",
        "INSERT INTO audit_pending (action, entity, entity_ref, payload) VALUES "
        "('x', 'x', 'x', '{}')",
    ):
        with pytest.raises(StoreError, match="not permitted"), ada.transaction() as session:
            session.connection().execute(text(statement))


def add_case_in(session: object, ref: str) -> None:
    """A case written inside the caller's open transaction (what add_case does in its own)."""
    from sqlmodel import Session

    from casecoord.domain.models import Case
    from casecoord.services.journal import record

    assert isinstance(session, Session)
    session.add(Case(reference=ref, title="Slow", countries=["NL"]))
    session.flush()
    record(session, "case.create", "case", ref, {"title": "Slow"}, ref)
