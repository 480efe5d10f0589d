"""Independent checkers for what casecoord exports: pyHanko (CMS/AdES), the ETSI XSD, OpenSSL.

None of them is casecoord code: a bundle or receipt they accept is one a counterpart's own
tooling accepts. Shared by the exchange tests.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
from functools import cache
from pathlib import Path

import xmlschema
from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.policy_decl import SignatureValidationSpec
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
ETSI_XSD = Path(__file__).parent / "etsi" / "en_31916201v010101.xsd"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"


def openssl(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [OPENSSL, *args], input=stdin, capture_output=True, check=False, timeout=120
    )


@cache
def asic_manifest_schema() -> xmlschema.XMLSchema:
    """The ETSI EN 319 162-1 ASiCManifest schema, its xmldsig import served locally."""
    dsig = Path(xmlschema.__file__).parent / "schemas" / "DSIG" / "xmldsig-core-schema.xsd"
    return xmlschema.XMLSchema(str(ETSI_XSD), locations={DSIG_NS: str(dsig)}, allow="local")


def assert_valid_asic_manifest(manifest: bytes) -> None:
    schema = asic_manifest_schema()
    errors = list(schema.iter_errors(manifest.decode("utf-8")))
    assert not errors, [str(e)[:300] for e in errors]


def pem_files(directory: Path, cert: x509.Certificate, key: object | None, stem: str) -> Path:
    """``stem.pem`` (certificate) and, with a key, ``stem.key`` (unencrypted, test only)."""
    cert_path = directory / f"{stem}.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
        (directory / f"{stem}.key").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return cert_path


def assert_cades_baseline_b(signature_der: bytes, content: bytes, signer: x509.Certificate) -> None:
    """pyHanko's CMS validation and its ETSI EN 319 102-1 basic validation both pass, trusting
    ``signer`` only, and the signed attributes are the four CAdES-B-B requires."""
    info = asn1_cms.ContentInfo.load(signature_der)
    signed = info["content"]
    trust = asn1_x509.Certificate.load(signer.public_bytes(serialization.Encoding.DER))

    status = asyncio.run(
        async_validate_detached_cms(
            content, signed, signer_validation_context=ValidationContext(trust_roots=[trust])
        )
    )
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.bottom_line

    spec = SignatureValidationSpec(
        cert_validation_policy=CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(trust_roots=[trust]),
            revinfo_policy=CertRevTrustPolicy(
                RevocationCheckingPolicy(
                    RevocationCheckingRule.NO_CHECK, RevocationCheckingRule.NO_CHECK
                )
            ),
        )
    )
    result = asyncio.run(
        ades.ades_basic_validation(signed, spec, raw_digest=hashlib.sha256(content).digest())
    )
    assert result.ades_subindic == ades.AdESPassed.OK, result.ades_subindic

    (signer_info,) = signed["signer_infos"]
    attrs = signer_info["signed_attrs"]
    assert find_unique_cms_attribute(attrs, "content_type").native == "data"
    assert find_unique_cms_attribute(attrs, "signing_time").native is not None
    digest = find_unique_cms_attribute(attrs, "message_digest").native
    assert digest == hashlib.sha256(content).digest()
    ess = find_unique_cms_attribute(attrs, "signing_certificate_v2")
    first = ess["certs"][0]
    assert first["hash_algorithm"]["algorithm"].native == "sha256"
    assert first["cert_hash"].native == hashlib.sha256(trust.dump()).digest()
    assert first["issuer_serial"]["serial_number"].native == signer.serial_number
