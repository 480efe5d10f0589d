"""Bundles and receipts as tools nobody here wrote see them, and containers they made imported.

pyHanko (CMS validation and ETSI EN 319 102-1 basic validation) and the ETSI ASiC manifest XSD
check what casecoord exports; OpenSSL opens the envelopes for the recipient *and* the sender.
The other way round, ASiC-E and ASiC-S containers whose manifests are written by hand and whose
signatures come from ``openssl cms -sign -cades`` alone (zipped with ``zip``) are imported.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from casecoord.bundle.cms import ContentCipher
from casecoord.bundle.identity import OfficerIdentity, fingerprint, load_certificate
from casecoord.services import contacts, requests
from casecoord.services.exchange import (
    UnknownSignerError,
    export_bundle,
    import_bundle,
    verify_file,
)
from casecoord.services.identity_store import load_identity, pin_counterpart
from casecoord.services.receipts import import_receipt, make_receipt, make_refusal
from tests.exchange.conftest import REQUEST_REF, Officers
from tests.exchange.standards import (
    assert_cades_baseline_b,
    assert_valid_asic_manifest,
    openssl,
    pem_files,
)

REPO = Path(__file__).resolve().parents[2]
RECEIPT_SCHEMA = json.loads((REPO / "schemas" / "receipt.schema.json").read_text("utf-8"))


def _identity(vault: Any) -> OfficerIdentity:
    found = load_identity(vault)
    assert found is not None
    return found


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _validate_receipt(body: bytes) -> dict[str, Any]:
    doc = json.loads(body)
    jsonschema.Draft202012Validator(
        RECEIPT_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(doc)
    assert isinstance(doc, dict)
    return doc


# -- what casecoord exports ------------------------------------------------------------------


def test_bundle_signature_is_cades_b_b_for_pyhanko_openssl_and_the_etsi_xsd(
    officers: Officers, tmp_path: Path
) -> None:
    out = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, out)
    entries = _entries(out)
    manifest = entries["META-INF/ASiCManifest.xml"]
    signature = entries["META-INF/signature.p7s"]
    a = _identity(officers.a)
    assert_cades_baseline_b(signature, manifest, a.signing_cert)
    assert_valid_asic_manifest(manifest)

    (tmp_path / "m.xml").write_bytes(manifest)
    (tmp_path / "s.p7s").write_bytes(signature)
    cert = pem_files(tmp_path, a.signing_cert, None, "a")
    checked = openssl(
        "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "s.p7s"),
        "-content", str(tmp_path / "m.xml"), "-CAfile", str(cert), "-purpose", "any",
        "-out", "/dev/null",
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    printed = openssl("cms", "-cmsout", "-print", "-inform", "DER", "-in", str(tmp_path / "s.p7s"))
    assert b"id-smime-aa-signingCertificateV2" in printed.stdout
    assert b"signingTime" in printed.stdout


def test_the_etsi_xsd_refuses_a_manifest_without_its_sig_reference(
    officers: Officers, tmp_path: Path
) -> None:
    """The schema check above is not vacuous: a manifest missing SigReference fails it."""
    out = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, out)
    manifest = _entries(out)["META-INF/ASiCManifest.xml"].decode("utf-8")
    broken = "\n".join(line for line in manifest.splitlines() if "SigReference" not in line)
    with pytest.raises(AssertionError):
        assert_valid_asic_manifest(broken.encode("utf-8"))


def test_receipts_are_cades_b_b_and_follow_the_published_schema(
    officers: Officers, tmp_path: Path
) -> None:
    requests.change_request_status(officers.a, REQUEST_REF, "ready")
    bundle = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, bundle, mark_sent=True)
    imported = import_bundle(officers.b, bundle)
    accepted = make_receipt(officers.b, imported, tmp_path / "ok.receipt")
    refused = make_refusal(officers.b, bundle, "no Spanish translation", tmp_path / "no.receipt")
    b = _identity(officers.b)
    outcomes = []
    for receipt in (accepted, refused):
        entries = _entries(receipt)
        assert list(entries)[0] == "mimetype"
        assert entries["mimetype"] == b"application/vnd.etsi.asic-s+zip"
        body, signature = entries["receipt.json"], entries["META-INF/signature.p7s"]
        assert_cades_baseline_b(signature, body, b.signing_cert)
        outcomes.append(_validate_receipt(body)["outcome"])
    assert outcomes == ["accepted", "refused"]
    with pytest.raises(jsonschema.ValidationError):
        _validate_receipt(json.dumps({**_validate_receipt(_entries(accepted)["receipt.json"]),
                                      "outcome": "maybe"}).encode())  # fmt: skip
    with pytest.raises(jsonschema.ValidationError):
        body = _validate_receipt(_entries(refused)["receipt.json"])
        _validate_receipt(json.dumps({**body, "reason": None}).encode())


@pytest.mark.parametrize(
    ("cipher", "kind"),
    [
        (ContentCipher.AES_256_GCM, b"id-smime-ct-authEnvelopedData"),
        (ContentCipher.AES_256_CBC, b"pkcs7-envelopedData"),
    ],
)
def test_an_encrypted_bundle_opens_with_openssl_for_the_recipient_and_the_sender(
    officers: Officers, tmp_path: Path, cipher: ContentCipher, kind: bytes
) -> None:
    out = tmp_path / "bundle.p7m"
    result = export_bundle(officers.a, REQUEST_REF, out, encrypt_for="restrepo", cipher=cipher)
    assert result.envelope == cipher.description
    printed = openssl("cms", "-cmsout", "-print", "-inform", "DER", "-in", str(out)).stdout
    assert kind in printed
    assert printed.count(b"algorithm: rsaesOaep") == 2
    for vault, stem in ((officers.b, "recipient"), (officers.a, "sender")):
        who = _identity(vault)
        cert = pem_files(tmp_path, who.encryption_cert, who.encryption_key, stem)
        plain = tmp_path / f"{stem}.asice"
        opened = openssl(
            "cms", "-decrypt", "-inform", "DER", "-in", str(out), "-recip", str(cert),
            "-inkey", str(tmp_path / f"{stem}.key"), "-out", str(plain),
        )  # fmt: skip
        assert opened.returncode == 0, opened.stderr
        assert hashlib.sha256(plain.read_bytes()).hexdigest() == result.container_sha256
    own = verify_file(officers.a, out)
    assert own.ok and own.report.signed_by_you, own.lines()
    assert any("opened with your encryption key" in line for line in own.lines())
    assert import_bundle(officers.b, out).container_sha256 == result.container_sha256


def test_verifying_your_own_bundle_says_signed_by_you(officers: Officers, tmp_path: Path) -> None:
    out = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, out)
    result = verify_file(officers.a, out)
    assert result.ok, result.lines()
    assert result.report.signed_by_you and result.report.signer_name == "you"
    signer = next(c for c in result.report.checks if c.name == "signer")
    assert signer.detail.startswith("signed by you: this vault's own identity")
    assert not any("unknown signer" in line for line in result.lines())
    (summary,) = result.report.signatures
    assert (
        summary.profile == "CAdES-B-B" and summary.fingerprint == _identity(officers.a).fingerprint
    )


# -- what other tools make -------------------------------------------------------------------


def _openssl_signer(directory: Path, name: str) -> tuple[Path, Path]:
    """An RSA key and self-signed certificate made by ``openssl req`` alone."""
    key, cert = directory / f"{name}.key", directory / f"{name}.pem"
    made = openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
        "-days", "30", "-subj", f"/CN={name}/O=Interop test/C=ES",
        "-addext", "keyUsage=critical,digitalSignature,nonRepudiation",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return cert, key


def _manifest(signature: str, objects: dict[str, bytes]) -> bytes:
    """An ASiCManifest as a counterpart's tool would write it (other prefixes, other layout)."""
    import base64

    refs = "".join(
        f'<DataObjectReference URI="{name}" MimeType="application/octet-stream">'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
        f"<ds:DigestValue>{base64.b64encode(hashlib.sha256(data).digest()).decode()}"
        "</ds:DigestValue></DataObjectReference>"
        for name, data in objects.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ASiCManifest xmlns="http://uri.etsi.org/02918/v1.2.1#" '
        'xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        f'<SigReference URI="{signature}" MimeType="application/x-pkcs7-signature"/>'
        f"{refs}</ASiCManifest>"
    ).encode()


