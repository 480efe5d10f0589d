"""Request bundles in and out of the vault: export a request, verify a bundle, import one.

The bundle layer (``casecoord.bundle``) knows containers, signatures and letters but no database;
this module is where a stored request becomes a request.json document and back again:

* :func:`export_bundle` refuses what must not leave (an incomplete request, restricted items the
  officer has not released, anything of another case), streams the attachments out of the store
  chunk by chunk, signs with the officer's identity and records the container's SHA-256 and the
  bundle id in the audit chain (and the bundle id on the request, so a receipt can find it);
* :func:`verify_file` runs every check, trusting only pinned counterparts (or a fingerprint the
  officer accepted after comparing it by phone);
* :func:`import_bundle` verifies, then writes case, persons, request and attachments in **one**
  transaction: a refusal, or a file that changes under us mid-import, writes nothing. The same
  bundle imported twice changes nothing (idempotent on the bundle id) and says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from casecoord.bundle.cms import ContentCipher
from casecoord.bundle.errors import BundleError, EncryptionError, UntrustedSignerError
from casecoord.bundle.identity import OfficerIdentity, normalize_fingerprint
from casecoord.bundle.letter import SUPPORTED_LANGUAGES, letter_language, render_letter
from casecoord.bundle.verify import (
    VerificationReport,
    VerifiedBundle,
    open_verified,
    verify_bundle,
)
from casecoord.bundle.writer import AttachmentSource, BundleInfo, write_bundle
from casecoord.domain.enums import (
    Direction,
    EuListOffence,
    PersonRole,
    RequestStatus,
    TranslationState,
)
from casecoord.domain.errors import CasecoordError, ValidationError, VaultError
from casecoord.domain.models import AuditEntry, Case, Contact, Identity, Person, Request
from casecoord.services import request_document
from casecoord.services.attachments import prefetched_chunks, store_attachment
from casecoord.services.cases import CaseInput, PersonInput, create_case, create_person, find_case
from casecoord.services.completeness import request_attachments, request_persons
from casecoord.services.identity_store import (
    encryption_certificate,
    load_identity_in,
    require_identity,
)
from casecoord.services.journal import record
from casecoord.services.requests import RequestInput, create_request, find_request
from casecoord.vault.vault import UnlockedVault

EXPORT_ACTION = "bundle.export"
IMPORT_ACTION = "bundle.import"
READ_CHUNK = 1 << 20
Progress = Callable[[str], None]


class ReleaseNotConfirmedError(ValidationError):
    """Items marked H2/H3, TLP:RED or TLP:AMBER+STRICT would leave without the officer's word."""

    def __init__(self, ref: str, issues: list[str]) -> None:
        super().__init__(
            "release",
            f"{ref} holds restricted items: {'; '.join(issues)}. Export again with "
            "--confirm-release 'REASON' (who allowed it, on what basis); the reason is recorded",
        )
        self.issues = issues


class UnknownSignerError(CasecoordError):
    """The bundle is intact but signed by a certificate the officer has not pinned."""

    def __init__(self, fp: str, name: str | None) -> None:
        who = f" ({name})" if name else ""
        super().__init__(
            f"unknown signer, fingerprint {fp}{who}; pin it with 'casecoord contact pin CONTACT "
            f"CERT.pem' or accept it with 'casecoord import FILE --accept-fingerprint {fp}' "
            "after comparing it with the sender by phone"
        )
        self.fingerprint = fp


# -- export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    """What the officer is told and what the audit chain keeps."""

    request_ref: str
    path: Path
    bundle_id: str
    sha256: str
    container_sha256: str
    size: int
    attachments: int
    letter_language: str
    translation_needed: bool
    encrypted_for: str | None
    released_with_reason: bool
    marked_sent: bool
    envelope: str | None = None
    """How an encrypted bundle is wrapped (e.g. AuthEnvelopedData, AES-256-GCM, RSAES-OAEP)."""


def _split_document(text: str) -> dict[str, Any]:
    """A stored document line ("passport AB123456") as the schema's {type, number}."""
    kind, _, number = text.partition(" ")
    if number.strip():
        return {"type": kind, "number": number, "issuing_country": None}
    return {"type": "document", "number": text, "issuing_country": None}


def _join_document(item: Mapping[str, Any]) -> str:
    kind = str(item.get("type", "")).strip()
    number = str(item.get("number", "")).strip()
    return number if kind in {"", "document"} else f"{kind} {number}"


