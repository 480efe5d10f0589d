"""Receipts: B acknowledges A's bundle, A's request moves to acknowledged; tampering is refused."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from sqlmodel import select

from casecoord.domain.models import AuditEntry
from casecoord.services import requests
from casecoord.services.exchange import export_bundle, import_bundle
from casecoord.services.identity_store import load_identity
from casecoord.services.receipts import (
    ReceiptError,
    import_receipt,
    make_receipt,
    make_refusal,
)
from tests.exchange.conftest import REQUEST_REF, Officers


def _sent_and_imported(officers: Officers, tmp_path: Path) -> Path:
    requests.change_request_status(officers.a, REQUEST_REF, "ready")
    bundle = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, bundle, mark_sent=True)
    imported = import_bundle(officers.b, bundle)
    return make_receipt(officers.b, imported, tmp_path / "bundle.receipt")


def test_receipt_round_trip_moves_the_request_to_acknowledged(
    officers: Officers, tmp_path: Path
) -> None:
    receipt = _sent_and_imported(officers, tmp_path)
    result = import_receipt(officers.a, receipt)
    assert (result.outcome, result.status_before, result.status_after) == (
        "accepted",
        "sent",
        "acknowledged",
    )
    assert requests.get_request(officers.a, REQUEST_REF).request.status == "acknowledged"
    with officers.a.session() as session:
        evidence = session.exec(
            select(AuditEntry).where(AuditEntry.action == "bundle.receipt")
        ).one()
        assert evidence.payload is not None and evidence.payload["receipt"]["outcome"] == "accepted"
    again = import_receipt(officers.a, receipt)
    assert again.already_recorded


def test_receipt_verifies_with_openssl(officers: Officers, tmp_path: Path) -> None:
    receipt = _sent_and_imported(officers, tmp_path)
    work = tmp_path / "r"
    with zipfile.ZipFile(receipt) as zf:
        zf.extractall(work)
    checked = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(work / "META-INF/signature.p7s"),
            "-content",
            str(work / "receipt.json"),
            "-noverify",
            "-out",
            "/dev/null",
        ],
        capture_output=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def _rewritten(receipt: Path, out: Path, change: bytes, to: bytes) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(receipt) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "receipt.json":
                assert change in data
                data = data.replace(change, to)
            dst.writestr(info, data)
    out.write_bytes(buffer.getvalue())
    return out


def test_tampered_receipt_is_refused_and_status_unchanged(
    officers: Officers, tmp_path: Path
) -> None:
    receipt = _sent_and_imported(officers, tmp_path)
    forged = _rewritten(receipt, tmp_path / "forged.receipt", b'"accepted"', b'"refused"')
    with pytest.raises(ReceiptError, match="signature"):
        import_receipt(officers.a, forged)
    assert requests.get_request(officers.a, REQUEST_REF).request.status == "sent"


def test_receipt_by_an_unpinned_signer_is_refused(officers: Officers, tmp_path: Path) -> None:
    receipt = _sent_and_imported(officers, tmp_path)
    from casecoord.services.identity_store import pin_counterpart

    other = load_identity(officers.a)
    assert other is not None
    from cryptography.hazmat.primitives import serialization

    pin_counterpart(
        officers.a, "restrepo", other.signing_cert.public_bytes(serialization.Encoding.PEM)
    )
    with pytest.raises(ReceiptError, match="unknown certificate"):
        import_receipt(officers.a, receipt)


def test_refusal_receipt_keeps_the_status_and_records_the_reason(
    officers: Officers, tmp_path: Path
) -> None:
    requests.change_request_status(officers.a, REQUEST_REF, "ready")
    bundle = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, bundle, mark_sent=True)
    refusal = make_refusal(officers.b, bundle, "no Spanish translation", tmp_path / "r.receipt")
    result = import_receipt(officers.a, refusal)
    assert result.outcome == "refused" and result.reason == "no Spanish translation"
    assert requests.get_request(officers.a, REQUEST_REF).request.status == "sent"
