"""The language item reads the text, not the tag: English facts under a Spanish request are
flagged until they are translated or the translation is recorded as done."""

from __future__ import annotations

import pytest

from casecoord.services import cases, completeness, requests
from casecoord.vault.vault import UnlockedVault

ENGLISH = (
    "Between March and June 2026 the suspect shipped 960 kg of cocaine in banana containers "
    "from Guayaquil to Rotterdam; the proceeds were laundered through a front company."
)
SPANISH = (
    "Entre marzo y junio de 2026 el investigado envió 960 kg de cocaína en contenedores de "
    "banano desde Guayaquil a Rotterdam; las ganancias se blanquearon mediante una sociedad."
)


def _language_item(vault: UnlockedVault, ref: str) -> completeness.CheckedItem:
    report = completeness.check_request(vault, ref)
    items = [
        i for i in (*report.missing, *report.advice, *report.satisfied) if i.check == "language"
    ]
    assert len(items) == 1
    return items[0]


@pytest.fixture
def spanish_request(vault: UnlockedVault) -> str:
    cases.add_case(
        vault, cases.CaseInput(reference="NL-2026-0600", title="Reefer", countries=["NL", "CO"])
    )
    requests.add_request(
        vault,
        requests.RequestInput(
            reference="NL-MLA-2026-0600",
            case_ref="NL-2026-0600",
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            facts=ENGLISH,
            legal_qualification="Art. 10 Opiumwet",
            measures=["bank-accounts", "Hearing of the harbour master about the container moves"],
        ),
    )
    return "NL-MLA-2026-0600"


def test_english_text_under_a_spanish_tag_is_flagged(
    vault: UnlockedVault, spanish_request: str
) -> None:
    with vault.session() as session:
        assert requests.require_request(session, spanish_request).language == "es"
    item = _language_item(vault, spanish_request)
    assert not item.satisfied and item.blocking
    assert "facts" in item.why and "a measure" in item.why and "in en" in item.why
    assert "legal qualification" not in item.why  # too short to tell: not judged


def test_spanish_text_passes_and_vocabulary_measures_are_not_judged(
    vault: UnlockedVault, spanish_request: str
) -> None:
    requests.update_request(
        vault,
        spanish_request,
        {"facts": SPANISH, "measures": ["bank-accounts", "hear-witness"]},
    )
    item = _language_item(vault, spanish_request)
    assert item.satisfied and "free text checked" in item.why


def test_a_translation_recorded_as_done_is_trusted(
    vault: UnlockedVault, spanish_request: str
) -> None:
    requests.update_request(vault, spanish_request, {"translation_state": "done"})
    item = _language_item(vault, spanish_request)
    assert item.satisfied and "translation" in item.why


def test_document_fields_are_judged_too(vault: UnlockedVault, spanish_request: str) -> None:
    requests.update_request(
        vault,
        spanish_request,
        {
            "facts": SPANISH,
            "measures": ["bank-accounts"],
            "purpose": "Los registros bancarios mostrarán quién controlaba las cuentas de la sociedad.",
            "assurances": "The requested person will not be prosecuted for other offences committed "
            "before the surrender.",
        },
    )
    item = _language_item(vault, spanish_request)
    assert not item.satisfied and "assurances in en" in item.why
    assert "purpose" not in item.why


def test_text_language_needs_enough_text() -> None:
    assert completeness.text_language("Art. 10 Opiumwet") is None
    assert completeness.text_language(SPANISH) == "es"
    assert completeness.text_language(ENGLISH) == "en"
