"""Which legal bases apply to a request between two states on a date, most specific first.

The officer needs the basis she can cite, but also the ones that do not work and why (a treaty only
negotiated, a state not party, a date before entry into force, an older convention replaced by an
EU instrument), and what the catalogue does not know, so that a doubtful fact is shown rather than
hidden and an unknown is never presented as "no basis". Order: EU instrument between member
states > bilateral treaty > EU–third-state agreement > regional convention > UN convention (when
the offence is within its scope as the convention defines it) > the requested state's own law >
reciprocity where that law allows it. Aruba, Curaçao and Sint Maarten are countries of the Kingdom
of the Netherlands: between them and the Netherlands the answer is interregional cooperation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from casecoord.domain.enums import Channel, EuListOffence, RequestKind
from casecoord.treaties.catalogue import KIND_FAMILIES as KIND_FAMILIES
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.languages import language_for
from casecoord.treaties.model import (
    Catalogue,
    FactStatus,
    Instrument,
    InstrumentType,
    KindCoverage,
    OffenceScope,
    PartyStatus,
    ReciprocityRule,
    Replacement,
    ReplacementEffect,
    StateProfile,
    TreatyStatus,
)

RECIPROCITY_ID = "reciprocity"
INTRA_KINGDOM_ID = "intra-kingdom"


class Certainty(StrEnum):
    """How sure the catalogue is that a basis applies on the date asked."""

    CONFIRMED = "confirmed"
    DATE_UNKNOWN = "date-unknown"  # in force now, but the catalogue lacks a party's own date
    UNCERTAIN = "uncertain"


class BasisTier(StrEnum):
    """The resolver's ranking of instruments, most specific first."""

    INTRA_KINGDOM = "intra-kingdom"
    EU = "eu"
    BILATERAL = "bilateral"
    EU_THIRD_STATE = "eu-third-state"
    REGIONAL = "regional"
    UN = "un"
    DOMESTIC_LAW = "domestic-law"
    RECIPROCITY = "reciprocity"


class ScopeFit(StrEnum):
    """Whether the offence falls within a convention's scope, as far as the inputs tell."""

    IN = "in"
    CONDITIONAL = "conditional"  # depends on what the officer has not said yet
    OUT = "out"


_TIER_RANK = {tier: rank for rank, tier in enumerate(BasisTier)}
_CERTAINTY_RANK = {c: rank for rank, c in enumerate(Certainty)}
_SCOPE_RANK = {ScopeFit.IN: 0, ScopeFit.CONDITIONAL: 1, ScopeFit.OUT: 2}

# Kinds that are themselves EU instruments: reciprocity is no substitute for them.
_INSTRUMENT_ONLY_KINDS = frozenset({RequestKind.EIO, RequestKind.EAW})

# EU list-offence keys (cases store these) mapped onto the conventions' scope keys.
OFFENCE_SCOPE_ALIASES: dict[str, str] = {
    EuListOffence.DRUG_TRAFFICKING.value: "drugs",
    EuListOffence.ORGANISED_CRIME.value: "organised-crime",
    EuListOffence.CORRUPTION.value: "corruption",
    EuListOffence.MONEY_LAUNDERING.value: "money-laundering",
    "laundering": "money-laundering",
    "obstruction": "obstruction-of-justice",
}

