"""What the law makes mandatory blocks 'ready'; what the catalogue cannot check is 'unknown'.

EAW FD Art. 8(1)(c) [S5]: the warrant contains evidence of an enforceable judgment, arrest
warrant or other enforceable judicial decision. ETS 024 Art. 12(2)(a) and (c) [S13]: the request
is supported by the original or an authenticated copy of the conviction or warrant, and by a
copy of the relevant enactments. A language rule the catalogue lacks is never a pass.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from casecoord.domain.models import Attachment, Person, Request
from casecoord.services.completeness import EJN_FICHES, assess

OFFICER = "Insp. L. de Groot, Politie"


def _request(**fields: Any) -> Request:
    base: dict[str, Any] = {
        "id": 1,
        "reference": "NL-X-1",
        "case_id": 1,
        "kind": "extradition",
        "direction": "outgoing",
        "requesting_state": "NL",
        "requested_state": "CH",
        "status": "draft",
        "basis_instrument_id": "ets-024",
        "basis_title": "European Convention on Extradition",
        "basis_articles": "Art. 12",
        "facts": "Import of 960 kg of cocaine through Rotterdam.",
        "legal_qualification": "Art. 10 Opiumwet",
        "measures": [],
        "language": "de",
        "translation_state": "not-needed",
    }
    base.update(fields)
    return Request(**base)


def _person() -> Person:
    return Person(
        id=1, case_id=1, family_name="Restrepo", nationality="CO", birth_date=date(1980, 4, 2)
    )


def _attachment(name: str) -> Attachment:
    return Attachment(case_id=1, request_id=1, name=name)


def _ids(items: Any) -> set[str]:
    return {item.id for item in items}


def test_ets_024_article_12_2_a_and_c_are_mandatory() -> None:
    report = assess(_request(), [_person()], [], sender=OFFICER)
    missing = {item.id: item for item in report.missing}
    assert {"ets024-warrant", "ets024-enactments"} <= set(missing)
    assert missing["ets024-warrant"].article == "Art. 12(2)(a)"
    assert missing["ets024-enactments"].article == "Art. 12(2)(c)"
    assert missing["ets024-warrant"].certain
    attached = [_attachment("arrest-warrant-2026-118.pdf"), _attachment("Opiumwet-art10.pdf")]
    report = assess(_request(), [_person()], attached, sender=OFFICER)
    assert not {"ets024-warrant", "ets024-enactments"} & _ids(report.missing)
    assert {"ets024-warrant", "ets024-enactments"} <= _ids(report.satisfied)


def test_eaw_article_8_1_c_is_mandatory() -> None:
    eaw = _request(
        kind="eaw",
        requested_state="BE",
        basis_instrument_id="eaw-fd",
        basis_title="EAW Framework Decision",
        basis_articles="Art. 8",
        language="nl",
    )
    report = assess(eaw, [_person()], [], sender=OFFICER)
    item = next(i for i in report.missing if i.id == "eaw-decision")
    assert item.article == "Art. 8(1)(c)" and item.blocking
    done = assess(eaw, [_person()], [_attachment("vonnis-rechtbank.pdf")], sender=OFFICER)
    assert "eaw-decision" in _ids(done.satisfied)


def test_an_unknown_language_rule_is_unknown_never_a_pass() -> None:
    # Brazil: no language rule in the catalogue.
    mla = _request(
        kind="mla",
        requested_state="BR",
        basis_instrument_id="untoc",
        basis_title="UNTOC",
        basis_articles="Art. 18",
        measures=["bank records"],
        language="pt",
    )
    report = assess(mla, [_person()], [], sender=OFFICER)
    language = [i for i in report.advice if i.check == "language"]
    assert language and language[0].unknown and not language[0].satisfied
    assert "unknown" in language[0].why and EJN_FICHES in language[0].why
    assert "language" not in {i.check for i in report.satisfied}
    assert report.unknown == tuple(language)
    assert "[unknown]" in language[0].describe()
