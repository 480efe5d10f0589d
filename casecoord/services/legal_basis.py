"""Fill in a request's legal basis and language from the treaty resolver.

The resolver ranks the bases that apply (EU instrument, bilateral treaty, regional convention,
UN convention, reciprocity); a new request takes the first one unless the officer chose another,
and an officer's choice that differs from the suggestion must carry a reason.
"""

from __future__ import annotations

from datetime import date

from casecoord.domain.models import Request


def _resolve(request: Request, on: date | None = None):  # type: ignore[no-untyped-def]
    from casecoord.treaties.resolver import resolve_basis

    return resolve_basis(
        request.requesting_state, request.requested_state, request.kind, on or date.today(), None
    )


def complete_basis(request: Request, explicit_language: bool) -> None:
    resolution = _resolve(request)
    applicable = list(resolution.applicable)
    if request.basis_instrument_id is None and applicable:
        best = applicable[0]
        request.basis_instrument_id = best.instrument_id
        request.basis_title = best.title
        request.basis_articles = ", ".join(best.articles)
    elif request.basis_instrument_id is not None:
        chosen = next((b for b in applicable if b.instrument_id == request.basis_instrument_id), None)
        if chosen is not None:
            request.basis_title = request.basis_title or chosen.title
            request.basis_articles = request.basis_articles or ", ".join(chosen.articles)
    if not explicit_language and resolution.language is not None:
        request.language = resolution.language


def suggested_instrument_id(request: Request) -> str | None:
    applicable = list(_resolve(request).applicable)
    return applicable[0].instrument_id if applicable else None
