"""Two officers, two vaults, two identities pinned to each other, and a complete outgoing request.

Officer A (Netherlands, Bogotá liaison office) sends; officer B (Colombia, Fiscalía) receives. The
request is complete for its legal basis so export is allowed; tests make it incomplete or
restricted where they need a refusal.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from casecoord.services import attachments, cases, contacts, requests
from casecoord.services.identity_store import create_identity, pin_counterpart, show_identity
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault
from tests.conftest import PASSPHRASE

REQUEST_REF = "NL-MLA-2026-0042"
CASE_REF = "NL-2026-0007"
EVIDENCE = {
    "manifest.pdf": b"%PDF-1.4 container manifest " * 3000,
    "ledger.csv": os.urandom(200_000),
}


@dataclass
class Officers:
    a: UnlockedVault
    b: UnlockedVault
    a_dir: Path
    b_dir: Path


def make_outgoing_request(vault: UnlockedVault, *, handling_code: str = "H1") -> None:
    """A complete MLA request NL → CO with two persons and two attachments."""
    cases.add_case(
        vault,
        cases.CaseInput(
            reference=CASE_REF,
            title="Operation Banano",
            countries=["NL", "CO"],
            offences=["illicit-trafficking-narcotic-drugs"],
        ),
    )
    suspect = cases.add_person(
        vault,
        CASE_REF,
        cases.PersonInput(
            family_name="Şahin Núñez",
            given_names="Müller José",
            aliases=["El Güero"],
            birth_date="1981-07-02",
            nationality="CO",
            documents=["passport AB123456"],
        ),
    )
    witness = cases.add_person(
        vault,
        CASE_REF,
        cases.PersonInput(family_name="Kowałski", given_names="Łucja", role="witness"),
    )
    contacts.add_contact(
        vault,
        contacts.ContactInput(
            name="Fiscal Restrepo",
            country="CO",
            handle="restrepo",
            organisation="Fiscalía General de la Nación",
        ),
    )
    requests.add_request(
        vault,
        requests.RequestInput(
            reference=REQUEST_REF,
            case_ref=CASE_REF,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            facts="Between March and June 2025, 1,200 kg of cocaine were shipped in banana "
            "containers from Guayaquil to Rotterdam; proceeds were laundered in Bogotá.",
            legal_qualification="Art. 10a Opiumwet; Art. 420bis Wetboek van Strafrecht",
            measures=["Bank records of account 0123456789", "Hearing of witness Łucja Kowałski"],
            counterpart="restrepo",
            translation_state="done",  # English text for Colombia: translated, as recorded
            person_ids=[int(suspect.id or 0), int(witness.id or 0)],
            handling_code=handling_code,
        ),
    )
    for name, data in EVIDENCE.items():
        import io

        attachments.add_attachment_stream(
            vault, CASE_REF, io.BytesIO(data), name, request_ref=REQUEST_REF
        )


@pytest.fixture
def officers(tmp_path: Path) -> Iterator[Officers]:
    a_dir, b_dir = tmp_path / "vault-a", tmp_path / "vault-b"
    a, _ = create_vault(a_dir, PASSPHRASE, FAST_TEST_PARAMS)
    b, _ = create_vault(b_dir, PASSPHRASE, FAST_TEST_PARAMS)
    try:
        create_identity(a, "Ayşe Yılmaz", "Politie Nederland", "NL", "ayse@politie.example")
        create_identity(b, "Camilo Restrepo", "Fiscalía General de la Nación", "CO")
        make_outgoing_request(a)
        contacts.add_contact(
            b, contacts.ContactInput(name="Ayşe Yılmaz", country="NL", handle="yilmaz")
        )
        pin_counterpart(b, "yilmaz", show_identity(a).public_pem.encode())
        pin_counterpart(a, "restrepo", show_identity(b).public_pem.encode())
        yield Officers(a, b, a_dir, b_dir)
    finally:
        a.close()
        b.close()