_SCOPE_LABELS = {
    "drugs": "drug trafficking",
    "organised-crime": "participation in an organised criminal group",
    "corruption": "corruption",
    "money-laundering": "laundering of proceeds",
    "obstruction-of-justice": "obstruction of justice",
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
    status: str  # the instrument's TreatyStatus value, "reciprocity" or the tier for law
    certainty: Certainty
    why: str
    caveats: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    supplements: str | None = None
    scope: str | None = None  # ScopeFit value for conventions with a defined scope


@dataclass(frozen=True, slots=True)
class RejectedBasis:
    """A candidate that does not apply (or that the catalogue cannot settle), and why."""

    instrument_id: str
    title: str
    status: str
    reason: str
    replaced_by: str | None = None  # the EU instrument that replaced it between the pair


class ScopeTopic(StrEnum):
    """What a scope question asks about; each surface says how to answer it (flag, field)."""

    OFFENCE = "offence"
    ORGANISED_GROUP = "organised-group"
    MAX_PENALTY = "max-penalty"


@dataclass(frozen=True, slots=True)
class ScopeQuestion:
    """A question that settles a convention's scope, worded for any surface.

    The resolver does not know whether the officer reads it in the CLI or in a form, so the text
    never names a flag or a field: the CLI and the TUI add where to answer from ``topic``.
    """

    topic: ScopeTopic
    text: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """The resolver's whole answer: bases in order, rejected candidates, and notes for the pair.

    ``unknown`` holds candidates whose participation the catalogue cannot establish (with where to
    check); ``questions`` what the officer can answer to settle a convention's scope.
    """

    requesting: str
    requested: str
    kind: RequestKind
    on: date
    bases: tuple[LegalBasis, ...]
    rejected: tuple[RejectedBasis, ...]
    notes: tuple[str, ...] = field(default=())
    unknown: tuple[RejectedBasis, ...] = field(default=())
    questions: tuple[ScopeQuestion, ...] = field(default=())

    @property
    def first(self) -> LegalBasis | None:
        """The basis to use, or ``None`` when nothing applies."""
        return self.bases[0] if self.bases else None

    def instrument_ids(self) -> tuple[str, ...]:
        """Ids of the applicable instruments, in order (feed these to the deadline engine)."""
        return tuple(
            b.instrument_id
            for b in self.bases
            if b.tier
            not in (BasisTier.RECIPROCITY, BasisTier.DOMESTIC_LAW, BasisTier.INTRA_KINGDOM)
        )

    def rejected_ids(self) -> tuple[str, ...]:
        """Ids of the rejected candidates, in catalogue order."""
        return tuple(r.instrument_id for r in self.rejected)

    def unknown_ids(self) -> tuple[str, ...]:
        """Ids of the candidates the catalogue cannot settle for this pair."""
        return tuple(r.instrument_id for r in self.unknown)


def normalise_scope(offence_scope: Iterable[str] | None) -> frozenset[str] | None:
    """Accept scope keys ("drugs") and EU list-offence keys; ``None`` means 'not known yet'."""
    if offence_scope is None:
        return None
    keys = frozenset(key.strip().lower() for key in offence_scope if key.strip())
    if not keys:
        return None
    return frozenset(OFFENCE_SCOPE_ALIASES.get(key, key) for key in keys)


@dataclass(frozen=True, slots=True)
class ScopeAnswer:
    """A convention's scope applied to the offences: the fit, why, and what to ask."""

    fit: ScopeFit
    line: str
    questions: tuple[ScopeQuestion, ...] = ()


@dataclass
class _Assessment:
    """Working notes on one candidate while the resolver checks it."""

    instrument: Instrument
    coverage: KindCoverage
    fallback: bool
    rejections: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    certainty: Certainty = Certainty.CONFIRMED
    scope: ScopeAnswer | None = None
    replacing: Replacement | None = None
    demoted: str | None = None
    replaced_by: str | None = None

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
    *,
    organised_group: bool | None = None,
    max_penalty_years: float | None = None,
) -> Resolution:
    """The legal bases for a ``kind`` request from ``requesting`` to ``requested`` on ``on``.

    ``offence_scope`` holds scope keys ("drugs", "organised-crime", "corruption",
    "money-laundering", "obstruction-of-justice") or EU list-offence keys; ``None`` means unknown.
    ``organised_group`` (is an organised criminal group involved?) and ``max_penalty_years`` (the
    offence's maximum penalty) decide UNTOC's scope; left ``None``, the convention is listed with
    the question the officer should answer.
    """
    cat = catalogue or default_catalogue()
    a, b = requesting.upper(), requested.upper()
    request_kind = RequestKind(kind)
    scope = normalise_scope(offence_scope)
    if a == b:
        raise ValueError("requesting and requested state must differ")

    kingdom = _intra_kingdom(cat, a, b, request_kind, on)
    if kingdom is not None:
        return kingdom

    assessments: list[_Assessment] = []
    for instrument, coverage, fallback in cat.candidates_for(request_kind):
        candidate = _candidate(cat, instrument, coverage, fallback, a, b)
        if candidate is None:
            continue
        _check(candidate, a, b, on, cat)
        if instrument.scope is not None:
            candidate.scope = scope_fit(
                instrument.scope, scope, organised_group, max_penalty_years, request_kind
            )
            if candidate.scope.fit is ScopeFit.OUT:
                candidate.rejections.append(candidate.scope.line)
        elif instrument.offence_scope is not None:
            _keyword_scope(candidate, scope)
        assessments.append(candidate)

    notes = _pair_notes(cat, a, b, request_kind)
    _apply_replacements(cat, assessments, a, b, request_kind, on, notes)
    _check_supplements(cat, assessments, a, b, on)

    usable = [x for x in assessments if not x.rejections and not x.unknowns]
    bases = [_to_basis(x, a, b, request_kind, cat) for x in usable]
    keys = {x.instrument.id: _sort_key(x, cat) for x in usable}
    for x in usable:  # protocols sort right after the convention they supplement
        parent_id = x.instrument.supplements
        if parent_id is not None and parent_id in keys:
            keys[x.instrument.id] = (*keys[parent_id], *keys[x.instrument.id])
    bases.sort(key=lambda basis: keys[basis.instrument_id])
    rejected = [
        RejectedBasis(
            x.instrument.id,
            x.instrument.title,
            x.instrument.status.value,
            "; ".join(x.rejections),
            x.replaced_by,
        )
        for x in assessments
        if x.rejections
    ]
    unknown = [
        RejectedBasis(
            x.instrument.id, x.instrument.title, x.instrument.status.value, "; ".join(x.unknowns)
        )
        for x in assessments
        if x.unknowns and not x.rejections
    ]
    questions: list[ScopeQuestion] = []
    for x in usable:
        if x.scope is not None:
            questions.extend(q for q in x.scope.questions if q not in questions)

    domestic = _domestic_bases(cat, a, b, request_kind)
    bases.extend(domestic)
    reciprocity = _reciprocity(cat, a, b, request_kind, bool(domestic))
    if isinstance(reciprocity, LegalBasis):
        bases.append(reciprocity)
    elif isinstance(reciprocity, RejectedBasis):
        rejected.append(reciprocity)
    if not bases:
        if unknown:
            names = ", ".join(sorted({u.instrument_id for u in unknown}))
            notes.append(
                f"The catalogue cannot settle a basis for {request_kind.value} from {a} to {b} "
                f"on {on}: it does not know whether both are bound by {names} "
                "(see 'not settled' for where to check). This is not a finding that no "
                "instrument applies."
            )
        else:
            notes.append(
                f"No instrument in the catalogue binds {a} and {b} for {request_kind.value} "
                f"on {on}, and {b}'s law as the catalogue knows it offers no basis."
            )
    return Resolution(
        a,
        b,
        request_kind,
        on,
        tuple(bases),
        tuple(rejected),
        tuple(notes),
        tuple(unknown),
        tuple(questions),
    )


