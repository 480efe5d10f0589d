"""Write a signed ASiC-E request bundle, streaming attachments, atomically.

Layout (ETSI EN 319 162-1, ASiC-E with a CAdES-B-B detached signature)::

    mimetype                       stored, first, no extra field: application/vnd.etsi.asic-e+zip
    attachments/<safe name>        stored, streamed chunk by chunk while hashed
    request.json                   deflated, canonical JSON, validated against the schema
    request.pdf                    stored (PDF streams are already compressed)
    META-INF/ASiCManifest.xml      deflated, every data object with its SHA-256
    META-INF/signature.p7s         detached CAdES-B-B (CMS) over the manifest bytes

Attachments are **stored, not deflated**: evidence is mostly JPEG, video, PDF or archives that do
not shrink, deflating a gigabyte would blow the export time target (1.5x reading it out of the
store), and stored entries let the reader's compression-ratio check stay strict. They are written
before request.json because request.json lists their digests and sizes, known only once streamed.

The plain container is written to a temporary file beside ``dest``, fsynced and renamed, so a
crash never leaves a half bundle under the final name. An encrypted bundle is assembled in memory
(the CMS envelope is built in memory anyway) so no plaintext ever touches the disk; that path is
limited to :data:`~casecoord.bundle.cms.MAX_ENVELOPE_BYTES`. The sender's own encryption
certificate is always one of the envelope's recipients, so the sender can reopen what it sent.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography import x509

from casecoord.bundle import cms
from casecoord.bundle.document import canonical_json, validate_request_doc
from casecoord.bundle.errors import BundleError, BundleExistsError, EncryptionError, LetterError
from casecoord.bundle.identity import OfficerIdentity, SigningKey, fingerprint
from casecoord.bundle.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    ManifestEntry,
    build_manifest,
)
from casecoord.bundle.names import ATTACHMENTS_DIR, safe_attachment_name
from casecoord.domain.errors import VaultError
from casecoord.vault.files import FileExistsRefusedError, atomic_writer

ASIC_MIMETYPE = "application/vnd.etsi.asic-e+zip"
REQUEST_JSON = "request.json"
REQUEST_PDF = "request.pdf"
CHUNK_SIZE = 1024 * 1024
_ZIP64_THRESHOLD = (1 << 31) - CHUNK_SIZE

ChunkSource = AbstractContextManager[BinaryIO] | Iterable[bytes]
"""What :attr:`AttachmentSource.open` returns: a context manager giving a binary stream (a file,
a BLOB reader) or an iterable of byte chunks (e.g. a generator over the store's chunk rows)."""


@dataclass(frozen=True)
class AttachmentSource:
    """An attachment to stream into a bundle without holding it in memory.

    ``open`` is called exactly once, when the writer reaches this attachment. ``size`` is only a
    hint (to decide on ZIP64 headers up front); digests and sizes written are those measured.
    """

    name: str
    media_type: str
    open: Callable[[], ChunkSource]
    size: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class BundleEntry:
    """A data object as written: entry name, media type, SHA-256 (hex) and size in bytes."""

    name: str
    media_type: str
    sha256: str
    size: int


@dataclass(frozen=True)
class BundleInfo:
    """What the export produced, for the audit log and the officer's confirmation screen.

    ``sha256`` is the digest of the file at ``path`` (the ``.p7m`` when encrypted);
    ``container_sha256`` that of the ASiC-E ZIP itself (the same file when not encrypted).
    """

    path: Path
    sha256: str
    container_sha256: str
    size: int
    bundle_id: str
    entries: tuple[BundleEntry, ...]
    signer_fingerprint: str
    encrypted_for: str | None
    request_doc: Mapping[str, Any]
    recipients: tuple[str, ...] = ()
    """Fingerprints of every certificate the envelope is addressed to (the sender's included)."""
    cipher: str | None = None


Signer = OfficerIdentity | tuple[SigningKey, x509.Certificate]
Letter = bytes | Callable[[Mapping[str, Any]], bytes]
"""The letter PDF, or a function rendering it from the final request document (which then
already lists the attachments with their digests)."""


def _signer_pair(signer: Signer) -> tuple[SigningKey, x509.Certificate]:
    if isinstance(signer, OfficerIdentity):
        return signer.signing_key, signer.signing_cert
    return signer


def _chunks(source: ChunkSource) -> Iterator[bytes]:
    if isinstance(source, AbstractContextManager):
        with source as stream:
            while chunk := stream.read(CHUNK_SIZE):
                yield chunk
        return
    for chunk in source:
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise BundleError("an attachment source yielded something other than bytes")
        yield bytes(chunk)


def _zip_time(created_at: str) -> tuple[int, int, int, int, int, int]:
    try:
        moment = dt.datetime.fromisoformat(created_at)
    except ValueError:
        moment = dt.datetime(1980, 1, 1)
    moment = max(moment.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _info(name: str, when: tuple[int, int, int, int, int, int], method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = method
    info.external_attr = 0o644 << 16
    return info


def _stream_attachment(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: AttachmentSource
) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    zip64 = source.size is None or source.size >= _ZIP64_THRESHOLD
    with zf.open(info, "w", force_zip64=zip64) as out:
        for chunk in _chunks(source.open()):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _write_container(
    out: BinaryIO,
    request_doc: Mapping[str, Any],
    letter: Letter,
    attachments: Sequence[AttachmentSource],
    key: SigningKey,
    cert: x509.Certificate,
) -> tuple[tuple[BundleEntry, ...], dict[str, Any]]:
    doc = copy.deepcopy(dict(request_doc))
    doc["attachments"] = []
    validate_request_doc(doc)  # fail before streaming gigabytes, not after
    when = _zip_time(str(doc["created_at"]))
    entries: list[BundleEntry] = []
    with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        zf.writestr(_info("mimetype", when, zipfile.ZIP_STORED), ASIC_MIMETYPE)
        taken: list[str] = []
        listed: list[dict[str, Any]] = []
        for source in attachments:
            name = safe_attachment_name(source.name, taken)
            taken.append(name)
            info = _info(ATTACHMENTS_DIR + name, when, zipfile.ZIP_STORED)
            sha, size = _stream_attachment(zf, info, source)
            entries.append(BundleEntry(info.filename, source.media_type, sha, size))
            listed.append(
                {
                    "name": name,
                    "media_type": source.media_type,
                    "sha256": sha,
                    "size": size,
                    "description": source.description,
                }
            )
        doc["attachments"] = listed
        validate_request_doc(doc)
        json_bytes = canonical_json(doc)
        pdf = letter(doc) if callable(letter) else letter
        if not pdf.startswith(b"%PDF-"):
            raise LetterError("the request letter is not a PDF document")
        core: list[BundleEntry] = []
        for name, media_type, data, method in (
            (REQUEST_JSON, "application/json", json_bytes, zipfile.ZIP_DEFLATED),
            (REQUEST_PDF, "application/pdf", pdf, zipfile.ZIP_STORED),
        ):
            zf.writestr(_info(name, when, method), data)
            core.append(BundleEntry(name, media_type, hashlib.sha256(data).hexdigest(), len(data)))
        ordered = core + entries
        manifest = build_manifest([ManifestEntry(e.name, e.media_type, e.sha256) for e in ordered])
        zf.writestr(_info(MANIFEST_NAME, when, zipfile.ZIP_DEFLATED), manifest)
        zf.writestr(
            _info(SIGNATURE_NAME, when, zipfile.ZIP_STORED),
            cms.sign_detached(manifest, key, cert),
        )
    return tuple(ordered), doc


class _BoundedBuffer(io.BytesIO):
    """In-memory container for the encrypted path; refuses to grow past the envelope limit."""

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > cms.MAX_ENVELOPE_BYTES:
            raise EncryptionError(
                f"bundles larger than {cms.MAX_ENVELOPE_BYTES // (1024 * 1024)} MiB cannot be "
                "encrypted; export it unencrypted over a protected channel, or split the attachments"
            )
        return super().write(data)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sha256_of(stream: BinaryIO) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def _atomic(dest: Path, produce: Callable[[BinaryIO], None], overwrite: bool) -> None:
    """Write the bundle through the vault's atomic writer (:func:`atomic_writer`).

    On Linux the file has no name until it is complete (``O_TMPFILE``), so ``kill -9`` mid-export
    leaves nothing behind: no hidden ``.part`` with plaintext attachment bytes, which the kernel
    frees with the process. It is 0600, never replaces an existing file unless ``overwrite``,
    and never follows a symbolic link. See SECURITY.md, "Interrupted exports"."""
    if not dest.parent.is_dir():
        raise BundleError(f"the folder {dest.parent} does not exist")
    if os.path.lexists(dest) and not overwrite:
        raise BundleExistsError(dest)
    try:
        with atomic_writer(dest, overwrite=overwrite) as stream:
            produce(stream)
    except FileExistsRefusedError as exc:
        raise BundleExistsError(dest) from exc
    except VaultError as exc:
        raise BundleError(f"the bundle could not be written to {dest.parent}: {exc}") from exc


def write_bundle(
    dest: Path,
    request_doc: Mapping[str, Any],
    letter: Letter,
    attachments: Sequence[AttachmentSource],
    signer: Signer,
    *,
    recipient: x509.Certificate | None = None,
    overwrite: bool = False,
    cipher: cms.ContentCipher = cms.ContentCipher.AES_256_GCM,
) -> BundleInfo:
    """Write a signed bundle to ``dest`` (``.asice``, or ``.p7m`` when ``recipient`` is given).

    ``request_doc`` is the request.json content without attachments (the writer fills in
    ``attachments`` from what it streamed). With ``recipient`` (the counterpart's RSA encryption
    certificate) the container is wrapped in a CMS envelope (AuthEnvelopedData with AES-256-GCM,
    or EnvelopedData with AES-256-CBC when ``cipher`` says so), addressed to the recipient and,
    when ``signer`` is a whole identity, to the sender's own encryption certificate too.
    Raises a :class:`BundleError` subclass; on any failure nothing appears under ``dest``.
    """
    key, cert = _signer_pair(signer)
    result: dict[str, Any] = {}
    addressed: list[x509.Certificate] = []
    if recipient is not None:
        addressed.append(recipient)
        if isinstance(signer, OfficerIdentity) and signer.encryption_cert != recipient:
            addressed.append(signer.encryption_cert)

    if recipient is None:

        def produce(stream: BinaryIO) -> None:
            entries, doc = _write_container(stream, request_doc, letter, attachments, key, cert)
            result.update(entries=entries, doc=doc, sha=_sha256_of(stream), size=stream.tell())

        _atomic(dest, produce, overwrite)
        container_sha = result["sha"]
    else:
        buffer = _BoundedBuffer()
        entries, doc = _write_container(buffer, request_doc, letter, attachments, key, cert)
        plain = buffer.getbuffer()
        container_sha = hashlib.sha256(plain).hexdigest()
        envelope = cms.encrypt_for(plain, addressed, cipher=cipher)  # no copy of the container
        del plain
        buffer.close()

        def produce(stream: BinaryIO) -> None:
            stream.write(envelope)
            result.update(sha=hashlib.sha256(envelope).hexdigest(), size=len(envelope))

        _atomic(dest, produce, overwrite)
        result.update(entries=entries, doc=doc)
    return BundleInfo(
        path=dest,
        sha256=result["sha"],
        container_sha256=container_sha,
        size=result["size"],
        bundle_id=str(result["doc"]["bundle_id"]),
        entries=result["entries"],
        signer_fingerprint=fingerprint(cert),
        encrypted_for=fingerprint(recipient) if recipient is not None else None,
        request_doc=result["doc"],
        recipients=tuple(fingerprint(c) for c in addressed),
        cipher=cipher.value if recipient is not None else None,
    )
