"""What request.json's schema requires of a request, as items of the completeness checklist.

One readiness rule (docs/ARCHITECTURE.md, "Readiness"): the checklist, the move to "ready", the
export and the validation of ``request.json`` must agree. The legal-basis checklist
(``completeness.assess``) says what the law asks; the exporter also validates the document against
``schemas/request.schema.json``, which has requirements of its own (at least one measure, a
two-letter language code, non-empty text fields). :func:`schema_gaps` validates the request's part
of that document against the schema and turns each failure into a blocking checklist item in
plain words, so a request the checklist calls complete is one the exporter accepts.

Only outgoing requests are exported, so only they are checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from casecoord.domain.enums import Direction
from casecoord.domain.models import Request
from casecoord.schemas import load_schema
from casecoord.services.completeness import CheckedItem

ORIGIN = "request.json schema"

# field of the schema's request → (label, plain-language reason, completeness check covering it)
PLAIN: dict[str, tuple[str, str, str]] = {
    "measures": ("Measures requested", "list at least one measure, one per line", "measures"),
    "facts": ("Facts", "describe the facts (the bundle cannot carry an empty summary)", "facts"),
    "legal_qualification": (
        "Legal qualification",
        "give the legal qualification of the offence",
        "legal-qualification",
    ),
    "language": ("Language", "give the two-letter language code (es, en, fr…)", "language"),
    "reference": ("Reference", "give the request a reference", "reference"),
}


@cache
def _validator() -> Any:
    schema = load_schema("request.schema.json")
    request_schema = dict(schema["$defs"]["request"])
    request_schema["$defs"] = schema["$defs"]
    return Draft202012Validator(request_schema)


def _articles(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def request_part(request: Request) -> dict[str, Any]:
    """The "request" object of request.json for ``request`` (persons left to the exporter)."""
    return {
        "reference": request.reference,
        "kind": request.kind,
        "direction": Direction.OUTGOING.value,
        "requesting_state": request.requesting_state,
        "requested_state": request.requested_state,
        "requesting_authority": None,
        "requested_authority": None,
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
        "offences": [],
        "persons": [],
        "counterpart_reference": request.counterpart_reference,
        "related_reference": None,
        "respond_by": None,
    }


def schema_gaps(request: Request, covered: Iterable[str] = ()) -> list[CheckedItem]:
    """Blocking items for what the schema refuses in ``request``; none for incoming requests.

    ``covered`` are the completeness checks already reported missing (``CheckedItem.check``):
    a field they name is not reported twice.
    """
    if request.direction != Direction.OUTGOING.value:
        return []
    already = set(covered)
    found: dict[str, CheckedItem] = {}
    for error in _validator().iter_errors(request_part(request)):
        path = [str(p) for p in error.absolute_path]
        field = path[0] if path else "request"
        label, why, check = PLAIN.get(
            field, (field.replace("_", " ").capitalize(), f"not accepted: {error.message}", field)
        )
        if check in already or field in found:
            continue
        found[field] = CheckedItem(
            id=f"schema-{field}",
            label=label,
            article=None,
            origin=ORIGIN,
            check=check,
            blocking=True,
            certain=True,
            satisfied=False,
            why=why,
        )
    return list(found.values())