# -- candidates and checks -------------------------------------------------------------------


def _candidate(
    cat: Catalogue,
    instrument: Instrument,
    coverage: KindCoverage,
    fallback: bool,
    a: str,
    b: str,
) -> _Assessment | None:
    """An instrument covering the kind is worth showing if it concerns this pair of states."""
    if instrument.sides is not None:
        first, second = instrument.sides
        if not ((a in first and b in second) or (a in second and b in first)):
            return None  # e.g. the EU–US agreements between two member states
    listed_a, listed_b = instrument.party(a) is not None, instrument.party(b) is not None
    if instrument.type is InstrumentType.BILATERAL:
        if not (listed_a and listed_b):
            return None
    elif not (listed_a or listed_b):
        # an open convention whose parties the catalogue does not list completely may still
        # bind an unlisted state: show it as 'not settled' rather than leave it out
        open_convention = instrument.type in (InstrumentType.UN, InstrumentType.REGIONAL)
        if not open_convention or instrument.parties_complete or instrument.membership is None:
            return None
    if instrument.membership is not None and not instrument.parties_complete:
        for country, listed in ((a, listed_a), (b, listed_b)):
            if not listed and not _may_join(cat, instrument, country):
                return None  # a state outside the convention's circle: not worth a question
    return _Assessment(instrument, coverage, fallback)


def _may_join(cat: Catalogue, instrument: Instrument, country: str) -> bool:
    """A state in the convention's group, or an entity in no group at all (a territory), may be
    bound without the catalogue knowing; a state of another group is left out of the answer."""
    assert instrument.membership is not None
    return country in cat.group(instrument.membership.group).members or not cat.in_any_group(
        country
    )


