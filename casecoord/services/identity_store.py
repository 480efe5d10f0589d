"""The officer's own identity, kept inside the vault: create, import from PKCS#12, show, load.

There is one identity per vault: the officer signs with it and counterparts pin its fingerprint.
Replacing it changes what counterparts must trust, so it is refused unless asked for explicitly
and the audit chain records both fingerprints. Private keys only ever live in the encrypted
database; what leaves (``show``/``public_pem``) is public certificates and fingerprints.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import PrivateFormat, pkcs12
from sqlmodel import Session, col, delete, select

from casecoord.bundle.errors import EncryptionError, IdentityError
from casecoord.bundle.identity import (
    IdentityParts,
    OfficerIdentity,
    certificate_to_pem,
    common_name,
    fingerprint,
    generate_identity,
    import_pkcs12,
    load_certificate,
)
from casecoord.domain.errors import CasecoordError, DuplicateError
from casecoord.domain.models import Contact, Identity
from casecoord.services.journal import OFFICER_SETTING, record
from casecoord.services.setting_rows import store_setting, stored_setting
from casecoord.store import Store
from casecoord.vault.files import atomic_writer

MIN_EXPORT_PASSWORD = 8
PKCS12_KDF_ROUNDS = 200_000
"""PBKDF2-HMAC-SHA256 rounds protecting an exported PKCS#12: a file on a USB stick meets offline
guessing, so far above OpenSSL's 2048, yet opened in well under a second by OpenSSL or a mail
client."""


class NoIdentityError(CasecoordError):
    """The vault holds no officer identity yet, so nothing can be signed or decrypted."""

    def __init__(self) -> None:
        super().__init__(
            "this vault has no officer identity yet; create one with 'casecoord identity new "
            "--name … --org … --country NL' or import one with 'casecoord identity import FILE.p12'"
        )


@dataclass(frozen=True)
class CertificateSummary:
    """What an officer reads out to a counterpart, or checks on their certificate."""

    purpose: str
    subject: str
    common_name: str
    key: str
    not_before: dt.datetime
    not_after: dt.datetime
    fingerprint: str


@dataclass(frozen=True)
class IdentitySummary:
    name: str
    organisation: str
    country: str
    email: str | None
    fingerprint: str
    created_at: dt.datetime
    certificates: tuple[CertificateSummary, ...]
    public_pem: str


def key_description(cert: x509.Certificate) -> str:
    """``EC P-256`` / ``RSA 3072``: counterparts need to know which they can encrypt to."""
    public = cert.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        curve = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return f"EC {curve.get(public.curve.name, public.curve.name)}"
    if isinstance(public, rsa.RSAPublicKey):
        return f"RSA {public.key_size}"
    return type(public).__name__


def summarize_certificate(cert: x509.Certificate, purpose: str) -> CertificateSummary:
    return CertificateSummary(
        purpose=purpose,
        subject=cert.subject.rfc4514_string(),
        common_name=common_name(cert),
        key=key_description(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint=fingerprint(cert),
    )


def _row(session: Session) -> Identity | None:
    return session.exec(select(Identity).order_by(col(Identity.id))).first()


def _identity_of(row: Identity) -> OfficerIdentity:
    if row.encryption_key_der is None or row.encryption_cert_der is None:
        raise CasecoordError(
            "the stored identity has no encryption key; import or create it again with --replace"
        )
    return OfficerIdentity.from_parts(
        IdentityParts(
            signing_key_der=row.signing_key_der,
            signing_cert_der=row.signing_cert_der,
            encryption_key_der=row.encryption_key_der,
            encryption_cert_der=row.encryption_cert_der,
        )
    )


def load_identity_in(session: Session) -> OfficerIdentity | None:
    row = _row(session)
    return _identity_of(row) if row is not None else None


def load_identity(vault: Store) -> OfficerIdentity | None:
    """The officer's identity with its private keys, or ``None`` when none was made yet."""
    with vault.session() as session:
        return load_identity_in(session)


def require_identity(vault: Store) -> OfficerIdentity:
    found = load_identity(vault)
    if found is None:
        raise NoIdentityError()
    return found


