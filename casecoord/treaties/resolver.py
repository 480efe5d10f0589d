"""Which legal bases apply to a request between two states on a date, most specific first.

The officer needs the basis she can cite, but also the ones that do not work and why (a treaty only
negotiated, a state not party, a date before entry into force), so that a doubtful fact is shown
rather than hidden. Order: EU instrument between member states > bilateral treaty > EU–third-state
agreement > regional convention > UN convention (when the offence is in its scope) > reciprocity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from casecoord.domain.enums import Channel, EuListOffence, RequestKind
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.languages import language_for
from casecoord.treaties.model import (
    Catalogue,
    FactStatus,
    Instrument,
    InstrumentType,
    KindCoverage,
    PartyStatus,
    TreatyStatus,
)

RECIPROCITY_ID = "reciprocity"


class Certainty(StrEnum):
    """How sure the catalogue is that a basis applies on the date asked."""

    CONFIRMED = "confirmed"
    DATE_UNKNOWN = "date-unknown"  # in force now, but the catalogue lacks a party's own date
    UNCERTAIN = "uncertain"


class BasisTier(StrEnum):
    """The resolver's ranking of instruments, most specific first."""

    EU = "eu"
    BILATERAL = "bilateral"
    EU_THIRD_STATE = "eu-third-state"
    REGIONAL = "regional"
    UN = "un"
    RECIPROCITY = "reciprocity"


_TIER_RANK = {tier: rank for rank, tier in enumerate(BasisTier)}
_CERTAINTY_RANK = {c: rank for rank, c in enumerate(Certainty)}

# The kinds an instrument may cover for a request of a given kind, in preference order: an EIO
# falls back on MLA instruments (measures outside the Directive, states not bound by it), an EAW
# on extradition instruments.
KIND_FAMILIES: dict[RequestKind, tuple[RequestKind, ...]] = {
    RequestKind.MLA: (RequestKind.MLA,),
    RequestKind.EXTRADITION: (RequestKind.EXTRADITION,),
    RequestKind.PROVISIONAL_ARREST: (RequestKind.PROVISIONAL_ARREST,),
    RequestKind.EIO: (RequestKind.EIO, RequestKind.MLA),
    RequestKind.EAW: (RequestKind.EAW, RequestKind.EXTRADITION),
    RequestKind.FREEZING: (RequestKind.FREEZING,),
    RequestKind.CONFISCATION: (RequestKind.CONFISCATION,),
    RequestKind.TRANSFER_OF_PROCEEDINGS: (RequestKind.TRANSFER_OF_PROCEEDINGS,),
    RequestKind.JIT: (RequestKind.JIT,),
}

# Kinds that are themselves EU instruments: reciprocity is no substitute for them.
_INSTRUMENT_ONLY_KINDS = frozenset({RequestKind.EIO, RequestKind.EAW})

# EU list-offence keys (cases store these) mapped onto the UN conventions' scope keys.
OFFENCE_SCOPE_ALIASES: dict[str, str] = {
    EuListOffence.DRUG_TRAFFICKING.value: "drugs",
    EuListOffence.ORGANISED_CRIME.value: "organised-crime",
    EuListOffence.CORRUPTION.value: "corruption",
    EuListOffence.MONEY_LAUNDERING.value: "money-laundering",
}


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """One basis that applies, with what the officer cites and how sure the catalogue is."""

    instrument_id: str
    title: str
    short_name: str
    tier: BasisTier
    articles: tuple[str, ...]
    channels: tuple[Channel, ...]
    language: str
    languages: tuple[str, ...]
    status: str  # the instrument's TreatyStatus value, or "reciprocity"
    certainty: Certainty
    why: str
    caveats: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    supplements: str | None = None


@dataclass(frozen=True, slots=True)
class RejectedBasis:
    """A candidate that does not apply, with one line saying why not."""

    instrument_id: str
    title: str
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """The resolver's whole answer: bases in order, rejected candidates, and notes for the pair."""

    requesting: str
    requested: str
    kind: RequestKind
    on: date
    bases: tuple[LegalBasis, ...]
    rejected: tuple[RejectedBasis, ...]
    notes: tuple[str, ...] = field(default=())

    def instrument_ids(self) -> tuple[str, ...]:
        """Ids of the applicable instruments, in order (feed these to the deadline engine)."""
        return tuple(b.instrument_id for b in self.bases if b.instrument_id != RECIPROCITY_ID)

    def rejected_ids(self) -> tuple[str, ...]:
        """Ids of the rejected candidates, in catalogue order."""
        return tuple(r.instrument_id for r in self.rejected)


