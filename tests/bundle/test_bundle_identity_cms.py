"""Officer identities and CMS: what counterparts check with plain OpenSSL must hold."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from casecoord.bundle import cms
from casecoord.bundle.errors import EncryptionError, IdentityError, SignatureError
from casecoord.bundle.identity import (
    OfficerIdentity,
    certificate_to_pem,
    fingerprint,
    import_pkcs12,
    normalize_fingerprint,
)

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def _pem_files(tmp_path: Path, cert: x509.Certificate, key: object) -> tuple[Path, Path]:
    cert_path = tmp_path / "cert.pem"
    key_path = tmp_path / "key.pem"
    cert_path.write_bytes(certificate_to_pem(cert))
    assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_generated_identity_has_ec_signing_and_rsa_encryption_keys(
    officer: OfficerIdentity,
) -> None:
    assert isinstance(officer.signing_key, ec.EllipticCurvePrivateKey)
    assert officer.signing_key.curve.name == "secp256r1"
    assert isinstance(officer.encryption_key, rsa.RSAPrivateKey)
    assert officer.encryption_key.key_size == 3072
    usage = officer.signing_cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature and usage.value.content_commitment
    enc_usage = officer.encryption_cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert enc_usage.value.key_encipherment and not enc_usage.value.digital_signature
    officer.signing_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert officer.name == "Ayşe Yılmaz"
    lifetime = officer.signing_cert.not_valid_after_utc - officer.signing_cert.not_valid_before_utc
    assert lifetime.days >= 3 * 365


def test_fingerprint_matches_openssl(officer: OfficerIdentity, tmp_path: Path) -> None:
    cert_path, _ = _pem_files(tmp_path, officer.signing_cert, officer.signing_key)
    out = subprocess.run(
        [OPENSSL, "x509", "-noout", "-fingerprint", "-sha256", "-in", str(cert_path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out.strip().split("=", 1)[1] == officer.fingerprint
    assert (
        normalize_fingerprint(officer.fingerprint.replace(":", " ").lower()) == officer.fingerprint
    )


def test_fingerprint_typed_badly_is_refused() -> None:
    with pytest.raises(IdentityError, match="64 hexadecimal"):
        normalize_fingerprint("AB:CD")


def test_identity_round_trips_through_bytes(officer: OfficerIdentity) -> None:
    again = OfficerIdentity.from_bytes(officer.to_bytes())
    assert again.signing_cert == officer.signing_cert
    assert again.encryption_cert == officer.encryption_cert
    assert again.fingerprint == officer.fingerprint
    parts = OfficerIdentity.from_parts(officer.to_parts())
    assert parts.encryption_fingerprint == officer.encryption_fingerprint
    with pytest.raises(IdentityError):
        OfficerIdentity.from_bytes(officer.to_bytes()[:200])


def _p12(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, cert: x509.Certificate) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"officer", key, cert, None, serialization.BestAvailableEncryption(b"s3cret")
    )


def test_pkcs12_import_with_ec_key_adds_an_encryption_pair(officer: OfficerIdentity) -> None:
    imported = import_pkcs12(_p12(officer.signing_key, officer.signing_cert), "s3cret")
    assert imported.fingerprint == officer.fingerprint
    assert imported.encryption_cert.subject == officer.signing_cert.subject
    assert isinstance(imported.encryption_key, rsa.RSAPrivateKey)


def test_pkcs12_import_with_rsa_key_reuses_it_when_allowed(officer: OfficerIdentity) -> None:
    imported = import_pkcs12(_p12(officer.encryption_key, officer.encryption_cert), b"s3cret")
    assert imported.signing_cert == officer.encryption_cert
    assert imported.encryption_cert == officer.encryption_cert


def test_pkcs12_wrong_password_is_a_clear_refusal(officer: OfficerIdentity) -> None:
    with pytest.raises(IdentityError, match="wrong password"):
        import_pkcs12(_p12(officer.signing_key, officer.signing_cert), "nope")


def test_detached_signature_verifies_here_and_with_openssl(
    officer: OfficerIdentity, tmp_path: Path
) -> None:
    content = b"<manifest/>\n"
    signature = cms.sign_detached(content, officer.signing_key, officer.signing_cert)
    assert cms.verify_detached(signature, content) == officer.signing_cert
    (tmp_path / "sig.p7s").write_bytes(signature)
    (tmp_path / "content").write_bytes(content)
    cert_path, _ = _pem_files(tmp_path, officer.signing_cert, officer.signing_key)
    for trust in (["-noverify"], ["-CAfile", str(cert_path), "-purpose", "any"]):
        subprocess.run(
            [
                OPENSSL,
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                str(tmp_path / "sig.p7s"),
                "-content",
                str(tmp_path / "content"),
                "-out",
                "/dev/null",
                *trust,
            ],
            check=True,
            capture_output=True,
        )


def test_rsa_signer_verifies(officer: OfficerIdentity) -> None:
    key, cert = officer.encryption_key, officer.encryption_cert
    usage_free = x509.CertificateBuilder(
        subject_name=cert.subject,
        issuer_name=cert.subject,
        public_key=key.public_key(),
        serial_number=1,
        not_valid_before=cert.not_valid_before_utc,
        not_valid_after=cert.not_valid_after_utc,
    ).sign(key, hashes.SHA256())
    signature = cms.sign_detached(b"data", key, usage_free)
    assert cms.verify_detached(signature, b"data") == usage_free


def test_changed_content_is_refused(officer: OfficerIdentity) -> None:
    signature = cms.sign_detached(b"original", officer.signing_key, officer.signing_cert)
    with pytest.raises(SignatureError, match="does not match the manifest"):
        cms.verify_detached(signature, b"originaL")


def test_flipped_signature_byte_is_refused(officer: OfficerIdentity) -> None:
    signature = bytearray(cms.sign_detached(b"x", officer.signing_key, officer.signing_cert))
    signature[-5] ^= 0x01
    with pytest.raises(SignatureError):
        cms.verify_detached(bytes(signature), b"x")


def test_second_signer_is_refused(officer: OfficerIdentity, stranger: OfficerIdentity) -> None:
    double = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(b"m")
        .add_signer(officer.signing_cert, officer.signing_key, hashes.SHA256())
        .add_signer(stranger.signing_cert, stranger.signing_key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )
    with pytest.raises(SignatureError, match="exactly one signature"):
        cms.verify_detached(double, b"m")


def test_garbage_signature_is_refused() -> None:
    with pytest.raises(SignatureError, match="damaged"):
        cms.verify_detached(b"\x30\x03\x02\x01\x01", b"m")
    with pytest.raises(SignatureError):
        cms.verify_detached(b"not der at all", b"m")


@pytest.mark.parametrize(
    ("cipher", "printed_kind", "printed_cipher"),
    [
        (cms.ContentCipher.AES_256_GCM, "authEnvelopedData", "aes-256-gcm"),
        (cms.ContentCipher.AES_256_CBC, "envelopedData", "aes-256-cbc"),
    ],
)
def test_envelope_opens_with_openssl_for_every_recipient_with_oaep(
    counterpart: OfficerIdentity,
    officer: OfficerIdentity,
    tmp_path: Path,
    cipher: cms.ContentCipher,
    printed_kind: str,
    printed_cipher: str,
) -> None:
    payload = bytes(range(256)) * 100 + b"\r\n\n"
    envelope = cms.encrypt_for(
        payload, [counterpart.encryption_cert, officer.encryption_cert], cipher=cipher
    )
    for who in (counterpart, officer):
        assert cms.decrypt(envelope, who.encryption_cert, who.encryption_key) == payload
        (tmp_path / "b.p7m").write_bytes(envelope)
        cert_path, key_path = _pem_files(tmp_path, who.encryption_cert, who.encryption_key)
        out = subprocess.run(
            [
                OPENSSL,
                "cms",
                "-decrypt",
                "-binary",
                "-inform",
                "DER",
                "-in",
                str(tmp_path / "b.p7m"),
                "-recip",
                str(cert_path),
                "-inkey",
                str(key_path),
            ],
            check=True,
            capture_output=True,
        ).stdout
        assert out == payload
    printed = subprocess.run(
        [OPENSSL, "cms", "-cmsout", "-print", "-inform", "DER", "-in", str(tmp_path / "b.p7m")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    content_type = next(line for line in printed.splitlines() if "contentType:" in line)
    assert printed_kind in content_type  # "envelopedData" is not in "authEnvelopedData"
    assert printed_cipher in printed
    assert printed.count("algorithm: rsaesOaep") == 2  # both recipients, OAEP


def test_an_altered_gcm_envelope_is_refused_as_altered(counterpart: OfficerIdentity) -> None:
    envelope = bytearray(cms.encrypt_for(b"secret " * 100, counterpart.encryption_cert))
    envelope[-40] ^= 0x01  # inside the ciphertext, before the 16-byte tag
    with pytest.raises(EncryptionError, match="altered or is damaged"):
        cms.decrypt(bytes(envelope), counterpart.encryption_cert, counterpart.encryption_key)


def test_a_legacy_pkcs1v15_cbc_envelope_still_opens(counterpart: OfficerIdentity) -> None:
    """What earlier versions (cryptography's PKCS7EnvelopeBuilder) wrote and many S/MIME tools
    still write: RSA PKCS#1 v1.5 key transport, AES-CBC."""
    legacy = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(b"old bundle")
        .set_content_encryption_algorithm(algorithms.AES256)
        .add_recipient(counterpart.encryption_cert)
        .encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )
    opened = cms.decrypt(legacy, counterpart.encryption_cert, counterpart.encryption_key)
    assert opened == b"old bundle"