def _store(vault: Store, identity: OfficerIdentity, origin: str, replace: bool) -> IdentitySummary:
    cert = identity.signing_cert
    org_values = cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)
    country_values = cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)
    email_values = cert.subject.get_attributes_for_oid(x509.NameOID.EMAIL_ADDRESS)
    parts = identity.to_parts()
    with vault.transaction() as session:
        existing = _row(session)
        if existing is not None and not replace:
            raise DuplicateError(
                f"this vault already has an identity ({existing.name}, fingerprint "
                f"{existing.fingerprint}); counterparts have pinned it. Use --replace to replace it"
            )
        previous = existing.fingerprint if existing is not None else None
        if existing is not None:
            session.exec(delete(Identity))
        row = Identity(
            name=identity.name,
            organisation=str(org_values[0].value) if org_values else "",
            country=str(country_values[0].value) if country_values else "",
            email=str(email_values[0].value) if email_values else None,
            signing_key_der=parts.signing_key_der,
            signing_cert_der=parts.signing_cert_der,
            encryption_key_der=parts.encryption_key_der,
            encryption_cert_der=parts.encryption_cert_der,
            fingerprint=identity.fingerprint,
        )
        session.add(row)
        if not (stored_setting(session, OFFICER_SETTING) or "").strip():
            store_setting(session, OFFICER_SETTING, identity.name)
        session.flush()
        record(
            session,
            "identity.replace" if previous else "identity.create",
            "identity",
            identity.fingerprint,
            {
                "origin": origin,
                "name": identity.name,
                "fingerprint": identity.fingerprint,
                "encryption_fingerprint": identity.encryption_fingerprint,
                "replaced": previous,
            },
        )
        return _summary(row, identity)


def create_identity(
    vault: Store,
    name: str,
    org: str,
    country: str,
    email: str | None = None,
    *,
    replace: bool = False,
) -> IdentitySummary:
    """Generate a self-signed EC P-256 signing identity (+ RSA encryption pair) in the vault."""
    identity = generate_identity(name, org, country.strip().upper(), email or None)
    return _store(vault, identity, "generated", replace)


def import_identity(
    vault: Store, data: bytes, password: str | None, *, replace: bool = False
) -> IdentitySummary:
    """Take the key and certificate of a PKCS#12 file (e.g. from the national PKI)."""
    identity = import_pkcs12(data, password or None)
    return _store(vault, identity, "pkcs12", replace)


def _summary(row: Identity, identity: OfficerIdentity) -> IdentitySummary:
    certificates = [summarize_certificate(identity.signing_cert, "signing")]
    if identity.encryption_cert != identity.signing_cert:
        certificates.append(summarize_certificate(identity.encryption_cert, "encryption"))
        pem = identity.public_pem()
    else:
        pem = certificate_to_pem(identity.signing_cert)
    return IdentitySummary(
        name=row.name,
        organisation=row.organisation,
        country=row.country,
        email=row.email,
        fingerprint=row.fingerprint,
        created_at=row.created_at,
        certificates=tuple(certificates),
        public_pem=pem.decode("ascii"),
    )


def show_identity(vault: Store) -> IdentitySummary:
    with vault.session() as session:
        row = _row(session)
        if row is None:
            raise NoIdentityError()
        return _summary(row, _identity_of(row))


def export_pkcs12(
    vault: Store,
    dest: Path,
    password: str,
    *,
    key: str = "encryption",
    overwrite: bool = False,
) -> CertificateSummary:
    """Write one of the officer's key pairs to ``dest`` as PKCS#12 (``.p12``), mode 0600.

    ``key`` is ``encryption`` (the RSA pair that opens envelopes: ``openssl cms -decrypt``, a mail
    client) or ``signing``. PKCS#12 holds one private key per file here, as ``openssl pkcs12
    -export`` does, so the two pairs are exported separately. The file is protected with
    AES-256-CBC under PBKDF2-HMAC-SHA256 and an HMAC-SHA256 MAC (what OpenSSL 3 writes by
    default, readable by OpenSSL 1.1.1 and later); the export is recorded in the audit chain,
    because a private key has left the vault.
    """
    if key not in ("encryption", "signing"):
        raise CasecoordError("export the 'encryption' or the 'signing' key")
    if len(password) < MIN_EXPORT_PASSWORD:
        raise CasecoordError(
            f"the export password must have at least {MIN_EXPORT_PASSWORD} characters; "
            "nothing was written"
        )
    target = Path(dest).expanduser()
    if target.is_dir():
        raise CasecoordError(f"{target} is a folder; give a file name such as me.p12")
    if not target.parent.is_dir():
        raise CasecoordError(f"the folder {target.parent} does not exist")
    if target.exists() and not overwrite:
        raise CasecoordError(f"{target} already exists; choose another name or use --force")
    identity = require_identity(vault)
    private: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    if key == "encryption":
        private, cert = identity.encryption_key, identity.encryption_cert
    else:
        private, cert = identity.signing_key, identity.signing_cert
    protection = (
        PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(PKCS12_KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode("utf-8"))
    )
    data = pkcs12.serialize_key_and_certificates(
        f"{identity.name} ({key})".encode(), private, cert, None, protection
    )
    with atomic_writer(target, overwrite=overwrite) as handle:
        handle.write(data)
    with vault.transaction() as session:
        record(
            session,
            "identity.export",
            "identity",
            identity.fingerprint,
            {"key": key, "certificate": fingerprint(cert), "file": target.name},
        )
    return summarize_certificate(cert, key)


