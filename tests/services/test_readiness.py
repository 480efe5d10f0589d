"""One readiness rule: what request.json's schema refuses is on the completeness checklist."""

from __future__ import annotations

from casecoord.domain.models import Request
from casecoord.services.completeness import assess
from casecoord.services.readiness import request_part, schema_gaps


def _request(**values: object) -> Request:
    base: dict[str, object] = {
        "reference": "NL-2026-0042-R01",
        "case_id": 1,
        "kind": "mla",
        "direction": "outgoing",
        "requesting_state": "NL",
        "requested_state": "CO",
        "status": "draft",
        "basis_instrument_id": "un-vienna-1988",
        "basis_title": "Vienna Convention 1988",
        "basis_articles": "Art. 7",
        "facts": "Cocaine in banana containers.",
        "legal_qualification": "Art. 2 Opiumwet",
        "measures": ["bank records"],
        "language": "es",
    }
    base.update(values)
    return Request(**base)  # type: ignore[arg-type]


def test_a_request_without_measures_is_refused_by_the_checklist_as_by_the_schema() -> None:
    request = _request(measures=[])
    (gap,) = schema_gaps(request)
    assert gap.label == "Measures requested" and gap.blocking and not gap.satisfied
    assert "at least one measure" in gap.why
    report = assess(request, [], [], "Insp. M. de Vries")
    assert not report.complete
    assert any(item.check == "measures" for item in report.missing)


def test_a_field_the_legal_checklist_already_misses_is_not_listed_twice() -> None:
    request = _request(facts="")
    assert [g.check for g in schema_gaps(request)] == ["facts"]
    assert schema_gaps(request, covered={"facts"}) == []


def test_an_incoming_request_is_not_held_to_the_export_schema() -> None:
    assert schema_gaps(_request(direction="incoming", measures=[])) == []


def test_a_complete_request_has_no_schema_gap() -> None:
    request = _request()
    assert schema_gaps(request) == []
    assert request_part(request)["measures"] == ["bank records"]
