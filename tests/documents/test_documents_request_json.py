"""request.json version 2: written with the document fields, validated, read back on import;
version 1 documents stay valid."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from casecoord.bundle.document import validate_request_doc
from casecoord.bundle.errors import RequestDocumentError
from casecoord.bundle.specimens import specimen
from casecoord.domain.models import Identity
from casecoord.services import cases, requests
from casecoord.services.exchange import build_request_doc
from casecoord.services.request_document import imported_fields
from casecoord.vault.vault import UnlockedVault

DOCUMENT = {
    "decision_kind": "arrest-warrant",
    "decision_authority": "Rechter-commissaris, Rechtbank Rotterdam",
    "decision_date": "2026-11-24",
    "decision_reference": "RC 26/4417",
    "offence_time": "del 3 de marzo al 17 de junio de 2026",
    "offence_place": "Guayaquil y Rotterdam",
    "provisions_text": "Ley del Opio, artículo 10, apartado 5.",
    "max_penalty": "Doce años de prisión.",
    "sentence_imposed": "",
    "limitation": "Veinte años; no ha prescrito.",
    "in_absentia": "",
    "proceedings": "Investigación penal de la Fiscalía Nacional.",
    "proceedings_authority": "Landelijk Parket",
    "purpose": "",
    "procedure": "",
    "assurances": "Principio de especialidad.",
    "validating_authority": "",
}


def test_version_1_and_2_documents_are_valid_and_2_needs_its_fields() -> None:
    v2 = specimen("extradition", "es")
    validate_request_doc(v2)
    v1 = copy.deepcopy(v2)
    v1["schema_version"] = 1
    for key in ("decision", "offence", "proceedings", "purpose", "procedure", "assurances"):
        del v1["request"][key]
    del v1["request"]["validating_authority"]
    del v1["request"]["persons"][0]["whereabouts"]
    validate_request_doc(v1)
    del v2["request"]["offence"]
    with pytest.raises(RequestDocumentError, match="offence"):
        validate_request_doc(v2)
    bad = specimen("extradition", "es")
    bad["request"]["decision"]["kind"] = "rumour"
    with pytest.raises(RequestDocumentError, match="decision"):
        validate_request_doc(bad)


def test_stored_fields_go_into_request_json_and_come_back(vault: UnlockedVault) -> None:
    cases.add_case(
        vault, cases.CaseInput(reference="NL-2026-0500", title="Reefer", countries=["NL", "CO"])
    )
    person = cases.add_person(
        vault,
        "NL-2026-0500",
        cases.PersonInput(
            family_name="Restrepo Álvarez",
            given_names="Joaquín",
            nationality="CO",
            whereabouts="Calle 10 # 5-20, Cali",
        ),
    )
    requests.add_request(
        vault,
        requests.RequestInput(
            reference="NL-EXTR-2026-0500",
            case_ref="NL-2026-0500",
            kind="extradition",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            facts="Los hechos.",
            legal_qualification="Tráfico de estupefacientes.",
            measures=["extradition-for-prosecution"],
            person_ids=[int(person.id or 0)],
            document=dict(DOCUMENT),
        ),
    )
    with vault.session() as session:
        request = requests.require_request(session, "NL-EXTR-2026-0500")
        assert request.decision_date == date(2026, 11, 24)
        identity = Identity(
            name="Marit de Wilde",
            organisation="Landelijk Parket",
            country="NL",
            signing_key_der=b"k",
            signing_cert_der=b"c",
            fingerprint="00",
        )
        doc = build_request_doc(session, request, identity)
    assert doc["schema_version"] == 2
    validate_request_doc(doc)
    req = doc["request"]
    assert req["decision"] == {
        "kind": "arrest-warrant",
        "authority": "Rechter-commissaris, Rechtbank Rotterdam",
        "date": "2026-11-24",
        "reference": "RC 26/4417",
    }
    assert req["offence"]["sentence_imposed"] is None  # empty is "not given", not ""
    assert req["persons"][0]["whereabouts"] == "Calle 10 # 5-20, Cali"
    assert imported_fields(req) == DOCUMENT


def test_edit_changes_document_fields_and_refuses_bad_values(vault: UnlockedVault) -> None:
    cases.add_case(
        vault, cases.CaseInput(reference="NL-2026-0501", title="Reefer", countries=["NL", "ES"])
    )
    requests.add_request(
        vault,
        requests.RequestInput(
            reference="NL-EAW-2026-0501",
            case_ref="NL-2026-0501",
            kind="eaw",
            direction="outgoing",
            requesting_state="NL",
            requested_state="ES",
        ),
    )
    updated = requests.update_request(
        vault, "NL-EAW-2026-0501", {"max_penalty": " Doce años. ", "decision_kind": "judgment"}
    )
    assert updated.max_penalty == "Doce años." and updated.decision_kind == "judgment"
    from casecoord.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="decision kind"):
        requests.update_request(vault, "NL-EAW-2026-0501", {"decision_kind": "rumour"})
    with pytest.raises(ValidationError, match="decision date"):
        requests.update_request(vault, "NL-EAW-2026-0501", {"decision_date": "yesterday"})
    with vault.session() as session:
        assert requests.require_request(session, "NL-EAW-2026-0501").decision_kind == "judgment"


def test_version_1_import_leaves_the_fields_empty() -> None:
    assert set(imported_fields({}).values()) <= {"", None}
