"""The treaty catalogue as frozen value objects.

The catalogue file is parsed once into these dataclasses so the resolver, the deadline engine and
the TUI's treaty browser never pass raw dictionaries around, and nothing can mutate a shared fact
at run time. Vocabulary only the catalogue needs (statuses, instrument types, rollover) lives
here; the request and event vocabularies are the shared enums of :mod:`casecoord.domain.enums`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from casecoord.domain.enums import Channel, CountingMethod, LegalEvent, RequestKind


class TreatyStatus(StrEnum):
    """Where an instrument stands, as far as the sources confirm."""

    IN_FORCE = "in-force"
    SIGNED = "signed"
    NEGOTIATED = "negotiated"
    UNCERTAIN = "uncertain"
    DISPUTED = "disputed"  # one side holds it in force, the other does not apply it
    TERMINATED = "terminated"


class PartyStatus(StrEnum):
    """Where one state stands towards an instrument; ``not-party`` lets the catalogue say 'no'."""

    IN_FORCE = "in-force"
    SIGNED = "signed"
    NEGOTIATED = "negotiated"
    UNCERTAIN = "uncertain"
    DISPUTED = "disputed"  # the state's courts or government do not apply the instrument
    NOT_PARTY = "not-party"


class UnlistedMembers(StrEnum):
    """What a convention's membership rule says of a group member the parties list does not name.

    ``in-force``: a source shows every member party except the listed exceptions; ``uncertain``:
    members are very likely parties but no source names the exceptions; ``unknown``: the group
    only says who may join, so the catalogue does not know.
    """

    IN_FORCE = "in-force"
    UNCERTAIN = "uncertain"
    UNKNOWN = "unknown"


class ReplacementEffect(StrEnum):
    """How an EU instrument displaces older ones between the states it binds.

    ``excludes``: the older instrument no longer applies for the kind (EAW Art. 31(1)); its time
    limits never start. ``precedes``: the newer instrument comes first and the older one serves
    only for what the newer one does not cover (EIO Art. 34(1)).
    """

    EXCLUDES = "excludes"
    PRECEDES = "precedes"


class FactStatus(StrEnum):
    """Whether one fact (an authority, a language, a convention) is confirmed by the sources."""

    CONFIRMED = "confirmed"
    UNCERTAIN = "uncertain"


class InstrumentType(StrEnum):
    """Kinds of instrument, which also drive the resolver's order (most specific first)."""

    EU = "eu"
    BILATERAL = "bilateral"
    EU_THIRD_STATE = "eu-third-state"
    REGIONAL = "regional"
    UN = "un"


class Rollover(StrEnum):
    """What happens to a calendar-day deadline that falls on a weekend or public holiday."""

    NONE = "none"
    NEXT_WORKING_DAY = "next-working-day"


class ContentCheck(StrEnum):
    """Which field of a request, or which check over it, satisfies an item of required content.

    The catalogue names the check rather than a column so the data stays readable by a lawyer and
    the mapping to the stored request lives in one place (``casecoord.services.completeness``).
    """

    FACTS = "facts"
    LEGAL_QUALIFICATION = "legal-qualification"
    MEASURES = "measures"
    PERSONS = "persons"
    PERSON_IDENTITY = "person-identity"
    REQUESTING_AUTHORITY = "requesting-authority"
    LANGUAGE = "language"
    LEGAL_BASIS = "legal-basis"
    ATTACHMENT = "attachment"


class CountingState(StrEnum):
    """Whose calendar counts a time limit: the requested (executing) or the requesting state."""

    REQUESTED = "requested"
    REQUESTING = "requesting"


@dataclass(frozen=True, slots=True)
class Party:
    """One state's position under an instrument; a ``None`` date: the sources did not give it.

    ``known_from`` is a date by which a source shows the state bound when its own entry into
    force is not known (a depositary snapshot): the resolver relies on it from then on and flags
    earlier dates. For a ``not-party`` it is the date of the status table that shows the state
    outside: a firm 'no' up to that date, 'not known, check the depositary' after it. ``in_force_computed`` marks an entry-into-force date derived from the deposit
    date by the convention's own rule. ``via`` names the state whose ratification binds it (the
    Kingdom of the Netherlands for Aruba, Curaçao and Sint Maarten); ``counterparts`` limits the
    relation to the named partners, each from its date (an extension agreed pair by pair).
    """

    country: str
    status: PartyStatus
    signed_on: date | None
    ratified_on: date | None
    in_force_on: date | None
    note: str | None
    known_from: date | None = None
    in_force_computed: bool = False
    via: str | None = None
    counterparts: Mapping[str, date] | None = None
    sources: tuple[str, ...] = ()
    left_on: date | None = None  # no longer bound from this date (the UK and the EAW, 2021)


