"""Make the hand-made hostile bundles of ``tests/hostile/corpus/``, byte for byte the same each run.

Run ``python -m tests.hostile.make_corpus`` from the repository root to regenerate the corpus and
its README (``--out DIR`` writes elsewhere; ``--new-identity`` replaces the stored TEST keys, which
changes every file). The script is deliberately independent of the writer under test: it lays out
ZIP headers itself (:func:`raw_zip`) so that it can lie in them, and signs manifests with its own
CMS code (:func:`sign_manifest`) so that signatures are deterministic (RSA PKCS#1 v1.5 and a fixed
signing time; ECDSA or the ``cryptography`` builder's current-time attribute would change every
run). Only the manifest text and the request schema come from casecoord, so that the control
bundle is exactly what casecoord accepts today.

Each variant changes one thing of the valid control bundle and, where that one thing is not the
signature itself, is validly signed again by the trusted TEST key: the check that must refuse it is
then the one aimed at, not the signature check that would otherwise stop everything first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import struct
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from asn1crypto import algos as asn1_algos
from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from casecoord.bundle.document import canonical_json, validate_request_doc
from casecoord.bundle.manifest import MANIFEST_NAME, SIGNATURE_NAME, ManifestEntry, build_manifest

CORPUS = Path(__file__).resolve().parent / "corpus"
IDENTITY = CORPUS / "identity"
CONTROL = "control-valid.asice"
MIMETYPE = b"application/vnd.etsi.asic-e+zip"
STORED, DEFLATED = 0, 8
SIGNING_TIME = dt.datetime(2025, 3, 14, 8, 30, tzinfo=dt.UTC)
_DOS_TIME = (9 << 11) | (30 << 5)
_DOS_DATE = ((2025 - 1980) << 9) | (3 << 5) | 14
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
LETTER = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% hostile corpus letter\n%%EOF\n"


def stream_bytes(label: str, size: int) -> bytes:
    """``size`` pseudo-random bytes fixed by ``label`` (SHA-256 in counter mode): evidence that
    does not compress, the same on every run."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def squeezable_text(size: int, ratio_hint: int = 8) -> str:
    """ASCII text of ``size`` characters that deflates by roughly 60-90:1: a repeated phrase with
    a few pseudo-random letters every ``ratio_hint`` lines, so a big request.json stays under the
    reader's ratio limit and is refused for its size, not as a bomb."""
    noise = stream_bytes("noise", size // 40 + 64)
    lines: list[str] = []
    total = 0
    i = 0
    while total < size:
        line = "the container was inspected at the quay and sealed again "
        if i % ratio_hint == 0:
            line += "".join(chr(97 + b % 26) for b in noise[i % len(noise) : i % len(noise) + 6])
        lines.append(line)
        total += len(line)
        i += 1
    return "".join(lines)[:size]


# -- identity --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusKey:
    """A stored TEST key pair (never a real officer's): PEM files under ``corpus/identity``."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate


def _make_key(common_name: str, *, signing: bool) -> CorpusKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "casecoord hostile test corpus"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=not signing,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2099, 12, 31, tzinfo=dt.UTC))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    return CorpusKey(key, cert)


_KEYS = {
    "signer": ("TEST signer (hostile corpus, not a real officer)", True),
    "other": ("TEST other signer (hostile corpus)", True),
    "elsewhere": ("TEST recipient elsewhere (hostile corpus)", False),
}


def load_keys(folder: Path = IDENTITY, *, renew: bool = False) -> dict[str, CorpusKey]:
    """The three TEST identities; generated once (or with ``renew``) and stored as PEM."""
    folder.mkdir(parents=True, exist_ok=True)
    keys: dict[str, CorpusKey] = {}
    for label, (common_name, signing) in _KEYS.items():
        key_path, cert_path = folder / f"{label}.key.pem", folder / f"{label}.cert.pem"
        if renew or not key_path.exists() or not cert_path.exists():
            made = _make_key(common_name, signing=signing)
            key_path.write_bytes(
                made.key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            cert_path.write_bytes(made.cert.public_bytes(serialization.Encoding.PEM))
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        keys[label] = CorpusKey(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))
    return keys


# -- CMS, deterministic ----------------------------------------------------------------------


def _signer_info(
    content: bytes, signer: CorpusKey, when: dt.datetime, claimed: CorpusKey | None = None
) -> asn1_cms.SignerInfo:
    attrs = asn1_cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "signing_time", "values": [asn1_core.UTCTime(when)]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
        ]
    )
    signature = signer.key.sign(attrs.dump(), padding.PKCS1v15(), hashes.SHA256())
    named = claimed or signer
    cert = asn1_x509.Certificate.load(named.cert.public_bytes(serialization.Encoding.DER))
    return asn1_cms.SignerInfo(
        {
            "version": "v1",
            "sid": asn1_cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value={"issuer": cert.issuer, "serial_number": cert.serial_number},
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attrs,
            "signature_algorithm": {"algorithm": "rsassa_pkcs1v15"},
            "signature": signature,
        }
    )


def sign_manifest(
    content: bytes,
    signers: Sequence[CorpusKey],
    *,
    certs: Sequence[CorpusKey] | None = None,
    when: dt.datetime = SIGNING_TIME,
    embed: bool = False,
    claimed: CorpusKey | None = None,
) -> bytes:
    """Detached CMS SignedData (DER) over ``content``, one signerInfo per signer, made the way
    ``openssl cms -sign -binary`` would but without randomness; ``certs`` (default: the signers)
    are the certificates embedded, ``embed`` puts the content inside (not detached), ``claimed``
    names another certificate as the signer than the key that signs."""
    encap: dict[str, Any] = {"content_type": "data"}
    if embed:
        encap["content"] = content
    signed = asn1_cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": encap,
            "certificates": [
                asn1_x509.Certificate.load(k.cert.public_bytes(serialization.Encoding.DER))
                for k in (certs if certs is not None else signers)
            ],
            "signer_infos": [_signer_info(content, s, when, claimed) for s in signers],
        }
    )
    return bytes(asn1_cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


def encrypt_for(content: bytes, recipient: x509.Certificate) -> bytes:
    """CMS EnvelopedData (AES-256-CBC, RSA PKCS#1 v1.5 key transport) with a fixed content key,
    IV and padding string: what ``cryptography`` would make, minus the randomness, so the file
    stays the same. A TEST artefact only — never encrypt anything real like this."""
    cek = hashlib.sha256(b"hostile corpus content key").digest()
    iv = hashlib.sha256(b"hostile corpus iv").digest()[:16]
    public = recipient.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    numbers = public.public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    filler = bytes(b or 1 for b in stream_bytes("pkcs1 padding", size - len(cek) - 3))
    block = int.from_bytes(b"\x00\x02" + filler + b"\x00" + cek, "big")
    wrapped = pow(block, numbers.e, numbers.n).to_bytes(size, "big")
    pad = 16 - len(content) % 16
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.AES(cek), modes.CBC(iv)).encryptor()
    body = encryptor.update(content + bytes([pad]) * pad) + encryptor.finalize()
    cert = asn1_x509.Certificate.load(recipient.public_bytes(serialization.Encoding.DER))
    enveloped = asn1_cms.EnvelopedData(
        {
            "version": "v0",
            "recipient_infos": [
                asn1_cms.RecipientInfo(
                    name="ktri",
                    value={
                        "version": "v0",
                        "rid": asn1_cms.RecipientIdentifier(
                            name="issuer_and_serial_number",
                            value={"issuer": cert.issuer, "serial_number": cert.serial_number},
                        ),
                        "key_encryption_algorithm": {"algorithm": "rsaes_pkcs1v15"},
                        "encrypted_key": wrapped,
                    },
                )
            ],
            "encrypted_content_info": {
                "content_type": "data",
                "content_encryption_algorithm": asn1_algos.EncryptionAlgorithm(
                    {"algorithm": "aes256_cbc", "parameters": iv}
                ),
                "encrypted_content": body,
            },
        }
    )
    return bytes(
        asn1_cms.ContentInfo({"content_type": "enveloped_data", "content": enveloped}).dump()
    )


# -- ZIP, laid out by hand -------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """One ZIP entry as it will be written, with every header field an attacker could lie in.

    ``declared_size`` replaces the true inflated size in both headers; ``local_name`` puts another
    name in the local header than in the central directory; ``raw_name`` writes these exact bytes
    as the name (for NUL and other bytes a ``str`` name cannot carry through ``zipfile``).
    """

    name: str
    content: bytes
    method: int = STORED
    declared_size: int | None = None
    local_name: str | None = None
    raw_name: bytes | None = None
    extra: bytes = b""
    flags: int = 0
    crc: int | None = None
    payload: bytes | None = None
    version_needed: int = 20

    def encoded_name(self) -> bytes:
        return self.raw_name if self.raw_name is not None else self.name.encode("utf-8")


@dataclass
class Built:
    """A laid-out ZIP and where each entry's (possibly compressed) data sits in it."""

    data: bytes
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def _compress(content: bytes, method: int) -> bytes:
    if method == DEFLATED:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
        return packer.compress(content) + packer.flush()
    if method == STORED:
        return content
    return content  # an unsupported method: the bytes are never inflated by a sane reader


def raw_zip(entries: Sequence[Raw], *, aliases: Sequence[tuple[str, int]] = ()) -> Built:
    """Write ``entries`` as a ZIP; ``aliases`` adds (name, index) central records pointing at the
    local header of ``entries[index]`` (the overlapping "better zip bomb")."""
    out = bytearray()
    central = bytearray()
    built = Built(b"")
    offsets: list[tuple[int, int, int, int]] = []
    for entry in entries:
        payload = (
            entry.payload if entry.payload is not None else _compress(entry.content, entry.method)
        )
        crc = entry.crc if entry.crc is not None else zlib.crc32(entry.content)
        size = entry.declared_size if entry.declared_size is not None else len(entry.content)
        local_name = entry.local_name.encode("utf-8") if entry.local_name else entry.encoded_name()
        flags = entry.flags | 0x800
        offset = len(out)
        out += _LOCAL.pack(
            b"PK\x03\x04",
            20,
            flags,
            entry.method,
            _DOS_TIME,
            _DOS_DATE,
            crc,
            len(payload),
            size,
            len(local_name),
            len(entry.extra),
        )
        out += local_name + entry.extra
        built.spans[entry.name] = (len(out), len(payload))
        out += payload
        offsets.append((offset, crc, len(payload), size))
    records = [(e, e.encoded_name(), i) for i, e in enumerate(entries)]
    records += [(entries[i], name.encode("utf-8"), i) for name, i in aliases]
    for entry, name, index in records:
        offset, crc, compressed, size = offsets[index]
        central += _CENTRAL.pack(
            b"PK\x01\x02",
            20,
            entry.version_needed,
            entry.flags | 0x800,
            entry.method,
            _DOS_TIME,
            _DOS_DATE,
            crc,
            compressed,
            size,
            len(name),
            len(entry.extra),
            0,
            0,
            0,
            0o644 << 16,
            offset,
        )
        central += name + entry.extra
    start = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(records), len(records), len(central), start, 0)
    built.data = bytes(out)
    return built


# -- the control bundle and its parts --------------------------------------------------------


def request_doc(attachments: Sequence[Raw]) -> dict[str, Any]:
    """A complete, schema-valid request.json listing ``attachments`` (a TEST request: the names
    and facts are invented)."""
    doc: dict[str, Any] = {
        "schema_version": 1,
        "bundle_id": "5f0c3a52-8e1d-4c6b-a7f3-2d9e4b1c0a77",
        "created_at": "2025-03-14T09:30:00+01:00",
        "request": {
            "reference": "NL-MLA-2025-0666",
            "kind": "mla",
            "direction": "outgoing",
            "requesting_state": "NL",
            "requested_state": "CO",
            "requesting_authority": "Landelijk Parket (TEST)",
            "requested_authority": "Fiscalía General de la Nación (TEST)",
            "legal_basis": {
                "instrument_id": "un-vienna-1988",
                "title": "United Nations Convention against Illicit Traffic in Narcotic Drugs "
                "and Psychotropic Substances (1988)",
                "articles": ["7"],
                "override_reason": None,
            },
            "channel": "central-authority",
            "urgency": "normal",
            "urgency_reason": None,
            "language": "es",
            "measures": ["Bank records of account 0000000000 (TEST)"],
            "facts": "TEST facts of the hostile corpus: a container left Guayaquil for Rotterdam.",
            "legal_qualification": "Art. 10a Opiumwet (TEST)",
            "offences": ["illicit-trafficking-narcotic-drugs"],
            "persons": [
                {
                    "role": "suspect",
                    "family_name": "Testperson",
                    "given_names": "Corpus",
                    "aliases": [],
                    "birth_date": "1980-01-01",
                    "birth_place": None,
                    "nationality": ["CO"],
                    "documents": [],
                }
            ],
            "counterpart_reference": None,
            "related_reference": None,
            "respond_by": None,
        },
        "case": {"reference": "NL-2025-CORPUS", "title": "Hostile corpus (TEST)"},
        "sender": {
            "name": "TEST signer",
            "organisation": "casecoord hostile test corpus",
            "country": "NL",
            "email": None,
            "phone": None,
        },
        "handling": {"tlp": "GREEN", "handling_code": "H1", "grading": None},
        "attachments": [
            {
                "name": a.name.removeprefix("attachments/"),
                "media_type": "application/octet-stream",
                "sha256": hashlib.sha256(a.content).hexdigest(),
                "size": len(a.content),
                "description": None,
            }
            for a in attachments
        ],
    }
    return doc


ATTACHMENTS = (
    Raw("attachments/statement.pdf", b"%PDF-1.4\n" + stream_bytes("statement", 3000)),
    Raw("attachments/witness-list.txt", b"TEST witness list\n" * 30),
)


def data_entries(
    attachments: Sequence[Raw] = ATTACHMENTS, doc: dict[str, Any] | None = None
) -> list[Raw]:
    """Attachments, request.json (deflated, canonical, schema-valid) and request.pdf, in the
    writer's order."""
    document = doc if doc is not None else request_doc(attachments)
    validate_request_doc(document)
    return [
        *attachments,
        Raw("request.json", canonical_json(document), DEFLATED),
        Raw("request.pdf", LETTER),
    ]


def manifest_for(entries: Sequence[Raw]) -> bytes:
    return build_manifest(
        [
            ManifestEntry(e.name, "application/octet-stream", hashlib.sha256(e.content).hexdigest())
            for e in entries
        ]
    )


def mimetype_entry() -> Raw:
    return Raw("mimetype", MIMETYPE)


def signed(
    entries: Sequence[Raw], signer: CorpusKey, *, listed: Sequence[Raw] | None = None
) -> list[Raw]:
    """mimetype + ``entries`` + a manifest over ``listed`` (default: the same entries) + its
    signature by ``signer``: the complete entry list of a container."""
    manifest = manifest_for(listed if listed is not None else entries)
    return [
        mimetype_entry(),
        *entries,
        Raw(MANIFEST_NAME, manifest, DEFLATED),
        Raw(SIGNATURE_NAME, sign_manifest(manifest, [signer])),
    ]


def with_manifest(entries: Sequence[Raw], manifest: bytes, signer: CorpusKey) -> list[Raw]:
    """mimetype + ``entries`` + this exact manifest, validly signed by ``signer``."""
    return [
        mimetype_entry(),
        *entries,
        Raw(MANIFEST_NAME, manifest, DEFLATED),
        Raw(SIGNATURE_NAME, sign_manifest(manifest, [signer])),
    ]


def with_doc(doc: dict[str, Any] | bytes, signer: CorpusKey) -> bytes:
    """The control with request.json replaced (by a document or raw bytes), signed again."""
    body = doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()
    entries = [*ATTACHMENTS, Raw("request.json", body, DEFLATED), Raw("request.pdf", LETTER)]
    return raw_zip(signed(entries, signer)).data


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


# -- the variants ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One corpus file: its name, what it attacks (for the README) and its bytes."""

    name: str
    attack: str
    data: bytes


def variants(keys: dict[str, CorpusKey]) -> Iterator[Variant]:
    """The control first, then every hostile variant, in a stable order."""
    signer, other = keys["signer"], keys["other"]
    base = data_entries()
    control_entries = signed(base, signer)
    control = raw_zip(control_entries)
    yield Variant(
        CONTROL,
        "CONTROL: the valid bundle every variant starts from; accepted "
        "once the TEST signer's fingerprint is pinned or accepted",
        control.data,
    )

    def v(name: str, attack: str, data: bytes | Built) -> Variant:
        return Variant(name, attack, data.data if isinstance(data, Built) else data)

    def short(entry_name: str) -> str:
        return entry_name.split("/")[-1].replace(".", "-").lower()

    # one byte flipped: in the file (the ZIP's CRC catches it) and in the content (CRC recomputed,
    # as a forger would: the signed manifest's digest must catch it)
    for entry in control_entries:
        start, length = control.spans[entry.name]
        yield v(
            f"flip-raw-{short(entry.name)}.asice",
            f"one byte of {entry.name} flipped in the file (bit rot, CRC now wrong)",
            _flip(control.data, start + length // 2),
        )
        altered = [
            replace(e, content=_flip(e.content, len(e.content) // 2)) if e is entry else e
            for e in control_entries
        ]
        yield v(
            f"flip-content-{short(entry.name)}.asice",
            f"one byte of {entry.name} changed and the ZIP CRC recomputed (forgery)",
            raw_zip(altered),
        )

    extra = Raw("attachments/extra.txt", b"not signed\n")
    yield v(
        "entry-added.asice",
        "an attachment added after signing, not in the manifest",
        raw_zip([*control_entries[:-2], extra, *control_entries[-2:]]),
    )
    yield v(
        "entry-added-at-root.asice",
        "a file added at the container root after signing",
        raw_zip([*control_entries, Raw("readme.txt", b"open me\n")]),
    )
    yield v(
        "entry-added-and-resigned.asice",
        "an attachment added and the manifest signed again by the trusted key, but "
        "request.json does not list it",
        raw_zip(signed([*base, extra], signer)),
    )
    yield v(
        "entry-removed-attachment.asice",
        "an attachment removed after signing",
        raw_zip([e for e in control_entries if e.name != "attachments/witness-list.txt"]),
    )
    yield v(
        "entry-removed-letter.asice",
        "request.pdf removed after signing",
        raw_zip([e for e in control_entries if e.name != "request.pdf"]),
    )
    yield v(
        "entry-renamed.asice",
        "an attachment renamed after signing",
        raw_zip(
            [
                replace(e, name="attachments/statement-v2.pdf")
                if e.name == "attachments/statement.pdf"
                else e
                for e in control_entries
            ]
        ),
    )
    yield v(
        "entry-swapped-contents.asice",
        "the two attachments' contents swapped under their names",
        raw_zip(
            [
                replace(e, content=ATTACHMENTS[1 - i].content)
                if (i := next((k for k, a in enumerate(ATTACHMENTS) if a.name == e.name), -1)) >= 0
                else e
                for e in control_entries
            ]
        ),
    )

    # signatures
    manifest = manifest_for(base)
    yield v(
        "signature-second-signer.asice",
        "the signature file carries two signerInfos (trusted key and another)",
        raw_zip(
            control_entries[:-1] + [Raw(SIGNATURE_NAME, sign_manifest(manifest, [signer, other]))]
        ),
    )
    yield v(
        "signature-second-file.asice",
        "a second signature file META-INF/signature2.p7s beside the first",
        raw_zip(
            [*control_entries, Raw("META-INF/signature2.p7s", sign_manifest(manifest, [other]))]
        ),
    )
    tampered_manifest = manifest.replace(b"application/octet-stream", b"application/x-evil", 1)
    yield v(
        "signature-resigned-by-other-key.asice",
        "the manifest altered and signed again by another (valid, unpinned) key",
        raw_zip(with_manifest(base, tampered_manifest, other)),
    )
    yield v(
        "signature-other-key-trusted-cert.asice",
        "signed by another key while naming and embedding the trusted signer's certificate",
        raw_zip(
            control_entries[:-1]
            + [
                Raw(
                    SIGNATURE_NAME, sign_manifest(manifest, [other], certs=[signer], claimed=signer)
                )
            ]
        ),
    )
    yield v(
        "signature-manifest-edited.asice",
        "the manifest edited after signing",
        raw_zip(
            control_entries[:-2]
            + [Raw(MANIFEST_NAME, tampered_manifest, DEFLATED), control_entries[-1]]
        ),
    )
    yield v("signature-missing.asice", "no META-INF/signature.p7s", raw_zip(control_entries[:-1]))
    yield v(
        "signature-garbage.asice",
        "the signature file holds DER-looking garbage",
        raw_zip(
            control_entries[:-1]
            + [Raw(SIGNATURE_NAME, b"\x30\x82\x01\x00" + stream_bytes("sig", 256))]
        ),
    )
    yield v(
        "signature-embedded-content.asice",
        "the signature embeds the manifest (not detached)",
        raw_zip(
            control_entries[:-1]
            + [Raw(SIGNATURE_NAME, sign_manifest(manifest, [signer], embed=True))]
        ),
    )
    yield v(
        "signature-time-before-certificate.asice",
        "signed at a time the signer's certificate was not yet valid (2001)",
        raw_zip(
            control_entries[:-1]
            + [
                Raw(
                    SIGNATURE_NAME,
                    sign_manifest(manifest, [signer], when=dt.datetime(2001, 1, 1, tzinfo=dt.UTC)),
                )
            ]
        ),
    )
    yield v(
        "manifest-missing.asice",
        "no META-INF/ASiCManifest.xml",
        raw_zip([e for e in control_entries if e.name != MANIFEST_NAME]),
    )
    yield v(
        "manifest-second.asice",
        "a second manifest META-INF/ASiCManifest2.xml",
        raw_zip([*control_entries, Raw("META-INF/ASiCManifest2.xml", manifest)]),
    )

    # path traversal and unsafe names, each listed in a validly signed manifest
    for label, name in (
        ("dotdot", "../evil.txt"),
        ("dotdot-inside", "attachments/../../evil.txt"),
        ("absolute", "/etc/cron.d/evil"),
        ("backslash", "attachments\\..\\..\\evil.txt"),
        ("drive-letter", "C:/Windows/System32/evil.dll"),
        ("drive-relative", "C:evil.txt"),
        ("dot-segment", "attachments/./evil.txt"),
        ("empty-segment", "attachments//evil.txt"),
        ("control-chars", "attachments/evil\x1b[2J\r\n.txt"),
        ("overlong", "attachments/" + "a" * 2000 + ".txt"),
    ):
        hostile = Raw(name, b"payload\n")
        yield v(
            f"name-{label}.asice",
            f"an entry named {name[:60]!r}",
            raw_zip(signed([*base, hostile], signer)),
        )
    nul = Raw("attachments/evil.txt.pdf", b"payload\n", raw_name=b"attachments/evil.txt\x00.pdf")
    yield v(
        "name-nul-byte.asice",
        "an entry name with a NUL byte (evil.txt\\0.pdf)",
        raw_zip(signed([*base, nul], signer)),
    )
    yield v(
        "name-local-header-differs.asice",
        "the local header names another file than the central directory",
        raw_zip(
            [
                replace(e, local_name="attachments/evil.exe.....")
                if e.name == "attachments/statement.pdf"
                else e
                for e in control_entries
            ]
        ),
    )

    # duplicates
    first = ATTACHMENTS[0]
    nfc = unicodedata.normalize("NFC", "attachments/café.txt")
    nfd = unicodedata.normalize("NFD", "attachments/café.txt")
    for label, a, b in (
        ("exact", first, replace(first, content=b"%PDF-1.4 the other one")),
        ("case-folded", first, replace(first, name="attachments/STATEMENT.pdf")),
        ("nfc-nfd", Raw(nfc, b"nfc\n"), Raw(nfd, b"nfd\n")),
    ):
        yield v(
            f"duplicate-{label}.asice",
            f"two entries named {a.name!r} and {b.name!r}",
            raw_zip(
                signed(
                    [*base, b] if a is first else [*base, a, b],
                    signer,
                    listed=[*base] if a is first else [*base, a, b],
                )
            ),
        )
    evil_doc = request_doc(ATTACHMENTS)
    evil_doc["request"]["facts"] = "a second request.json that a careless importer reads"
    yield v(
        "duplicate-request-json.asice",
        "request.json twice: the signed one first, another after it (readers disagree "
        "which one counts)",
        raw_zip(
            [
                *control_entries[:-2],
                Raw("request.json", canonical_json(evil_doc)),
                *control_entries[-2:],
            ]
        ),
    )

    # zip bombs
    zeros = Raw("attachments/zeros.bin", bytes(8 * 1024 * 1024), DEFLATED)
    yield v(
        "bomb-ratio.asice",
        "an attachment of 8 MiB of zeros deflated about 1000:1, honestly declared and "
        "validly signed",
        raw_zip(signed(data_entries([*ATTACHMENTS, zeros]), signer)),
    )
    yield v(
        "bomb-lying-size.asice",
        "the same 8 MiB of zeros declaring 4 KiB in both headers (slips past header checks; "
        "must be stopped while inflating)",
        raw_zip(signed(data_entries([*ATTACHMENTS, replace(zeros, declared_size=4096)]), signer)),
    )
    huge = [
        Raw(f"attachments/part{i:02}.bin", bytes(1 << 16), DEFLATED, declared_size=0xFFFFFFFE)
        for i in range(20)
    ]
    yield v(
        "bomb-declared-80gib.asice",
        "20 entries each declaring 4 GiB (80 GiB in all) from a few bytes each",
        raw_zip(signed([*base, *huge], signer)),
    )
    yield v(
        "bomb-overlapping-entries.asice",
        "50 central-directory records sharing one local entry (the overlapping 'better zip bomb')",
        raw_zip(control_entries, aliases=[(f"attachments/copy{i:02}.pdf", 1) for i in range(50)]),
    )
    for target in (MANIFEST_NAME, "request.json"):
        yield v(
            f"deflate-invalid-{short(target)}.asice",
            f"{target} holding an invalid deflate stream (reserved block type) of the "
            "declared sizes",
            raw_zip(
                [
                    replace(e, payload=b"\xff" * len(_compress(e.content, DEFLATED)))
                    if e.name == target
                    else e
                    for e in control_entries
                ]
            ),
        )
    yield v(
        "zip-version-needed-99.asice",
        "an entry whose central record needs ZIP version 9.9 to extract",
        raw_zip(
            [
                replace(e, version_needed=99) if e.name == "request.pdf" else e
                for e in control_entries
            ]
        ),
    )
    for bit, label in ((0x20, "patched-data"), (0x40, "strong-encryption")):
        yield v(
            f"entry-flag-{label}.asice",
            f"an attachment flagged 'compressed patched data' / 'strong encryption' "
            f"(flag bit {bit:#04x})",
            raw_zip(
                [
                    replace(e, flags=bit) if e.name == "attachments/witness-list.txt" else e
                    for e in control_entries
                ]
            ),
        )
    yield v(
        "entry-method-lzma.asice",
        "an entry claiming LZMA compression (method 14)",
        raw_zip(
            [
                replace(e, method=14) if e.name == "attachments/witness-list.txt" else e
                for e in control_entries
            ]
        ),
    )
    yield v(
        "entry-zip-encrypted.asice",
        "an entry flagged as ZIP-encrypted",
        raw_zip(
            [
                replace(e, flags=1) if e.name == "attachments/witness-list.txt" else e
                for e in control_entries
            ]
        ),
    )

    # not a ZIP, truncated
    yield v("not-zip-text.asice", "plain text", b"This is not a bundle.\n")
    yield v("not-zip-empty.asice", "an empty file", b"")
    yield v("not-zip-pdf.asice", "a PDF renamed", LETTER)
    yield v(
        "not-zip-gzip.asice",
        "a gzip stream",
        bytes.fromhex("1f8b0800000000000003") + zlib.compress(b"x" * 100)[2:-4],
    )
    yield v(
        "not-zip-pk-garbage.asice",
        "the ZIP magic followed by garbage",
        b"PK\x03\x04" + stream_bytes("garbage", 2000),
    )
    yield v(
        "not-zip-end-record-only.asice",
        "an empty ZIP (end record only)",
        _END.pack(b"PK\x05\x06", 0, 0, 0, 0, 0, 0, 0),
    )
    yield v(
        "prepended-junk.asice",
        "junk before the first entry (self-extractor style)",
        b"MZ" + bytes(62) + control.data,
    )
    for label, cut in (
        ("half", len(control.data) // 2),
        ("no-end-record", len(control.data) - 22),
        ("last-byte", len(control.data) - 1),
        ("header-only", 40),
    ):
        yield v(f"truncated-{label}.asice", f"the control cut to {cut} bytes", control.data[:cut])

    # mimetype
    rest = control_entries[1:]
    for label, attack, entries in (
        ("not-first", "mimetype stored last, not first", [*rest, mimetype_entry()]),
        ("deflated", "mimetype compressed", [replace(mimetype_entry(), method=DEFLATED), *rest]),
        ("wrong", "mimetype application/zip", [Raw("mimetype", b"application/zip"), *rest]),
        (
            "trailing-newline",
            "mimetype with a trailing newline",
            [Raw("mimetype", MIMETYPE + b"\n"), *rest],
        ),
        ("missing", "no mimetype entry", list(rest)),
        (
            "extra-field",
            "mimetype with an extra field (shifts the magic offset)",
            [replace(mimetype_entry(), extra=b"\xfe\xca\x00\x00"), *rest],
        ),
    ):
        yield v(f"mimetype-{label}.asice", attack, raw_zip(entries))

    # manifest: DTDs and entities, validly signed
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE asic:ASiCManifest [\n <!ENTITY l0 "lol">\n'
        + b"".join(b' <!ENTITY l%d "%s">\n' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
        + b"]>\n"
    )
    body = manifest.split(b"?>\n", 1)[1]
    billion = laughs + body.replace(b"application/pdf", b"&l9;", 1).replace(
        b"application/octet-stream", b"&l9;", 1
    )
    yield v(
        "manifest-billion-laughs.asice",
        "manifest with a DTD expanding an entity to 10^9 'lol's, validly signed",
        raw_zip(with_manifest(base, billion, signer)),
    )
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        + body.replace(b"application/octet-stream", b"&x;", 1)
    )
    yield v(
        "manifest-external-entity.asice",
        "manifest with an external entity (file:///etc/passwd), validly signed",
        raw_zip(with_manifest(base, xxe, signer)),
    )
    utf16 = (
        '<?xml version="1.0" encoding="UTF-16"?>\n' + billion.split(b"?>\n", 1)[1].decode()
    ).encode("utf-16")
    yield v(
        "manifest-utf16-billion-laughs.asice",
        "the billion-laughs manifest in UTF-16 (a byte search for '<!DOCTYPE' misses it)",
        raw_zip(with_manifest(base, utf16, signer)),
    )
    small_entity = (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        '<!DOCTYPE m [<!ENTITY t "application/octet-stream">]>\n'
        + body.decode().replace("application/octet-stream", "&t;")
    ).encode("utf-16")
    yield v(
        "manifest-utf16-entity.asice",
        "a valid manifest in UTF-16 declaring a DTD with one small entity (no blow-up): "
        "the DTD refusal must not depend on the encoding",
        raw_zip(with_manifest(base, small_entity, signer)),
    )
    yield v(
        "manifest-not-xml.asice",
        "the manifest is not XML, validly signed",
        raw_zip(with_manifest(base, b"\x00\x01not xml at all", signer)),
    )
    yield v(
        "manifest-lists-missing-entry.asice",
        "the manifest lists an attachment that is not in the container, validly signed",
        raw_zip(signed(base, signer, listed=[*base, extra])),
    )
    yield v(
        "manifest-md5.asice",
        "the manifest gives MD5 digests, validly signed",
        raw_zip(
            with_manifest(
                base,
                manifest.replace(
                    b"http://www.w3.org/2001/04/xmlenc#sha256",
                    b"http://www.w3.org/2001/04/xmldsig-more#md5",
                ),
                signer,
            )
        ),
    )

    # request.json, validly signed
    doc = request_doc(ATTACHMENTS)
    invalid = json.loads(json.dumps(doc))
    invalid["request"]["kind"] = "kidnap-order"
    del invalid["request"]["facts"]
    yield v(
        "request-schema-invalid.asice",
        "request.json with an unknown kind and no facts",
        with_doc(invalid, signer),
    )
    extra_field = json.loads(json.dumps(doc))
    extra_field["request"]["execute"] = "rm -rf /"
    yield v(
        "request-unknown-field.asice",
        "request.json with a field the schema does not know",
        with_doc(extra_field, signer),
    )
    long_facts = json.loads(json.dumps(doc))
    long_facts["request"]["facts"] = "x" * 300_000
    yield v(
        "request-huge-string.asice",
        "request.json whose facts hold 300,000 characters (the schema allows 100,000)",
        with_doc(long_facts, signer),
    )
    long_kind = json.loads(json.dumps(doc))
    long_kind["request"]["kind"] = "mla\n" + "A" * 200_000 + "\x1b[2J"
    yield v(
        "request-huge-enum-value.asice",
        "request.json whose kind is 200,000 characters with a line break and an escape "
        "sequence (an error message quoting it would flood the officer's screen)",
        with_doc(long_kind, signer),
    )
    big = json.loads(json.dumps(doc))
    big["request"]["measures"] = [squeezable_text(4 * 1024 * 1024 + 4096)]
    yield v(
        "request-over-4mib.asice",
        "request.json larger than the 4 MiB limit, deflating under 100:1",
        with_doc(big, signer),
    )
    yield v(
        "request-deeply-nested.asice",
        "request.json nested 100,000 arrays deep",
        with_doc(b'{"request":' + b"[" * 100_000 + b"]" * 100_000 + b"}", signer),
    )
    nested = json.loads(json.dumps(doc))
    nested_text = json.dumps(nested).replace(
        '"measures": [', '"measures": [' + "[" * 900 + "]" * 900 + ",", 1
    )
    yield v(
        "request-nested-900.asice",
        "request.json with a list nested 900 deep where a string belongs (parses, then "
        "fails the schema)",
        with_doc(nested_text.encode(), signer),
    )
    yield v(
        "request-not-utf8.asice",
        "request.json in Latin-1, not UTF-8",
        with_doc(
            json.dumps(doc, ensure_ascii=False).encode("latin-1", "replace") + b"\xe9", signer
        ),
    )
    yield v("request-not-object.asice", "request.json is a JSON array", with_doc(b"[1, 2]", signer))
    nan = json.dumps(doc).replace('"schema_version": 1', '"schema_version": NaN')
    yield v(
        "request-nan.asice", "request.json with NaN where 1 belongs", with_doc(nan.encode(), signer)
    )
    disagree = json.loads(json.dumps(doc))
    disagree["attachments"][0]["sha256"] = "0" * 64
    yield v(
        "request-attachments-disagree.asice",
        "request.json gives another SHA-256 for an attachment than the signed manifest",
        with_doc(disagree, signer),
    )
    unlisted = json.loads(json.dumps(doc))
    unlisted["attachments"] = unlisted["attachments"][:1]
    yield v(
        "request-attachment-unlisted.asice",
        "request.json lists one attachment while the bundle carries two",
        with_doc(unlisted, signer),
    )

    # encrypted
    elsewhere = encrypt_for(control.data, keys["elsewhere"].cert)
    yield v(
        "encrypted-for-someone-else.p7m",
        "the control encrypted (CMS EnvelopedData) for another recipient; openssl cms "
        "-decrypt with identity/elsewhere.key.pem opens it",
        elsewhere,
    )
    yield v(
        "encrypted-garbage.p7m",
        "a .p7m of DER-looking garbage",
        b"\x30\x82\x10\x00" + stream_bytes("p7m", 4096),
    )
    yield v(
        "encrypted-truncated.p7m",
        "the encrypted bundle cut in half",
        elsewhere[: len(elsewhere) // 2],
    )
    yield v(
        "encrypted-lying-length.p7m",
        "a DER header claiming a 2 GiB envelope",
        b"\x30\x84\x7f\xff\xff\xff\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x03" + bytes(64),
    )


def readme(items: Sequence[Variant], keys: dict[str, CorpusKey]) -> str:
    fp = ":".join(f"{b:02X}" for b in keys["signer"].cert.fingerprint(hashes.SHA256()))
    lines = [
        "# Hostile bundle corpus",
        "",
        "Hand-made hostile request bundles, kept in the repository so every run attacks the same",
        "bytes. `tests/hostile/test_hostile_bundles.py` checks that `verify_bundle` refuses each",
        "(and `casecoord import` refuses it with one officer-readable line, writing nothing), and",
        "that the control is accepted. Regenerate with `python -m tests.hostile.make_corpus`",
        "(deterministic: same bytes every run with the same zlib; written with zlib "
        f"{zlib.ZLIB_RUNTIME_VERSION}).",
        "",
        "**`identity/` holds TEST keys only** (RSA-2048, self-signed, valid 2025-2099): `signer`",
        "signs the control and most variants, `other` is a second signer nobody pins, `elsewhere`",
        "is the recipient of the encrypted variant. They protect nothing; never use them for",
        f"anything real. The TEST signer's SHA-256 fingerprint is `{fp}`.",
        "",
        "Variants other than signature attacks are validly signed by `signer` again after the",
        "change, so that the check aimed at (names, mimetype, manifest, schema...) is the one that",
        "must refuse them. The 64 GiB total and 10,000-entry limits cannot be reached by a small",
        "honest file; tests/bundle/test_bundle_tamper.py pins them with lowered limits.",
        "",
        "| file | what it attacks | bytes |",
        "|---|---|---|",
    ]
    for item in items:
        attack = item.attack.replace("|", "\\|")
        lines.append(f"| `{item.name}` | {attack} | {len(item.data):,} |")
    return "\n".join(lines) + "\n"


def build(out: Path = CORPUS, *, renew_identity: bool = False) -> list[Variant]:
    """Write every variant and the README into ``out``; return them."""
    keys = load_keys(IDENTITY, renew=renew_identity)
    out.mkdir(parents=True, exist_ok=True)
    items = list(variants(keys))
    names = [i.name for i in items]
    assert len(set(names)) == len(names), "two variants share a file name"
    for item in items:
        (out / item.name).write_bytes(item.data)
    (out / "README.md").write_text(readme(items, keys), encoding="utf-8")
    return items


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=CORPUS, help="folder to write (default: corpus)"
    )
    parser.add_argument(
        "--new-identity", action="store_true", help="generate new TEST keys (changes every file)"
    )
    args = parser.parse_args(argv)
    items = build(args.out, renew_identity=args.new_identity)
    total = sum(len(i.data) for i in items)
    print(f"{len(items)} files, {total:,} bytes, in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__: list[str] = ["CONTROL", "CORPUS", "IDENTITY", "Variant", "build", "load_keys", "variants"]
