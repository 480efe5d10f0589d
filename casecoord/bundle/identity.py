"""The officer's own keys and certificates: generated here or imported from PKCS#12.

An officer holds two key pairs:

* a **signing** pair (EC P-256 by default, or the EC/RSA key of an imported PKCS#12) whose
  self-signed certificate counterparts pin by SHA-256 fingerprint, read out over the phone;
* an **encryption** pair, RSA-3072, with its own certificate (KeyUsage keyEncipherment). It exists
  because envelopes here use RSA key transport (RSAES-OAEP), which is what counterparts' S/MIME and
  OpenSSL tooling reads everywhere; an EC signing key could not receive an encrypted bundle. Keeping the
  two apart is also the usual hygiene: a signature key is never used to decrypt.

Everything here is pure: keys and certificates go in and out as ``cryptography`` objects or bytes.
The vault stores the bytes inside its encrypted database, so private keys are serialised as
unencrypted PKCS#8 DER (the database is the envelope, not the key encoding).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from casecoord.bundle.errors import IdentityError

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
"""Key types ``PKCS7SignatureBuilder`` can sign with and our verifier accepts."""

VALIDITY = dt.timedelta(days=3 * 365)
"""Lifetime of generated certificates: long enough to outlive most cases, short enough to rotate."""

_CLOCK_SKEW = dt.timedelta(minutes=5)
_RSA_BITS = 3072
_MIN_RSA_BITS = 2048
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----\r?\n.*?-----END \1-----\r?\n?", re.DOTALL)


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER as ``AB:CD:…``, like ``openssl x509 -fingerprint -sha256``.

    This is what two officers compare over the phone before pinning each other's certificate.
    """
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


def normalize_fingerprint(text: str) -> str:
    """Canonical form of a fingerprint typed by a person (spaces, dashes, case, no colons).

    Raises :class:`IdentityError` unless the text holds exactly 64 hexadecimal digits.
    """
    digits = re.sub(r"[\s:\-]", "", text).upper()
    if not re.fullmatch(r"[0-9A-F]{64}", digits):
        raise IdentityError("a SHA-256 fingerprint is 64 hexadecimal digits (32 pairs)")
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


def _subject(name: str, org: str, country: str, email: str | None) -> x509.Name:
    if not name.strip() or not org.strip():
        raise IdentityError("an identity needs the officer's name and organisation")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise IdentityError(f"country must be an ISO 3166 alpha-2 code such as NL, not {country!r}")
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, name.strip()),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org.strip()),
        x509.NameAttribute(NameOID.COUNTRY_NAME, country),
    ]
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


def _self_signed(
    key: SigningKey,
    subject: x509.Name,
    key_usage: x509.KeyUsage,
    email: str | None,
    now: dt.datetime,
) -> x509.Certificate:
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return builder.sign(key, hashes.SHA256())


_SIGNING_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
_ENCRYPTION_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=True,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _encryption_pair(
    subject: x509.Name, email: str | None, now: dt.datetime
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS)
    return key, _self_signed(key, subject, _ENCRYPTION_USAGE, email, now)


@dataclass(frozen=True)
class IdentityParts:
    """The four DER blobs of an identity, for a vault that keeps them in separate columns."""

    signing_key_der: bytes
    signing_cert_der: bytes
    encryption_key_der: bytes
    encryption_cert_der: bytes


@dataclass(frozen=True)
class OfficerIdentity:
    """The officer's signing and encryption key pairs with their certificates.

    ``signing_*`` signs bundles (its fingerprint is what counterparts pin); ``encryption_*`` is the
    RSA pair counterparts encrypt bundles to (envelopes use RSA key transport).
    """

    signing_key: SigningKey
    signing_cert: x509.Certificate
    encryption_key: rsa.RSAPrivateKey
    encryption_cert: x509.Certificate

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the signing certificate, the one counterparts pin."""
        return fingerprint(self.signing_cert)

    @property
    def encryption_fingerprint(self) -> str:
        return fingerprint(self.encryption_cert)

    @property
    def name(self) -> str:
        """The officer's common name as written in the signing certificate."""
        return common_name(self.signing_cert)

    def to_parts(self) -> IdentityParts:
        return IdentityParts(
            signing_key_der=private_key_to_der(self.signing_key),
            signing_cert_der=certificate_to_der(self.signing_cert),
            encryption_key_der=private_key_to_der(self.encryption_key),
            encryption_cert_der=certificate_to_der(self.encryption_cert),
        )

    @classmethod
    def from_parts(cls, parts: IdentityParts) -> OfficerIdentity:
        return _checked(
            load_private_key(parts.signing_key_der),
            load_certificate(parts.signing_cert_der),
            load_private_key(parts.encryption_key_der),
            load_certificate(parts.encryption_cert_der),
        )

    def to_bytes(self) -> bytes:
        """One blob for the vault: four PEM blocks (signing key, cert, encryption key, cert).

        The keys are unencrypted PKCS#8; the blob must only ever be stored inside the vault.
        """
        parts = self.to_parts()
        blocks = [
            _pem("PRIVATE KEY", parts.signing_key_der),
            _pem("CERTIFICATE", parts.signing_cert_der),
            _pem("PRIVATE KEY", parts.encryption_key_der),
            _pem("CERTIFICATE", parts.encryption_cert_der),
        ]
        return b"".join(blocks)

    @classmethod
    def from_bytes(cls, blob: bytes) -> OfficerIdentity:
        blocks = [m.group(0) for m in _PEM_BLOCK.finditer(blob)]
        labels = [m.group(1) for m in _PEM_BLOCK.finditer(blob)]
        expected = [b"PRIVATE KEY", b"CERTIFICATE", b"PRIVATE KEY", b"CERTIFICATE"]
        if labels != expected:
            raise IdentityError(
                "the stored identity is damaged (expected two keys and two certificates)"
            )
        return _checked(
            load_private_key(blocks[0]),
            load_certificate(blocks[1]),
            load_private_key(blocks[2]),
            load_certificate(blocks[3]),
        )

    def public_pem(self) -> bytes:
        """Both certificates as PEM: what a counterpart pins and encrypts to."""
        return certificate_to_pem(self.signing_cert) + certificate_to_pem(self.encryption_cert)