def normalise_scope(offence_scope: Iterable[str] | None) -> frozenset[str] | None:
    """Accept scope keys ("drugs") and EU list-offence keys; ``None`` means 'not known yet'."""
    if offence_scope is None:
        return None
    return frozenset(OFFENCE_SCOPE_ALIASES.get(key, key) for key in offence_scope)


@dataclass
class _Assessment:
    """Working notes on one candidate while the resolver checks it."""

    instrument: Instrument
    coverage: KindCoverage
    fallback: bool
    rejections: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    certainty: Certainty = Certainty.CONFIRMED
    scope_line: str = ""

    def doubt(self, level: Certainty, caveat: str) -> None:
        if _CERTAINTY_RANK[level] > _CERTAINTY_RANK[self.certainty]:
            self.certainty = level
        self.caveats.append(caveat)


def resolve_basis(
    requesting: str,
    requested: str,
    kind: RequestKind | str,
    on: date,
    offence_scope: Iterable[str] | None = None,
    catalogue: Catalogue | None = None,
) -> Resolution:
    """The legal bases for a ``kind`` request from ``requesting`` to ``requested`` on ``on``.

    ``offence_scope`` is a set of scope keys ("drugs", "organised-crime", "corruption",
    "money-laundering") or EU list-offence keys; ``None`` means unknown, and the UN conventions
    are then listed with a note that they apply only if the offence is within their scope.
    """
    cat = catalogue or default_catalogue()
    a, b = requesting.upper(), requested.upper()
    request_kind = RequestKind(kind)
    scope = normalise_scope(offence_scope)
    if a == b:
        raise ValueError("requesting and requested state must differ")

    assessments: list[_Assessment] = []
    for instrument in cat.instruments:
        candidate = _candidate(instrument, a, b, request_kind)
        if candidate is None:
            continue
        _check(candidate, a, b, on, scope, cat)
        assessments.append(candidate)

    for x in assessments:  # a protocol is no basis without the convention it supplements
        parent_id = x.instrument.supplements
        if parent_id is not None and not x.rejections:
            parent = cat.instrument(parent_id)
            check = _Assessment(parent, parent.kinds[0], fallback=False)
            _check(check, a, b, on, None, cat)
            if check.rejections:
                x.rejections.append(
                    f"supplements {parent.short_name}, which does not bind {a} and {b}: "
                    + "; ".join(check.rejections)
                )

    bases = [_to_basis(x, a, b, request_kind, cat) for x in assessments if not x.rejections]
    keys = {x.instrument.id: _sort_key(x, cat) for x in assessments if not x.rejections}
    for x in assessments:  # protocols sort right after the convention they supplement
        parent_id = x.instrument.supplements
        if not x.rejections and parent_id is not None and parent_id in keys:
            keys[x.instrument.id] = (*keys[parent_id], *keys[x.instrument.id])
    bases.sort(key=lambda basis: keys[basis.instrument_id])
    rejected = [
        RejectedBasis(
            x.instrument.id, x.instrument.title, x.instrument.status.value, "; ".join(x.rejections)
        )
        for x in assessments
        if x.rejections
    ]

    notes = _pair_notes(cat, a, b, request_kind)
    reciprocity = _reciprocity(cat, a, b, request_kind)
    if isinstance(reciprocity, LegalBasis):
        bases.append(reciprocity)
    elif isinstance(reciprocity, RejectedBasis):
        rejected.append(reciprocity)
    if not bases:
        notes.append(f"No legal basis found for {request_kind.value} from {a} to {b} on {on}.")
    return Resolution(a, b, request_kind, on, tuple(bases), tuple(rejected), tuple(notes))


def _candidate(instrument: Instrument, a: str, b: str, kind: RequestKind) -> _Assessment | None:
    """An instrument is worth showing if it covers the kind and concerns this pair of states."""
    coverage, fallback = None, False
    for position, family_kind in enumerate(KIND_FAMILIES[kind]):
        coverage = instrument.coverage_for(family_kind)
        if coverage is not None:
            fallback = position > 0
            break
    if coverage is None:
        return None
    listed = {p.country for p in instrument.parties}
    if instrument.sides is not None:
        first, second = instrument.sides
        if not ((a in first and b in second) or (a in second and b in first)):
            return None  # e.g. the EU–US agreements between two member states
    if instrument.type is InstrumentType.BILATERAL:
        if not {a, b} <= listed:
            return None
    elif not ({a, b} & listed):
        return None
    return _Assessment(instrument, coverage, fallback)


