"""The request form as data: what the officer typed, and its one mapping onto the domain.

The editor's panels each contribute their fields to one :class:`RequestForm`; the live checklist
(:meth:`RequestForm.to_request`), a new request (:meth:`RequestForm.to_input`) and an edit
(:meth:`RequestForm.to_changes`) all read that same value with the same defaults, so what the
checklist calls complete is what gets saved. The form is a frozen dataclass: comparing it with
the one loaded tells whether anything is unsaved.

No Textual here, so the mapping is tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from casecoord.domain.enums import (
    Channel,
    Direction,
    HandlingCode,
    RequestKind,
    RequestStatus,
    Tlp,
    TranslationState,
    Urgency,
)
from casecoord.domain.errors import ValidationError
from casecoord.domain.models import Contact, Request
from casecoord.domain.values import country_code
from casecoord.services.requests import (
    RELATIONS,
    RequestDetail,
    RequestInput,
    add_request,
    link_persons,
    update_request,
)
from casecoord.vault.vault import UnlockedVault

if TYPE_CHECKING:
    from casecoord.treaties.resolver import Resolution

DEFAULT_LANGUAGE = "en"

EDITABLE_STATUSES = frozenset(
    {
        RequestStatus.DRAFT.value,
        RequestStatus.READY.value,
        RequestStatus.RECEIVED.value,
        RequestStatus.REGISTERED.value,
    }
)


@dataclass(frozen=True)
class RequestForm:
    """Every field of the editor, as typed; the defaults are those of a new request."""

    reference: str = ""
    kind: str = RequestKind.MLA.value
    direction: str = Direction.OUTGOING.value
    requesting_state: str = ""
    requested_state: str = ""
    basis_instrument_id: str | None = None
    override_reason: str = ""
    channel: str = Channel.CENTRAL_AUTHORITY.value
    urgency: str = Urgency.NORMAL.value
    language: str = ""
    translation_state: str = TranslationState.NOT_NEEDED.value
    measures: str = ""
    facts: str = ""
    legal_qualification: str = ""
    person_ids: tuple[int, ...] = ()
    counterpart: str | None = None
    counterpart_reference: str = ""
    parent_ref: str | None = None
    relation: str = RELATIONS[0]
    tlp: str = Tlp.AMBER.value
    handling_code: str = HandlingCode.H1.value

    @classmethod
    def for_new(
        cls, reference: str, officer_country: str, case_countries: list[str]
    ) -> RequestForm:
        """A new outgoing request from the officer's state to the case's first other state."""
        others = [c for c in case_countries if c != officer_country]
        return cls(
            reference=reference,
            requesting_state=officer_country,
            requested_state=(others or [""])[0],
        )

    @classmethod
    def for_request(cls, detail: RequestDetail) -> RequestForm:
        """The form as a stored request fills it."""
        r = detail.request
        return cls(
            reference=r.reference,
            kind=r.kind,
            direction=r.direction,
            requesting_state=r.requesting_state,
            requested_state=r.requested_state,
            basis_instrument_id=r.basis_instrument_id,
            override_reason=r.basis_override_reason or "",
            channel=r.channel,
            urgency=r.urgency,
            language=r.language,
            translation_state=r.translation_state,
            measures="\n".join(r.measures),
            facts=r.facts,
            legal_qualification=r.legal_qualification,
            person_ids=tuple(sorted(p.id for p in detail.persons if p.id is not None)),
            counterpart=detail.counterpart.handle if detail.counterpart else None,
            counterpart_reference=r.counterpart_reference or "",
            parent_ref=detail.parent_ref,
            relation=r.relation or RELATIONS[0],
            tlp=r.tlp,
            handling_code=r.handling_code,
        )

    def with_values(self, values: dict[str, Any]) -> RequestForm:
        """This form with the fields a panel read from its widgets."""
        return replace(self, **values)

    def states(self) -> tuple[str, str] | None:
        """(requesting, requested) as ISO codes, or None until two different valid ones."""
        try:
            requesting = country_code(self.requesting_state)
            requested = country_code(self.requested_state)
        except ValidationError:
            return None
        return (requesting, requested) if requesting != requested else None

    def measure_list(self) -> list[str]:
        return [m.strip() for m in self.measures.splitlines() if m.strip()]


@dataclass(frozen=True)
class FormContext:
    """What the mapping needs beside the form: the case, the stored request, the resolver's view."""

    case_ref: str
    case_id: int
    stored: RequestDetail | None = None
    resolution: Resolution | None = None
    contacts: tuple[Contact, ...] = field(default_factory=tuple)

    @property
    def suggested_id(self) -> str | None:
        if self.resolution is None or not self.resolution.bases:
            return None
        return self.resolution.bases[0].instrument_id

    def basis_fields(self, chosen: str | None) -> tuple[str | None, str | None]:
        """Title and articles of ``chosen``: as stored when unchanged, else as the resolver says."""
        stored = self.stored.request if self.stored else None
        found: tuple[str | None, str | None] = (None, None)
        if chosen is not None and self.resolution is not None:
            for basis in self.resolution.bases:
                if basis.instrument_id == chosen:
                    found = (basis.title, ", ".join(basis.articles) or None)
                    break
            else:
                for rejected in self.resolution.rejected:
                    if rejected.instrument_id == chosen:
                        found = (rejected.title, None)
                        break
        if stored is not None and chosen is not None and chosen == stored.basis_instrument_id:
            return stored.basis_title or found[0], stored.basis_articles or found[1]
        return found

    def language(self, form: RequestForm) -> str:
        """The one language rule: as typed, else as stored, else the basis's first, else English."""
        typed = form.language.strip().lower()
        if typed:
            return typed
        if self.stored is not None:
            return self.stored.request.language
        bases = self.resolution.bases if self.resolution else []
        if bases and bases[0].languages:
            return bases[0].languages[0]
        return DEFAULT_LANGUAGE

    def override(self, form: RequestForm) -> str:
        """The override reason, dropped when the basis chosen is the suggested one."""
        if form.basis_instrument_id == self.suggested_id:
            return ""
        return form.override_reason.strip()


