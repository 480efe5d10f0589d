"""Officer A exports, officer B imports: what comes in equals what went out, once."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from casecoord.bundle.errors import BundleError
from casecoord.domain.models import Attachment, AuditEntry, Case, Deadline, Person, Request
from casecoord.services import requests
from casecoord.services.attachments import attachments_of_request, open_chunks
from casecoord.services.completeness import IncompleteRequestError
from casecoord.services.exchange import (
    ReleaseNotConfirmedError,
    UnknownSignerError,
    export_bundle,
    import_bundle,
    verify_file,
)
from casecoord.services.identity_store import create_identity
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault
from tests.conftest import PASSPHRASE
from tests.exchange.conftest import CASE_REF, EVIDENCE, REQUEST_REF, Officers


def _counts(vault: UnlockedVault) -> dict[str, int]:
    with vault.session() as session:
        return {
            model.__name__: int(session.exec(select(func.count()).select_from(model)).one())
            for model in (Case, Person, Request, Attachment, AuditEntry, Deadline)
        }


def _attachment_bytes(vault: UnlockedVault, request: Request) -> dict[str, bytes]:
    found = {}
    for attachment in attachments_of_request(vault, int(request.id or 0)):
        with open_chunks(vault, int(attachment.id or 0)) as chunks:
            found[attachment.name] = b"".join(chunks)
    return found


def test_incoming_request_equals_what_went_out(officers: Officers, tmp_path: Path) -> None:
    out = tmp_path / "bundle.asice"
    exported = export_bundle(officers.a, REQUEST_REF, out)
    assert exported.attachments == 2 and exported.letter_language == "es"
    assert exported.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()

    imported = import_bundle(officers.b, out)
    assert not imported.already_imported and imported.case_created
    assert imported.signer_name == "Ayşe Yılmaz"

    sent = requests.get_request(officers.a, REQUEST_REF)
    received = requests.get_request(officers.b, imported.request_ref)
    a, b = sent.request, received.request
    assert b.direction == "incoming" and b.status == "received"
    assert b.reference == a.reference and b.counterpart_reference == a.reference
    assert b.bundle_id == a.bundle_id == exported.bundle_id
    for name in (
        "kind",
        "requesting_state",
        "requested_state",
        "facts",
        "legal_qualification",
        "measures",
        "channel",
        "urgency",
        "language",
        "basis_instrument_id",
        "basis_title",
        "basis_articles",
        "tlp",
        "handling_code",
    ):
        assert getattr(b, name) == getattr(a, name), name
    assert received.counterpart is not None and received.counterpart.handle == "yilmaz"

    def person_view(p: Person) -> tuple[object, ...]:
        return (
            p.role,
            p.family_name,
            p.given_names,
            p.aliases,
            p.birth_date,
            p.nationality,
            p.documents,
        )

    assert [person_view(p) for p in received.persons] == [person_view(p) for p in sent.persons]
    assert _attachment_bytes(officers.b, b) == EVIDENCE
    with officers.b.session() as session:
        case = session.get(Case, b.case_id)
        assert case is not None and case.title == "Operation Banano"
        assert case.reference == CASE_REF  # the sender's own reference already names NL
        actions = [e.action for e in session.exec(select(AuditEntry))]
        assert "bundle.import" in actions
        statutory = session.exec(select(Deadline).where(Deadline.request_id == b.id)).all()
    with officers.a.session() as session:
        export_entry = session.exec(
            select(AuditEntry).where(AuditEntry.action == "bundle.export")
        ).one()
        assert export_entry.payload is not None
        assert export_entry.payload["container_sha256"] == exported.container_sha256
        assert export_entry.payload["bundle_id"] == exported.bundle_id
    assert isinstance(statutory, list)


def test_importing_twice_changes_nothing_and_says_so(officers: Officers, tmp_path: Path) -> None:
    out = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, out)
    first = import_bundle(officers.b, out)
    before = _counts(officers.b)
    second = import_bundle(officers.b, out)
    assert second.already_imported and second.request_ref == first.request_ref
    assert _counts(officers.b) == before


def _vault_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def test_tampered_bundle_is_refused_and_nothing_is_written(
    officers: Officers, tmp_path: Path
) -> None:
    out = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, out)
    tampered = tmp_path / "tampered.asice"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "attachments/ledger.csv":
                data = bytes([data[0] ^ 1]) + data[1:]
            dst.writestr(item, data)
    before_counts = _counts(officers.b)
    officers.b.close()
    before_files = _vault_files(officers.b_dir)
    from casecoord.vault.vault import open_vault

    officers.b = open_vault(officers.b_dir, PASSPHRASE)
    assert not verify_file(officers.b, tampered).ok
    with pytest.raises(BundleError, match="differs from the signed manifest"):
        import_bundle(officers.b, tampered)
    assert _counts(officers.b) == before_counts
    officers.b.close()
    assert _vault_files(officers.b_dir) == before_files
    officers.b = open_vault(officers.b_dir, PASSPHRASE)


def test_unknown_signer_is_refused_unless_its_fingerprint_is_accepted(
    officers: Officers, tmp_path: Path
) -> None:
    stranger, _ = create_vault(tmp_path / "vault-c", PASSPHRASE, FAST_TEST_PARAMS)
    try:
        out = tmp_path / "bundle.asice"
        export_bundle(officers.a, REQUEST_REF, out)
        create_identity(stranger, "Nobody Known", "Elsewhere", "PE")
        before = _counts(stranger)
        result = verify_file(stranger, out)
        assert not result.ok
        fp = result.report.signer_fingerprint
        assert fp is not None
        assert any(f"unknown signer, fingerprint {fp}" in line for line in result.lines())
        with pytest.raises(UnknownSignerError, match="--accept-fingerprint"):
            import_bundle(stranger, out)
        assert _counts(stranger) == before
        with pytest.raises(UnknownSignerError):
            import_bundle(stranger, out, accept_fingerprint="00" * 32)
        accepted = import_bundle(stranger, out, accept_fingerprint=fp.replace(":", "").lower())
        assert accepted.signer_name == "accepted by fingerprint"
        with stranger.session() as session:
            entry = session.exec(
                select(AuditEntry).where(AuditEntry.action == "bundle.import")
            ).one()
            assert entry.payload is not None and entry.payload["accepted_fingerprint"] == fp
    finally:
        stranger.close()


def test_incomplete_request_is_not_exported(officers: Officers, tmp_path: Path) -> None:
    requests.update_request(officers.a, REQUEST_REF, {"facts": ""})
    with pytest.raises(IncompleteRequestError, match="not complete"):
        export_bundle(officers.a, REQUEST_REF, tmp_path / "x.asice")
    assert not (tmp_path / "x.asice").exists()


def test_restricted_request_needs_a_recorded_release(officers: Officers, tmp_path: Path) -> None:
    requests.update_request(officers.a, REQUEST_REF, {"handling_code": "H2"})
    with pytest.raises(ReleaseNotConfirmedError, match="H2"):
        export_bundle(officers.a, REQUEST_REF, tmp_path / "x.asice")
    assert not (tmp_path / "x.asice").exists()
    export_bundle(
        officers.a,
        REQUEST_REF,
        tmp_path / "x.asice",
        confirm_release="prosecutor agreed 2026-03-01",
    )
    with officers.a.session() as session:
        entry = session.exec(
            select(AuditEntry)
            .where(AuditEntry.action == "handling.release-confirmed")
            .order_by(col(AuditEntry.seq).desc())
        ).first()
        assert entry is not None and entry.payload is not None
        assert entry.payload["reason"] == "prosecutor agreed 2026-03-01"


def test_mark_sent_moves_a_ready_request_only(officers: Officers, tmp_path: Path) -> None:
    from casecoord.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="only a ready request"):
        export_bundle(officers.a, REQUEST_REF, tmp_path / "x.asice", mark_sent=True)
    requests.change_request_status(officers.a, REQUEST_REF, "ready")
    export_bundle(officers.a, REQUEST_REF, tmp_path / "x.asice", mark_sent=True)
    assert requests.get_request(officers.a, REQUEST_REF).request.status == "sent"


def test_copy_of_the_same_bundle_elsewhere_is_still_the_same_bundle(
    officers: Officers, tmp_path: Path
) -> None:
    out = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, out)
    copy = tmp_path / "renamed-copy.asice"
    shutil.copy(out, copy)
    import_bundle(officers.b, out)
    assert import_bundle(officers.b, copy).already_imported
