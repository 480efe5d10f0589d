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
from datetime import UTC, date, datetime, tzinfo
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
from casecoord.domain.models import DOCUMENT_TEXT_FIELDS, Contact, Request
from casecoord.domain.values import country_code, penalty_years
from casecoord.services.requests import (
    DOCUMENT_FIELDS,
    RELATIONS,
    RequestDetail,
    RequestInput,
    add_request,
    link_persons,
    update_request,
)
from casecoord.store import Store

if TYPE_CHECKING:
    from casecoord.treaties.resolver import Resolution

DEFAULT_LANGUAGE = "en"
RECEIVED_FORMAT = "%Y-%m-%d %H:%M"  # how the receipt moment is typed, in the officer's zone

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
    # incoming only: when it reached us, typed in the officer's zone (RECEIVED_FORMAT)
    received_at: str = ""
    provisional_measures: bool = False
    # the offence-scope answers (UNTOC Arts. 2(a), 2(b), 3(1)) as chosen and typed: "yes", "no"
    # or "" (not answered); the maximum penalty in years, "" when not answered
    organised_group: str = ""
    max_penalty_years: str = ""
    # the document fields (services/requests.py DOCUMENT_FIELDS), as typed: name → text
    document: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_new(
        cls,
        reference: str,
        officer_country: str,
        case_countries: list[str],
        zone: tzinfo | None = None,
        *,
        now: datetime | None = None,
    ) -> RequestForm:
        """A new outgoing request from the officer's state to the case's first other state.

        The receipt moment defaults to now in the officer's zone: it counts only if she turns
        the request into an incoming one, and she corrects it to the day it actually arrived.
        """
        others = [c for c in case_countries if c != officer_country]
        return cls(
            reference=reference,
            requesting_state=officer_country,
            requested_state=(others or [""])[0],
            received_at=(now or datetime.now(UTC))
            .astimezone(zone or UTC)
            .strftime(RECEIVED_FORMAT),
        )

    @classmethod
    def for_request(cls, detail: RequestDetail, zone: tzinfo | None = None) -> RequestForm:
        """The form as a stored request fills it (the receipt moment shown in ``zone``)."""
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
            received_at=received_text(r.received_at, zone),
            provisional_measures=bool(r.provisional_measures),
            organised_group=SCOPE_CHOICES[r.organised_group],
            max_penalty_years="" if r.max_penalty_years is None else f"{r.max_penalty_years:g}",
            document=stored_document(r),
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

    @property
    def incoming(self) -> bool:
        return self.direction == Direction.INCOMING.value

    def scope(self) -> tuple[bool | None, float | None]:
        """The scope answers as the resolver takes them; a penalty still being typed (not yet
        a number of years) counts as not answered, and saving says why it is refused."""
        group = {"yes": True, "no": False}.get(self.organised_group)
        try:
            years = penalty_years(self.max_penalty_years)
        except ValidationError:
            years = None
        return group, years

    def document_values(self) -> dict[str, str]:
        """Every document field as typed ("" when not given), in the service's names."""
        return {name: self.document.get(name, "") for name in DOCUMENT_FIELDS}


SCOPE_CHOICES: dict[bool | None, str] = {True: "yes", False: "no", None: ""}