def to_request(form: RequestForm, context: FormContext) -> Request | None:
    """The request as the form describes it, unsaved (for the checklist); None without states."""
    states = form.states()
    if states is None:
        return None
    stored = context.stored.request if context.stored else None
    title, articles = context.basis_fields(form.basis_instrument_id)
    counterpart = next((c for c in context.contacts if c.handle == form.counterpart), None)
    return Request(
        reference=stored.reference if stored else form.reference.strip(),
        case_id=context.case_id,
        kind=form.kind,
        direction=form.direction,
        requesting_state=states[0],
        requested_state=states[1],
        status=stored.status if stored else RequestStatus.DRAFT.value,
        basis_instrument_id=form.basis_instrument_id,
        basis_title=title,
        basis_articles=articles,
        basis_override_reason=context.override(form) or None,
        channel=form.channel,
        measures=form.measure_list(),
        facts=form.facts.strip(),
        legal_qualification=form.legal_qualification.strip(),
        urgency=form.urgency,
        language=context.language(form),
        translation_state=form.translation_state,
        counterpart_id=counterpart.id if counterpart else None,
        counterpart_reference=form.counterpart_reference.strip() or None,
        tlp=form.tlp,
        handling_code=form.handling_code,
    )


def to_input(form: RequestForm, context: FormContext) -> RequestInput:
    """A new request from the form."""
    title, articles = context.basis_fields(form.basis_instrument_id)
    return RequestInput(
        reference=form.reference,
        case_ref=context.case_ref,
        kind=form.kind,
        direction=form.direction,
        requesting_state=form.requesting_state,
        requested_state=form.requested_state,
        facts=form.facts,
        legal_qualification=form.legal_qualification,
        measures=form.measure_list(),
        channel=form.channel,
        urgency=form.urgency,
        language=context.language(form),
        translation_state=form.translation_state,
        basis_instrument_id=form.basis_instrument_id,
        basis_title=title,
        basis_articles=articles,
        basis_override_reason=context.override(form) or None,
        counterpart=form.counterpart,
        counterpart_reference=form.counterpart_reference,
        parent_ref=form.parent_ref,
        relation=form.relation if form.parent_ref else None,
        person_ids=list(form.person_ids),
        tlp=form.tlp,
        handling_code=form.handling_code,
    )


def to_changes(form: RequestForm, context: FormContext) -> dict[str, Any]:
    """The edit of a stored request (only what ``update_request`` takes)."""
    assert context.stored is not None
    stored = context.stored.request
    changes: dict[str, Any] = {
        "facts": form.facts,
        "legal_qualification": form.legal_qualification,
        "measures": form.measure_list(),
        "channel": form.channel,
        "urgency": form.urgency,
        "language": context.language(form),
        "translation_state": form.translation_state,
        "basis_override_reason": context.override(form),
        "counterpart_reference": form.counterpart_reference,
        "tlp": form.tlp,
        "handling_code": form.handling_code,
    }
    chosen = form.basis_instrument_id
    if chosen is not None and chosen != stored.basis_instrument_id:
        title, articles = context.basis_fields(chosen)
        changes["basis_instrument_id"] = chosen
        changes["basis_title"] = title or chosen
        changes["basis_articles"] = articles or ""
    return changes


def save_form(vault: UnlockedVault, form: RequestForm, context: FormContext) -> str:
    """Create or update the request from the form; its reference. Runs in a worker."""
    if context.stored is None:
        return add_request(vault, to_input(form, context)).reference
    ref = context.stored.request.reference
    update_request(vault, ref, to_changes(form, context))
    if form.person_ids != RequestForm.for_request(context.stored).person_ids:
        link_persons(vault, ref, list(form.person_ids))
    return ref
