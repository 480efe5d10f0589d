"""Attachments: evidence files kept inside the encrypted database, streamed in and out.

A file is cut into 1 MiB chunks (``attachment_chunk`` rows) inside one transaction, hashing as it
goes, so memory stays flat whatever its size, the bytes are encrypted and backed up with the
rest, and a crash half-way leaves nothing behind. Reading streams the chunks back in order and
checks the SHA-256 at the end, so a damaged attachment is never exported silently.
"""

from __future__ import annotations

import hashlib
import mimetypes
import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session, col, select

from casecoord.domain.enums import HandlingCode, Tlp
from casecoord.domain.errors import NotFoundError, ValidationError, VaultError
from casecoord.domain.models import Attachment, AttachmentChunk, Case, Request, utcnow
from casecoord.services.cases import enum_value, require_case
from casecoord.services.journal import record
from casecoord.vault.files import atomic_writer
from casecoord.vault.vault import UnlockedVault

CHUNK_BYTES = 1 << 20
MAX_NAME = 200


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    case_ref: str
    request_ref: str | None
    name: str
    media_type: str
    size: int
    sha256: str
    tlp: str
    handling_code: str
    created_at: datetime


def _clean_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip()
    if not base or base in {".", ".."}:
        raise ValidationError("file name", f"'{name}' is not a usable file name")
    if len(base) > MAX_NAME:
        raise ValidationError("file name", f"is {len(base)} characters long; at most {MAX_NAME}")
    return base


def add_attachment_stream(
    vault: UnlockedVault,
    case_ref: str,
    stream: BinaryIO,
    name: str,
    media_type: str | None = None,
    request_ref: str | None = None,
    tlp: str = Tlp.AMBER.value,
    handling_code: str = HandlingCode.H1.value,
) -> AttachmentInfo:
    with vault.transaction() as session:
        case = require_case(session, case_ref)
        assert case.id is not None
        request = None
        if request_ref:
            request = session.exec(select(Request).where(Request.reference == request_ref)).first()
            if request is None or request.case_id != case.id:
                raise ValidationError(
                    "request", f"{request_ref} is not a request of case {case.reference}"
                )
        chunks = iter(lambda: stream.read(CHUNK_BYTES), b"")
        attachment = store_attachment(
            session, case, request, chunks, name, media_type, tlp, handling_code
        )
        return _info(attachment, case.reference, request_ref)