def _check(x: _Assessment, a: str, b: str, on: date, cat: Catalogue) -> None:
    inst = x.instrument
    if inst.status is TreatyStatus.NEGOTIATED:
        x.rejections.append("negotiated only: not signed, not in force")
    elif inst.status is TreatyStatus.SIGNED:
        x.rejections.append("signed but not in force")
    elif inst.status is TreatyStatus.TERMINATED:
        x.rejections.append("terminated")
    elif inst.status is TreatyStatus.UNCERTAIN:
        x.doubt(Certainty.UNCERTAIN, "whether it is in force is uncertain (sources unconfirmed)")
    elif inst.status is TreatyStatus.DISPUTED:
        x.doubt(Certainty.UNCERTAIN, "disputed between the parties: " + "; ".join(inst.notes))
    if inst.signed_on is not None and on < inst.signed_on:
        x.rejections.append(f"did not exist on {on}: signed/adopted {inst.signed_on}")
    elif inst.in_force_on is not None and on < inst.in_force_on:
        x.rejections.append(f"not in force on {on}: in force from {inst.in_force_on}")
    if inst.applies_from is not None and on < inst.applies_from:
        x.rejections.append(f"not applicable on {on}: applies from {inst.applies_from}")
    for country, other in ((a, b), (b, a)):
        _check_party(x, country, other, on, cat, requested=country == b)
    if x.coverage.coverage is FactStatus.UNCERTAIN:
        x.doubt(Certainty.UNCERTAIN, x.coverage.note or f"coverage of {x.coverage.kind} uncertain")
    if not x.coverage.articles_certain:
        x.caveats.append("article numbers uncertain")


def _where_to_check(inst: Instrument) -> str:
    if inst.depositary is not None:
        return f"check the depositary, {inst.depositary.name} ({inst.depositary.url})"
    return "check the depositary's status table"


def _check_party(
    x: _Assessment, country: str, other: str, on: date, cat: Catalogue, *, requested: bool
) -> None:
    inst = x.instrument
    party = inst.party(country)
    if party is None:
        if inst.parties_complete:
            x.rejections.append(f"{country} is not a party")
        else:
            x.unknowns.append(
                f"the catalogue does not know whether {country} is a party: {_where_to_check(inst)}"
            )
        return
    note = f": {party.note}" if party.note else ""
    if party.left_on is not None and on >= party.left_on:
        x.rejections.append(f"{country} is no longer bound from {party.left_on}{note}")
        return
    if party.status is PartyStatus.NOT_PARTY:
        if party.known_from is not None and on > party.known_from:
            # a status table of that date named it outside: it may have joined since
            x.unknowns.append(
                f"{country} was not a party on {party.known_from}{note}; the catalogue does not "
                f"know whether it has joined since: {_where_to_check(inst)}"
            )
        else:
            x.rejections.append(f"{country} is not a party{note}")
        return
    if party.status in (PartyStatus.NEGOTIATED, PartyStatus.SIGNED):
        if party.status.value != inst.status.value:  # else the instrument's reason says it
            x.rejections.append(f"{country} is not bound ({party.status.value} only)")
        return
    if party.status is PartyStatus.DISPUTED:
        if requested:  # the requested state will not act on it: its other bases come first
            x.demoted = f"{country} does not apply it{note}"
        x.doubt(Certainty.UNCERTAIN, f"{country} does not apply it{note}")
    if party.counterparts is not None:
        since = party.counterparts.get(other)
        if since is None:
            x.unknowns.append(
                f"for {country} it applies only towards the partners the Kingdom agreed it with "
                f"({', '.join(sorted(party.counterparts))}); the catalogue does not know about "
                f"{other}: {_where_to_check(inst)}"
            )
            return
        if on < since:
            x.rejections.append(f"not in force between {country} and {other} on {on}: from {since}")
        return
    if party.status is PartyStatus.UNCERTAIN and inst.status is not TreatyStatus.UNCERTAIN:
        x.doubt(
            Certainty.UNCERTAIN,
            f"{country}'s participation is uncertain{note}; {_where_to_check(inst)}",
        )
    via = f" (through {party.via})" if party.via else ""
    effective = party.in_force_on
    if effective is None and inst.party_dates_follow_instrument:
        effective = inst.in_force_on
    if effective is not None:
        if on < effective:
            computed = " (deposit date + the convention's rule)" if party.in_force_computed else ""
            x.rejections.append(
                f"not in force for {country}{via} on {on}: from {effective}{computed}"
            )
        return
    if party.ratified_on is not None and on < party.ratified_on:
        x.rejections.append(f"{country} had not ratified on {on} (ratified {party.ratified_on})")
        return
    if party.signed_on is not None and on < party.signed_on:
        x.rejections.append(f"{country} had not signed on {on} (signed {party.signed_on})")
        return
    if party.known_from is not None and on >= party.known_from:
        return  # a source shows it bound by then
    if party.status is PartyStatus.IN_FORCE and (
        party.known_from is not None
        or (
            on < cat.facts_as_of
            and not (inst.party_dates_follow_instrument and inst.in_force_on is not None)
        )
    ):
        ratified = f"; ratified {party.ratified_on}" if party.ratified_on else ""
        shown = f"; a source shows it bound by {party.known_from}" if party.known_from else ""
        x.doubt(
            Certainty.DATE_UNKNOWN,
            f"{country}'s own entry-into-force date{via} is not in the catalogue{ratified}{shown}",
        )


