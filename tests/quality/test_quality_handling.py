"""Handling codes enforced at the border: restricted items are listed, releases are recorded."""

from __future__ import annotations

import pytest
from sqlmodel import select

from casecoord.domain.errors import ValidationError
from casecoord.domain.models import Attachment, AuditEntry, RequestPerson
from casecoord.services import cases, handling, requests
from casecoord.services.audit_log import verify
from casecoord.vault.vault import UnlockedVault


def _setup(vault: UnlockedVault, request_tlp: str = "AMBER", request_code: str = "H1") -> int:
    cases.add_case(vault, cases.CaseInput(reference="NL-H-1", title="t", countries=["NL", "CO"]))
    secret = cases.add_person(
        vault,
        "NL-H-1",
        cases.PersonInput(family_name="Informant", handling_code="H3", tlp="AMBER"),
    )
    plain = cases.add_person(vault, "NL-H-1", cases.PersonInput(family_name="Restrepo"))
    assert secret.id is not None and plain.id is not None
    requests.add_request(
        vault,
        requests.RequestInput(
            reference="NL-MLA-H-1",
            case_ref="NL-H-1",
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            person_ids=[secret.id, plain.id],
            tlp=request_tlp,
            handling_code=request_code,
        ),
    )
    return secret.id


def _check(vault: UnlockedVault) -> list[handling.HandlingIssue]:
    with vault.session() as session:
        return handling.release_check(session, requests.require_request(session, "NL-MLA-H-1"))


def test_release_check_lists_restricted_request_persons_and_attachments(
    vault: UnlockedVault,
) -> None:
    secret_id = _setup(vault, request_tlp="RED")
    with vault.transaction() as session:
        request = requests.require_request(session, "NL-MLA-H-1")
        session.add(
            Attachment(
                case_id=request.case_id,
                request_id=request.id,
                name="source-report.pdf",
                tlp="AMBER+STRICT",
            )
        )
        session.add(Attachment(case_id=request.case_id, request_id=request.id, name="manifest.pdf"))
    issues = _check(vault)
    assert [(i.entity, i.label) for i in issues] == [
        ("request", "NL-MLA-H-1"),
        ("person", "Informant"),
        ("attachment", "source-report.pdf"),
    ]
    assert issues[1].ref == str(secret_id) and "H3" in issues[1].reasons[0]
    assert "TLP:RED" in issues[0].describe()


def test_unrestricted_request_has_no_issues(vault: UnlockedVault) -> None:
    cases.add_case(vault, cases.CaseInput(reference="NL-H-2", title="t", countries=["NL"]))
    requests.add_request(
        vault,
        requests.RequestInput(
            reference="NL-MLA-H-1",
            case_ref="NL-H-2",
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    )
    assert _check(vault) == []
    with pytest.raises(ValidationError, match="no confirmation is needed"):
        handling.confirm_release(vault, "NL-MLA-H-1", "permission of the provider")


def test_items_of_another_case_are_never_included(vault: UnlockedVault) -> None:
    _setup(vault)
    cases.add_case(vault, cases.CaseInput(reference="NL-H-9", title="other", countries=["NL"]))
    foreign = cases.add_person(
        vault, "NL-H-9", cases.PersonInput(family_name="Elsewhere", tlp="RED", handling_code="H2")
    )
    with vault.transaction() as session:
        request = requests.require_request(session, "NL-MLA-H-1")
        other = cases.require_case(session, "NL-H-9")
        assert request.id is not None and other.id is not None and foreign.id is not None
        # stray links that the services would refuse: a person and a file of another case
        session.add(RequestPerson(request_id=request.id, person_id=foreign.id))
        session.add(
            Attachment(case_id=other.id, request_id=request.id, name="other.pdf", tlp="RED")
        )
    labels = {i.label for i in _check(vault)}
    assert labels == {"Informant"}


def test_confirm_release_is_recorded_with_its_reason_and_chain_holds(
    vault: UnlockedVault,
) -> None:
    _setup(vault)
    with pytest.raises(ValidationError, match="reason"):
        handling.confirm_release(vault, "NL-MLA-H-1", "  ")
    with vault.session() as session:
        assert not handling.is_release_confirmed(
            session, requests.require_request(session, "NL-MLA-H-1")
        )
    released = handling.confirm_release(vault, "NL-MLA-H-1", "provider agreed by phone, 12:05")
    assert [i.label for i in released] == ["Informant"]
    with vault.session() as session:
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.action == "handling.release-confirmed")
        ).one()
        assert entry.entity_ref == "NL-MLA-H-1" and entry.case_ref == "NL-H-1"
        assert entry.payload is not None
        assert entry.payload["reason"] == "provider agreed by phone, 12:05"
        assert entry.payload["issues"][0]["handling_code"] == "H3"
        assert handling.is_release_confirmed(
            session, requests.require_request(session, "NL-MLA-H-1")
        )
    assert verify(vault).ok
    # a new restriction after the confirmation needs a new one
    requests.update_request(vault, "NL-MLA-H-1", {"tlp": "RED"})
    with vault.session() as session:
        assert not handling.is_release_confirmed(
            session, requests.require_request(session, "NL-MLA-H-1")
        )