def _rechunked(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Chunks of exactly :data:`CHUNK_BYTES` (the last one shorter), whatever the source gives."""
    pending = bytearray()
    for chunk in chunks:
        if not pending and len(chunk) == CHUNK_BYTES:
            yield bytes(chunk)
            continue
        pending += chunk
        while len(pending) >= CHUNK_BYTES:
            yield bytes(pending[:CHUNK_BYTES])
            del pending[:CHUNK_BYTES]
    if pending:
        yield bytes(pending)


def store_attachment(
    session: Session,
    case: Case,
    request: Request | None,
    chunks: Iterable[bytes],
    name: str,
    media_type: str | None = None,
    tlp: str = Tlp.AMBER.value,
    handling_code: str = HandlingCode.H1.value,
) -> Attachment:
    """Stream ``chunks`` into a new attachment inside the caller's transaction.

    Bundle import uses it so that the request and its evidence commit together; if the source
    raises half-way (a file changed since verification), the caller's rollback removes it all.
    """
    assert case.id is not None
    clean = _clean_name(name)
    kind = media_type or mimetypes.guess_type(clean)[0] or "application/octet-stream"
    attachment = Attachment(
        case_id=case.id,
        request_id=request.id if request else None,
        name=clean,
        media_type=kind,
        tlp=enum_value(Tlp, tlp, "tlp"),
        handling_code=enum_value(HandlingCode, handling_code, "handling code"),
    )
    session.add(attachment)
    session.flush()
    assert attachment.id is not None
    digest = hashlib.sha256()
    size = 0
    connection = session.connection()
    table = AttachmentChunk.__table__  # type: ignore[attr-defined]
    for seq, chunk in enumerate(_rechunked(chunks)):
        digest.update(chunk)
        size += len(chunk)
        connection.execute(
            table.insert(), {"attachment_id": attachment.id, "seq": seq, "data": chunk}
        )
    attachment.size = size
    attachment.sha256 = digest.hexdigest()
    session.add(attachment)
    record(
        session,
        "attachment.add",
        "attachment",
        str(attachment.id),
        {
            "name": clean,
            "size": size,
            "sha256": attachment.sha256,
            "request": request.reference if request else None,
        },
        case.reference,
    )
    case.updated_at = utcnow()
    session.add(case)
    return attachment


def add_attachment(
    vault: UnlockedVault, case_ref: str, path: Path, request_ref: str | None = None, **kwargs: str
) -> AttachmentInfo:
    try:
        with path.open("rb") as stream:
            return add_attachment_stream(
                vault, case_ref, stream, path.name, request_ref=request_ref, **kwargs
            )
    except FileNotFoundError:
        raise ValidationError("file", f"{path} does not exist") from None
    except IsADirectoryError:
        raise ValidationError("file", f"{path} is a folder, not a file") from None
    except PermissionError:
        raise ValidationError("file", f"{path} cannot be read (permission denied)") from None


def _info(attachment: Attachment, case_ref: str, request_ref: str | None) -> AttachmentInfo:
    assert attachment.id is not None
    return AttachmentInfo(
        id=attachment.id,
        case_ref=case_ref,
        request_ref=request_ref,
        name=attachment.name,
        media_type=attachment.media_type,
        size=attachment.size,
        sha256=attachment.sha256,
        tlp=attachment.tlp,
        handling_code=attachment.handling_code,
        created_at=attachment.created_at,
    )


def list_attachments(
    vault: UnlockedVault, case_ref: str, request_ref: str | None = None
) -> list[AttachmentInfo]:
    with vault.session() as session:
        case = require_case(session, case_ref)
        statement = (
            select(Attachment, Request.reference)
            .join(Request, col(Request.id) == col(Attachment.request_id), isouter=True)
            .where(Attachment.case_id == case.id)
        )
        if request_ref:
            statement = statement.where(Request.reference == request_ref)
        rows = session.exec(statement.order_by(col(Attachment.id))).all()
        return [_info(a, case.reference, r) for a, r in rows]


def attachments_of_request(vault: UnlockedVault, request_id: int) -> list[Attachment]:
    with vault.session() as session:
        return list(
            session.exec(
                select(Attachment)
                .where(Attachment.request_id == request_id)
                .order_by(col(Attachment.id))
            )
        )


@contextmanager
def open_chunks(
    vault: UnlockedVault, attachment_id: int, *, verify: bool = True
) -> Iterator[Iterator[bytes]]:
    """Yield an iterator over the attachment's chunks, read lazily from one snapshot.

    With ``verify`` the SHA-256 is checked as the last chunk is read and a mismatch raises
    VaultError, so a consumer fails rather than passing on damaged evidence. A consumer that
    hashes the bytes itself anyway (the bundle writer) passes ``verify=False`` and compares its
    digest with :attr:`AttachmentInfo.sha256`, saving a second pass over every byte.
    """
    with vault.session() as session:
        attachment = session.get(Attachment, attachment_id)
        if attachment is None:
            raise NotFoundError(f"no attachment {attachment_id}")
        expected = attachment.sha256
        connection = session.connection()
        table = AttachmentChunk.__table__  # type: ignore[attr-defined]
        result = connection.execution_options(yield_per=4).execute(
            table.select()
            .with_only_columns(table.c.data)
            .where(table.c.attachment_id == attachment_id)
            .order_by(table.c.seq)
        )

        def chunks() -> Iterator[bytes]:
            digest = hashlib.sha256() if verify else None
            for (data,) in result:
                if digest is not None:
                    digest.update(data)
                yield bytes(data)
            if digest is not None and digest.hexdigest() != expected:
                raise VaultError(
                    f"attachment {attachment_id} is damaged: its content does not match its SHA-256"
                )

        yield chunks()


_DONE = object()


def prefetched_chunks(
    vault: UnlockedVault, attachment_id: int, *, verify: bool = True, depth: int = 8
) -> Iterator[bytes]:
    """The chunks of an attachment, decrypted by a background thread ``depth`` MiB ahead.

    Decrypting (SQLCipher) and what the consumer does with the bytes (hashing, writing a
    bundle) each take about half the time of an export and both release the GIL, so on two
    cores running them side by side nearly halves it. Memory stays bounded by ``depth`` chunks.
    """
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            with open_chunks(vault, attachment_id, verify=verify) as chunks:
                for chunk in chunks:
                    if not put(chunk):
                        return
        except BaseException as exc:  # handed to the consumer, re-raised there
            put(exc)
            return
        put(_DONE)

    worker = threading.Thread(target=produce, name=f"attachment-{attachment_id}", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, bytes)
            yield item
    finally:
        stop.set()
        worker.join()


def export_attachment(
    vault: UnlockedVault, attachment_id: int, destination: Path, *, overwrite: bool = False
) -> Path:
    """Write an attachment out of the vault (a deliberate, audited plaintext export).

    Into a folder it takes the attachment's (sender-chosen) name, so an existing file there
    (``.bashrc``, ``.ssh/authorized_keys`` as a name) is never replaced without ``overwrite``.
    """
    with vault.session() as session:
        attachment = session.get(Attachment, attachment_id)
        if attachment is None:
            raise NotFoundError(f"no attachment {attachment_id}")
        name = attachment.name
    target = destination / name if destination.is_dir() else destination
    with (
        open_chunks(vault, attachment_id) as chunks,
        atomic_writer(target, overwrite=overwrite) as handle,
    ):
        for chunk in chunks:
            handle.write(chunk)
    with vault.transaction() as session:
        attachment = session.get(Attachment, attachment_id)
        assert attachment is not None
        case = session.get(Case, attachment.case_id)
        record(
            session,
            "attachment.export",
            "attachment",
            str(attachment_id),
            {"file": target.name, "sha256": attachment.sha256},
            case.reference if case else None,
        )
    return target
