"""Every illegal move is refused naming the allowed ones; every legal one is audited."""

from __future__ import annotations

import pytest

from casecoord.domain.enums import CaseStatus, Direction, RequestStatus
from casecoord.domain.errors import IllegalTransitionError
from casecoord.domain.status import (
    CASE_TRANSITIONS,
    INCOMING_TRANSITIONS,
    OUTGOING_TRANSITIONS,
    check_case_move,
    check_request_move,
)
from casecoord.services.audit_log import list_entries
from casecoord.services.cases import CaseInput, add_case, change_case_status
from casecoord.vault.vault import UnlockedVault

CASE_PAIRS = [(a, b) for a in CaseStatus for b in CaseStatus]


@pytest.mark.parametrize(("current", "wanted"), CASE_PAIRS)
def test_case_moves_follow_the_table(current: CaseStatus, wanted: CaseStatus) -> None:
    if wanted in CASE_TRANSITIONS[current]:
        check_case_move(current, wanted)
    else:
        with pytest.raises(IllegalTransitionError) as caught:
            check_case_move(current, wanted)
        allowed = sorted(s.value for s in CASE_TRANSITIONS[current])
        assert caught.value.allowed == allowed
        for name in allowed:
            assert name in str(caught.value)


REQUEST_PAIRS = [
    (direction, current, wanted)
    for direction, table in (
        (Direction.OUTGOING, OUTGOING_TRANSITIONS),
        (Direction.INCOMING, INCOMING_TRANSITIONS),
    )
    for current in table
    for wanted in RequestStatus
]


@pytest.mark.parametrize(("direction", "current", "wanted"), REQUEST_PAIRS)
def test_request_moves_follow_the_table(
    direction: Direction, current: RequestStatus, wanted: RequestStatus
) -> None:
    table = OUTGOING_TRANSITIONS if direction is Direction.OUTGOING else INCOMING_TRANSITIONS
    if wanted in table[current]:
        check_request_move(direction, current, wanted)
    else:
        with pytest.raises(IllegalTransitionError) as caught:
            check_request_move(direction, current, wanted)
        assert caught.value.allowed == sorted(s.value for s in table[current])
        message = str(caught.value)
        assert current.value in message and wanted.value in message
        if not table[current]:
            assert "final status" in message


def test_final_statuses_have_no_way_out() -> None:
    for status in (RequestStatus.EXECUTED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN):
        assert OUTGOING_TRANSITIONS[status] == frozenset()
    assert INCOMING_TRANSITIONS[RequestStatus.COMPLETED] == frozenset()


def test_legal_case_moves_are_written_to_the_audit_chain(vault: UnlockedVault) -> None:
    add_case(vault, CaseInput(reference="NL-S-1", title="status walk", countries=["NL"]))
    walk = ["active", "dormant", "active", "closed", "active"]
    for status in walk:
        change_case_status(vault, "NL-S-1", status)
    entries = [
        e
        for e in list_entries(vault, case_ref="NL-S-1", newest_first=False)
        if e.action == "case.status"
    ]
    assert [e.payload["to"] for e in entries if e.payload] == walk
    with pytest.raises(IllegalTransitionError, match="allowed from 'active': closed, dormant"):
        change_case_status(vault, "NL-S-1", "intake")
    assert len(
        [e for e in list_entries(vault, case_ref="NL-S-1") if e.action == "case.status"]
    ) == len(walk)
