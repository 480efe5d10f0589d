"""Handling codes at the border: what an export must not release without the officer's word.

Cases, requests, persons and attachments carry a TLP 2.0 label and a SIENA handling code
(docs/ARCHITECTURE.md, "The domain"); the bundle export is where they are enforced. Before a request leaves,
:func:`release_check` lists what in it is restricted, and the officer either removes it or
confirms the release with a reason (:func:`confirm_release`), which the audit chain keeps.

Restricted, for an export to a foreign authority:

* SIENA H2 and H3: dissemination needs the provider's permission, or other restrictions apply;
* TLP:RED: for the named recipients only;
* TLP:AMBER+STRICT: for the recipient's own organisation only, which a foreign authority is not.

Only the request's own content is looked at: the request, the persons linked to it and its
attachments, each checked to belong to the request's case, so nothing of another case can ever
be listed (or released) through a stray link.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from sqlmodel import Session, col, select

from casecoord.domain.enums import HandlingCode, Tlp
from casecoord.domain.errors import ValidationError
from casecoord.domain.models import AuditEntry, Case, Request
from casecoord.domain.values import required_text
from casecoord.services.completeness import request_attachments, request_persons
from casecoord.services.journal import record
from casecoord.services.requests import require_request
from casecoord.vault.vault import UnlockedVault

RELEASE_ACTION = "handling.release-confirmed"
RESTRICTED_CODES = frozenset({HandlingCode.H2.value, HandlingCode.H3.value})
RESTRICTED_TLP = frozenset({Tlp.RED.value, Tlp.AMBER_STRICT.value})

_CODE_REASONS = {
    HandlingCode.H2.value: "H2: not to be disseminated without the provider's permission",
    HandlingCode.H3.value: "H3: other restrictions of the provider apply",
}
_TLP_REASONS = {
    Tlp.RED.value: "TLP:RED: for the named recipients only",
    Tlp.AMBER_STRICT.value: "TLP:AMBER+STRICT: for the recipient's organisation only",
}


@dataclass(frozen=True, slots=True)
class HandlingIssue:
    """One restricted item in a request about to leave: what it is and why it is restricted."""

    entity: str  # "request", "person" or "attachment"
    ref: str  # the request's reference, the person's or attachment's id
    label: str
    tlp: str
    handling_code: str
    reasons: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.entity} {self.label}: " + "; ".join(self.reasons)


def _issue(entity: str, ref: str, label: str, tlp: str, code: str) -> HandlingIssue | None:
    reasons = tuple(
        reason for reason in (_TLP_REASONS.get(tlp), _CODE_REASONS.get(code)) if reason is not None
    )
    if not reasons:
        return None
    return HandlingIssue(entity, ref, label, tlp, code, reasons)


def release_check(session: Session, request: Request) -> list[HandlingIssue]:
    """What in ``request`` is marked H2/H3, TLP:RED or TLP:AMBER+STRICT (empty: free to go)."""
    found: list[HandlingIssue | None] = [
        _issue("request", request.reference, request.reference, request.tlp, request.handling_code)
    ]
    for person in request_persons(session, request):
        name = f"{person.given_names} {person.family_name}".strip()
        found.append(_issue("person", str(person.id), name, person.tlp, person.handling_code))
    for attachment in request_attachments(session, request):
        found.append(
            _issue(
                "attachment",
                str(attachment.id),
                attachment.name,
                attachment.tlp,
                attachment.handling_code,
            )
        )
    return [issue for issue in found if issue is not None]


def issues_digest(issues: list[HandlingIssue]) -> str:
    """A digest of exactly what was confirmed: a later change of marking needs a new confirmation."""
    canonical = json.dumps(
        sorted((i.entity, i.ref, i.tlp, i.handling_code) for i in issues), separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def confirm_release(vault: UnlockedVault, ref: str, reason: str) -> list[HandlingIssue]:
    """Record in the audit chain that the officer releases the restricted items of ``ref``.

    The reason is required (who gave permission, on what basis); the entry lists the items and a
    digest of them, so :func:`is_release_confirmed` can tell whether the markings changed since.
    """
    why = required_text(reason, "reason", 1000)
    with vault.transaction() as session:
        request = require_request(session, ref)
        issues = release_check(session, request)
        if not issues:
            raise ValidationError(
                "release",
                f"nothing in {request.reference} is marked H2/H3, TLP:RED or TLP:AMBER+STRICT; "
                "no confirmation is needed",
            )
        case = session.get(Case, request.case_id)
        record(
            session,
            RELEASE_ACTION,
            "request",
            request.reference,
            {
                "reason": why,
                "issues": [asdict(issue) for issue in issues],
                "issues_digest": issues_digest(issues),
            },
            case.reference if case is not None else None,
        )
        return issues


def is_release_confirmed(session: Session, request: Request) -> bool:
    """True when nothing is restricted, or the latest confirmation covers exactly today's items."""
    issues = release_check(session, request)
    if not issues:
        return True
    latest = session.exec(
        select(AuditEntry)
        .where(AuditEntry.action == RELEASE_ACTION, AuditEntry.entity_ref == request.reference)
        .order_by(col(AuditEntry.seq).desc())
        .limit(1)
    ).first()
    if latest is None or not latest.payload:
        return False
    return bool(latest.payload.get("issues_digest") == issues_digest(issues))
