"""Fill in a request's legal basis and language from the treaty resolver.

The resolver ranks the bases that apply (EU instrument, bilateral treaty, regional convention,
UN convention, reciprocity); a new request takes the first one unless the officer chose another,
and an officer's choice that differs from the suggestion must carry a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from casecoord.domain.errors import ValidationError
from casecoord.domain.models import Request

if TYPE_CHECKING:
    from casecoord.treaties.model import Replacement
    from casecoord.treaties.resolver import Resolution


def _resolve(
    request: Request,
    offences: Sequence[str] | None = None,
    on: date | None = None,
    *,
    organised_group: bool | None = None,
    max_penalty_years: float | None = None,
) -> Resolution:
    """Resolve for the request's pair and kind; the case's offences and the request's scope
    answers (organised group involved? maximum penalty?) decide whether the UN conventions' scope
    is met (None: not known yet, and the resolver says so). Explicit answers win over the
    request's stored ones (an editor resolving what the officer is typing)."""
    from casecoord.treaties.resolver import resolve_basis  # deferred: loads the catalogue

    return resolve_basis(
        request.requesting_state,
        request.requested_state,
        request.kind,
        on or date.today(),
        list(offences) if offences else None,
        organised_group=request.organised_group if organised_group is None else organised_group,
        max_penalty_years=(
            request.max_penalty_years if max_penalty_years is None else max_penalty_years
        ),
    )


def kind_replacement(kind: str) -> tuple[str, Replacement] | None:
    """The EU instrument that replaces requests of ``kind`` between the states it binds, and its
    rule, from the catalogue's ``replaces`` data (FD 2002/584/JHA Art. 31: extradition and
    provisional arrest become an EAW; Directive 2014/41/EU Art. 34: evidence MLA becomes an
    EIO), or ``None``. The one rule the basis review and the resolver both read."""
    from casecoord.domain.enums import RequestKind
    from casecoord.treaties.catalogue import default_catalogue

    wanted = RequestKind(kind)
    for instrument in default_catalogue().instruments:
        for rule in instrument.replaces:
            if wanted in rule.kinds and rule.as_kind is not wanted:
                return instrument.id, rule
    return None


def resolve_for(request: Request, offences: Sequence[str] | None = None) -> Resolution:
    """The basis answer for the request as stored (its pair, kind, the case's offences and the
    officer's scope answers) on today's date: what ``request show`` presents."""
    return _resolve(request, offences)


def complete_basis(
    request: Request, explicit_language: bool, offences: Sequence[str] | None = None
) -> None:
    applicable = list(_resolve(request, offences).bases)
    if request.basis_instrument_id is None and applicable:
        best = applicable[0]
        request.basis_instrument_id = best.instrument_id
        request.basis_title = best.title
        request.basis_articles = ", ".join(best.articles) or None
    elif request.basis_instrument_id is not None:
        suggested = applicable[0].instrument_id if applicable else None
        if request.basis_instrument_id != suggested and not request.basis_override_reason:
            raise ValidationError(
                "legal basis",
                f"{request.basis_instrument_id} differs from the suggested {suggested or 'none'}; "
                "give a reason for the override",
            )
        chosen = next(
            (b for b in applicable if b.instrument_id == request.basis_instrument_id), None
        )
        if chosen is not None:
            request.basis_title = request.basis_title or chosen.title
            request.basis_articles = request.basis_articles or ", ".join(chosen.articles) or None
        else:
            title, articles = describe_basis(request, request.basis_instrument_id, offences)
            request.basis_title = request.basis_title or title
            request.basis_articles = request.basis_articles or articles
    if not explicit_language and applicable and applicable[0].languages:
        request.language = applicable[0].languages[0]


def _catalogue_title(instrument_id: str) -> str:
    from casecoord.treaties.catalogue import default_catalogue

    try:
        return default_catalogue().instrument(instrument_id).title
    except KeyError:
        raise ValidationError(
            "legal basis", f"'{instrument_id}' is not an instrument of the treaty catalogue"
        ) from None


def suggested_instrument_id(request: Request, offences: Sequence[str] | None = None) -> str | None:
    applicable = list(_resolve(request, offences).bases)
    return applicable[0].instrument_id if applicable else None


def applicable_instrument_ids(request: Request) -> list[str]:
    """The request's own basis first, then the other bases that apply to its pair and kind.

    A stored basis that an EU instrument has replaced between the pair (ETS 024 between two
    EAW states) is left out: its time limits must never start between them.
    """
    resolution = _resolve(request)
    ids = list(resolution.instrument_ids())
    replaced = {r.instrument_id for r in resolution.rejected if r.replaced_by is not None}
    own = request.basis_instrument_id
    if own and own not in replaced:
        ids = [own, *(i for i in ids if i != own)]
    return ids


def basis_change(
    request: Request, offences: Sequence[str] | None = None, on: date | None = None
) -> str | None:
    """Why the request's stored basis is no longer the one to use, or ``None`` if it still is.

    Flags, for instance, a draft EU MLA Convention request between two EIO states (the Directive
    comes first, Art. 34(1)) or an ETS 024 extradition between EAW states (replaced, Art. 31(1)).
    """
    own = request.basis_instrument_id
    if not own:
        return None
    resolution = _resolve(request, offences, on)
    first = resolution.first
    if first is None or first.instrument_id == own:
        return None
    rejected = next((r for r in resolution.rejected if r.instrument_id == own), None)
    if rejected is not None and rejected.replaced_by is not None:
        return (
            f"{own} no longer applies between {request.requesting_state} and "
            f"{request.requested_state}: {rejected.reason}; use {first.instrument_id}"
        )
    demoted = next((b for b in resolution.bases if b.instrument_id == own), None)
    if (
        demoted is not None
        and first.tier == demoted.tier
        and "replaced" in " ".join(demoted.caveats)
    ):
        reason = next(c for c in demoted.caveats if "replaced" in c)
        return f"{own} now comes after {first.instrument_id}: {reason}"
    return None


def describe_basis(
    request: Request, instrument_id: str, offences: Sequence[str] | None = None
) -> tuple[str, str | None]:
    """Title and articles of ``instrument_id`` for this request: from the resolver's answer when
    the instrument applies, else from the catalogue (an override the officer justified)."""
    for basis in _resolve(request, offences).bases:
        if basis.instrument_id == instrument_id:
            return basis.title, ", ".join(basis.articles) or None
    from casecoord.domain.enums import RequestKind
    from casecoord.treaties.catalogue import default_catalogue

    title = _catalogue_title(instrument_id)
    coverage = default_catalogue().instrument(instrument_id).coverage_for(RequestKind(request.kind))
    articles = ", ".join(coverage.articles) if coverage is not None else ""
    return title, articles or None
