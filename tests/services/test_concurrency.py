"""Two officers (or two windows) editing the same record: the second save is a clear conflict,
never a lost update. Runs on the vault and on the team store."""

from __future__ import annotations

import pytest

from casecoord.domain.errors import ConflictError
from casecoord.services.cases import CaseInput, add_case, get_case, update_case
from casecoord.services.requests import RequestInput, add_request, get_request, update_request
from casecoord.store import Store


@pytest.fixture
def request_ref(vault: Store) -> str:
    add_case(vault, CaseInput(reference="NL-C-1", title="Harbour", countries=["NL", "CO"]))
    add_request(
        vault,
        RequestInput(
            reference="NL-C-1-R1",
            case_ref="NL-C-1",
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    )
    return "NL-C-1-R1"


def test_the_second_save_of_a_request_opened_earlier_is_a_conflict(
    vault: Store, request_ref: str
) -> None:
    opened_by_a = get_request(vault, request_ref).request.version
    opened_by_b = get_request(vault, request_ref).request.version
    saved = update_request(vault, request_ref, {"facts": "B's facts"}, expected_version=opened_by_b)
    assert saved.version > opened_by_b
    with pytest.raises(ConflictError, match="changed by someone else since you opened it"):
        update_request(vault, request_ref, {"facts": "A's facts"}, expected_version=opened_by_a)
    assert get_request(vault, request_ref).request.facts == "B's facts"  # nothing lost
    reloaded = get_request(vault, request_ref).request.version
    update_request(vault, request_ref, {"facts": "A's facts, again"}, expected_version=reloaded)
    assert get_request(vault, request_ref).request.facts == "A's facts, again"


def test_cases_are_versioned_too(vault: Store, request_ref: str) -> None:
    version = get_case(vault, "NL-C-1").case.version
    update_case(vault, "NL-C-1", {"title": "First"}, expected_version=version)
    with pytest.raises(ConflictError):
        update_case(vault, "NL-C-1", {"title": "Second"}, expected_version=version)
    assert get_case(vault, "NL-C-1").case.title == "First"
