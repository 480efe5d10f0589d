"""CMS: CAdES-B-B detached signatures over the ASiC manifest, and envelopes around a whole bundle.

**Signatures** are CAdES baseline B (ETSI EN 319 122-1 §6.3, level B-B): a detached CMS
SignedData whose signer carries the signed attributes *content-type*, *message-digest*,
*signing-time* and *signing-certificate-v2* (ESS, RFC 5035), the last binding the signature to
the signer's certificate by its SHA-256 so that a certificate swapped under the same key is
detected. ``cryptography``'s ``PKCS7SignatureBuilder`` cannot add that attribute, so the
structure is assembled with ``asn1crypto`` (ASN.1 only) and the DER of the signed attributes is
signed with ``cryptography`` (ECDSA or RSA PKCS#1 v1.5, SHA-256): no cryptography is written
here, only the standard's data structures. ``openssl cms -verify`` and pyHanko check the result.

:func:`verify_detached` checks what a counterpart's tool may produce (``openssl cms -sign
-cades``, DSS, pyHanko...), the way RFC 5652 §5.4 describes: every signerInfo must have signed
attributes, content type *data*, a matching message digest (SHA-256/384/512), an ESS signing
certificate (v2, or v1 with SHA-1) naming the embedded certificate if present, and an ECDSA or
RSA signature that the embedded certificate's key verifies.

**Envelopes** (RFC 5652, RFC 5083): the content-encryption key is wrapped for each
recipient with **RSAES-OAEP** (SHA-256, MGF1-SHA-256; RFC 8017 / RFC 4055), and the content is
encrypted with **AES-256-GCM** in CMS *AuthEnvelopedData* (RFC 5083/5084), so a changed byte is
detected before anything is parsed. AES-256-CBC *EnvelopedData* (unauthenticated) is written only
when asked for, for a counterpart whose tool cannot read AuthEnvelopedData. Both are opened by
``openssl cms -decrypt`` (OpenSSL 3.0 or later for GCM). Decryption also reads RSA PKCS#1 v1.5
key transport, which earlier casecoord versions and many S/MIME tools write. Envelopes are
processed whole in memory, so both directions refuse more than :data:`MAX_ENVELOPE_BYTES`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from asn1crypto import algos as asn1_algos
from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric import padding as asym_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from casecoord.bundle.errors import EncryptionError, SignatureError
from casecoord.bundle.identity import SigningKey, certificate_to_der, common_name

MAX_ENVELOPE_BYTES = 512 * 1024 * 1024
"""Largest container we encrypt or decrypt: an envelope is processed whole in memory (about
three copies at peak), so 512 MiB keeps a laptop responsive. Bigger bundles travel unencrypted
inside another protected channel, or are split."""

SIGNATURE_PROFILE = "CAdES-B-B"
"""What :func:`sign_detached` produces (ETSI EN 319 122-1 baseline, level B-B)."""

_ALLOWED_SIGNATURE_ALGORITHMS = {
    "sha256_ecdsa",
    "sha384_ecdsa",
    "sha512_ecdsa",
    "ecdsa",
    "rsassa_pkcs1v15",
    "sha256_rsa",
    "sha384_rsa",
    "sha512_rsa",
}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class ContentCipher(StrEnum):
    """How an envelope encrypts the bundle: authenticated GCM, or CBC for older tools."""

    AES_256_GCM = "aes-256-gcm"
    AES_256_CBC = "aes-256-cbc"

    @property
    def description(self) -> str:
        if self is ContentCipher.AES_256_GCM:
            return "CMS AuthEnvelopedData, AES-256-GCM, RSAES-OAEP"
        return "CMS EnvelopedData, AES-256-CBC, RSAES-OAEP"


class _GCMParameters(asn1_core.Sequence):  # type: ignore[misc]
    """GCMParameters of RFC 5084 §3.2 (asn1crypto defines the OID but not its parameters)."""

    _fields = [
        ("aes_nonce", asn1_core.OctetString),
        ("aes_icvlen", asn1_core.Integer, {"default": 12}),
    ]


# -- signing ------------------------------------------------------------------------------


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _signing_time(moment: dt.datetime) -> asn1_cms.Time:
    # RFC 5652 §11.3: UTCTime for 1950-2049, GeneralizedTime otherwise.
    if 1950 <= moment.year < 2050:
        return asn1_cms.Time({"utc_time": asn1_core.UTCTime(moment)})
    return asn1_cms.Time({"general_time": asn1_core.GeneralizedTime(moment)})


def _issuer_serial(cert: asn1_x509.Certificate) -> asn1_tsp.IssuerSerial:
    return asn1_tsp.IssuerSerial(
        {
            "issuer": [asn1_x509.GeneralName({"directory_name": cert.issuer})],
            "serial_number": cert.serial_number,
        }
    )


def signed_attributes(
    content: bytes, cert: x509.Certificate, signing_time: dt.datetime
) -> asn1_cms.CMSAttributes:
    """The four CAdES-B-B signed attributes (EN 319 122-1 §5.2), DER-sorted as a SET OF."""
    der = certificate_to_der(cert)
    asn1_cert = asn1_x509.Certificate.load(der)
    ess = asn1_tsp.SigningCertificateV2(
        {
            "certs": [
                asn1_tsp.ESSCertIDv2(
                    {
                        # hashAlgorithm left out: SHA-256 is its DEFAULT, which DER omits
                        "cert_hash": hashlib.sha256(der).digest(),
                        "issuer_serial": _issuer_serial(asn1_cert),
                    }
                )
            ]
        }
    )
    return asn1_cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "signing_time", "values": [_signing_time(signing_time)]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
            {"type": "signing_certificate_v2", "values": [ess]},
        ]
    )


def sign_detached(
    content: bytes,
    key: SigningKey,
    cert: x509.Certificate,
    *,
    signing_time: dt.datetime | None = None,
) -> bytes:
    """A detached CAdES-B-B signature (DER SignedData) over ``content``, SHA-256.

    The signer certificate is included and identified by issuer and serial number, as
    ``openssl cms -sign -cades`` does; ``openssl cms -verify -binary -content …`` checks it.
    """
    attrs = signed_attributes(content, cert, signing_time or _utc_now())
    to_be_signed = attrs.dump(force=True)  # universal SET OF tag, as RFC 5652 §5.4 requires
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(to_be_signed, ec.ECDSA(hashes.SHA256()))
        algorithm = "sha256_ecdsa"
    else:
        signature = key.sign(to_be_signed, asym_padding.PKCS1v15(), hashes.SHA256())
        algorithm = "sha256_rsa"
    asn1_cert = asn1_x509.Certificate.load(certificate_to_der(cert))
    signer = asn1_cms.SignerInfo(
        {
            "version": "v1",
            "sid": asn1_cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": asn1_cms.IssuerAndSerialNumber(
                        {"issuer": asn1_cert.issuer, "serial_number": asn1_cert.serial_number}
                    )
                }
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attrs,
            "signature_algorithm": {"algorithm": algorithm},
            "signature": signature,
        }
    )
    signed = asn1_cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [asn1_cert],
            "signer_infos": [signer],
        }
    )
    return bytes(asn1_cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


# -- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class SignerResult:
    """One verified signerInfo: its certificate, the time it claims, and its profile.

    ``profile`` is ``CAdES-B-B`` when the ESS signing-certificate attribute binds the
    certificate (and signing-time is present), plain ``CMS`` otherwise.
    """

    cert: x509.Certificate
    signing_time: dt.datetime | None
    profile: str

    @property
    def name(self) -> str:
        return common_name(self.cert)


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
) -> tuple[x509.Certificate, bytes]:
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            matches = (
                cert.issuer == wanted["issuer"]
                and cert.serial_number == wanted["serial_number"].native
            )
        else:
            matches = cert.key_identifier == sid.chosen.native
        if matches:
            der = cert.dump()
            try:
                return x509.load_der_x509_certificate(der), der
            except ValueError:
                raise SignatureError("the signer's certificate is damaged") from None
    raise SignatureError("the signer's certificate is not included in the signature")


def _attributes(signer: asn1_cms.SignerInfo, name: str) -> list[Any]:
    return [a for a in signer["signed_attrs"] if a["type"].native == name]


def _attribute(signer: asn1_cms.SignerInfo, name: str) -> Any:
    found = _attributes(signer, name)
    if len(found) != 1 or len(found[0]["values"]) != 1:
        raise SignatureError(f"the signature must carry exactly one {name.replace('_', ' ')}")
    return found[0]["values"][0]


def _check_ess(signer: asn1_cms.SignerInfo, cert_der: bytes, cert: x509.Certificate) -> bool:
    """True if an ESS signing-certificate(-v2) attribute names ``cert``; refuse one naming another.

    Only the first ESSCertID is the signer's (RFC 5035 §5.4); its issuerSerial, when present,
    must be the certificate's too.
    """
    v2 = _attributes(signer, "signing_certificate_v2")
    v1 = _attributes(signer, "signing_certificate")
    if not v2 and not v1:
        return False
    if len(v2) + len(v1) != 1:
        raise SignatureError("the signature carries more than one signing-certificate attribute")
    value = _attribute(signer, "signing_certificate_v2" if v2 else "signing_certificate")
    certs = value["certs"]
    if not len(certs):
        raise SignatureError("the signing-certificate attribute names no certificate")
    first = certs[0]
    if v2:
        algorithm = first["hash_algorithm"]["algorithm"].native
        if algorithm not in _HASHES:
            raise SignatureError(f"the signing-certificate attribute uses {algorithm}; refused")
        digest = hashlib.new(algorithm, cert_der).digest()
    else:
        digest = hashlib.sha1(cert_der, usedforsecurity=False).digest()
    if not hmac.compare_digest(first["cert_hash"].native, digest):
        raise SignatureError(
            "the signature's signing-certificate attribute names another certificate than the "
            "one it embeds"
        )
    issuer_serial = first["issuer_serial"]
    if issuer_serial.native is not None:
        serial = issuer_serial["serial_number"].native
        names = [n.chosen for n in issuer_serial["issuer"] if n.name == "directory_name"]
        asn1_cert = asn1_x509.Certificate.load(cert_der)
        if serial != cert.serial_number or not any(n == asn1_cert.issuer for n in names):
            raise SignatureError(
                "the signature's signing-certificate attribute names another issuer or serial"
            )
    return True


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


def _verify_signer(
    signed: asn1_cms.SignedData, signer: asn1_cms.SignerInfo, content: bytes
) -> SignerResult:
    digest_name = signer["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        raise SignatureError("the signature must use SHA-256, SHA-384 or SHA-512")
    hash_algorithm = _HASHES[digest_name]()
    if not signer["signed_attrs"]:
        raise SignatureError("the signature has no signed attributes")
    if _attribute(signer, "content_type").native != "data":
        raise SignatureError("the signature is not over plain data")
    digest = _attribute(signer, "message_digest").native
    if not isinstance(digest, bytes) or not hmac.compare_digest(
        digest, hashlib.new(digest_name, content).digest()
    ):
        raise SignatureError("signature does not match the manifest")
    signing_time = None
    if _attributes(signer, "signing_time"):
        value = _attribute(signer, "signing_time").native
        signing_time = value if isinstance(value, dt.datetime) else None

    cert, cert_der = _signer_certificate(signed, signer)
    to_be_signed = b"\x31" + signer["signed_attrs"].dump()[1:]
    signature = signer["signature"].native
    algorithm = signer["signature_algorithm"]["algorithm"].native
    if algorithm not in _ALLOWED_SIGNATURE_ALGORITHMS:
        raise SignatureError(f"the signature algorithm {algorithm} is not accepted")
    public_key = cert.public_key()
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey) and "ecdsa" in algorithm:
            public_key.verify(signature, to_be_signed, ec.ECDSA(hash_algorithm))
        elif isinstance(public_key, rsa.RSAPublicKey) and "rsa" in algorithm:
            public_key.verify(signature, to_be_signed, asym_padding.PKCS1v15(), hash_algorithm)
        else:
            raise SignatureError("the signature algorithm does not fit the signer's key")
    except InvalidSignature:
        raise SignatureError("signature does not match the manifest") from None
    _check_self_signature(cert)
    _check_usage(cert, signing_time)
    bound = _check_ess(signer, cert_der, cert)
    profile = SIGNATURE_PROFILE if bound and signing_time is not None else "CMS"
    return SignerResult(cert, signing_time, profile)


def verify_signers(signature_der: bytes, content: bytes) -> list[SignerResult]:
    """Check every signerInfo of a detached CMS signature over ``content``; all must hold.

    Whether each certificate is *trusted* is the caller's decision (fingerprint pinning), not
    this function's.
    """
    signed = _load_signed_data(signature_der)
    if signed["encap_content_info"]["content"].native is not None:
        raise SignatureError("the signature embeds content; a bundle signature must be detached")
    signers = list(signed["signer_infos"])
    if not signers:
        raise SignatureError("the signature file holds no signature")
    return [_verify_signer(signed, signer, content) for signer in signers]


def verify_detached(signature_der: bytes, content: bytes) -> x509.Certificate:
    """Check a detached CMS signature with exactly one signer; return its certificate."""
    signed = _load_signed_data(signature_der)
    count = len(signed["signer_infos"])
    if count != 1:
        raise SignatureError(
            f"the signature file must hold exactly one signature, this one holds {count}"
        )
    return verify_signers(signature_der, content)[0].cert


# -- envelopes ----------------------------------------------------------------------------

_OAEP_PARAMS = asn1_algos.RSAESOAEPParams(
    {
        "hash_algorithm": {"algorithm": "sha256"},
        "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}},
    }
)


def _oaep(hash_algorithm: hashes.HashAlgorithm) -> asym_padding.OAEP:
    return asym_padding.OAEP(
        mgf=asym_padding.MGF1(algorithm=hash_algorithm), algorithm=hash_algorithm, label=None
    )


def _recipient_info(cert: x509.Certificate, cek: bytes) -> asn1_cms.RecipientInfo:
    public = cert.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise EncryptionError(
            "the counterpart's encryption certificate must hold an RSA key "
            "(CMS key transport here supports RSA recipients only)"
        )
    asn1_cert = asn1_x509.Certificate.load(certificate_to_der(cert))
    return asn1_cms.RecipientInfo(
        {
            "ktri": asn1_cms.KeyTransRecipientInfo(
                {
                    "version": "v0",
                    "rid": asn1_cms.RecipientIdentifier(
                        {
                            "issuer_and_serial_number": asn1_cms.IssuerAndSerialNumber(
                                {
                                    "issuer": asn1_cert.issuer,
                                    "serial_number": asn1_cert.serial_number,
                                }
                            )
                        }
                    ),
                    "key_encryption_algorithm": {
                        "algorithm": "rsaes_oaep",
                        "parameters": _OAEP_PARAMS,
                    },
                    "encrypted_key": public.encrypt(cek, _oaep(hashes.SHA256())),
                }
            )
        }
    )


def encrypt_for(
    content: bytes,
    recipients: x509.Certificate | Sequence[x509.Certificate],
    *,
    cipher: ContentCipher = ContentCipher.AES_256_GCM,
) -> bytes:
    """An envelope (DER, ``.p7m``) of ``content`` that each RSA recipient can open.

    ``openssl cms -decrypt -inform DER -recip cert.pem -inkey key.pem`` opens it.
    """
    if len(content) > MAX_ENVELOPE_BYTES:
        raise EncryptionError(
            f"bundles larger than {MAX_ENVELOPE_BYTES // (1024 * 1024)} MiB cannot be encrypted; "
            "export it unencrypted and send it over a protected channel, or split the attachments"
        )
    certs = [recipients] if isinstance(recipients, x509.Certificate) else list(recipients)
    unique = list({certificate_to_der(c): c for c in certs}.values())
    if not unique:
        raise EncryptionError("an envelope needs at least one recipient")
    cek = os.urandom(32)
    infos = [_recipient_info(cert, cek) for cert in unique]
    try:
        if cipher is ContentCipher.AES_256_GCM:
            nonce = os.urandom(12)
            sealed = AESGCM(cek).encrypt(nonce, content, None)
            envelope = asn1_cms.AuthEnvelopedData(
                {
                    "version": "v0",
                    "recipient_infos": infos,
                    "auth_encrypted_content_info": {
                        "content_type": "data",
                        "content_encryption_algorithm": {
                            "algorithm": "aes256_gcm",
                            "parameters": _GCMParameters({"aes_nonce": nonce, "aes_icvlen": 16}),
                        },
                        "encrypted_content": sealed[:-16],
                    },
                    "mac": sealed[-16:],
                }
            )
            info = asn1_cms.ContentInfo(
                {"content_type": "authenticated_enveloped_data", "content": envelope}
            )
        else:
            iv = os.urandom(16)
            padder = padding.PKCS7(128).padder()
            padded = padder.update(content) + padder.finalize()
            encryptor = Cipher(algorithms.AES256(cek), modes.CBC(iv)).encryptor()
            encrypted = encryptor.update(padded) + encryptor.finalize()
            del padded
            enveloped = asn1_cms.EnvelopedData(
                {
                    "version": "v0",
                    "recipient_infos": infos,
                    "encrypted_content_info": {
                        "content_type": "data",
                        "content_encryption_algorithm": {
                            "algorithm": "aes256_cbc",
                            "parameters": iv,
                        },
                        "encrypted_content": encrypted,
                    },
                }
            )
            info = asn1_cms.ContentInfo({"content_type": "enveloped_data", "content": enveloped})
        return bytes(info.dump())
    except (ValueError, TypeError, OverflowError, UnsupportedAlgorithm):
        raise EncryptionError("the bundle could not be encrypted for this certificate") from None


_NOT_FOR_YOU = "the encrypted bundle could not be opened: it is damaged or not addressed to you"


def _matches(rid: asn1_cms.RecipientIdentifier, cert: asn1_x509.Certificate) -> bool:
    if rid.name == "issuer_and_serial_number":
        wanted = rid.chosen
        return bool(
            cert.issuer == wanted["issuer"] and cert.serial_number == wanted["serial_number"].native
        )
    return bool(cert.key_identifier == rid.chosen.native)


def _unwrap_key(
    infos: asn1_cms.RecipientInfos, cert: x509.Certificate, key: rsa.RSAPrivateKey
) -> bytes:
    asn1_cert = asn1_x509.Certificate.load(certificate_to_der(cert))
    for info in infos:
        if info.name != "ktri" or not _matches(info.chosen["rid"], asn1_cert):
            continue
        ktri = info.chosen
        algorithm = ktri["key_encryption_algorithm"]
        wrapped = ktri["encrypted_key"].native
        name = algorithm["algorithm"].native
        try:
            if name == "rsaes_oaep":
                params = algorithm["parameters"]
                hash_name = params["hash_algorithm"]["algorithm"].native
                mgf = params["mask_gen_algorithm"]
                mgf_hash = mgf["parameters"]["algorithm"].native
                hash_map: dict[str, type[hashes.HashAlgorithm]] = {**_HASHES, "sha1": hashes.SHA1}
                if hash_name not in hash_map or mgf_hash != hash_name:
                    raise EncryptionError(f"the envelope uses OAEP with {hash_name}; refused")
                if params["p_source_algorithm"]["parameters"].native not in (b"", None):
                    raise EncryptionError("the envelope uses an OAEP label; refused")
                return key.decrypt(wrapped, _oaep(hash_map[hash_name]()))
            if name == "rsaes_pkcs1v15":
                return key.decrypt(wrapped, asym_padding.PKCS1v15())
        except ValueError:
            raise EncryptionError(_NOT_FOR_YOU) from None
        raise EncryptionError(f"the envelope wraps its key with {name}; refused")
    raise EncryptionError(_NOT_FOR_YOU)


def _aes(cek: bytes) -> algorithms.AES:
    if len(cek) not in (16, 24, 32):
        raise EncryptionError(_NOT_FOR_YOU)
    return algorithms.AES(cek)


def _open_gcm(envelope: asn1_cms.AuthEnvelopedData, cek: bytes) -> bytes:
    content_info = envelope["auth_encrypted_content_info"]
    algorithm = content_info["content_encryption_algorithm"]
    if algorithm["algorithm"].native not in ("aes128_gcm", "aes192_gcm", "aes256_gcm"):
        raise EncryptionError(
            f"the envelope uses {algorithm['algorithm'].native}; only AES-GCM is accepted"
        )
    params = _GCMParameters.load(algorithm["parameters"].dump())
    nonce = params["aes_nonce"].native
    mac = envelope["mac"].native
    if params["aes_icvlen"].native != 16 or len(mac) != 16:
        raise EncryptionError("the envelope's GCM tag is not 16 bytes; refused")
    auth_attrs = envelope["auth_attrs"]
    aad = b"\x31" + auth_attrs.dump()[1:] if auth_attrs.native else None
    ciphertext = content_info["encrypted_content"].native or b""
    try:
        _aes(cek)
        return AESGCM(cek).decrypt(nonce, ciphertext + mac, aad)
    except (InvalidTag, ValueError):
        raise EncryptionError(
            "the encrypted bundle was altered or is damaged (its authentication tag does not "
            "match); copy it again from the original"
        ) from None


def _open_cbc(envelope: asn1_cms.EnvelopedData, cek: bytes) -> bytes:
    content_info = envelope["encrypted_content_info"]
    algorithm = content_info["content_encryption_algorithm"]
    if algorithm["algorithm"].native not in ("aes128_cbc", "aes192_cbc", "aes256_cbc"):
        raise EncryptionError(
            f"the envelope uses {algorithm['algorithm'].native}; only AES is accepted"
        )
    iv = algorithm["parameters"].native
    ciphertext = content_info["encrypted_content"].native or b""
    try:
        decryptor = Cipher(_aes(cek), modes.CBC(iv)).decryptor()
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise EncryptionError(_NOT_FOR_YOU) from None


def envelope_kind(envelope_der: bytes) -> str:
    """A short description of an envelope's content encryption, for the verification report."""
    try:
        kind = asn1_cms.ContentInfo.load(envelope_der)["content_type"].native
    except Exception:  # hostile input: any parse failure means "unknown"
        return "CMS envelope"
    if kind == "authenticated_enveloped_data":
        return "CMS AuthEnvelopedData (AES-GCM)"
    return "CMS EnvelopedData (AES-CBC)"


def decrypt(envelope_der: bytes, cert: x509.Certificate, key: rsa.RSAPrivateKey) -> bytes:
    """Open AuthEnvelopedData (AES-GCM) or EnvelopedData (AES-CBC) addressed to ``cert``."""
    if len(envelope_der) > MAX_ENVELOPE_BYTES + 1024 * 1024:
        raise EncryptionError(
            f"encrypted bundles larger than {MAX_ENVELOPE_BYTES // (1024 * 1024)} MiB are refused"
        )
    try:
        info = asn1_cms.ContentInfo.load(envelope_der, strict=True)
        kind = info["content_type"].native
        envelope = info["content"]
        envelope.native  # noqa: B018 - full parse, so malformed DER fails here
    except Exception:  # asn1crypto raises many exception types on hostile input
        raise EncryptionError(_NOT_FOR_YOU) from None
    if kind == "authenticated_enveloped_data":
        return _open_gcm(envelope, _unwrap_key(envelope["recipient_infos"], cert, key))
    if kind == "enveloped_data":
        return _open_cbc(envelope, _unwrap_key(envelope["recipient_infos"], cert, key))
    raise EncryptionError("the file is not an encrypted bundle (no CMS envelope)")
