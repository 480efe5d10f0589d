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
