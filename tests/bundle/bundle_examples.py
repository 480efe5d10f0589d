"""Example request documents and attachment sources shared by the bundle tests."""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from typing import Any

from casecoord.bundle.writer import AttachmentSource

MINIMAL_PDF = b"%PDF-1.4\n% test letter\n%%EOF\n"

_EXAMPLE: dict[str, Any] = {
    "schema_version": 1,
    "bundle_id": "0b6f7d2e-4a1c-4f7e-9d3a-2f6c8b1e5a90",
    "created_at": "2025-03-14T09:30:00+01:00",
    "request": {
        "reference": "NL-MLA-2025-0042",
        "kind": "mla",
        "direction": "outgoing",
        "requesting_state": "NL",
        "requested_state": "CO",
        "requesting_authority": "Landelijk Parket, Openbaar Ministerie, Rotterdam",
        "requested_authority": "Fiscalía General de la Nación, Bogotá",
        "legal_basis": {
            "instrument_id": "un-vienna-1988",
            "title": "United Nations Convention against Illicit Traffic in Narcotic Drugs "
            "and Psychotropic Substances (1988)",
            "articles": ["7"],
            "override_reason": None,
        },
        "channel": "central-authority",
        "urgency": "urgent",
        "urgency_reason": "The suspect is due to leave Colombia on 2025-04-01.",
        "language": "es",
        "measures": [
            "Bank records of account 0123456789 at Banco Ejemplo, 2023-01-01 to 2024-12-31",
            "Hearing of witness Ñusta Quispe Çelik as a witness",
        ],
        "facts": "Between March and June 2024, 1,200 kg of cocaine were shipped in banana "
        "containers from Guayaquil to Rotterdam. Proceeds were laundered through accounts in "
        "Bogotá.",
        "legal_qualification": "Art. 10a and 11 Opiumwet; Art. 420bis Wetboek van Strafrecht",
        "offences": ["illicit-trafficking-narcotic-drugs", "laundering-of-proceeds"],
        "persons": [
            {
                "role": "suspect",
                "family_name": "Şahin Núñez",
                "given_names": "Müller José",
                "aliases": ["El Güero"],
                "birth_date": "1981-07-02",
                "birth_place": "Medellín",
                "nationality": ["CO", "TR"],
                "documents": [{"type": "passport", "number": "AB123456", "issuing_country": "CO"}],
            },
            {
                "role": "witness",
                "family_name": "Kowałski",
                "given_names": "Łucja",
                "aliases": [],
                "birth_date": None,
                "nationality": ["PL"],
                "documents": [],
            },
        ],
        "counterpart_reference": None,
        "related_reference": None,
        "respond_by": "2025-04-15",
    },
    "case": {"reference": "CASE-2025-007", "title": "Operation Banano"},
    "sender": {
        "name": "Ayşe Yılmaz",
        "organisation": "Politie Nederland, liaison office Bogotá",
        "country": "NL",
        "email": "ayse.yilmaz@politie.nl",
        "phone": "+5712345678",
    },
    "handling": {"tlp": "AMBER", "handling_code": "H2", "grading": "B2"},
    "attachments": [],
}


def example_request_doc(**overrides: Any) -> dict[str, Any]:
    """A complete, schema-valid request document; top-level keys can be overridden."""
    doc = copy.deepcopy(_EXAMPLE)
    doc.update(overrides)
    return doc


def bytes_source(
    name: str, data: bytes, media_type: str = "application/octet-stream"
) -> AttachmentSource:
    """An attachment read from an in-memory stream (a context manager, like a file)."""
    return AttachmentSource(name, media_type, lambda: io.BytesIO(data), size=len(data))


def generated_source(name: str, total: int, chunk: int = 1024 * 1024) -> AttachmentSource:
    """An attachment produced chunk by chunk by a generator, never whole in memory."""

    def chunks() -> Iterator[bytes]:
        block = bytes(range(256)) * (chunk // 256)
        left = total
        while left > 0:
            piece = block[: min(chunk, left)]
            left -= len(piece)
            yield piece

    return AttachmentSource(name, "application/octet-stream", chunks)
