"""Completeness for the legal basis: the catalogue's lists, the pure check, and the 'ready' gate."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from casecoord.domain.models import Attachment, AuditEntry, Person, Request
from casecoord.services import cases, completeness, requests
from casecoord.services.completeness import IncompleteRequestError, assess, required_items
from casecoord.services.settings import set_setting
from casecoord.treaties.catalogue import (
    CATALOGUE_PATH,
    CatalogueError,
    default_catalogue,
    parse_catalogue,
)
from casecoord.treaties.model import ContentCheck, FactStatus
from casecoord.vault.vault import UnlockedVault


def _request(**fields: Any) -> Request:
    base: dict[str, Any] = {
        "id": 1,
        "reference": "NL-R-1",
        "case_id": 1,
        "kind": "mla",
        "direction": "outgoing",
        "requesting_state": "NL",
        "requested_state": "CO",
        "status": "draft",
        "basis_instrument_id": "untoc",
        "basis_title": "UNTOC",
        "basis_articles": "Art. 18",
        "facts": "Cash couriers between Rotterdam and Bogotá.",
        "legal_qualification": "Art. 420bis Sr (money laundering)",
        "measures": ["bank records"],
        "language": "es",
        "translation_state": "not-needed",
    }
    base.update(fields)
    return Request(**base)


def _person(**fields: Any) -> Person:
    base: dict[str, Any] = {
        "id": 1,
        "case_id": 1,
        "family_name": "Restrepo",
        "given_names": "Joaquín",
        "nationality": "CO",
        "birth_date": date(1980, 4, 2),
    }
    base.update(fields)
    return Person(**base)


def _ids(items: Any) -> set[str]:
    return {item.id for item in items}


# -- the catalogue carries the lists -----------------------------------------------------------


def test_catalogue_lists_the_content_of_the_main_instruments() -> None:
    cat = default_catalogue()
    eaw = cat.instrument("eaw-fd").coverage_for("eaw")  # type: ignore[arg-type]
    assert eaw is not None
    articles = {item.article for item in eaw.required_content}
    assert {f"Art. 8(1)({letter})" for letter in "abcdefg"} <= articles
    assert all(item.status is FactStatus.CONFIRMED for item in eaw.required_content)
    untoc = cat.instrument("untoc").coverage_for("mla")  # type: ignore[arg-type]
    assert untoc is not None
    assert {f"Art. 18(15)({letter})" for letter in "abcdef"} <= {
        item.article for item in untoc.required_content
    }
    vienna = cat.instrument("un-vienna-1988").coverage_for("mla")  # type: ignore[arg-type]
    assert vienna is not None and "Art. 7(10)(c)" in {i.article for i in vienna.required_content}
    ets = cat.instrument("ets-024").coverage_for("extradition")  # type: ignore[arg-type]
    assert ets is not None and "Art. 12(2)(b)" in {i.article for i in ets.required_content}


def test_eio_annex_a_letters_are_shipped_as_uncertain() -> None:
    eio = default_catalogue().instrument("eio-directive").coverage_for("eio")  # type: ignore[arg-type]
    assert eio is not None
    annex = [i for i in eio.required_content if (i.article or "").startswith("Annex A")]
    assert annex and all(i.status is FactStatus.UNCERTAIN for i in annex)


def test_spanish_speaking_states_ask_for_spanish() -> None:
    cat = default_catalogue()
    for country in ("CO", "PE", "EC"):
        profile = cat.state(country)
        assert profile is not None
        language = [i for i in profile.required_content if i.check is ContentCheck.LANGUAGE]
        assert language and language[0].languages == ("es",)
    ec = cat.state("EC")
    assert ec is not None and ec.required_content[0].status is FactStatus.UNCERTAIN


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return loaded


def test_catalogue_refuses_duplicate_content_ids() -> None:
    doc = copy.deepcopy(_document())
    items = doc["instruments"][0]["kinds"][0]["required_content"]
    items.append(copy.deepcopy(items[0]))
    with pytest.raises(CatalogueError, match="duplicate"):
        parse_catalogue(doc)


def test_catalogue_refuses_an_attachment_item_without_names() -> None:
    doc = copy.deepcopy(_document())
    item = doc["instruments"][0]["kinds"][0]["required_content"][0]
    item["check"] = "attachment"
    item.pop("name_contains", None)
    with pytest.raises(CatalogueError, match="name_contains"):
        parse_catalogue(doc)


def test_catalogue_refuses_an_unknown_language() -> None:
    doc = copy.deepcopy(_document())
    state = next(s for s in doc["states"] if s["country"] == "PE")
    state["required_content"][0]["languages"] = ["qq"]
    with pytest.raises(CatalogueError, match="ISO 639-1"):
        parse_catalogue(doc)


# -- the pure check ------------------------------------------------------------------------------


def test_complete_mla_request_passes() -> None:
    report = assess(_request(), [_person()], [], sender="Insp. L. de Groot")
    assert report.complete, report.summary()
    assert "untoc-persons" in _ids(report.satisfied)


def test_gaps_are_named_with_their_articles() -> None:
    report = assess(_request(legal_qualification="", measures=[]), [], [], sender=None)
    assert {"untoc-subject", "untoc-assistance", "untoc-authority"} <= _ids(report.missing)
    assert "untoc-persons" in _ids(report.advice)  # "where possible": advice, not a gap
    assert "Art. 18(15)(b)" in report.summary()


def test_state_language_item_replaces_the_instruments() -> None:
    chosen = required_items(_request())
    language = [(origin, item) for origin, item in chosen if item.check is ContentCheck.LANGUAGE]
    assert [item.id for _, item in language] == ["co-spanish"]


def test_spanish_translation_needed_or_wrong_language_is_missing() -> None:
    for fields in (
        {"translation_state": "needed"},
        {"translation_state": "ordered"},
        {"language": "en", "requested_state": "PE"},
    ):
        report = assess(_request(**fields), [_person()], [], sender="me")
        assert any(i.check == "language" for i in report.missing), fields
    done = assess(_request(language="en", translation_state="done"), [_person()], [], "me")
    assert done.complete


def test_eaw_needs_the_persons_identity() -> None:
    eaw = _request(
        kind="eaw",
        requested_state="BE",
        basis_instrument_id="eaw-fd",
        basis_articles="Art. 8",
        language="nl",
        measures=[],
    )
    unknown = _person(nationality=None)
    report = assess(eaw, [unknown], [], sender="me")
    assert "eaw-identity" in _ids(report.missing)
    assert "eaw-decision" in _ids(report.missing)  # Art. 8(1)(c) is mandatory, not advice
    assert not assess(eaw, [_person()], [], sender="me").complete
    warrant = Attachment(case_id=1, request_id=1, name="arrest-warrant.pdf")
    assert assess(eaw, [_person()], [warrant], sender="me").complete


def test_an_attached_warrant_satisfies_the_attachment_item() -> None:
    eaw = _request(kind="eaw", requested_state="BE", basis_instrument_id="eaw-fd", measures=[])
    warrant = Attachment(id=1, case_id=1, request_id=1, name="Arrest-Warrant-2026-17.pdf")
    report = assess(eaw, [_person()], [warrant], sender="me")
    assert "eaw-decision" in _ids(report.satisfied)


def test_incoming_request_needs_its_requesting_counterpart() -> None:
    incoming = _request(direction="incoming", requesting_state="CO", requested_state="NL")
    incoming.language = "en"
    report = assess(incoming, [], [], sender="me")
    assert "untoc-authority" in _ids(report.missing)
    incoming.counterpart_id = 7
    assert "untoc-authority" in _ids(assess(incoming, [], [], sender=None).satisfied)


def test_reciprocity_uses_the_baseline() -> None:
    report = assess(
        _request(basis_instrument_id="reciprocity", basis_articles=None), [], [], sender="me"
    )
    assert report.complete, report.summary()
    assert {
        origin for origin, _ in required_items(_request(basis_instrument_id="reciprocity"))
    } == {
        "requested state CO",
        "baseline",
    }
    no_basis = assess(_request(basis_instrument_id=None), [], [], sender="me")
    assert "basis" in _ids(no_basis.missing)


# -- the 'ready' gate --------------------------------------------------------------------------


def _case_with_request(vault: UnlockedVault, **request_fields: Any) -> Request:
    cases.add_case(vault, cases.CaseInput(reference="NL-Q-1", title="t", countries=["NL", "CO"]))
    person = cases.add_person(
        vault,
        "NL-Q-1",
        cases.PersonInput(family_name="Quiñones", nationality="CO", birth_date="1980-04-02"),
    )
    assert person.id is not None
    data = requests.RequestInput(
        reference="NL-MLA-Q-1",
        case_ref="NL-Q-1",
        kind="mla",
        direction="outgoing",
        requesting_state="NL",
        requested_state="CO",
        facts="bank records",
        person_ids=[person.id],
    )
    for name, value in request_fields.items():
        setattr(data, name, value)
    return requests.add_request(vault, data)


def test_incomplete_request_cannot_become_ready_and_nothing_is_written(
    vault: UnlockedVault,
) -> None:
    _case_with_request(vault)
    with vault.session() as session:
        before = len(list(session.exec(select(AuditEntry))))
    with pytest.raises(IncompleteRequestError) as raised:
        requests.change_request_status(vault, "NL-MLA-Q-1", "ready")
    assert "legal qualification" in raised.value.message
    assert raised.value.report.missing
    with vault.session() as session:
        assert len(list(session.exec(select(AuditEntry)))) == before
        stored = requests.require_request(session, "NL-MLA-Q-1")
        assert stored.status == "draft"


def test_completed_request_becomes_ready(vault: UnlockedVault) -> None:
    _case_with_request(vault)
    set_setting(vault, "officer.name", "Insp. L. de Groot")
    requests.update_request(
        vault,
        "NL-MLA-Q-1",
        {"legal_qualification": "Art. 10 Opiumwet", "measures": ["bank records"]},
    )
    assert completeness.check_request(vault, "NL-MLA-Q-1").complete
    assert requests.change_request_status(vault, "NL-MLA-Q-1", "ready").status == "ready"


def test_attachments_of_another_case_do_not_count(vault: UnlockedVault) -> None:
    request = _case_with_request(vault)
    cases.add_case(vault, cases.CaseInput(reference="NL-Q-2", title="other", countries=["NL"]))
    with vault.transaction() as session:
        other = cases.require_case(session, "NL-Q-2")
        session.add(
            Attachment(case_id=other.id, request_id=request.id, name="arrest-warrant.pdf")  # type: ignore[arg-type]
        )
    with vault.session() as session:
        stored = requests.require_request(session, "NL-MLA-Q-1")
        assert completeness.request_attachments(session, stored) == []
