"""The request.json fields of version 2, both ways: stored request → document → imported request.

Version 2 carries what each instrument's document needs beyond facts and qualification (the
warrant or judgment, the offence's time, place, provisions, penalty and limitation, the
proceedings, purpose, procedure, assurances, the validating authority) and each person's
whereabouts. An imported version 1 document simply has none of them: the incoming request is
created with those fields empty, exactly as the sender stated it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casecoord.domain.models import Person, Request

SCHEMA_VERSION = 2


def _text(value: str) -> str | None:
    return value or None


def document_fields(request: Request) -> dict[str, Any]:
    """The version 2 members of the document's ``request`` object."""
    decision: dict[str, Any] | None = None
    if request.decision_kind or request.decision_authority or request.decision_reference:
        decision = {
            "kind": request.decision_kind,
            "authority": _text(request.decision_authority),
            "date": request.decision_date.isoformat() if request.decision_date else None,
            "reference": _text(request.decision_reference),
        }
    return {
        "decision": decision,
        "offence": {
            "time": _text(request.offence_time),
            "place": _text(request.offence_place),
            "provisions_text": _text(request.provisions_text),
            "max_penalty": _text(request.max_penalty),
            "sentence_imposed": _text(request.sentence_imposed),
            "limitation": _text(request.limitation),
            "in_absentia": _text(request.in_absentia),
        },
        "proceedings": {
            "description": _text(request.proceedings),
            "authority": _text(request.proceedings_authority),
        },
        "purpose": _text(request.purpose),
        "procedure": _text(request.procedure),
        "assurances": _text(request.assurances),
        "validating_authority": _text(request.validating_authority),
    }


def person_fields(person: Person) -> dict[str, Any]:
    """The version 2 members of a person object."""
    return {"whereabouts": _text(person.whereabouts)}


def _s(value: object) -> str:
    return "" if value is None else str(value)


def imported_fields(req: Mapping[str, Any]) -> dict[str, str | None]:
    """The stored request's document fields from a document's ``request`` (version 1 or 2)."""
    decision = req.get("decision") or {}
    offence = req.get("offence") or {}
    proceedings = req.get("proceedings") or {}
    return {
        "decision_kind": decision.get("kind"),
        "decision_authority": _s(decision.get("authority")),
        "decision_date": decision.get("date"),
        "decision_reference": _s(decision.get("reference")),
        "offence_time": _s(offence.get("time")),
        "offence_place": _s(offence.get("place")),
        "provisions_text": _s(offence.get("provisions_text")),
        "max_penalty": _s(offence.get("max_penalty")),
        "sentence_imposed": _s(offence.get("sentence_imposed")),
        "limitation": _s(offence.get("limitation")),
        "in_absentia": _s(offence.get("in_absentia")),
        "proceedings": _s(proceedings.get("description")),
        "proceedings_authority": _s(proceedings.get("authority")),
        "purpose": _s(req.get("purpose")),
        "procedure": _s(req.get("procedure")),
        "assurances": _s(req.get("assurances")),
        "validating_authority": _s(req.get("validating_authority")),
    }
