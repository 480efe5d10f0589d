"""Signed receipts for bundles, on the model of ETSI REM evidences.

When a counterpart imports (or refuses) a bundle, casecoord writes a small signed acknowledgment
to send back: which bundle (id and container SHA-256), when, by whom (name and certificate
fingerprint), accepted or refused and why. Back at the sender, importing it checks the signature
against the counterpart's *pinned* certificate, matches it to the export recorded in the audit
chain, moves the request from sent to acknowledged and keeps the receipt as evidence.

The receipt is a tiny ZIP, like the bundle, so the same tools open it::

    mimetype                  application/vnd.etsi.asic-s+zip (stored, first)
    receipt.json              the acknowledgment
    META-INF/signature.p7s    detached CMS signature over receipt.json

and ``openssl cms -verify -binary -inform DER -in META-INF/signature.p7s -content receipt.json``
checks it without casecoord.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from casecoord.bundle import cms
from casecoord.bundle.errors import BundleError, ContainerError, SignatureError
from casecoord.bundle.identity import fingerprint
from casecoord.bundle.verify import require_valid_now
from casecoord.domain.enums import Direction, RequestStatus
from casecoord.domain.errors import CasecoordError, NotFoundError, ValidationError
from casecoord.domain.models import AuditEntry, Case, Contact, Identity, Request
from casecoord.domain.text import require_plain_strings
from casecoord.services.exchange import ImportResult, export_record
from casecoord.services.identity_store import require_identity
from casecoord.services.journal import record
from casecoord.vault.files import atomic_writer
from casecoord.vault.vault import UnlockedVault

RECEIPT_MIMETYPE = "application/vnd.etsi.asic-s+zip"
RECEIPT_JSON = "receipt.json"
SIGNATURE = "META-INF/signature.p7s"
RECEIPT_TYPE = "casecoord-receipt"
MAX_RECEIPT_FILE = 1 << 20
MAX_ENTRY = 256 * 1024
RECEIPT_ACTION = "bundle.receipt"
MADE_ACTION = "bundle.receipt-made"


class ReceiptError(BundleError):
    """A receipt is malformed, badly signed, from an unpinned signer, or matches no export."""


@dataclass(frozen=True)
class ReceiptResult:
    request_ref: str
    bundle_id: str
    outcome: str
    reason: str | None
    by: str
    signer_fingerprint: str
    status_before: str
    status_after: str
    already_recorded: bool


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _write(vault: UnlockedVault, doc: dict[str, Any], out: Path, overwrite: bool) -> Path:
    identity = require_identity(vault)
    body = json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2).encode("utf-8")
    signature = cms.sign_detached(body, identity.signing_key, identity.signing_cert)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), RECEIPT_MIMETYPE)
        info = zipfile.ZipInfo(RECEIPT_JSON)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, body)
        zf.writestr(zipfile.ZipInfo(SIGNATURE), signature)
    with atomic_writer(out, overwrite=overwrite) as handle:
        handle.write(buffer.getvalue())
    with vault.transaction() as session:
        record(
            session,
            MADE_ACTION,
            "bundle",
            str(doc.get("bundle_id") or "unknown"),
            {**doc, "receipt_sha256": hashlib.sha256(buffer.getvalue()).hexdigest()},
            None,
        )
    return out


def _by(vault: UnlockedVault) -> dict[str, Any]:
    identity = require_identity(vault)
    with vault.session() as session:
        row = session.exec(select(Identity).order_by(col(Identity.id))).one()
    return {
        "name": row.name,
        "organisation": row.organisation,
        "country": row.country,
        "fingerprint": identity.fingerprint,
    }


def make_receipt(
    vault: UnlockedVault, imported: ImportResult, out: Path, *, overwrite: bool = False
) -> Path:
    """An "accepted" receipt for a bundle just imported (or imported before)."""
    with vault.session() as session:
        request = session.exec(
            select(Request).where(Request.reference == imported.request_ref)
        ).one()
        sender_ref = request.counterpart_reference
    doc = {
        "type": RECEIPT_TYPE,
        "version": 1,
        "bundle_id": imported.bundle_id,
        "container_sha256": imported.container_sha256,
        "request_reference": sender_ref,
        "received_at": _now(),
        "by": _by(vault),
        "outcome": "accepted",
        "reason": None,
        "local_reference": imported.request_ref,
    }
    return _write(vault, doc, out, overwrite)


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


def _claimed_ids(data: bytes) -> tuple[str | None, str | None]:
    """The bundle id and request reference a (possibly hostile) bundle claims, if readable.

    For information only: whatever fails here (not a ZIP, an unsupported compression, a deeply
    nested or invalid request.json, a value that is no id) leaves them out, and the refusal
    still names the container by its SHA-256.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("request.json")
            if info.file_size > MAX_ENTRY:
                return None, None
            doc = json.loads(zf.read(info))
    except Exception:  # noqa: BLE001 - anything unreadable is simply not quoted
        return None, None
    if not isinstance(doc, dict):
        return None, None
    bundle_id = doc.get("bundle_id")
    request = doc.get("request")
    reference = request.get("reference") if isinstance(request, dict) else None
    return (
        bundle_id if isinstance(bundle_id, str) and _UUID.match(bundle_id) else None,
        reference if isinstance(reference, str) and _REFERENCE.match(reference) else None,
    )