# -- counterparts' certificates ---------------------------------------------------------------

_PEM_CERT = re.compile(
    rb"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----\r?\n?", re.DOTALL
)


@dataclass(frozen=True)
class PinnedCertificates:
    """What ``contact pin`` stored: the signing certificate (pinned) and, if given, the RSA
    certificate bundles are encrypted to."""

    handle: str
    name: str
    signing: CertificateSummary
    encryption: CertificateSummary | None


def _certificates(data: bytes) -> list[x509.Certificate]:
    blocks = [m.group(0) for m in _PEM_CERT.finditer(data)]
    if not blocks:
        return [load_certificate(data)]  # a single DER certificate
    return [load_certificate(block) for block in blocks]


def _usage(cert: x509.Certificate) -> x509.KeyUsage | None:
    try:
        return cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None


def _can_sign(cert: x509.Certificate) -> bool:
    usage = _usage(cert)
    return usage is None or bool(usage.digital_signature or usage.content_commitment)


def _can_receive(cert: x509.Certificate) -> bool:
    usage = _usage(cert)
    return isinstance(cert.public_key(), rsa.RSAPublicKey) and (
        usage is None or bool(usage.key_encipherment)
    )


def split_counterpart_pem(
    data: bytes,
) -> tuple[x509.Certificate, x509.Certificate | None]:
    """(signing certificate, RSA encryption certificate or None) from one or two certificates.

    ``casecoord identity show --pem`` prints the signing certificate first and the encryption
    certificate second; a PKI-issued RSA certificate may serve both purposes.
    """
    certs = _certificates(data)
    if len(certs) > 2:
        raise IdentityError(
            "give the counterpart's signing certificate, optionally followed by their "
            "encryption certificate: at most two certificates"
        )
    signing = next((c for c in certs if _can_sign(c)), None)
    if signing is None:
        raise IdentityError("none of these certificates may sign (no digitalSignature usage)")
    receiving = next((c for c in certs if c is not signing and _can_receive(c)), None)
    if receiving is None and _can_receive(signing):
        receiving = signing
    return signing, receiving


def pin_counterpart(vault: Store, handle: str, data: bytes) -> PinnedCertificates:
    """Pin a counterpart's signing certificate (and keep their encryption certificate)."""
    from casecoord.services.contacts import pin_certificate

    signing, receiving = split_counterpart_pem(data)
    pem = certificate_to_pem(signing)
    if receiving is not None and receiving is not signing:
        pem += certificate_to_pem(receiving)
    contact = pin_certificate(vault, handle, pem.decode("ascii"), fingerprint(signing))
    return PinnedCertificates(
        handle=contact.handle,
        name=contact.name,
        signing=summarize_certificate(signing, "signing"),
        encryption=summarize_certificate(receiving, "encryption") if receiving else None,
    )


def encryption_certificate(contact: Contact) -> x509.Certificate:
    """The certificate to encrypt a bundle to, with an officer-readable refusal when none fits."""
    if not contact.certificate_pem:
        raise CasecoordError(
            f"{contact.name} ({contact.handle}) has no pinned certificate; pin it first with "
            f"'casecoord contact pin {contact.handle} CERT.pem'"
        )
    signing, receiving = split_counterpart_pem(contact.certificate_pem.encode("ascii"))
    if receiving is None:
        raise EncryptionError(
            f"the certificate pinned for {contact.name} holds an {key_description(signing)} key; "
            "bundles can only be encrypted to RSA certificates (CMS EnvelopedData here supports "
            "RSA key transport only). Ask them for their RSA encryption certificate "
            "('casecoord identity show --pem' prints it second) and pin both again"
        )
    return receiving