def _keyword_scope(x: _Assessment, scope: frozenset[str] | None) -> None:
    """Scope by keyword, for instruments whose catalogue entry has no defined scope."""
    wanted_keys = x.instrument.offence_scope or frozenset()
    wanted = ", ".join(sorted(wanted_keys))
    if scope is None:
        x.caveats.append(f"applies only if the offence is within its scope ({wanted})")
        x.scope = ScopeAnswer(
            ScopeFit.CONDITIONAL, f"applies only if the offence is within its scope ({wanted})"
        )
    elif scope & wanted_keys:
        x.scope = ScopeAnswer(
            ScopeFit.IN, f"offence within its scope ({', '.join(sorted(scope & wanted_keys))})"
        )
    else:
        x.rejections.append(f"offence outside its scope ({wanted})")


def scope_fit(
    scope: OffenceScope,
    offences: frozenset[str] | None,
    organised_group: bool | None,
    max_penalty_years: float | None,
    kind: RequestKind,
) -> ScopeAnswer:
    """Apply a convention's own definition of its scope to what the officer has said.

    Routes: one of the convention's own offences (laundering only of the named predicates'
    proceeds, where ``predicates`` are set), or a serious crime (maximum penalty of at least
    ``serious_crime_years``). Where the convention requires an organised criminal group, every
    route needs one, unless the offence itself implies it (participation in the group).
    """
    questions: list[ScopeQuestion] = []
    conditions: list[str] = []
    own_in: list[str] = []
    own_conditional: list[str] = []
    for offence in scope.offences:
        label = _SCOPE_LABELS.get(offence.key, offence.key)
        if offences is not None and offence.key in offences:
            if not offence.predicates or offences & set(offence.predicates):
                own_in.append(f"{label}, {offence.article}")
            else:
                predicates = " or ".join(_SCOPE_LABELS.get(p, p) for p in offence.predicates)
                own_conditional.append(
                    f"laundering of the proceeds of {predicates} ({offence.article})"
                )
    serious: ScopeFit | None = None
    serious_line = ""
    if scope.serious_crime_years is not None and not own_in:
        years = scope.serious_crime_years
        article = scope.serious_crime_article or ""
        if max_penalty_years is None:
            serious = ScopeFit.CONDITIONAL
            serious_line = f"a serious crime: maximum penalty of at least {years} years ({article})"
            questions.append(
                ScopeQuestion(
                    ScopeTopic.MAX_PENALTY,
                    f"What is the offence's maximum penalty? A serious crime carries at least "
                    f"{years} years ({article})",
                )
            )
        elif max_penalty_years >= years:
            serious = ScopeFit.IN
            serious_line = f"a serious crime: maximum penalty {max_penalty_years:g} years ≥ {years} ({article})"
        else:
            serious = ScopeFit.OUT
            serious_line = (
                f"not a serious crime: maximum penalty {max_penalty_years:g} years < {years} "
                f"({article})"
            )
    if own_in:
        fit, line = ScopeFit.IN, "; ".join(own_in)
    elif serious is ScopeFit.IN:
        fit, line = ScopeFit.IN, serious_line
    elif own_conditional:
        fit, line = ScopeFit.CONDITIONAL, "; ".join(own_conditional)
        conditions.append(line)
    elif serious is ScopeFit.CONDITIONAL:
        fit, line = ScopeFit.CONDITIONAL, serious_line
        conditions.append(serious_line)
    elif offences is None and scope.serious_crime_years is None:
        names = ", ".join(
            f"{_SCOPE_LABELS.get(o.key, o.key)} ({o.article})" for o in scope.offences
        )
        fit, line = ScopeFit.CONDITIONAL, f"one of its offences: {names}"
        conditions.append(line)
        questions.append(
            ScopeQuestion(ScopeTopic.OFFENCE, "Which offence is it (e.g. drugs, corruption)?")
        )
    else:
        names = ", ".join(
            f"{_SCOPE_LABELS.get(o.key, o.key)} ({o.article})" for o in scope.offences
        )
        reason = serious_line if serious is ScopeFit.OUT else f"not one of its offences ({names})"
        return ScopeAnswer(ScopeFit.OUT, f"offence outside its scope: {reason}")
    if scope.organised_group_article is not None:
        implied = offences is not None and bool(offences & scope.group_implied_by)
        article = scope.organised_group_article
        if organised_group is False and not implied:
            return ScopeAnswer(
                ScopeFit.OUT,
                f"offence outside its scope: no organised criminal group involved ({article})",
            )
        if organised_group is None and not implied:
            if fit is ScopeFit.IN:
                fit = ScopeFit.CONDITIONAL
            conditions.append(f"an organised criminal group is involved ({article})")
            questions.append(
                ScopeQuestion(
                    ScopeTopic.ORGANISED_GROUP,
                    f"Is an organised criminal group involved (3 or more persons acting in "
                    f"concert for a material benefit, {article})?",
                )
            )
        else:
            line += f"; organised criminal group ({article})"
    if fit is ScopeFit.IN:
        text = f"offence within its scope ({line})"
    else:
        text = "applies only if " + " and ".join(dict.fromkeys(conditions))
    if scope.note:
        text += f"; {scope.note}"
    return ScopeAnswer(fit, text, tuple(questions))