def _pem(label: str, der: bytes) -> bytes:
    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"".join(
        [
            f"-----BEGIN {label}-----\n".encode(),
            *(line + b"\n" for line in lines),
            f"-----END {label}-----\n".encode(),
        ]
    )


def generate_identity(
    name: str,
    org: str,
    country: str,
    email: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> OfficerIdentity:
    """Make a fresh EC P-256 signing pair and RSA-3072 encryption pair, both self-signed.

    ``now`` is injectable so tests can make certificates that are not yet or no longer valid.
    """
    moment = now or _utcnow()
    subject = _subject(name, org, country, email)
    signing_key = ec.generate_private_key(ec.SECP256R1())
    signing_cert = _self_signed(signing_key, subject, _SIGNING_USAGE, email, moment)
    encryption_key, encryption_cert = _encryption_pair(subject, email, moment)
    return OfficerIdentity(signing_key, signing_cert, encryption_key, encryption_cert)


def import_pkcs12(data: bytes, password: str | bytes | None) -> OfficerIdentity:
    """Build an identity around the key and certificate of a PKCS#12 file (e.g. issued by a PKI).

    The imported pair becomes the signing pair (EC or RSA). If it is RSA and its certificate allows
    key encipherment, it also serves for encryption; otherwise a fresh RSA-3072 encryption pair is
    generated with the imported certificate's subject, so counterparts can still encrypt to us.
    """
    secret = password.encode() if isinstance(password, str) else password
    try:
        loaded = pkcs12.load_pkcs12(data, secret)
    except ValueError:
        raise IdentityError(
            "the PKCS#12 file could not be opened: wrong password or not a PKCS#12 file"
        ) from None
    except UnsupportedAlgorithm:
        raise IdentityError("the PKCS#12 file uses an algorithm this program cannot read") from None
    if loaded.key is None or loaded.cert is None:
        raise IdentityError("the PKCS#12 file must hold both a private key and its certificate")
    key = loaded.key
    cert = loaded.cert.certificate
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise IdentityError("only EC and RSA signing keys are supported")
    _require_matching(key, cert)
    if isinstance(key, rsa.RSAPrivateKey) and _allows_key_encipherment(cert):
        return _checked(key, cert, key, cert)
    email = _email_of(cert)
    enc_key, enc_cert = _encryption_pair(cert.subject, email, _utcnow())
    return _checked(key, cert, enc_key, enc_cert)


def _allows_key_encipherment(cert: x509.Certificate) -> bool:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(usage.key_encipherment)


def _email_of(cert: x509.Certificate) -> str | None:
    values = cert.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
    return str(values[0].value) if values else None


def common_name(cert: x509.Certificate) -> str:
    """The certificate's CN, or its whole subject when it has none."""
    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else cert.subject.rfc4514_string()


def _require_matching(key: SigningKey | rsa.RSAPrivateKey, cert: x509.Certificate) -> None:
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        raise IdentityError("the private key does not belong to the certificate")
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size < _MIN_RSA_BITS:
        raise IdentityError(f"RSA keys shorter than {_MIN_RSA_BITS} bits are refused")


def _checked(
    signing_key: object,
    signing_cert: x509.Certificate,
    encryption_key: object,
    encryption_cert: x509.Certificate,
) -> OfficerIdentity:
    if not isinstance(signing_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise IdentityError("the signing key must be an EC or RSA key")
    if not isinstance(encryption_key, rsa.RSAPrivateKey):
        raise IdentityError("the encryption key must be an RSA key")
    _require_matching(signing_key, signing_cert)
    _require_matching(encryption_key, encryption_cert)
    return OfficerIdentity(signing_key, signing_cert, encryption_key, encryption_cert)


def private_key_to_der(key: SigningKey | rsa.RSAPrivateKey) -> bytes:
    """Unencrypted PKCS#8 DER: only for storage inside the encrypted vault."""
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(data: bytes) -> SigningKey:
    """Load an unencrypted PKCS#8 private key, DER or PEM; EC or RSA only."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_der_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise IdentityError("the private key could not be read") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise IdentityError("only EC and RSA private keys are supported")
    return key


def certificate_to_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def certificate_to_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load_certificate(data: bytes) -> x509.Certificate:
    """Load one X.509 certificate from PEM or DER bytes."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise IdentityError(
            "the certificate could not be read (expected PEM or DER X.509)"
        ) from None