def _openssl_sign(work: Path, content: str, out: str, cert: Path, key: Path) -> None:
    signed = openssl(
        "cms", "-sign", "-cades", "-binary", "-md", "sha256", "-in", str(work / content),
        "-signer", str(cert), "-inkey", str(key), "-outform", "DER", "-out", str(work / out),
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr


def _zip(work: Path, out: Path, mimetype: str, names: list[str]) -> Path:
    import subprocess

    (work / "mimetype").write_bytes(mimetype.encode())
    for args in (["-0", str(out), "mimetype"], ["-r", str(out), *names]):
        subprocess.run(["zip", "-X", "-q", *args], cwd=work, check=True, timeout=60)
    return out


def _container_by_openssl(tmp_path: Path, source: Path, signers: list[tuple[Path, Path]]) -> Path:
    """The data objects of ``source`` re-signed by each signer with its own manifest, the way
    EN 319 162-1 names parallel signatures (ASiCManifest001.xml ↔ signature001.p7s…)."""
    work = tmp_path / "made-by-openssl"
    (work / "META-INF").mkdir(parents=True)
    objects = {
        n: d for n, d in _entries(source).items() if n != "mimetype" and not n.startswith("META")
    }
    for name, data in objects.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(data)
    for number, (cert, key) in enumerate(signers, start=1):
        signature = f"META-INF/signature{number:03d}.p7s"
        manifest = f"META-INF/ASiCManifest{number:03d}.xml"
        (work / manifest).write_bytes(_manifest(signature, objects))
        assert_valid_asic_manifest((work / manifest).read_bytes())
        _openssl_sign(work, manifest, signature, cert, key)
    return _zip(
        work, tmp_path / "made-by-openssl.asice", "application/vnd.etsi.asic-e+zip",
        [*objects, "META-INF"],
    )  # fmt: skip


def _pin(vault: Any, handle: str, cert: Path) -> None:
    contacts.add_contact(vault, contacts.ContactInput(name=handle, country="ES", handle=handle))
    pin_counterpart(vault, handle, cert.read_bytes())


def test_an_asic_e_made_by_openssl_with_two_signatures_imports_each_reported(
    officers: Officers, tmp_path: Path
) -> None:
    source = tmp_path / "source.asice"
    export_bundle(officers.a, REQUEST_REF, source)
    a = _identity(officers.a)
    a_cert = pem_files(tmp_path, a.signing_cert, a.signing_key, "ayse")
    second = _openssl_signer(tmp_path, "Segunda Firmante")
    _pin(officers.b, "segunda", second[0])
    container = _container_by_openssl(tmp_path, source, [(a_cert, tmp_path / "ayse.key"), second])
    names = list(_entries(container))
    assert names[0] == "mimetype"
    assert {"META-INF/ASiCManifest001.xml", "META-INF/signature002.p7s"} <= set(names)

    report = verify_file(officers.b, container)
    assert report.ok, report.lines()
    files = [s.file for s in report.report.signatures]
    assert files == ["META-INF/signature001.p7s", "META-INF/signature002.p7s"]
    assert {s.profile for s in report.report.signatures} == {"CAdES-B-B"}
    signers = [c.detail for c in report.report.checks if c.name == "signer"]
    assert signers == [
        "trusted signer (META-INF/signature001.p7s): Ayşe Yılmaz",
        "trusted signer (META-INF/signature002.p7s): segunda",
    ]
    imported = import_bundle(officers.b, container)
    assert not imported.already_imported and imported.attachments == 2


def test_an_unpinned_co_signer_stops_the_import_and_is_named(
    officers: Officers, tmp_path: Path
) -> None:
    source = tmp_path / "source.asice"
    export_bundle(officers.a, REQUEST_REF, source)
    a = _identity(officers.a)
    a_cert = pem_files(tmp_path, a.signing_cert, a.signing_key, "ayse")
    stranger = _openssl_signer(tmp_path, "Desconocido")
    container = _container_by_openssl(tmp_path, source, [(a_cert, tmp_path / "ayse.key"), stranger])
    report = verify_file(officers.b, container).report
    assert not report.ok and len(report.signatures) == 2
    failed = [c for c in report.checks if not c.passed]
    assert [c.name for c in failed] == ["signer"]
    assert "unknown signer (META-INF/signature002.p7s)" in failed[0].detail
    stranger_fp = fingerprint(load_certificate(stranger[0].read_bytes()))
    with pytest.raises(UnknownSignerError, match=stranger_fp):
        import_bundle(officers.b, container)


def test_an_asic_s_receipt_made_by_openssl_is_imported(officers: Officers, tmp_path: Path) -> None:
    requests.change_request_status(officers.a, REQUEST_REF, "ready")
    exported = export_bundle(officers.a, REQUEST_REF, tmp_path / "b.asice", mark_sent=True)
    b = _identity(officers.b)
    work = tmp_path / "receipt"
    (work / "META-INF").mkdir(parents=True)
    body = json.dumps(
        {
            "type": "casecoord-receipt",
            "version": 1,
            "bundle_id": exported.bundle_id,
            "container_sha256": exported.container_sha256,
            "request_reference": REQUEST_REF,
            "received_at": "2026-03-04T10:00:00+00:00",
            "by": {
                "name": "Camilo Restrepo",
                "organisation": "Fiscalía General de la Nación",
                "country": "CO",
                "fingerprint": b.fingerprint,
            },
            "outcome": "accepted",
            "reason": None,
            "local_reference": "CO-IN-77",
        },
        ensure_ascii=False,
    ).encode()
    _validate_receipt(body)
    (work / "receipt.json").write_bytes(body)
    cert = pem_files(work, b.signing_cert, b.signing_key, "b")
    _openssl_sign(work, "receipt.json", "META-INF/signature.p7s", cert, work / "b.key")
    for stray in ("b.pem", "b.key"):
        (work / stray).unlink()
    receipt = _zip(  # zip -r adds a META-INF/ directory entry, as most tools do
        work, tmp_path / "openssl.receipt", "application/vnd.etsi.asic-s+zip",
        ["receipt.json", "META-INF"],
    )  # fmt: skip
    assert "META-INF/" in _entries(receipt)
    result = import_receipt(officers.a, receipt)
    assert (result.outcome, result.status_after) == ("accepted", "acknowledged")
    assert result.signer_fingerprint == b.fingerprint
    bare = tmp_path / "without-mimetype.receipt"  # the mimetype entry is optional in ASiC-S
    with zipfile.ZipFile(bare, "w") as zf:
        zf.writestr("receipt.json", body)
        zf.writestr("META-INF/signature.p7s", (work / "META-INF" / "signature.p7s").read_bytes())
    again = import_receipt(officers.a, bare)
    assert (again.outcome, again.signer_fingerprint) == ("accepted", b.fingerprint)