def _person_doc(person: Person) -> dict[str, Any]:
    return {
        "role": person.role,
        "family_name": person.family_name,
        "given_names": person.given_names,
        "aliases": list(person.aliases),
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "birth_place": None,
        "nationality": [person.nationality] if person.nationality else [],
        "documents": [_split_document(d) for d in person.documents],
        **request_document.person_fields(person),
    }


def _articles(text: str | None) -> list[str]:
    return [a.strip() for a in re.split(r"[,;]", text or "") if a.strip()]


def _sender(row: Identity) -> dict[str, Any]:
    return {
        "name": row.name,
        "organisation": row.organisation or row.name,
        "country": row.country,
        "email": row.email,
        "phone": None,
        "role": None,
    }


def build_request_doc(
    session: Session, request: Request, identity_row: Identity, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The request.json document (without attachments, which the writer fills in).

    Only the request's own case, persons and attachments are read (the completeness service's
    case-bound queries), so nothing of another case can slip in through a stray link.
    """
    case = session.get(Case, request.case_id)
    assert case is not None
    counterpart = session.get(Contact, request.counterpart_id) if request.counterpart_id else None
    parent = session.get(Request, request.parent_id) if request.parent_id else None
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    requested_authority = None
    if counterpart is not None:
        requested_authority = counterpart.organisation or counterpart.name
    return {
        "schema_version": request_document.SCHEMA_VERSION,
        "bundle_id": str(uuid.uuid4()),
        "created_at": moment.isoformat(),
        "request": {
            "reference": request.reference,
            "kind": request.kind,
            "direction": Direction.OUTGOING.value,
            "requesting_state": request.requesting_state,
            "requested_state": request.requested_state,
            "requesting_authority": identity_row.organisation or None,
            "requested_authority": requested_authority,
            "legal_basis": {
                "instrument_id": request.basis_instrument_id or "reciprocity",
                "title": request.basis_title or "Reciprocity (no treaty in force)",
                "articles": _articles(request.basis_articles),
                "override_reason": request.basis_override_reason,
            },
            "channel": request.channel,
            "urgency": request.urgency,
            "urgency_reason": None,
            "language": request.language,
            "measures": list(request.measures),
            "facts": request.facts,
            "legal_qualification": request.legal_qualification,
            "offences": list(case.offences),
            "persons": [_person_doc(p) for p in request_persons(session, request)],
            "counterpart_reference": request.counterpart_reference,
            "related_reference": parent.reference if parent else None,
            "respond_by": None,
            **request_document.document_fields(request),
        },
        "case": {"reference": case.reference, "title": case.title},
        "sender": _sender(identity_row),
        "handling": {
            "tlp": request.tlp,
            "handling_code": request.handling_code,
            "grading": case.source_grading,
        },
        "attachments": [],
    }


def _attachment_source(vault: UnlockedVault, attachment_id: int) -> Callable[[], Iterator[bytes]]:
    """Chunks decrypted ahead by a background thread, not hashed here: the writer hashes every
    entry for the manifest, and :func:`_check_attachment_digests` compares that with the store."""

    def chunks() -> Iterator[bytes]:
        yield from prefetched_chunks(vault, attachment_id, verify=False)

    return chunks


def _check_attachment_digests(info: BundleInfo, expected: list[tuple[str, str]]) -> None:
    """Refuse (and remove) a bundle whose attachment bytes differ from what the vault recorded."""
    written = [e.sha256 for e in info.entries if e.name.startswith("attachments/")]
    for (name, sha), got in zip(expected, written, strict=True):
        if sha != got:
            info.path.unlink(missing_ok=True)
            raise VaultError(
                f"attachment '{name}' is damaged in the vault (its content no longer matches its "
                "SHA-256); nothing was exported. Run 'casecoord check' and restore from a backup"
            )


def export_bundle(
    vault: UnlockedVault,
    ref: str,
    dest: Path,
    *,
    encrypt_for: str | None = None,
    confirm_release: str | None = None,
    mark_sent: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
    cipher: ContentCipher = ContentCipher.AES_256_GCM,
) -> ExportResult:
    """Write request ``ref`` as a signed bundle at ``dest`` (``.asice``; ``.p7m`` if encrypted).

    Refuses an incomplete request (naming the gaps), restricted items without
    ``confirm_release`` (a reason, recorded), and an encryption target without a usable RSA
    certificate. The request's status is kept unless ``mark_sent``: writing a file is not
    sending it (it may be re-exported after a correction, or never leave the laptop).
    """
    from casecoord.services import completeness, handling

    say = progress or (lambda _message: None)
    identity = require_identity(vault)
    with vault.session() as session:
        request = _require_outgoing(session, ref)
        completeness.require_complete(session, request)
        if mark_sent and request.status != RequestStatus.READY.value:
            raise ValidationError(
                "status", f"{request.reference} is {request.status}; only a ready request is sent"
            )
        issues = handling.release_check(session, request)
        confirmed = handling.is_release_confirmed(session, request)
        if issues and not confirmed and not (confirm_release or "").strip():
            raise ReleaseNotConfirmedError(request.reference, [i.describe() for i in issues])
        recipient = None
        recipient_handle = None
        if encrypt_for:
            from casecoord.services.contacts import require_contact

            contact = require_contact(session, encrypt_for)
            recipient = encryption_certificate(contact)
            recipient_handle = contact.handle
        identity_row = session.exec(select(Identity).order_by(col(Identity.id))).one()
        doc = build_request_doc(session, request, identity_row)
        attachments = [
            AttachmentSource(
                name=a.name,
                media_type=a.media_type,
                open=_attachment_source(vault, int(a.id or 0)),
                size=a.size,
            )
            for a in request_attachments(session, request)
        ]
        expected_digests = [(a.name, a.sha256) for a in request_attachments(session, request)]
        request_ref = request.reference
    if issues and not confirmed:
        handling.confirm_release(vault, request_ref, str(confirm_release))
    language = letter_language(str(doc["request"]["language"]))
    translation_needed = doc["request"]["language"] not in SUPPORTED_LANGUAGES
    say(f"writing {len(attachments)} attachment(s) and the letter ({language})")
    letter = partial(render_letter, language=language, signer_fingerprint=identity.fingerprint)
    info = write_bundle(
        dest,
        doc,
        letter,
        attachments,
        identity,
        recipient=recipient,
        overwrite=overwrite,
        cipher=cipher,
    )
    _check_attachment_digests(info, expected_digests)
    say("recording the export in the audit chain")
    _record_export(vault, request_ref, info, recipient_handle, translation_needed, mark_sent)
    return ExportResult(
        request_ref=request_ref,
        path=info.path,
        bundle_id=info.bundle_id,
        sha256=info.sha256,
        container_sha256=info.container_sha256,
        size=info.size,
        attachments=len(attachments),
        letter_language=language,
        translation_needed=translation_needed,
        encrypted_for=recipient_handle,
        released_with_reason=bool(issues),
        marked_sent=mark_sent,
        envelope=cipher.description if recipient is not None else None,
    )


def _require_outgoing(session: Session, ref: str) -> Request:
    from casecoord.services.requests import require_request

    request = require_request(session, ref)
    if request.direction != Direction.OUTGOING.value:
        raise ValidationError(
            "request", f"{request.reference} is an incoming request; only outgoing ones are sent"
        )
    return request


def _record_export(
    vault: UnlockedVault,
    ref: str,
    info: BundleInfo,
    recipient: str | None,
    translation_needed: bool,
    mark_sent: bool,
) -> None:
    with vault.transaction() as session:
        request = _require_outgoing(session, ref)
        case = session.get(Case, request.case_id)
        request.bundle_id = info.bundle_id
        if translation_needed and request.translation_state == TranslationState.NOT_NEEDED.value:
            request.translation_state = TranslationState.NEEDED.value
        session.add(request)
        record(
            session,
            EXPORT_ACTION,
            "request",
            request.reference,
            {
                "bundle_id": info.bundle_id,
                "file": info.path.name,
                "sha256": info.sha256,
                "container_sha256": info.container_sha256,
                "size": info.size,
                "signer": info.signer_fingerprint,
                "encrypted_for": recipient,
                "recipient_fingerprint": info.encrypted_for,
                "attachments": [e.sha256 for e in info.entries if e.name.startswith("attach")],
            },
            case.reference if case else None,
        )
    if mark_sent:
        from casecoord.services.requests import change_request_status

        change_request_status(vault, ref, RequestStatus.SENT.value, f"bundle {info.bundle_id}")


# -- verify ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """The bundle layer's report plus what the officer needs to act on an unknown signer."""

    path: Path
    report: VerificationReport
    file_sha256: str

    @property
    def ok(self) -> bool:
        return self.report.ok

    def lines(self) -> list[str]:
        lines = self.report.lines()
        fp = self.report.signer_fingerprint
        if self.report.signature_valid and not self.report.trusted and fp:
            lines.append(UnknownSignerError(fp, self.report.signer_name).message)
        return lines


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(READ_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise CasecoordError(f"cannot read {path}: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _trust(vault: UnlockedVault, accept: str | None) -> dict[str, str]:
    from casecoord.services.contacts import pinned_fingerprints

    pinned = dict(pinned_fingerprints(vault))
    if accept:
        pinned[normalize_fingerprint(accept)] = "accepted by fingerprint"
    return pinned


class _DryRun(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised inside the trial import's transaction so that it rolls back."""


def verify_file(
    vault: UnlockedVault, path: Path, *, accept_fingerprint: str | None = None
) -> VerifyResult:
    """Every check on ``path``, those of import included, so that VERIFIED means importable.

    Decrypts first when the bundle is addressed to the officer's identity. Once the bundle layer
    is satisfied, the import itself runs in a transaction that is always rolled back (the
    attachments are not copied): the domain's checks of countries, languages, dates, lengths,
    the case the request would land in and the sender's country all answer as they would.

    A bundle the officer signed is reported as "signed by you", not as an unknown signer.
    """
    file_sha = _sha256_file(path)
    with vault.session() as session:
        identity = load_identity_in(session)
    trust = _trust(vault, accept_fingerprint)
    report = verify_bundle(
        path,
        trust,
        decryption=identity,
        own_fingerprint=identity.fingerprint if identity is not None else None,
    )
    if report.ok:
        report = _with_import_check(vault, path, identity, trust, accept_fingerprint, report)
    return VerifyResult(path, report, file_sha)


def _with_import_check(
    vault: UnlockedVault,
    path: Path,
    identity: OfficerIdentity | None,
    trust: Mapping[str, str],
    accepted: str | None,
    report: VerificationReport,
) -> VerificationReport:
    from dataclasses import replace

    from casecoord.bundle.verify import Check

    try:
        source, container_sha, encrypted = _unwrap(path, identity)
        with open_verified(source, trust) as bundle:
            doc = bundle.request_doc
            with vault.transaction() as session:
                contact = session.exec(
                    select(Contact).where(
                        Contact.certificate_fingerprint == bundle.report.signer_fingerprint
                    )
                ).first()
                if _imported(session, str(doc["bundle_id"])) is None:
                    _write_import(
                        session,
                        bundle,
                        doc,
                        None,
                        False,
                        contact,
                        accepted,
                        container_sha,
                        container_sha,
                        encrypted,
                        lambda _message: None,
                        dry_run=True,
                    )
                raise _DryRun
    except _DryRun:
        check = Check("import", True, "the import's own checks pass (tried, nothing written)")
    except CasecoordError as exc:
        check = Check("import", False, exc.message, exc if isinstance(exc, BundleError) else None)
    return replace(report, checks=(*report.checks, check))


# -- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    bundle_id: str
    request_ref: str
    case_ref: str
    already_imported: bool
    case_created: bool
    persons: int
    attachments: int
    signer_fingerprint: str
    signer_name: str | None
    container_sha256: str
    file_sha256: str
    lines: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())
    """What the import decided on the officer's behalf (a renamed case), to be shown."""


def _unwrap(path: Path, identity: OfficerIdentity | None) -> tuple[Path | bytes, str, bool]:
    """(what to verify, SHA-256 of the ASiC container itself, encrypted?).

    The container's digest is what the sender recorded and a receipt names, so an encrypted
    bundle is opened here once to measure it (within the bundle layer's envelope size limit).
    """
    from casecoord.bundle import cms

    try:
        with path.open("rb") as stream:
            head = stream.read(4)
    except OSError as exc:
        raise CasecoordError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head == b"PK\x03\x04" or head[:1] != b"\x30":
        return path, _sha256_file(path), False
    if identity is None:
        raise EncryptionError("the bundle is encrypted and this vault has no identity to open it")
    size = path.stat().st_size
    if size > cms.MAX_ENVELOPE_BYTES + (1 << 20):
        raise EncryptionError("the encrypted bundle is larger than allowed; refused")
    plain = cms.decrypt(path.read_bytes(), identity.encryption_cert, identity.encryption_key)
    return plain, hashlib.sha256(plain).hexdigest(), True


def _local_case_reference(doc: Mapping[str, Any]) -> str:
    """A stable local reference for the sender's case: requesting state + their reference.

    Stable so that a second request in the same foreign case lands in the same local case.
    """
    state = str(doc["request"]["requesting_state"])
    theirs = re.sub(r"[^A-Za-z0-9._/-]+", "-", str(doc["case"]["reference"])).strip("-._/")
    text = f"{state}-{theirs}" if not theirs.upper().startswith(state) else theirs
    return text[:64] or f"{state}-IMPORTED"


def _local_request_reference(session: Session, theirs: str) -> str:
    """The sender's reference when free here (both officers then say the same), else -IN2…"""
    base = re.sub(r"[^A-Za-z0-9._/-]+", "-", theirs).strip("-._/")[:58] or "IMPORTED"
    candidate = base
    n = 1
    while find_request(session, candidate) is not None:
        n += 1
        candidate = f"{base}-IN{n}"
    return candidate


def _exchanged_with(session: Session, case: Case, contact: Contact | None) -> bool:
    """Whether ``case`` holds a request exchanged with ``contact`` (sent to or received from)."""
    if contact is None or contact.id is None:
        return False
    return (
        session.exec(
            select(Request).where(Request.case_id == case.id, Request.counterpart_id == contact.id)
        ).first()
        is not None
    )


def _renamed_case(session: Session, wanted: str, sender: Contact | None) -> tuple[Case | None, str]:
    """The first ``wanted-IN2``, ``-IN3``… that is free, or that already holds this sender's
    earlier request of the same foreign case (so later requests follow the first)."""
    n = 2
    while True:
        candidate = f"{wanted[:58]}-IN{n}"
        existing = find_case(session, candidate)
        if existing is None:
            return None, candidate
        if _exchanged_with(session, existing, sender):
            return existing, candidate
        n += 1


def _known_case(
    session: Session, doc: Mapping[str, Any], case_ref: str | None, sender: Contact | None
) -> tuple[Case | None, str, str | None]:
    """(the local case to write into or None for a new one, the new case's reference, a note).

    A sender may name one of our requests (``counterpart_reference``, ``related_reference``) or a
    case reference of its own; either only leads into a case that holds a request exchanged with
    *this* sender. Anything else would let an accepted counterpart add persons, a request and
    files to an unrelated case by guessing its reference. A colliding reference is renamed.
    """
    from casecoord.services.cases import require_case

    if case_ref:
        return require_case(session, case_ref), case_ref, None
    req = doc["request"]
    for ours in (req.get("counterpart_reference"), req.get("related_reference")):
        if ours:
            found = find_request(session, str(ours))
            if found is not None:
                case = session.get(Case, found.case_id)
                if case is not None and found.counterpart_id == (sender.id if sender else -1):
                    return case, case.reference, None
    wanted = _local_case_reference(doc)
    existing = find_case(session, wanted)
    if existing is None:
        return None, wanted, None
    if _exchanged_with(session, existing, sender):
        return existing, existing.reference, None
    case, renamed = _renamed_case(session, wanted, sender)
    verb = "it went into" if case is not None else "a new case was made:"
    return (
        case,
        renamed,
        f"the sender's case reference {wanted} is a local case not exchanged with this sender; "
        f"{verb} {renamed} (nothing was merged)",
    )


class CountryMismatchError(ValidationError):
    """The bundle's sender country or requesting state is not the pinned contact's country."""


def _require_country_agrees(doc: Mapping[str, Any], contact: Contact | None, allowed: bool) -> None:
    if contact is None or allowed or not contact.country:
        return
    claimed = {
        "sender country": str(doc.get("sender", {}).get("country") or ""),
        "requesting state": str(doc["request"]["requesting_state"]),
    }
    wrong = [f"{what} {value}" for what, value in claimed.items() if value != contact.country]
    if wrong:
        raise CountryMismatchError(
            "sender",
            f"the bundle gives {' and '.join(wrong)}, but the signer is pinned as "
            f"{contact.name} ({contact.country}); nothing was imported. If that is right "
            "(a liaison officer posted abroad), import again with --accept-country-mismatch",
        )


def _person_input(item: Mapping[str, Any], tlp: str, code: str) -> PersonInput:
    nationality = item.get("nationality") or []
    role = str(item["role"])
    return PersonInput(
        family_name=str(item["family_name"]),
        given_names=str(item.get("given_names") or ""),
        role=role if role in {r.value for r in PersonRole} else PersonRole.OTHER.value,
        aliases=[str(a) for a in item.get("aliases") or []],
        birth_date=item.get("birth_date"),
        nationality=str(nationality[0]) if nationality else None,
        documents=[_join_document(d) for d in item.get("documents") or []],
        whereabouts=str(item.get("whereabouts") or ""),
        tlp=tlp,
        handling_code=code,
    )


def find_imported(vault: UnlockedVault, bundle_id: str) -> Request | None:
    with vault.session() as session:
        return _imported(session, bundle_id)


def _imported(session: Session, bundle_id: str) -> Request | None:
    return session.exec(
        select(Request).where(
            Request.bundle_id == bundle_id, Request.direction == Direction.INCOMING.value
        )
    ).first()


def import_bundle(
    vault: UnlockedVault,
    path: Path,
    *,
    accept_fingerprint: str | None = None,
    case_ref: str | None = None,
    allow_country_mismatch: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Verify ``path`` and create the incoming request from it, all or nothing.

    ``allow_country_mismatch`` is the officer's word that a sender whose country or requesting
    state differs from the pinned contact's country is nonetheless who it claims to be.

    Raises :class:`UnknownSignerError` for a valid signature by an unpinned, unaccepted
    certificate and the bundle layer's error for anything else refused; in both cases nothing
    is written.
    """
    say = progress or (lambda _message: None)
    with vault.session() as session:
        identity = load_identity_in(session)
        contacts = {
            str(c.certificate_fingerprint): c
            for c in session.exec(
                select(Contact).where(col(Contact.certificate_fingerprint).is_not(None))
            )
        }
    say("checking the signature and every digest")
    source, container_sha, encrypted = _unwrap(path, identity)
    file_sha = _sha256_file(path) if encrypted else container_sha
    trust = _trust(vault, accept_fingerprint)
    try:
        with open_verified(source, trust) as bundle:
            return _import_verified(
                vault,
                bundle,
                case_ref,
                allow_country_mismatch,
                contacts,
                accept_fingerprint,
                container_sha,
                file_sha,
                encrypted,
                say,
            )
    except UntrustedSignerError:
        report = verify_bundle(source, trust)  # rare path: tell the officer what to compare
        fp = report.signer_fingerprint
        if fp and all(c.passed or c.name == "signer" for c in report.checks):
            raise UnknownSignerError(fp, report.signer_name) from None
        report.raise_for_failure()
        raise


def _import_verified(
    vault: UnlockedVault,
    bundle: VerifiedBundle,
    case_ref: str | None,
    allow_country_mismatch: bool,
    contacts: Mapping[str, Contact],
    accept_fingerprint: str | None,
    container_sha: str,
    file_sha: str,
    encrypted: bool,
    say: Progress,
) -> ImportResult:
    doc = bundle.request_doc
    bundle_id = str(doc["bundle_id"])
    signer_fp = str(bundle.report.signer_fingerprint)
    with vault.transaction() as session:
        existing = _imported(session, bundle_id)
        if existing is not None:
            case = session.get(Case, existing.case_id)
            return ImportResult(
                bundle_id=bundle_id,
                request_ref=existing.reference,
                case_ref=case.reference if case else "",
                already_imported=True,
                case_created=False,
                persons=0,
                attachments=0,
                signer_fingerprint=signer_fp,
                signer_name=bundle.report.signer_name,
                container_sha256=container_sha,
                file_sha256=file_sha,
                lines=tuple(bundle.report.lines()),
            )
        say("creating the incoming request")
        result = _write_import(
            session,
            bundle,
            doc,
            case_ref,
            allow_country_mismatch,
            contacts.get(signer_fp),
            accept_fingerprint,
            container_sha,
            file_sha,
            encrypted,
            say,
        )
    return result


def _write_import(
    session: Session,
    bundle: VerifiedBundle,
    doc: Mapping[str, Any],
    case_ref: str | None,
    allow_country_mismatch: bool,
    sender_contact: Contact | None,
    accepted: str | None,
    container_sha: str,
    file_sha: str,
    encrypted: bool,
    say: Progress,
    *,
    dry_run: bool = False,
) -> ImportResult:
    req = doc["request"]
    handling = doc["handling"]
    tlp, code = str(handling["tlp"]), str(handling["handling_code"])
    _require_country_agrees(doc, sender_contact, allow_country_mismatch)
    case, new_reference, note = _known_case(session, doc, case_ref, sender_contact)
    case_created = case is None
    if case is None:
        known_offences = {o.value for o in EuListOffence}
        case = create_case(
            session,
            CaseInput(
                reference=new_reference,
                title=str(doc["case"]["title"])[:200],
                countries=[str(req["requesting_state"]), str(req["requested_state"])],
                offences=[o for o in req.get("offences") or [] if o in known_offences],
                tlp=tlp,
                handling_code=code,
                source_grading=handling.get("grading"),
            ),
        )
    assert case.id is not None
    persons = [
        create_person(session, case, _person_input(item, tlp, code)) for item in req["persons"]
    ]
    basis = req["legal_basis"]
    request = create_request(
        session,
        RequestInput(
            reference=_local_request_reference(session, str(req["reference"])),
            case_ref=case.reference,
            kind=str(req["kind"]),
            direction=Direction.INCOMING.value,
            requesting_state=str(req["requesting_state"]),
            requested_state=str(req["requested_state"]),
            facts=str(req["facts"]),
            legal_qualification=str(req["legal_qualification"]),
            measures=[str(m) for m in req["measures"]],
            channel=str(req["channel"]),
            urgency=str(req["urgency"]),
            language=str(req["language"]),
            basis_instrument_id=str(basis["instrument_id"]),
            basis_title=str(basis["title"]),
            basis_articles=", ".join(str(a) for a in basis["articles"]) or None,
            basis_override_reason=basis.get("override_reason"),
            counterpart=sender_contact.handle if sender_contact else None,
            counterpart_reference=str(req["reference"]),
            person_ids=[int(p.id or 0) for p in persons],
            tlp=tlp,
            handling_code=code,
            status=RequestStatus.RECEIVED.value,
            document=request_document.imported_fields(req),
        ),
        as_received=True,
    )
    request.bundle_id = str(doc["bundle_id"])
    session.add(request)
    for attachment in () if dry_run else bundle.attachments:
        say(f"storing {attachment.name} ({attachment.size:,} bytes)")
        store_attachment(
            session,
            case,
            request,
            bundle.open_attachment(attachment),
            attachment.name,
            attachment.media_type,
            tlp,
            code,
        )
    report = bundle.report
    record(
        session,
        IMPORT_ACTION,
        "request",
        request.reference,
        {
            "bundle_id": request.bundle_id,
            "file_sha256": file_sha,
            "container_sha256": container_sha,
            "encrypted": encrypted,
            "signer": report.signer_fingerprint,
            "signer_name": report.signer_name,
            "accepted_fingerprint": normalize_fingerprint(accepted) if accepted else None,
            "sender_reference": req["reference"],
            "sender_case": doc["case"]["reference"],
            "case_created": case_created,
            "case_note": note,
        },
        case.reference,
    )
    return ImportResult(
        bundle_id=str(request.bundle_id),
        request_ref=request.reference,
        case_ref=case.reference,
        already_imported=False,
        case_created=case_created,
        persons=len(persons),
        attachments=len(bundle.attachments),
        signer_fingerprint=str(report.signer_fingerprint),
        signer_name=report.signer_name,
        container_sha256=container_sha,
        file_sha256=file_sha,
        lines=tuple(report.lines()),
        notes=(note,) if note else (),
    )


def export_record(session: Session, request: Request, bundle_id: str) -> dict[str, Any] | None:
    """The audit payload of the export that produced ``bundle_id`` (for receipts)."""
    for entry in session.exec(
        select(AuditEntry)
        .where(AuditEntry.action == EXPORT_ACTION, AuditEntry.entity_ref == request.reference)
        .order_by(col(AuditEntry.seq).desc())
    ):
        if entry.payload and entry.payload.get("bundle_id") == bundle_id:
            return dict(entry.payload)
    return None


__all__ = [
    "BundleError",
    "CountryMismatchError",
    "ExportResult",
    "ImportResult",
    "ReleaseNotConfirmedError",
    "UnknownSignerError",
    "VerifyResult",
    "export_bundle",
    "export_record",
    "find_imported",
    "import_bundle",
    "verify_file",
]