@dataclass(frozen=True, slots=True)
class Group:
    """A named set of states (UN members, Council of Europe members, EU Member States)."""

    id: str
    title: str
    members: Mapping[str, date | None]  # member -> member since (None: not needed or not known)
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Membership:
    """'Every member of a group is a party, except…': how near-universal conventions are kept."""

    group: str
    unlisted: UnlistedMembers
    known_from: date | None
    deposit_rule_days: int | None
    deposit_rule_article: str | None
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Depositary:
    """Where an officer checks a state's participation the catalogue does not settle."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Replacement:
    """An EU rule displacing older instruments between the states bound by the newer one."""

    instruments: tuple[str, ...]
    kinds: frozenset[RequestKind]
    as_kind: RequestKind
    article: str
    effect: ReplacementEffect
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScopeOffence:
    """An offence a convention defines itself; ``predicates``: laundering of whose proceeds."""

    key: str
    article: str
    predicates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OffenceScope:
    """A convention's field of application as its text defines it, not as a keyword.

    An offence is in scope through one of the convention's own offences or, where
    ``serious_crime_years`` is set, as a serious crime (maximum penalty of at least that many
    years). ``organised_group_article`` set: every route needs an organised criminal group
    (UNTOC Art. 3(1)); offences in ``group_implied_by`` (participation) imply it.
    """

    offences: tuple[ScopeOffence, ...]
    serious_crime_years: int | None
    serious_crime_article: str | None
    organised_group_article: str | None
    group_implied_by: frozenset[str]
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ContentItem:
    """One thing a request must hold before it may be marked ready, with the article asking for it.

    ``blocking`` items stop the move to ready; the others are shown as advice (what the law asks
    only "where possible", or what casecoord cannot check yet, such as an attached warrant).
    ``status`` is ``uncertain`` when the article, the form letter or the requirement itself is not
    confirmed by the catalogue's sources: the officer sees the doubt. ``kinds`` limits an item of
    a state's or the baseline list to some kinds of request (``None``: all kinds); items of an
    instrument's list already belong to one kind.
    """

    id: str
    label: str
    article: str | None
    check: ContentCheck
    blocking: bool
    status: FactStatus
    note: str | None
    sources: tuple[str, ...]
    languages: tuple[str, ...] = ()
    name_contains: tuple[str, ...] = ()
    kinds: frozenset[RequestKind] | None = None

    def applies_to(self, kind: RequestKind) -> bool:
        """True when the item concerns requests of ``kind``."""
        return self.kinds is None or kind in self.kinds


@dataclass(frozen=True, slots=True)
class KindCoverage:
    """What an instrument offers for one kind of request: articles, channels, required content."""

    kind: RequestKind
    articles: tuple[str, ...]
    channels: tuple[Channel, ...]
    coverage: FactStatus
    articles_certain: bool
    note: str | None
    required_content: tuple[ContentItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Instrument:
    """A treaty, convention, EU act or exchange of notes, with everything the resolver needs."""

    id: str
    title: str
    short_name: str
    type: InstrumentType
    status: TreatyStatus
    signed_on: date | None
    in_force_on: date | None
    applies_from: date | None
    parties: tuple[Party, ...]
    parties_complete: bool
    party_dates_follow_instrument: bool
    sides: tuple[frozenset[str], frozenset[str]] | None
    kinds: tuple[KindCoverage, ...]
    offence_scope: frozenset[str] | None
    language_rule: str | None
    supplements: str | None
    references: tuple[str, ...]
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    membership: Membership | None = None
    depositary: Depositary | None = None
    replaces: tuple[Replacement, ...] = ()
    scope: OffenceScope | None = None
    party_index: Mapping[str, Party] = field(default_factory=dict, compare=False, repr=False)

    def party(self, country: str) -> Party | None:
        """The entry for ``country``, or ``None`` when the catalogue does not list it.

        Group members a membership rule makes parties are listed too (the loader expands them).
        """
        if self.party_index:
            return self.party_index.get(country)
        for entry in self.parties:
            if entry.country == country:
                return entry
        return None

    def coverage_for(self, kind: RequestKind) -> KindCoverage | None:
        """What the instrument says about ``kind``, or ``None`` if it does not cover it."""
        for entry in self.kinds:
            if entry.kind == kind:
                return entry
        return None


@dataclass(frozen=True, slots=True)
class Authority:
    """A central or competent authority of a state, for some kinds (``None``: all kinds)."""

    kinds: frozenset[RequestKind] | None
    text: str
    status: FactStatus
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LanguageRule:
    """The languages a state accepts for incoming requests of some kinds (``None``: all kinds)."""

    kinds: frozenset[RequestKind] | None
    languages: tuple[str, ...]
    text: str
    status: FactStatus
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReciprocityRule:
    """Whether the state's law lets it cooperate on reciprocity alone, for some kinds."""

    kinds: frozenset[RequestKind] | None
    allowed: bool
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DomesticBasis:
    """The requested state's own law as a basis where no treaty applies (e.g. Colombia)."""

    id: str
    kinds: frozenset[RequestKind]
    title: str
    short_name: str
    articles: tuple[str, ...]
    channels: tuple[Channel, ...]
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KingdomLink:
    """A country or part of a state that is not a separate state for cooperation purposes.

    Aruba, Curaçao and Sint Maarten are countries of the Kingdom of the Netherlands; Bonaire,
    Sint Eustatius and Saba are part of the Netherlands itself.
    """

    state: str
    relation: str  # "country-of-the-kingdom" or "part-of-the-state"
    text: str
    authority: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StateProfile:
    """What the catalogue knows of one state: clock, authorities, languages, treaty requirement."""

    country: str
    time_zone: str
    central_authorities: tuple[Authority, ...]
    language_rules: tuple[LanguageRule, ...]
    treaty_required_for: frozenset[RequestKind]
    treaty_required_note: str | None
    sources: tuple[str, ...]
    required_content: tuple[ContentItem, ...] = ()
    reciprocity: tuple[ReciprocityRule, ...] = ()
    domestic_bases: tuple[DomesticBasis, ...] = ()
    part_of: KingdomLink | None = None


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """A statutory time limit: what starts it, how long, who counts, and where it comes from.

    ``event`` is ``None`` only for an extension rule, which starts from the deadline it extends.
    ``domestic_law_of`` marks a rule of a state's own law that applies whenever that state is the
    requested state, whatever the instrument.
    """

    id: str
    instruments: tuple[str, ...]
    domestic_law_of: str | None
    title: str
    article: str
    kinds: frozenset[RequestKind]
    event: LegalEvent | None
    amount: int
    counting: CountingMethod
    counting_state: CountingState
    extends: tuple[str, ...]
    status: FactStatus
    article_certain: bool
    sources: tuple[str, ...]
    note: str | None
    only_if: str | None = None  # e.g. "provisional-measures": runs only when the request asks it
    # (instrument id, article) pairs: an instrument replacing the rule between two states it binds
    displaced_by: tuple[tuple[str, str], ...] = ()
    counting_basis: str | None = None  # why calendar days / working days / hours, with sources
    counting_sources: tuple[str, ...] = ()
    alternative_counting: CountingMethod | None = None  # a reading the sources leave open

    @property
    def is_extension(self) -> bool:
        """True for a rule that lengthens another rule's deadline rather than starting its own."""
        return bool(self.extends)