def make_refusal(
    vault: UnlockedVault, bundle: Path, reason: str, out: Path, *, overwrite: bool = False
) -> Path:
    """A "refused" receipt: the bundle's digest and, if readable, its id, with the reason.

    The bundle is not trusted here (it may be the very reason for refusing), so its id is read
    for information only and the container digest is that of the file as received.
    """
    if not reason.strip():
        raise CasecoordError("a refusal needs a reason the sender can act on")
    try:
        data = bundle.read_bytes()
    except OSError as exc:
        raise CasecoordError(f"cannot read {bundle}: {exc.strerror or exc}") from None
    bundle_id, request_ref = _claimed_ids(data)
    receipt = {
        "type": RECEIPT_TYPE,
        "version": 1,
        "bundle_id": bundle_id,
        "container_sha256": hashlib.sha256(data).hexdigest(),
        "request_reference": request_ref,
        "received_at": _now(),
        "by": _by(vault),
        "outcome": "refused",
        "reason": reason.strip(),
        "local_reference": None,
    }
    return _write(vault, receipt, out, overwrite)


def _read_receipt(path: Path) -> tuple[bytes, bytes, bytes]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReceiptError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_RECEIPT_FILE:
        raise ReceiptError("the file is far larger than any receipt; refused")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            # ASiC-S (EN 319 162-1 §4.3): the mimetype entry is optional and zip tools may add
            # a META-INF/ directory entry; nothing else may be there
            names = [i.filename for i in zf.infolist() if i.filename != "META-INF/"]
            if sorted(n for n in names if n != "mimetype") != sorted([RECEIPT_JSON, SIGNATURE]) or (
                names.count("mimetype") > 1
            ):
                raise ReceiptError(f"a receipt holds exactly mimetype, {RECEIPT_JSON}, {SIGNATURE}")
            for info in zf.infolist():
                if info.file_size > MAX_ENTRY:
                    raise ReceiptError("a receipt entry is too large; refused")
            if "mimetype" in names and zf.read("mimetype") != RECEIPT_MIMETYPE.encode():
                raise ReceiptError("not a casecoord receipt (wrong mimetype)")
            return raw, zf.read(RECEIPT_JSON), zf.read(SIGNATURE)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        raise ContainerError("the receipt is not a readable ZIP file") from None