def _check(
    x: _Assessment, a: str, b: str, on: date, scope: frozenset[str] | None, cat: Catalogue
) -> None:
    inst = x.instrument
    if inst.status is TreatyStatus.NEGOTIATED:
        x.rejections.append("negotiated only: not signed, not in force")
    elif inst.status is TreatyStatus.SIGNED:
        x.rejections.append("signed but not in force")
    elif inst.status is TreatyStatus.TERMINATED:
        x.rejections.append("terminated")
    elif inst.status is TreatyStatus.UNCERTAIN:
        x.doubt(Certainty.UNCERTAIN, "whether it is in force is uncertain (sources unconfirmed)")
    if inst.signed_on is not None and on < inst.signed_on:
        x.rejections.append(f"did not exist on {on}: signed/adopted {inst.signed_on}")
    elif inst.in_force_on is not None and on < inst.in_force_on:
        x.rejections.append(f"not in force on {on}: in force from {inst.in_force_on}")
    if inst.applies_from is not None and on < inst.applies_from:
        x.rejections.append(f"not applicable on {on}: applies from {inst.applies_from}")
    for country in (a, b):
        _check_party(x, country, on, cat)
    if x.coverage.coverage is FactStatus.UNCERTAIN:
        x.doubt(Certainty.UNCERTAIN, x.coverage.note or f"coverage of {x.coverage.kind} uncertain")
    if not x.coverage.articles_certain:
        x.caveats.append("article numbers uncertain")
    if inst.offence_scope is not None:
        wanted = ", ".join(sorted(inst.offence_scope))
        if scope is None:
            x.caveats.append(f"applies only if the offence is within its scope ({wanted})")
            x.scope_line = f"; applies only if the offence is within its scope ({wanted})"
        elif scope & inst.offence_scope:
            x.scope_line = (
                f"; offence within its scope ({', '.join(sorted(scope & inst.offence_scope))})"
            )
        else:
            x.rejections.append(f"offence outside its scope ({wanted})")


def _check_party(x: _Assessment, country: str, on: date, cat: Catalogue) -> None:
    inst = x.instrument
    party = inst.party(country)
    if party is None:
        extra = "" if inst.parties_complete else " (the catalogue lists only some parties)"
        x.rejections.append(f"{country} is not listed as a party{extra}")
        return
    note = f": {party.note}" if party.note else ""
    if party.status is PartyStatus.NOT_PARTY:
        x.rejections.append(f"{country} is not a party{note}")
        return
    if party.status in (PartyStatus.NEGOTIATED, PartyStatus.SIGNED):
        if party.status.value != inst.status.value:  # else the instrument's reason says it
            x.rejections.append(f"{country} is not bound ({party.status.value} only)")
        return
    if party.status is PartyStatus.UNCERTAIN and inst.status is not TreatyStatus.UNCERTAIN:
        x.doubt(Certainty.UNCERTAIN, f"{country}'s participation is uncertain{note}")
    effective = party.in_force_on
    if effective is None and inst.party_dates_follow_instrument:
        effective = inst.in_force_on
    if effective is not None:
        if on < effective:
            x.rejections.append(f"not in force for {country} on {on}: from {effective}")
        return
    if party.ratified_on is not None and on < party.ratified_on:
        x.rejections.append(f"{country} had not ratified on {on} (ratified {party.ratified_on})")
        return
    if party.signed_on is not None and on < party.signed_on:
        x.rejections.append(f"{country} had not signed on {on} (signed {party.signed_on})")
        return
    if (
        party.status is PartyStatus.IN_FORCE
        and on < cat.facts_as_of
        and not (inst.party_dates_follow_instrument and inst.in_force_on is not None)
    ):
        ratified = f"; ratified {party.ratified_on}" if party.ratified_on else ""
        x.doubt(
            Certainty.DATE_UNKNOWN,
            f"{country}'s own entry-into-force date is not in the catalogue{ratified}",
        )


