"""Export then verify: what a counterpart checks, here and with plain OpenSSL."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from bundle_examples import MINIMAL_PDF, bytes_source, example_request_doc
from cryptography.hazmat.primitives import serialization

from casecoord.bundle.errors import BundleError, RequestDocumentError, UntrustedSignerError
from casecoord.bundle.identity import OfficerIdentity, certificate_to_pem
from casecoord.bundle.verify import open_verified, verify_bundle
from casecoord.bundle.writer import AttachmentSource, BundleInfo, write_bundle

OPENSSL = "/usr/bin/openssl"
ASIC = "{http://uri.etsi.org/02918/v1.2.1#}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"

EVIDENCE = {
    "Extracto bancario ñ.pdf": b"%PDF-1.7 bank statement " * 50,
    "photo.jpg": bytes(range(256)) * 40,
}


def _export(tmp_path: Path, officer: OfficerIdentity, **kwargs: object) -> BundleInfo:
    sources = [bytes_source(name, data) for name, data in EVIDENCE.items()]
    dest = tmp_path / ("bundle.p7m" if "recipient" in kwargs else "bundle.asice")
    return write_bundle(dest, example_request_doc(), MINIMAL_PDF, sources, officer, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def bundle(tmp_path: Path, officer: OfficerIdentity) -> BundleInfo:
    return _export(tmp_path, officer)


def _pins(identity: OfficerIdentity) -> dict[str, str]:
    return {identity.fingerprint: identity.name}


def test_exported_bundle_verifies_and_names_the_trusted_signer(
    bundle: BundleInfo, officer: OfficerIdentity
) -> None:
    report = verify_bundle(bundle.path, _pins(officer))
    assert report.ok, report.lines()
    assert report.trusted and report.signature_valid
    assert report.signer_fingerprint == officer.fingerprint
    assert any(line.endswith(f"trusted signer: {officer.name}") for line in report.lines())
    assert report.request_doc is not None
    assert report.request_doc["request"]["reference"] == "NL-MLA-2025-0042"
    assert hashlib.sha256(bundle.path.read_bytes()).hexdigest() == bundle.sha256


def test_container_layout_follows_asic_e(bundle: BundleInfo) -> None:
    raw = bundle.path.read_bytes()
    assert raw[30:38] == b"mimetype"
    assert raw[38:69] == b"application/vnd.etsi.asic-e+zip"
    with zipfile.ZipFile(bundle.path) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b""
        names = zf.namelist()
        assert {
            "request.json",
            "request.pdf",
            "META-INF/ASiCManifest.xml",
            "META-INF/signature.p7s",
        } <= set(names)
        assert "attachments/Extracto bancario ñ.pdf" in names
        doc = json.loads(zf.read("request.json"))
        assert (
            zf.read("request.json")
            == json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        )
        assert [a["name"] for a in doc["attachments"]] == list(EVIDENCE)


def test_openssl_verifies_signature_and_digests_match_independently(
    bundle: BundleInfo, officer: OfficerIdentity, tmp_path: Path
) -> None:
    out = tmp_path / "extracted"
    with zipfile.ZipFile(bundle.path) as zf:
        zf.extractall(out)
    manifest = out / "META-INF" / "ASiCManifest.xml"
    cert = tmp_path / "signer.pem"
    cert.write_bytes(certificate_to_pem(officer.signing_cert))
    for trust in (["-noverify"], ["-CAfile", str(cert), "-purpose", "any"]):
        result = subprocess.run(
            [
                OPENSSL,
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                str(out / "META-INF" / "signature.p7s"),
                "-content",
                str(manifest),
                "-out",
                "/dev/null",
                *trust,
            ],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "Verification successful" in result.stderr
    root = ET.parse(manifest).getroot()
    assert root.tag == f"{ASIC}ASiCManifest"
    sig_ref = root.find(f"{ASIC}SigReference")
    assert sig_ref is not None and sig_ref.get("URI") == "META-INF/signature.p7s"
    assert sig_ref.get("MimeType") == "application/pkcs7-signature"
    listed = {}
    for ref in root.findall(f"{ASIC}DataObjectReference"):
        method = ref.find(f"{DS}DigestMethod")
        assert method is not None
        assert method.get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#sha256"
        value = ref.find(f"{DS}DigestValue")
        assert value is not None and value.text
        listed[unquote(ref.get("URI", ""))] = base64.b64decode(value.text)
    on_disk = {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).digest()
        for p in out.rglob("*")
        if p.is_file()
        and p.relative_to(out).as_posix()
        not in ("mimetype", "META-INF/ASiCManifest.xml", "META-INF/signature.p7s")
    }
    assert listed == on_disk


def test_encrypted_bundle_opens_with_openssl_and_verifies(
    tmp_path: Path, officer: OfficerIdentity, counterpart: OfficerIdentity
) -> None:
    info = _export(tmp_path, officer, recipient=counterpart.encryption_cert)
    assert info.path.suffix == ".p7m" and info.encrypted_for == counterpart.encryption_fingerprint
    cert = tmp_path / "recip.pem"
    key = tmp_path / "recip.key"
    cert.write_bytes(certificate_to_pem(counterpart.encryption_cert))
    key.write_bytes(
        counterpart.encryption_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    plain = tmp_path / "opened.asice"
    subprocess.run(
        [
            OPENSSL,
            "cms",
            "-decrypt",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(info.path),
            "-recip",
            str(cert),
            "-inkey",
            str(key),
            "-out",
            str(plain),
        ],
        check=True,
        capture_output=True,
    )
    assert hashlib.sha256(plain.read_bytes()).hexdigest() == info.container_sha256
    assert verify_bundle(plain, _pins(officer)).ok
    report = verify_bundle(info.path, _pins(officer), decryption=counterpart)
    assert report.ok and report.encrypted, report.lines()


def test_encrypted_bundle_without_the_right_key_is_refused(
    tmp_path: Path,
    officer: OfficerIdentity,
    counterpart: OfficerIdentity,
    stranger: OfficerIdentity,
) -> None:
    info = _export(tmp_path, officer, recipient=counterpart.encryption_cert)
    locked = verify_bundle(info.path, _pins(officer))
    assert not locked.ok and "encrypted" in locked.failures[0].detail
    wrong = verify_bundle(info.path, _pins(officer), decryption=stranger)
    assert not wrong.ok and "not addressed to you" in wrong.failures[0].detail


def test_signer_not_pinned_is_untrusted_until_accepted(
    bundle: BundleInfo, officer: OfficerIdentity, counterpart: OfficerIdentity
) -> None:
    report = verify_bundle(bundle.path, _pins(counterpart))
    assert not report.ok and report.signature_valid and not report.trusted
    (failure,) = report.failures
    assert failure.name == "signer"
    assert f"unknown signer, fingerprint {officer.fingerprint}" in failure.detail
    with pytest.raises(UntrustedSignerError):
        report.raise_for_failure()
    typed = officer.fingerprint.replace(":", "").lower()
    assert verify_bundle(bundle.path, {typed: "Ayşe"}).ok


def test_extractor_streams_verified_attachments(
    bundle: BundleInfo, officer: OfficerIdentity
) -> None:
    with open_verified(bundle.path, _pins(officer)) as verified:
        assert verified.request_doc["case"]["reference"] == "CASE-2025-007"
        assert verified.letter_pdf() == MINIMAL_PDF
        got = {a.name: b"".join(verified.open_attachment(a)) for a in verified.attachments}
    assert got == EVIDENCE


def test_extractor_refuses_before_yielding_anything(
    bundle: BundleInfo, stranger: OfficerIdentity
) -> None:
    with pytest.raises(UntrustedSignerError, match="unknown signer"):
        with open_verified(bundle.path, _pins(stranger)):
            pytest.fail("an unverified bundle must not be opened for import")


def test_writer_refuses_invalid_request_and_leaves_nothing(
    tmp_path: Path, officer: OfficerIdentity
) -> None:
    doc = example_request_doc()
    doc["request"]["kind"] = "favour"
    out = tmp_path / "usb"
    out.mkdir()
    with pytest.raises(RequestDocumentError, match="request/kind"):
        write_bundle(out / "b.asice", doc, MINIMAL_PDF, [], officer)
    assert list(out.iterdir()) == []


def test_crash_while_streaming_leaves_no_half_bundle(
    tmp_path: Path, officer: OfficerIdentity
) -> None:
    def failing() -> Iterator[bytes]:
        yield b"first chunk"
        raise OSError("USB stick pulled")

    out = tmp_path / "usb"
    out.mkdir()
    with pytest.raises(BundleError, match="USB stick pulled"):
        write_bundle(
            out / "b.asice",
            example_request_doc(),
            MINIMAL_PDF,
            [AttachmentSource("a.bin", "application/octet-stream", failing)],
            officer,
        )
    assert list(out.iterdir()) == []


def test_existing_bundle_is_not_overwritten_silently(
    bundle: BundleInfo, officer: OfficerIdentity
) -> None:
    before = bundle.path.read_bytes()
    with pytest.raises(BundleError, match="already exists"):
        write_bundle(bundle.path, example_request_doc(), MINIMAL_PDF, [], officer)
    assert bundle.path.read_bytes() == before


def test_same_input_gives_same_container_except_signature(
    tmp_path: Path, officer: OfficerIdentity
) -> None:
    a = write_bundle(tmp_path / "a.asice", example_request_doc(), MINIMAL_PDF, [], officer)
    b = write_bundle(tmp_path / "b.asice", example_request_doc(), MINIMAL_PDF, [], officer)
    assert a.entries == b.entries