def import_receipt(vault: UnlockedVault, path: Path) -> ReceiptResult:
    """Verify a counterpart's receipt and, if it accepts our bundle, mark the request acknowledged."""
    from casecoord.services.requests import change_request_status

    raw, body, signature = _read_receipt(path)
    try:
        cert = cms.verify_detached(signature, body)
        require_valid_now(cert)
    except SignatureError as exc:
        raise ReceiptError(f"the receipt's signature does not hold: {exc.message}") from None
    signer = fingerprint(cert)
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ReceiptError("receipt.json is not valid JSON") from None
    if not isinstance(doc, dict) or doc.get("type") != RECEIPT_TYPE:
        raise ReceiptError("receipt.json is not a casecoord receipt")
    try:
        require_plain_strings(doc, RECEIPT_JSON)
    except ValidationError as exc:
        raise ReceiptError(exc.message) from None
    outcome = doc.get("outcome")
    if outcome not in {"accepted", "refused"}:
        raise ReceiptError("the receipt says neither accepted nor refused")
    by_value = doc.get("by")
    by: dict[str, Any] = by_value if isinstance(by_value, dict) else {}
    if by.get("fingerprint") != signer:
        raise ReceiptError("the receipt names another signer than the one who signed it")
    bundle_id = str(doc.get("bundle_id") or "")
    with vault.session() as session:
        contact = session.exec(
            select(Contact).where(Contact.certificate_fingerprint == signer)
        ).first()
        if contact is None:
            raise ReceiptError(
                f"the receipt is signed by an unknown certificate (fingerprint {signer}); "
                "pin the counterpart's certificate with 'casecoord contact pin' first"
            )
        request = session.exec(
            select(Request).where(
                Request.bundle_id == bundle_id, Request.direction == Direction.OUTGOING.value
            )
        ).first()
        if request is None:
            raise NotFoundError(f"no request of this vault was exported as bundle {bundle_id}")
        if request.counterpart_id != contact.id:
            raise ReceiptError(
                f"the receipt is signed by {contact.name} ({contact.handle}), but "
                f"{request.reference} was sent to someone else; a receipt counts only from the "
                "counterpart the request was sent to. Nothing was changed"
            )
        exported = export_record(session, request, bundle_id)
        named = doc.get("container_sha256")
        if exported is None or named not in {
            exported.get("container_sha256"),
            exported.get("sha256"),
        }:
            raise ReceiptError(
                "the receipt names another container SHA-256 than the bundle exported; "
                "the counterpart did not receive the file that was sent"
            )
        receipt_sha = hashlib.sha256(raw).hexdigest()
        seen = any(
            e.payload and e.payload.get("receipt_sha256") == receipt_sha
            for e in session.exec(
                select(AuditEntry).where(
                    AuditEntry.action == RECEIPT_ACTION, AuditEntry.entity_ref == request.reference
                )
            )
        )
        ref, before, counterpart = request.reference, request.status, contact.name
    if seen:
        return ReceiptResult(
            ref,
            bundle_id,
            str(outcome),
            doc.get("reason"),
            counterpart,
            signer,
            before,
            before,
            True,
        )
    after = before
    if outcome == "accepted":
        why = f"receipt from {counterpart}, bundle {bundle_id}"
        if before == RequestStatus.READY.value:
            change_request_status(vault, ref, RequestStatus.SENT.value, why)
            before_ack = RequestStatus.SENT.value
        else:
            before_ack = before
        if before_ack == RequestStatus.SENT.value:
            change_request_status(vault, ref, RequestStatus.ACKNOWLEDGED.value, why)
            after = RequestStatus.ACKNOWLEDGED.value
    with vault.transaction() as session:
        found = session.exec(select(Request).where(Request.reference == ref)).one()
        case = session.get(Case, found.case_id)
        record(
            session,
            RECEIPT_ACTION,
            "request",
            ref,
            {
                "receipt": doc,
                "receipt_sha256": receipt_sha,
                "signer": signer,
                "counterpart": contact.handle,
                "status": {"from": before, "to": after},
            },
            case.reference if case else None,
        )
    return ReceiptResult(
        ref, bundle_id, str(outcome), doc.get("reason"), counterpart, signer, before, after, False
    )
