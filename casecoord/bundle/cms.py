"""CMS: detached signatures over the ASiC manifest, and EnvelopedData around a whole bundle.

Signing and encryption use ``cryptography``'s PKCS#7 builders. ``cryptography`` has no CMS
*verification* API, so :func:`verify_detached` parses the SignedData with ``asn1crypto`` (parsing
only) and checks it with ``cryptography`` primitives, the way RFC 5652 §5.4 describes: one
signerInfo, the messageDigest attribute equal to the SHA-256 of the content, the signature over the
DER of the signed attributes re-tagged as a SET OF, made by the embedded signer certificate.

Encryption is CMS EnvelopedData with **AES-256-CBC** content encryption and RSA key transport
(``PKCS7EnvelopeBuilder`` only supports RSA recipients and, for content, AES-128/256-CBC; we pick
the 256-bit key, as SOG-IS and ANSSI recommend for material that must stay confidential for
years). Integrity of an encrypted bundle comes from the signature inside it, not from the
envelope (CBC is not authenticated). ``cryptography`` builds and opens the envelope in memory, so
both directions refuse more than :data:`MAX_ENVELOPE_BYTES`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.serialization import pkcs7

from casecoord.bundle.errors import EncryptionError, SignatureError
from casecoord.bundle.identity import SigningKey

MAX_ENVELOPE_BYTES = 512 * 1024 * 1024
"""Largest container we encrypt or decrypt: EnvelopedData is processed whole in memory (about
three copies at peak), so 512 MiB keeps a laptop responsive. Bigger bundles travel unencrypted
inside another protected channel, or are split."""

_ALLOWED_SIGNATURE_ALGORITHMS = {"sha256_ecdsa", "ecdsa", "rsassa_pkcs1v15", "sha256_rsa"}


def sign_detached(content: bytes, key: SigningKey, cert: x509.Certificate) -> bytes:
    """Detached CMS SignedData (DER) over ``content``: SHA-256, signer certificate included.

    Signed attributes (content type, signing time, message digest) are kept so that
    ``openssl cms -verify -binary -content …`` verifies it; ``Binary`` stops any MIME
    canonicalisation of the bytes.
    """
    builder = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(cert, key, hashes.SHA256())
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def _load_signed_data(signature_der: bytes) -> asn1_cms.SignedData:
    try:
        info = asn1_cms.ContentInfo.load(signature_der, strict=True)
        if info["content_type"].native != "signed_data":
            raise SignatureError("the signature file is not a CMS signature (SignedData)")
        signed = info["content"]
        signed.native  # noqa: B018 - forces a full parse so malformed DER fails here
    except SignatureError:
        raise
    except Exception:  # asn1crypto raises many exception types on hostile input
        raise SignatureError("the signature file is damaged or not a CMS signature") from None
    assert isinstance(signed, asn1_cms.SignedData)
    return signed


def _signer_certificate(
    signed: asn1_cms.SignedData, signer: asn1_cms.SignerInfo
) -> x509.Certificate:
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.issuer == wanted["issuer"]
                and cert.serial_number == wanted["serial_number"].native
            ):
                return x509.load_der_x509_certificate(cert.dump())
        elif sid.name == "subject_key_identifier":
            if cert.key_identifier == sid.chosen.native:
                return x509.load_der_x509_certificate(cert.dump())
    raise SignatureError("the signer's certificate is not included in the signature")


def _attribute(signer: asn1_cms.SignerInfo, name: str) -> object:
    found = [a for a in signer["signed_attrs"] if a["type"].native == name]
    if len(found) != 1 or len(found[0]["values"]) != 1:
        raise SignatureError(f"the signature must carry exactly one {name.replace('_', ' ')}")
    return found[0]["values"][0].native


def _check_self_signature(cert: x509.Certificate) -> None:
    """A self-signed certificate must verify under its own key; an altered one is refused
    rather than reported as merely unknown."""
    if cert.issuer != cert.subject:
        return
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        raise SignatureError(
            "the signer's certificate is damaged (its self-signature does not verify)"
        ) from None


def _check_usage(cert: x509.Certificate, signing_time: dt.datetime | None) -> None:
    moment = signing_time or dt.datetime.now(dt.UTC)
    if not cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc:
        raise SignatureError(
            "the signer's certificate was not valid when the bundle was signed "
            f"(valid {cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d})"
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise SignatureError("the signer's certificate is not meant for signatures")


def verify_detached(signature_der: bytes, content: bytes) -> x509.Certificate:
    """Check a detached CMS signature over ``content``; return the signer's certificate.

    Refuses (``SignatureError``) anything but exactly one SHA-256 signer with signed attributes,
    content type *data*, a matching message digest, and an ECDSA or RSA PKCS#1 v1.5 signature that
    the embedded signer certificate's key verifies. Whether that certificate is *trusted* is the
    caller's decision (fingerprint pinning), not this function's.
    """
    signed = _load_signed_data(signature_der)
    signers = list(signed["signer_infos"])
    if len(signers) != 1:
        raise SignatureError(
            f"the bundle must carry exactly one signature, this one carries {len(signers)}"
        )
    if signed["encap_content_info"]["content"].native is not None:
        raise SignatureError("the signature embeds content; a bundle signature must be detached")
    signer = signers[0]
    if signer["digest_algorithm"]["algorithm"].native != "sha256":
        raise SignatureError("the signature must use SHA-256")
    if not signer["signed_attrs"]:
        raise SignatureError("the signature has no signed attributes")
    if _attribute(signer, "content_type") != "data":
        raise SignatureError("the signature is not over plain data")
    digest = _attribute(signer, "message_digest")
    if not isinstance(digest, bytes) or not hmac.compare_digest(
        digest, hashlib.sha256(content).digest()
    ):
        raise SignatureError("signature does not match the manifest")
    signing_time = None
    if any(a["type"].native == "signing_time" for a in signer["signed_attrs"]):
        value = _attribute(signer, "signing_time")
        signing_time = value if isinstance(value, dt.datetime) else None

    cert = _signer_certificate(signed, signer)
    raw_attrs = signer["signed_attrs"].dump()
    to_be_signed = b"\x31" + raw_attrs[1:]
    signature = signer["signature"].native
    algorithm = signer["signature_algorithm"]["algorithm"].native
    if algorithm not in _ALLOWED_SIGNATURE_ALGORITHMS:
        raise SignatureError(f"the signature algorithm {algorithm} is not accepted")
    public_key = cert.public_key()
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey) and "ecdsa" in algorithm:
            public_key.verify(signature, to_be_signed, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, rsa.RSAPublicKey) and "rsa" in algorithm:
            public_key.verify(signature, to_be_signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise SignatureError("the signature algorithm does not fit the signer's key")
    except InvalidSignature:
        raise SignatureError("signature does not match the manifest") from None
    _check_self_signature(cert)
    _check_usage(cert, signing_time)
    return cert


def encrypt_for(content: bytes, recipient: x509.Certificate) -> bytes:
    """CMS EnvelopedData (DER, ``.p7m``) of ``content`` for one RSA recipient, AES-256-CBC.

    ``openssl cms -decrypt -inform DER -recip cert.pem -inkey key.pem`` opens it.
    """
    if len(content) > MAX_ENVELOPE_BYTES:
        raise EncryptionError(
            f"bundles larger than {MAX_ENVELOPE_BYTES // (1024 * 1024)} MiB cannot be encrypted; "
            "export it unencrypted and send it over a protected channel, or split the attachments"
        )
    if not isinstance(recipient.public_key(), rsa.RSAPublicKey):
        raise EncryptionError(
            "the counterpart's encryption certificate must hold an RSA key "
            "(CMS encryption here supports RSA recipients only)"
        )
    try:
        builder = (
            pkcs7.PKCS7EnvelopeBuilder()
            .set_data(content)
            .set_content_encryption_algorithm(algorithms.AES256)
            .add_recipient(recipient)
        )
        return builder.encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise EncryptionError("the bundle could not be encrypted for this certificate") from None


def decrypt(envelope_der: bytes, cert: x509.Certificate, key: rsa.RSAPrivateKey) -> bytes:
    """Open CMS EnvelopedData addressed to ``cert``; refuse envelopes over the size limit."""
    if len(envelope_der) > MAX_ENVELOPE_BYTES + 1024 * 1024:
        raise EncryptionError(
            f"encrypted bundles larger than {MAX_ENVELOPE_BYTES // (1024 * 1024)} MiB are refused"
        )
    try:
        return pkcs7.pkcs7_decrypt_der(envelope_der, cert, key, [])
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise EncryptionError(
            "the encrypted bundle could not be opened: it is damaged or not addressed to you"
        ) from None
