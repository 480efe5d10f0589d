"""Example request documents and attachment sources shared by the bundle tests."""

from __future__ import annotations

import copy
import hashlib
import io
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casecoord.bundle import cms
from casecoord.bundle.identity import OfficerIdentity
from casecoord.bundle.manifest import MANIFEST_NAME, SIGNATURE_NAME, ManifestEntry, build_manifest
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


# -- rebuilding containers for tamper tests -------------------------------------------------------

Entry = tuple[str, bytes, int]
"""(name, content, zipfile compression method) of one container entry."""


def read_entries(path: Path) -> list[Entry]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i), i.compress_type) for i in zf.infolist()]


def write_entries(path: Path, entries: list[Entry]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are written on purpose
        with zipfile.ZipFile(path, "w") as zf:
            for name, data, method in entries:
                info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
                info.compress_type = method
                zf.writestr(info, data)
    return path


def resigned(entries: list[Entry], signer: OfficerIdentity) -> list[Entry]:
    """Recompute manifest and signature over the data entries as they now are."""
    data = [e for e in entries if e[0] not in ("mimetype", MANIFEST_NAME, SIGNATURE_NAME)]
    manifest = build_manifest(
        [
            ManifestEntry(n, "application/octet-stream", hashlib.sha256(d).hexdigest())
            for n, d, _ in data
        ]
    )
    signature = cms.sign_detached(manifest, signer.signing_key, signer.signing_cert)
    out = [e for e in entries if e[0] not in (MANIFEST_NAME, SIGNATURE_NAME)]
    return out + [
        (MANIFEST_NAME, manifest, zipfile.ZIP_DEFLATED),
        (SIGNATURE_NAME, signature, zipfile.ZIP_STORED),
    ]