def test_envelope_for_someone_else_is_refused(
    counterpart: OfficerIdentity, stranger: OfficerIdentity
) -> None:
    envelope = cms.encrypt_for(b"secret", counterpart.encryption_cert)
    with pytest.raises(EncryptionError, match="not addressed to you"):
        cms.decrypt(envelope, stranger.encryption_cert, stranger.encryption_key)


def test_ec_certificate_cannot_be_encrypted_to(counterpart: OfficerIdentity) -> None:
    with pytest.raises(EncryptionError, match="RSA"):
        cms.encrypt_for(b"secret", counterpart.signing_cert)


def test_fingerprint_function_matches_property(officer: OfficerIdentity) -> None:
    assert fingerprint(officer.signing_cert) == officer.fingerprint


def test_signature_carries_the_cades_b_b_signed_attributes(officer: OfficerIdentity) -> None:
    signature = cms.sign_detached(b"manifest", officer.signing_key, officer.signing_cert)
    (result,) = cms.verify_signers(signature, b"manifest")
    assert result.profile == cms.SIGNATURE_PROFILE == "CAdES-B-B"
    assert result.cert == officer.signing_cert and result.signing_time is not None
    signer = asn1_cms.ContentInfo.load(signature)["content"]["signer_infos"][0]
    types = sorted(a["type"].native for a in signer["signed_attrs"])
    assert types == ["content_type", "message_digest", "signing_certificate_v2", "signing_time"]


def test_a_plain_cms_signature_is_reported_as_such(officer: OfficerIdentity) -> None:
    plain = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(b"m")
        .add_signer(officer.signing_cert, officer.signing_key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )
    assert [r.profile for r in cms.verify_signers(plain, b"m")] == ["CMS"]


def test_an_ess_attribute_naming_another_certificate_is_refused(
    officer: OfficerIdentity, stranger: OfficerIdentity
) -> None:
    """Re-signed honestly by the officer's key, but binding the stranger's certificate: the
    certificate-substitution attack signing-certificate-v2 exists to stop."""
    info = asn1_cms.ContentInfo.load(
        cms.sign_detached(b"m", officer.signing_key, officer.signing_cert)
    )
    signer = info["content"]["signer_infos"][0]
    attrs = cms.signed_attributes(b"m", stranger.signing_cert, dt.datetime.now(dt.UTC))
    signer["signed_attrs"] = attrs
    assert isinstance(officer.signing_key, ec.EllipticCurvePrivateKey)
    signer["signature"] = officer.signing_key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
    with pytest.raises(SignatureError, match="signing-certificate attribute names another"):
        cms.verify_signers(info.dump(force=True), b"m")