def _apply_replacements(
    cat: Catalogue,
    assessments: list[_Assessment],
    a: str,
    b: str,
    kind: RequestKind,
    on: date,
    notes: list[str],
) -> None:
    """EU rules that displace older instruments between the states both bound on ``on``.

    The replacing instrument joins the candidates for the kind it replaces (an extradition between
    Member States is answered with the EAW); an ``excludes`` replacement rejects the older
    instruments, so their time limits never start; ``precedes`` keeps them below, for what the
    newer instrument does not cover.
    """
    by_id = {x.instrument.id: x for x in assessments}
    for instrument in cat.instruments:
        for replacement in instrument.replaces:
            if kind not in replacement.kinds:
                continue
            coverage = instrument.coverage_for(replacement.as_kind)
            if coverage is None:
                continue
            probe = _Assessment(instrument, coverage, fallback=False)
            _check(probe, a, b, on, cat)
            if probe.rejections or probe.unknowns:
                listed = instrument.party(a) is not None and instrument.party(b) is not None
                if listed and probe.rejections and instrument.id not in by_id:
                    assessments.append(probe)  # say why it does not (yet) replace them
                    by_id[instrument.id] = probe
                continue
            current = by_id.get(instrument.id)
            if current is None or current.rejections or current.unknowns:
                probe.replacing = probe.replacing or replacement
                if current is not None:
                    assessments.remove(current)
                assessments.insert(0, probe)
                by_id[instrument.id] = probe
            elif current.replacing is None:
                current.replacing = replacement
            start = _start_for_pair(instrument, a, b)
            since = f" from {start}" if start is not None else ""
            reason = (
                f"replaced between {a} and {b} by the {instrument.short_name}{since} "
                f"({replacement.article})"
            )
            for x in assessments:
                if x.instrument.id not in replacement.instruments or x.rejections:
                    continue
                if replacement.effect is ReplacementEffect.EXCLUDES:
                    x.rejections.append(reason)
                    x.replaced_by = instrument.id
                else:
                    x.demoted = reason
                    x.caveats.append(reason + (f"; {replacement.note}" if replacement.note else ""))
            if replacement.effect is ReplacementEffect.EXCLUDES and kind is not replacement.as_kind:
                notes.append(
                    f"{a} and {b} are both bound by the {instrument.short_name}: between them "
                    f"{kind.value} goes by {replacement.as_kind.value.upper()} "
                    f"({replacement.article}); "
                    + (replacement.note or "the older instruments no longer apply between them")
                )