def received_text(moment: datetime | None, zone: tzinfo | None) -> str:
    """A stored receipt moment (UTC) as the officer types it, in her zone; "" for none."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone or UTC).strftime(RECEIVED_FORMAT)


def stored_document(request: Request) -> dict[str, str]:
    """The stored document fields as the form types them (a date as ISO text, none as "")."""
    found = {name: str(getattr(request, name) or "") for name in DOCUMENT_TEXT_FIELDS}
    found["decision_kind"] = request.decision_kind or ""
    found["decision_date"] = request.decision_date.isoformat() if request.decision_date else ""
    return found


def _typed_date(text: str) -> date | None:
    """An ISO date as typed, or None while it is not one yet (the service says why on save)."""
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


@dataclass(frozen=True)
class FormContext:
    """What the mapping needs beside the form: the case, the stored request, the resolver's view."""

    case_ref: str
    case_id: int
    stored: RequestDetail | None = None
    resolution: Resolution | None = None
    contacts: tuple[Contact, ...] = field(default_factory=tuple)
    zone: tzinfo | None = None  # the officer's, in which the receipt moment is typed
    version: int | None = None  # of the stored request the form edits: saved against it

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
    document = form.document_values()
    request = Request(
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
        provisional_measures=form.provisional_measures,
        organised_group=form.scope()[0],
        max_penalty_years=form.scope()[1],
        decision_kind=document["decision_kind"] or None,
        decision_date=_typed_date(document["decision_date"]),
    )
    for name in DOCUMENT_TEXT_FIELDS:
        setattr(request, name, document[name].strip())
    return request


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
        received_at=form.received_at if form.incoming else None,
        provisional_measures=form.provisional_measures,
        organised_group=form.organised_group or None,
        max_penalty_years=form.max_penalty_years,
        document={name: value for name, value in form.document_values().items() if value.strip()},
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
        "provisional_measures": form.provisional_measures,
        "organised_group": form.organised_group or "unknown",
        "max_penalty_years": form.max_penalty_years,
        **form.document_values(),
    }
    if stored.direction == Direction.INCOMING.value:
        # only a corrected receipt moment is sent: the stored one has seconds the form has not,
        # and sending it back unchanged would recompute the deadlines for nothing
        shown = received_text(stored.received_at, context.zone)
        if form.received_at.strip() != shown:
            changes["received_at"] = form.received_at
    chosen = form.basis_instrument_id
    if chosen is not None and chosen != stored.basis_instrument_id:
        title, articles = context.basis_fields(chosen)
        changes["basis_instrument_id"] = chosen
        changes["basis_title"] = title or chosen
        changes["basis_articles"] = articles or ""
    return changes


def save_form(vault: Store, form: RequestForm, context: FormContext) -> str:
    """Create or update the request from the form; its reference. Runs in a worker."""
    if context.stored is None:
        return add_request(vault, to_input(form, context)).reference
    ref = context.stored.request.reference
    update_request(vault, ref, to_changes(form, context), expected_version=context.version)
    if form.person_ids != RequestForm.for_request(context.stored, context.zone).person_ids:
        link_persons(vault, ref, list(form.person_ids))
    return ref


# What each kind's document uses beyond facts and qualification, in form order (the sections of
# bundle/forms.py: Vienna 1988 Art. 7(10) and UNTOC Art. 18(15) items for MLA, ETS 024 Art. 12(2)
# and 16(2) for extradition and provisional arrest, the EAW Annex sections (b)-(f), EIO Annex A
# sections F-L).
_DECISION = ("decision_kind", "decision_authority", "decision_date", "decision_reference")
_OFFENCE = ("offence_time", "offence_place", "provisions_text")
_MLA_DOCUMENT = ("proceedings", "proceedings_authority", *_OFFENCE, "procedure", "purpose")
_EXTRADITION_DOCUMENT = (
    *_DECISION,
    *_OFFENCE,
    "max_penalty",
    "sentence_imposed",
    "limitation",
    "assurances",
)
DOCUMENT_FIELDS_FOR_KIND: dict[str, tuple[str, ...]] = {
    RequestKind.EXTRADITION.value: _EXTRADITION_DOCUMENT,
    RequestKind.PROVISIONAL_ARREST.value: _EXTRADITION_DOCUMENT,
    RequestKind.EAW.value: (
        *_DECISION,
        *_OFFENCE,
        "max_penalty",
        "sentence_imposed",
        "in_absentia",
        "limitation",
        "assurances",
    ),
    RequestKind.EIO.value: (
        "proceedings",
        "proceedings_authority",
        *_OFFENCE,
        "purpose",
        "procedure",
        "validating_authority",
    ),
}


def document_fields_for(kind: str) -> tuple[str, ...]:
    """The document fields the request document of ``kind`` prints (MLA's for the MLA-like)."""
    return DOCUMENT_FIELDS_FOR_KIND.get(kind, _MLA_DOCUMENT)