def _sort_key(x: _Assessment, cat: Catalogue) -> tuple[object, ...]:
    """Primary kind before fallback, then tier, certainty, fewer parties, catalogue order."""
    inst = x.instrument
    return (
        x.fallback,
        _TIER_RANK[BasisTier(inst.type.value)],
        _CERTAINTY_RANK[x.certainty],
        len(inst.parties),
        cat.instruments.index(inst),
    )


def _why(x: _Assessment, a: str, b: str, kind: RequestKind) -> str:
    inst = x.instrument
    pair = f"{a} and {b}"
    lines = {
        InstrumentType.EU: f"EU instrument binding both {pair}",
        InstrumentType.BILATERAL: f"bilateral treaty between {pair}",
        InstrumentType.EU_THIRD_STATE: (
            f"EU–US agreement, applied with the bilateral treaty between {pair}"
        ),
        InstrumentType.REGIONAL: f"regional convention to which {pair} are parties",
        InstrumentType.UN: f"UN convention to which {pair} are parties",
    }
    why = lines[inst.type]
    if inst.supplements is not None:
        why += f", supplementing {inst.supplements}"
    if x.fallback:
        why += f"; as {x.coverage.kind.value} basis where the {kind.value} route does not serve"
    if x.certainty is Certainty.UNCERTAIN:
        why += " (in force uncertain)"
    return why + x.scope_line


def _to_basis(x: _Assessment, a: str, b: str, kind: RequestKind, cat: Catalogue) -> LegalBasis:
    inst = x.instrument
    language = language_for(b, kind, inst.id, cat)
    caveats = list(x.caveats)
    if x.coverage.note:
        caveats.append(x.coverage.note)
    if language.status is FactStatus.UNCERTAIN and language.origin != "unknown":
        caveats.append("language rule uncertain")
    return LegalBasis(
        instrument_id=inst.id,
        title=inst.title,
        short_name=inst.short_name,
        tier=BasisTier(inst.type.value),
        articles=x.coverage.articles,
        channels=x.coverage.channels,
        language=language.text,
        languages=language.languages,
        status=inst.status.value,
        certainty=x.certainty,
        why=_why(x, a, b, kind),
        caveats=tuple(caveats),
        sources=inst.sources,
        supplements=inst.supplements,
    )


def _pair_notes(cat: Catalogue, a: str, b: str, kind: RequestKind) -> list[str]:
    notes = [
        note.text
        for note in cat.pair_notes
        if note.states == frozenset({a, b}) and (note.kinds is None or kind in note.kinds)
    ]
    for country in (b, a):
        profile = cat.state(country)
        if profile is not None and kind in profile.treaty_required_for:
            notes.append(profile.treaty_required_note or f"{country} needs a treaty basis")
    return notes


def _reciprocity(
    cat: Catalogue, a: str, b: str, kind: RequestKind
) -> LegalBasis | RejectedBasis | None:
    """Reciprocity under the requested state's law: the last resort, unless that law forbids it."""
    if kind in _INSTRUMENT_ONLY_KINDS:
        return None
    title = f"Reciprocity under the law of {b}"
    requested_profile = cat.state(b)
    if requested_profile is not None and kind in requested_profile.treaty_required_for:
        reason = requested_profile.treaty_required_note or f"{b} needs a treaty basis"
        return RejectedBasis(
            RECIPROCITY_ID,
            title,
            RECIPROCITY_ID,
            f"not available: {b} needs a treaty basis for {kind.value} ({reason})",
        )
    caveats = ["depends on the requested state's domestic law and its acceptance of reciprocity"]
    requesting_profile = cat.state(a)
    if requesting_profile is not None and kind in requesting_profile.treaty_required_for:
        caveats.append(
            f"{a} cannot promise reciprocity for {kind.value}: "
            + (requesting_profile.treaty_required_note or f"{a} needs a treaty basis")
        )
    language = language_for(b, kind, None, cat)
    return LegalBasis(
        instrument_id=RECIPROCITY_ID,
        title=title,
        short_name="Reciprocity",
        tier=BasisTier.RECIPROCITY,
        articles=(),
        channels=(Channel.DIPLOMATIC,),
        language=language.text,
        languages=language.languages,
        status=RECIPROCITY_ID,
        certainty=Certainty.UNCERTAIN,
        why=f"last resort: no treaty needed if {b}'s law allows cooperation on reciprocity",
        caveats=tuple(caveats),
    )
