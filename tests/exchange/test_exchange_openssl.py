"""Exported bundles check out with plain OpenSSL and an independent manifest parser.

This is what a counterpart without casecoord does (README, "Exchanging request bundles"), so it is
tested with the system ``openssl`` and ``xml.etree``, never with our own reader.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from casecoord.services.exchange import export_bundle, import_bundle
from casecoord.services.identity_store import load_identity, show_identity
from tests.exchange.conftest import REQUEST_REF, Officers

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
pytestmark = pytest.mark.skipif(not Path(OPENSSL).exists(), reason="system openssl missing")


def _openssl(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([OPENSSL, *args], capture_output=True, check=False, timeout=60)


def _check_with_openssl(container: Path, workdir: Path, signer_pem: Path) -> None:
    workdir.mkdir()
    with zipfile.ZipFile(container) as zf:
        zf.extractall(workdir)
        assert zf.infolist()[0].filename == "mimetype"
        assert zf.infolist()[0].compress_type == zipfile.ZIP_STORED
    manifest = workdir / "META-INF" / "ASiCManifest.xml"
    signature = workdir / "META-INF" / "signature.p7s"
    noverify = _openssl(
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        str(signature),
        "-content",
        str(manifest),
        "-noverify",
        "-out",
        "/dev/null",
    )
    assert noverify.returncode == 0, noverify.stderr
    pinned = _openssl(
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        str(signature),
        "-content",
        str(manifest),
        "-CAfile",
        str(signer_pem),
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    )
    assert pinned.returncode == 0, pinned.stderr
    root = ET.parse(manifest).getroot()
    listed = {}
    for ref in root.iter():
        if ref.tag.endswith("DataObjectReference"):
            value = next(e.text for e in ref.iter() if e.tag.endswith("DigestValue"))
            listed[ref.attrib["URI"]] = value
    assert "request.json" in listed and "request.pdf" in listed
    assert {n for n in listed if n.startswith("attachments/")} == {
        "attachments/manifest.pdf",
        "attachments/ledger.csv",
    }
    import base64

    for name, value in listed.items():
        actual = hashlib.sha256((workdir / name).read_bytes()).digest()
        assert base64.b64decode(str(value)) == actual or str(value).lower() == actual.hex(), name


def test_bundle_verifies_with_openssl_and_sha256(officers: Officers, tmp_path: Path) -> None:
    out = tmp_path / "bundle.asice"
    export_bundle(officers.a, REQUEST_REF, out)
    signer_pem = tmp_path / "signer.pem"
    identity = load_identity(officers.a)
    assert identity is not None
    signer_pem.write_bytes(identity.signing_cert.public_bytes(serialization.Encoding.PEM))
    _check_with_openssl(out, tmp_path / "x", signer_pem)


def test_encrypted_bundle_opens_with_openssl_and_imports(
    officers: Officers, tmp_path: Path
) -> None:
    out = tmp_path / "bundle.p7m"
    result = export_bundle(officers.a, REQUEST_REF, out, encrypt_for="restrepo")
    assert result.encrypted_for == "restrepo" and result.sha256 != result.container_sha256
    identity_b = load_identity(officers.b)
    assert identity_b is not None
    cert = tmp_path / "b-enc.pem"
    key = tmp_path / "b-enc.key"
    cert.write_bytes(identity_b.encryption_cert.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        identity_b.encryption_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    plain = tmp_path / "plain.asice"
    opened = _openssl(
        "cms",
        "-decrypt",
        "-inform",
        "DER",
        "-in",
        str(out),
        "-recip",
        str(cert),
        "-inkey",
        str(key),
        "-out",
        str(plain),
    )
    assert opened.returncode == 0, opened.stderr
    assert hashlib.sha256(plain.read_bytes()).hexdigest() == result.container_sha256
    signer_pem = tmp_path / "signer.pem"
    signer_pem.write_text(
        show_identity(officers.a).public_pem.split("-----END CERTIFICATE-----")[0]
        + "-----END CERTIFICATE-----\n"
    )
    _check_with_openssl(plain, tmp_path / "x", signer_pem)
    imported = import_bundle(officers.b, out)
    assert imported.container_sha256 == result.container_sha256
    assert not import_bundle(officers.b, out).persons  # second time: already imported


def test_encryption_to_an_ec_only_certificate_is_refused_with_the_reason(
    officers: Officers, tmp_path: Path
) -> None:
    from casecoord.bundle.errors import EncryptionError
    from casecoord.services.identity_store import pin_counterpart

    identity_b = load_identity(officers.b)
    assert identity_b is not None
    pin_counterpart(
        officers.a,
        "restrepo",
        identity_b.signing_cert.public_bytes(serialization.Encoding.PEM),
    )
    with pytest.raises(EncryptionError, match="EC P-256 key; bundles can only be encrypted to RSA"):
        export_bundle(officers.a, REQUEST_REF, tmp_path / "x.p7m", encrypt_for="restrepo")