def _start_for_pair(instrument: Instrument, a: str, b: str) -> date | None:
    dates = [instrument.applies_from or instrument.in_force_on]
    for country in (a, b):
        party = instrument.party(country)
        if party is not None:
            dates.append(party.in_force_on)
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _check_supplements(
    cat: Catalogue, assessments: list[_Assessment], a: str, b: str, on: date
) -> None:
    """A protocol is no basis without the convention it supplements."""
    by_id = {x.instrument.id: x for x in assessments}
    for x in assessments:
        parent_id = x.instrument.supplements
        if parent_id is None or x.rejections:
            continue
        parent = by_id.get(parent_id)
        if parent is None:
            inst = cat.instrument(parent_id)
            parent = _Assessment(inst, inst.kinds[0], fallback=False)
            _check(parent, a, b, on, cat)
        if parent.rejections:
            x.rejections.append(
                f"supplements {parent.instrument.short_name}, which does not apply between "
                f"{a} and {b}: " + "; ".join(parent.rejections)
            )


def _sort_key(x: _Assessment, cat: Catalogue) -> tuple[object, ...]:
    """Replacing instrument first; then primary kind before fallback, tier, scope fit,
    certainty, demoted last within its tier, fewer parties, catalogue order."""
    inst = x.instrument
    scope_rank = _SCOPE_RANK[x.scope.fit] if x.scope is not None else 0
    return (
        x.replacing is None,
        x.fallback,
        x.demoted is not None,
        _TIER_RANK[BasisTier(inst.type.value)],
        scope_rank,
        _CERTAINTY_RANK[x.certainty],
        0 if inst.membership is not None else len(inst.parties),
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
    if x.replacing is not None:
        why += f"; between them it replaces the older instruments ({x.replacing.article})"
    if inst.supplements is not None:
        why += f", supplementing {inst.supplements}"
    if x.fallback:
        why += f"; as {x.coverage.kind.value} basis where the {kind.value} route does not serve"
    if x.certainty is Certainty.UNCERTAIN:
        why += " (uncertain: see the notes)"
    if x.scope is not None:
        why += "; " + x.scope.line
    return why


def _to_basis(x: _Assessment, a: str, b: str, kind: RequestKind, cat: Catalogue) -> LegalBasis:
    inst = x.instrument
    language = language_for(b, kind, inst.id, cat)
    caveats = list(x.caveats)
    if x.coverage.note:
        caveats.append(x.coverage.note)
    if language.status is FactStatus.UNCERTAIN and language.origin != "unknown":
        caveats.append("language rule uncertain")
    coverage = x.coverage
    if x.replacing is not None:
        coverage = inst.coverage_for(x.replacing.as_kind) or coverage
    return LegalBasis(
        instrument_id=inst.id,
        title=inst.title,
        short_name=inst.short_name,
        tier=BasisTier(inst.type.value),
        articles=coverage.articles,
        channels=coverage.channels,
        language=language.text,
        languages=language.languages,
        status=inst.status.value,
        certainty=x.certainty,
        why=_why(x, a, b, kind),
        caveats=tuple(caveats),
        sources=inst.sources,
        supplements=inst.supplements,
        scope=None if x.scope is None else x.scope.fit.value,
    )


# -- the pair, the Kingdom, the requested state's law ----------------------------------------


def _pair_notes(cat: Catalogue, a: str, b: str, kind: RequestKind) -> list[str]:
    notes = [
        note.text
        for note in cat.pair_notes
        if note.states == frozenset({a, b}) and (note.kinds is None or kind in note.kinds)
    ]
    profile = cat.state(b)  # the requested state's law decides; the requesting side's is a caveat
    if profile is not None and kind in profile.treaty_required_for:
        notes.append(profile.treaty_required_note or f"{b} needs a treaty basis")
    return notes


def _kingdom_of(cat: Catalogue, country: str) -> tuple[str, StateProfile | None]:
    profile = cat.state(country)
    if profile is not None and profile.part_of is not None:
        return profile.part_of.state, profile
    return country, profile


def _intra_kingdom(
    cat: Catalogue, a: str, b: str, kind: RequestKind, on: date
) -> Resolution | None:
    """Between countries of one Kingdom (NL, AW, CW, SX) there is no foreign state to ask."""
    kingdom_a, profile_a = _kingdom_of(cat, a)
    kingdom_b, profile_b = _kingdom_of(cat, b)
    if kingdom_a != kingdom_b:
        return None
    link = (profile_b.part_of if profile_b is not None else None) or (
        profile_a.part_of if profile_a is not None else None
    )
    assert link is not None  # equal kingdoms of two different codes: one is part of the other
    same_country = {
        p.part_of.relation
        for p in (profile_a, profile_b)
        if p is not None and p.part_of is not None
    } == {"part-of-the-state"} and kingdom_a in (a, b)
    sources = tuple(
        dict.fromkeys(
            code
            for p in (profile_a, profile_b)
            if p is not None and p.part_of is not None
            for code in p.part_of.sources
        )
    )
    language = language_for(b, kind, None, cat)
    if same_country:
        title = f"Within {kingdom_a}: no international request"
        why = link.text
        articles: tuple[str, ...] = ()
    else:
        title = "Interregional cooperation within the Kingdom of the Netherlands"
        why = (
            f"{a} and {b} are countries of the Kingdom of the Netherlands, not foreign states: "
            f"{kind.value} between them is interregional cooperation, not extradition or mutual "
            f"legal assistance between states. {link.text}"
        )
        articles = ("Charter for the Kingdom (Statuut) Art. 36", "Statuut Art. 40")
    profile_requested = profile_b if profile_b is not None and profile_b.part_of else profile_a
    authority = (
        profile_requested.part_of.authority
        if profile_requested is not None and profile_requested.part_of is not None
        else link.authority
    )
    basis = LegalBasis(
        instrument_id=INTRA_KINGDOM_ID,
        title=title,
        short_name="Intra-Kingdom",
        tier=BasisTier.INTRA_KINGDOM,
        articles=articles,
        channels=(Channel.CENTRAL_AUTHORITY,),
        language=language.text,
        languages=language.languages,
        status=BasisTier.INTRA_KINGDOM.value,
        certainty=Certainty.CONFIRMED,
        why=why,
        caveats=(authority,),
        sources=sources,
    )
    note = (
        "Treaties between states (extradition, MLA, EU instruments) do not apply between "
        "countries of the same Kingdom."
    )
    return Resolution(a, b, kind, on, (basis,), (), (note,))


def _rule_for(rules: Iterable[ReciprocityRule], kind: RequestKind) -> ReciprocityRule | None:
    named = [r for r in rules if r.kinds is not None and kind in r.kinds]
    if named:
        return named[0]
    general = [r for r in rules if r.kinds is None]
    return general[0] if general else None


def _domestic_bases(cat: Catalogue, a: str, b: str, kind: RequestKind) -> list[LegalBasis]:
    """The requested state's own law where it cooperates without a treaty (Colombia)."""
    profile = cat.state(b)
    if profile is None:
        return []
    language = language_for(b, kind, None, cat)
    return [
        LegalBasis(
            instrument_id=law.id,
            title=law.title,
            short_name=law.short_name,
            tier=BasisTier.DOMESTIC_LAW,
            articles=law.articles,
            channels=law.channels,
            language=language.text,
            languages=language.languages,
            status=BasisTier.DOMESTIC_LAW.value,
            certainty=Certainty.CONFIRMED,
            why=f"{b}'s own law: {law.text}",
            sources=law.sources,
        )
        for law in profile.domestic_bases
        if kind in law.kinds
    ]


def _reciprocity(
    cat: Catalogue, a: str, b: str, kind: RequestKind, has_domestic: bool
) -> LegalBasis | RejectedBasis | None:
    """Reciprocity under the requested state's law: the last resort, only where it allows it."""
    if kind in _INSTRUMENT_ONLY_KINDS or has_domestic:
        return None
    title = f"Reciprocity under the law of {b}"
    requested_profile = cat.state(b)
    rule = _rule_for(requested_profile.reciprocity, kind) if requested_profile else None
    if requested_profile is not None and (
        kind in requested_profile.treaty_required_for or (rule is not None and not rule.allowed)
    ):
        reason = (
            rule.text
            if rule is not None and not rule.allowed
            else requested_profile.treaty_required_note or f"{b} needs a treaty basis"
        )
        return RejectedBasis(
            RECIPROCITY_ID,
            title,
            RECIPROCITY_ID,
            f"not available: {b} needs a treaty basis for {kind.value} ({reason})",
        )
    caveats = []
    if rule is not None:
        certainty = Certainty.CONFIRMED
        why = f"no treaty needed: {rule.text}"
        sources = rule.sources
    else:
        certainty = Certainty.UNCERTAIN
        why = (
            f"last resort, only if {b}'s law allows cooperation on reciprocity: the catalogue "
            f"does not know whether it does (check {b}'s central authority or the EJN fiche)"
        )
        sources = ()
        caveats.append("depends on the requested state's domestic law and its acceptance of it")
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
        certainty=certainty,
        why=why,
        caveats=tuple(caveats),
        sources=sources,
    )