@dataclass(frozen=True, slots=True)
class CountingConvention:
    """Whether a calendar-day deadline moves to the next working day, per instrument/country."""

    instrument: str | None
    country: str | None
    rollover: Rollover
    status: FactStatus
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PairNote:
    """A fact about a pair of states that no instrument carries (e.g. 'no treaty found')."""

    states: frozenset[str]
    kinds: frozenset[RequestKind] | None
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The whole loaded catalogue, with lookups by id and by country."""

    version: str
    facts_as_of: date
    sources: Mapping[str, str]
    instruments: tuple[Instrument, ...]
    states: tuple[StateProfile, ...]
    rules: tuple[DeadlineRule, ...]
    conventions: tuple[CountingConvention, ...]
    pair_notes: tuple[PairNote, ...]
    baseline_content: tuple[ContentItem, ...] = ()
    groups: tuple[Group, ...] = ()
    grouped: frozenset[str] = frozenset()  # every state that is in some group
    state_index: Mapping[str, StateProfile] = field(default_factory=dict, compare=False, repr=False)
    kind_index: Mapping[RequestKind, tuple[tuple[Instrument, KindCoverage, bool], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def candidates_for(
        self, kind: RequestKind
    ) -> tuple[tuple[Instrument, KindCoverage, bool], ...]:
        """Instruments covering ``kind`` (or its fallback kind: the flag), in catalogue order."""
        return self.kind_index.get(kind, ())

    def in_any_group(self, country: str) -> bool:
        """True for a state some group names (a UN, CoE, EU or American state)."""
        return country in self.grouped

    def group(self, group_id: str) -> Group:
        """The group with ``group_id``; ``KeyError`` names it when unknown."""
        for entry in self.groups:
            if entry.id == group_id:
                return entry
        raise KeyError(f"no group {group_id!r} in the treaty catalogue")

    def instrument(self, instrument_id: str) -> Instrument:
        """The instrument with ``instrument_id``; ``KeyError`` names it when unknown."""
        for entry in self.instruments:
            if entry.id == instrument_id:
                return entry
        raise KeyError(f"no instrument {instrument_id!r} in the treaty catalogue")

    def state(self, country: str) -> StateProfile | None:
        """The profile of ``country``, or ``None`` when the catalogue has none."""
        if self.state_index:
            return self.state_index.get(country)
        for entry in self.states:
            if entry.country == country:
                return entry
        return None

    def rule(self, rule_id: str) -> DeadlineRule:
        """The deadline rule with ``rule_id``; ``KeyError`` names it when unknown."""
        for entry in self.rules:
            if entry.id == rule_id:
                return entry
        raise KeyError(f"no deadline rule {rule_id!r} in the treaty catalogue")

    def source_text(self, code: str) -> str:
        """The citation behind a source code such as ``"S22"``."""
        return self.sources.get(code, code)
