"""The deadline engine: statutory time limits computed from the catalogue's rules.

A rule says what starts the clock (a :class:`LegalEvent`), how long it runs (calendar days, working
days or hours), and whose calendar counts. Days run from the day after the event and end at the
last minute of the last day in the counting state's time zone (the Reg. 1182/71 way of counting);
whether a day-deadline falling on a weekend or holiday moves to the next working day is a
per-instrument/per-country convention from the catalogue, and the engine always reports the
rolled-over date alongside when it differs, so the officer sees both. Results are aware UTC
datetimes that know their local time in any zone.

Three rules keep a clock from starting where the law does not start it: a rule may run only when
the request asks for something (EIO Art. 32: provisional measures); an instrument's rules never
start for a date before it applies between the two states; and a rule an instrument replaces
between the states it binds (ETS 024 between Member States bound by the EAW, FD Art. 31) is
withheld. :func:`plan_deadlines` says which rules started and why the others did not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from casecoord.domain.enums import CountingMethod, LegalEvent, RequestKind
from casecoord.treaties.calendars import (
    CountingLaw,
    WorkingCalendar,
    counting_law,
    counting_law_due,
)
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.model import (
    Catalogue,
    CountingConvention,
    CountingState,
    DeadlineRule,
    FactStatus,
    Rollover,
)

END_OF_DAY = time(23, 59)


class DeadlineError(ValueError):
    """A deadline cannot be computed as asked (naive time, no extension rule, unknown rule)."""


@dataclass(frozen=True, slots=True)
class ComputedDeadline:
    """A statutory deadline for one request, with its legal source and its clock."""

    rule_id: str
    title: str
    article: str
    instrument_id: str | None  # None for a rule of the requested state's domestic law
    due_at: datetime  # aware, UTC
    counting: CountingMethod
    counting_country: str
    counting_tz: str
    certainty: FactStatus
    note: str
    occurred_at: datetime
    event: LegalEvent | None
    amount: int
    rollover: Rollover
    rolled_over_due_at: datetime | None  # the next-working-day date, when rollover would move it
    extension_rule_ids: tuple[str, ...]
    extends_rule_id: str | None
    requesting: str
    requested: str
    requesting_tz: str
    requested_tz: str
    sources: tuple[str, ...]
    counting_basis: str | None = None  # why calendar days / working days / hours
    counting_sources: tuple[str, ...] = ()
    # other readings of the count the sources leave open: (what it rests on, due at UTC)
    alternatives: tuple[tuple[str, datetime], ...] = ()

    @property
    def status(self) -> str:
        """The certainty as a plain string ("confirmed" / "uncertain") for storage."""
        return self.certainty.value

    def local(self, tz_name: str) -> datetime:
        """The due time in ``tz_name`` (the officer's, a counterpart's)."""
        return due_in_zone(self.due_at, tz_name)

    @property
    def due_local(self) -> datetime:
        """The due time in the counting state's zone: what the law reads."""
        return self.local(self.counting_tz)

    @property
    def due_requesting_local(self) -> datetime:
        """The due time on the requesting state's clock."""
        return self.local(self.requesting_tz)

    @property
    def due_requested_local(self) -> datetime:
        """The due time on the requested state's clock."""
        return self.local(self.requested_tz)


def due_in_zone(due_at: datetime, tz_name: str) -> datetime:
    """Convert an aware ``due_at`` to the IANA zone ``tz_name``."""
    if due_at.tzinfo is None:
        raise DeadlineError("due_at must be timezone-aware")
    return due_at.astimezone(ZoneInfo(tz_name))


def list_rules(catalogue: Catalogue | None = None) -> tuple[DeadlineRule, ...]:
    """Every deadline rule of the catalogue, for the treaty browser."""
    return (catalogue or default_catalogue()).rules


def rules_for_instrument(
    instrument_id: str, catalogue: Catalogue | None = None
) -> tuple[DeadlineRule, ...]:
    """The rules that an instrument triggers (including extension rules)."""
    return tuple(r for r in list_rules(catalogue) if instrument_id in r.instruments)


@dataclass(frozen=True, slots=True)
class WithheldRule:
    """A rule the event would start but the law does not: ``reason`` says why, citing it."""

    rule_id: str
    title: str
    article: str
    instrument_id: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class DeadlinePlan:
    """What one event starts: the deadlines, and the rules withheld with their reasons."""

    started: tuple[ComputedDeadline, ...]
    withheld: tuple[WithheldRule, ...]


CONDITION_LABELS = {"provisional-measures": "provisional measures"}


def statutory_deadlines(
    kind: RequestKind | str,
    instrument_ids: Sequence[str],
    event: LegalEvent | str,
    occurred_at: datetime,
    requesting: str,
    requested: str,
    *,
    catalogue: Catalogue | None = None,
    rollover: Rollover | None = None,
    conditions: frozenset[str] = frozenset(),
    regime_on: date | None = None,
) -> list[ComputedDeadline]:
    """Every statutory deadline ``event`` starts for a ``kind`` request under these instruments.

    ``instrument_ids`` are the applicable bases (e.g. ``Resolution.instrument_ids()``); rules of the
    requested state's domestic law apply whatever the instrument. Extension rules are not started
    by events: use :func:`extend_deadline`. ``rollover`` overrides the catalogue's convention.
    Results are sorted by due time. See :func:`plan_deadlines` for ``conditions`` and
    ``regime_on`` and for the rules withheld.
    """
    plan = plan_deadlines(
        kind,
        instrument_ids,
        event,
        occurred_at,
        requesting,
        requested,
        catalogue=catalogue,
        rollover=rollover,
        conditions=conditions,
        regime_on=regime_on,
    )
    return list(plan.started)


def plan_deadlines(
    kind: RequestKind | str,
    instrument_ids: Sequence[str],
    event: LegalEvent | str,
    occurred_at: datetime,
    requesting: str,
    requested: str,
    *,
    catalogue: Catalogue | None = None,
    rollover: Rollover | None = None,
    conditions: frozenset[str] = frozenset(),
    regime_on: date | None = None,
) -> DeadlinePlan:
    """The deadlines ``event`` starts, and the rules it would start that the law withholds.

    ``conditions`` name what the request asks for (``"provisional-measures"``): a rule marked
    ``only_if`` runs only then. ``regime_on`` is the date that decides which instruments govern
    (the request's receipt: EAW FD Art. 32 keeps requests received before the EAW applied under the
    old instruments); by default the event's own date. A rule is withheld when its instrument
    does not yet apply to both states on that date, or when an instrument that replaces it binds
    both states then.
    """
    cat = catalogue or default_catalogue()
    _require_aware(occurred_at)
    request_kind, legal_event = RequestKind(kind), LegalEvent(event)
    a, b = requesting.upper(), requested.upper()
    day = regime_on or occurred_at.astimezone(ZoneInfo(_zone(cat, b))).date()
    started: list[ComputedDeadline] = []
    withheld: list[WithheldRule] = []
    for rule in cat.rules:
        if rule.is_extension or rule.event is not legal_event or request_kind not in rule.kinds:
            continue
        instrument_id = next((i for i in instrument_ids if i in rule.instruments), None)
        if instrument_id is None and rule.domestic_law_of != b:
            continue
        reason = _withheld_reason(cat, rule, instrument_id, a, b, day, conditions)
        if reason is not None:
            withheld.append(WithheldRule(rule.id, rule.title, rule.article, instrument_id, reason))
            continue
        started.append(
            compute_deadline(
                rule,
                occurred_at,
                a,
                b,
                instrument_id=instrument_id,
                catalogue=cat,
                rollover=rollover,
            )
        )
    return DeadlinePlan(
        tuple(sorted(started, key=lambda d: (d.due_at, d.rule_id))), tuple(withheld)
    )


def instrument_start(cat: Catalogue, instrument_id: str, a: str, b: str) -> date | None:
    """The first day ``instrument_id`` applies between ``a`` and ``b`` as far as the catalogue
    gives dates: the latest of its entry into force, its date of application and each state's
    own date (None when the catalogue gives none)."""
    try:
        instrument = cat.instrument(instrument_id)
    except KeyError:
        return None
    dates = [instrument.in_force_on, instrument.applies_from]
    for country in (a, b):
        party = instrument.party(country)
        if party is not None:
            dates.append(party.in_force_on)
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def binds_both(cat: Catalogue, instrument_id: str, a: str, b: str, on: date) -> bool:
    """Whether the resolver finds ``instrument_id`` binding ``a`` and ``b`` on ``on``, for the
    first kind of request the instrument covers (the EAW for the EAW Framework Decision)."""
    from casecoord.treaties.resolver import resolve_basis

    try:
        instrument = cat.instrument(instrument_id)
    except KeyError:
        return False
    if not instrument.kinds:
        return False
    resolution = resolve_basis(a, b, instrument.kinds[0].kind, on, catalogue=cat)
    return instrument_id in resolution.instrument_ids()


def _withheld_reason(
    cat: Catalogue,
    rule: DeadlineRule,
    instrument_id: str | None,
    a: str,
    b: str,
    day: date,
    conditions: frozenset[str],
) -> str | None:
    if rule.only_if is not None and rule.only_if not in conditions:
        wanted = CONDITION_LABELS.get(rule.only_if, rule.only_if)
        return f"runs only when the request asks for {wanted}; this one does not"
    if instrument_id is not None:
        start = instrument_start(cat, instrument_id, a, b)
        if start is not None and day < start:
            name = cat.instrument(instrument_id).short_name
            return f"{name} applies between {a} and {b} only from {start} (request of {day})"
    for displacing, article in rule.displaced_by:
        if displacing != instrument_id and binds_both(cat, displacing, a, b, day):
            name = cat.instrument(displacing).short_name
            return (
                f"between {a} and {b}, both bound by the {name} on {day}, it replaces "
                f"{rule.article} ({article}): the {name}'s own time limits apply"
            )
    return None


def compute_deadline(
    rule: DeadlineRule,
    occurred_at: datetime,
    requesting: str,
    requested: str,
    *,
    instrument_id: str | None = None,
    catalogue: Catalogue | None = None,
    rollover: Rollover | None = None,
) -> ComputedDeadline:
    """Compute one rule's deadline from the moment its event occurred."""
    cat = catalogue or default_catalogue()
    _require_aware(occurred_at)
    a, b = requesting.upper(), requested.upper()
    country = b if rule.counting_state is CountingState.REQUESTED else a
    if instrument_id is None and rule.instruments and rule.domestic_law_of is None:
        instrument_id = rule.instruments[0]
    convention = _convention(cat, instrument_id, country)
    chosen = rollover if rollover is not None else convention.rollover
    due_at, rolled, notes, alternatives = _count(
        cat, rule.counting, rule.amount, occurred_at, country, chosen, convention
    )
    if rule.alternative_counting is not None and rule.alternative_counting != rule.counting:
        other, _, _, _ = _count(
            cat, rule.alternative_counting, rule.amount, occurred_at, country, chosen, convention
        )
        label = f"counted in {rule.alternative_counting.value.replace('-', ' ')}"
        alternatives.append((label, other))
        notes.append(f"if {label}: due {due_in_zone(other, _zone(cat, country)):%Y-%m-%d}")
    if rule.note:
        notes.insert(0, rule.note)
    if not rule.article_certain:
        notes.append("article uncertain")
    return ComputedDeadline(
        rule_id=rule.id,
        title=rule.title,
        article=rule.article,
        instrument_id=instrument_id,
        due_at=due_at,
        counting=rule.counting,
        counting_country=country,
        counting_tz=_zone(cat, country),
        certainty=rule.status,
        note="; ".join(notes),
        occurred_at=occurred_at.astimezone(UTC),
        event=rule.event,
        amount=rule.amount,
        rollover=chosen,
        rolled_over_due_at=rolled,
        extension_rule_ids=tuple(r.id for r in cat.rules if rule.id in r.extends),
        extends_rule_id=None,
        requesting=a,
        requested=b,
        requesting_tz=_zone(cat, a),
        requested_tz=_zone(cat, b),
        sources=rule.sources,
        counting_basis=rule.counting_basis,
        counting_sources=rule.counting_sources,
        alternatives=tuple(alternatives),
    )


def extend_deadline(
    deadline: ComputedDeadline,
    rule_id: str | None = None,
    *,
    catalogue: Catalogue | None = None,
    rollover: Rollover | None = None,
) -> ComputedDeadline:
    """Lengthen ``deadline`` by its extension rule (e.g. EAW Art. 17(4): 30 more days).

    The extension counts from the original due date in the same counting state. ``rule_id`` picks
    an extension when several apply; :class:`DeadlineError` when none does.
    """
    cat = catalogue or default_catalogue()
    candidates = [r for r in cat.rules if deadline.rule_id in r.extends]
    if rule_id is not None:
        candidates = [r for r in candidates if r.id == rule_id]
    if not candidates:
        raise DeadlineError(f"no extension rule for {deadline.rule_id!r} in the catalogue")
    rule = candidates[0]
    convention = _convention(cat, deadline.instrument_id, deadline.counting_country)
    chosen = rollover if rollover is not None else convention.rollover
    start = deadline.due_at if rule.counting is CountingMethod.HOURS else deadline.due_local
    due_at, rolled, notes, alternatives = _count(
        cat, rule.counting, rule.amount, start, deadline.counting_country, chosen, convention
    )
    notes.insert(0, f"extends {deadline.article} (due {deadline.due_local:%Y-%m-%d %H:%M})")
    if rule.note:
        notes.insert(1, rule.note)
    worst = (
        FactStatus.UNCERTAIN
        if FactStatus.UNCERTAIN in (rule.status, deadline.certainty)
        else (FactStatus.CONFIRMED)
    )
    return replace(
        deadline,
        rule_id=rule.id,
        title=rule.title,
        article=rule.article,
        due_at=due_at,
        counting=rule.counting,
        certainty=worst,
        note="; ".join(notes),
        amount=rule.amount,
        rollover=chosen,
        rolled_over_due_at=rolled,
        extension_rule_ids=tuple(r.id for r in cat.rules if rule.id in r.extends),
        extends_rule_id=deadline.rule_id,
        sources=tuple(dict.fromkeys(rule.sources + deadline.sources)),
        counting_basis=rule.counting_basis,
        counting_sources=rule.counting_sources,
        alternatives=tuple(alternatives),
    )


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DeadlineError("the event time must be timezone-aware (e.g. UTC)")


def _zone(cat: Catalogue, country: str) -> str:
    profile = cat.state(country)
    return profile.time_zone if profile is not None else "UTC"


def _convention(cat: Catalogue, instrument_id: str | None, country: str) -> CountingConvention:
    """The most specific counting convention: instrument+country > instrument > country > any."""
    best: tuple[int, CountingConvention] | None = None
    for convention in cat.conventions:
        if convention.instrument not in (None, instrument_id):
            continue
        if convention.country not in (None, country):
            continue
        score = (2 if convention.instrument else 0) + (1 if convention.country else 0)
        if best is None or score > best[0]:
            best = (score, convention)
    if best is None:
        return CountingConvention(None, None, Rollover.NONE, FactStatus.UNCERTAIN, None, ())
    return best[1]


def _count(
    cat: Catalogue,
    counting: CountingMethod,
    amount: int,
    start: datetime,
    country: str,
    rollover: Rollover,
    convention: CountingConvention,
) -> tuple[datetime, datetime | None, list[str], list[tuple[str, datetime]]]:
    """Return (due_at in UTC, rolled-over alternative or None, notes, other readings)."""
    tz_name = _zone(cat, country)
    notes: list[str] = []
    alternatives: list[tuple[str, datetime]] = []
    if tz_name == "UTC" and cat.state(country) is None:
        notes.append(f"time zone of {country} not in the catalogue: counted in UTC")
    law = counting_law(country)
    if counting is CountingMethod.HOURS:
        if law is not None and law.excludes_hours:
            notes.append(f"the {law.title} does not move terms in hours ({law.exclusions_article})")
        return (start.astimezone(UTC) + timedelta(hours=amount), None, notes, alternatives)
    zone = ZoneInfo(tz_name)
    calendar = WorkingCalendar(country)
    if not calendar.known:
        notes.append(f"public holidays of {country} unknown: only weekends skipped")
    first_day = start.astimezone(zone).date()
    rolled: date | None = None
    if counting is CountingMethod.WORKING_DAYS:
        day = calendar.add_working_days(first_day, amount)
        notes.append(f"{amount} working days in {country}")
    else:
        day = first_day + timedelta(days=amount)
        if not calendar.is_working_day(day):
            moved = calendar.next_working_day(day)
            reason = calendar.holiday_name(day) or day.strftime("%A")
            if rollover is Rollover.NEXT_WORKING_DAY:
                notes.append(f"moved from {day} ({reason}) to the next working day in {country}")
                day = moved
            else:
                rolled = moved
                notes.append(
                    f"falls on {reason} in {country}; if the next-working-day rule "
                    f"(Reg. 1182/71) applies, due {moved}"
                    + (
                        " (applicability uncertain)"
                        if convention.status is FactStatus.UNCERTAIN
                        else ""
                    )
                )
        if law is not None:
            _national_reading(law, calendar, first_day, day, amount, zone, notes, alternatives)
    until = calendar.decrees_known_until()
    if until is not None and day > until:
        notes.append(
            f"days {country} assimilates to holidays by decree after {until} are not known"
        )
    due = datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(UTC)
    alternative = (
        datetime.combine(rolled, END_OF_DAY, tzinfo=zone).astimezone(UTC) if rolled else None
    )
    return due, alternative, notes, alternatives


def _national_reading(
    law: CountingLaw,
    calendar: WorkingCalendar,
    first_day: date,
    day: date,
    amount: int,
    zone: ZoneInfo,
    notes: list[str],
    alternatives: list[tuple[str, datetime]],
) -> None:
    """The date under the counting state's own law (NL: the Algemene termijnenwet), offered beside
    the plain count because the sources do not settle that it governs a treaty or EU limit."""
    if law.excludes_terms_over_days is not None and amount > law.excludes_terms_over_days:
        notes.append(
            f"the {law.title} does not move terms over {law.excludes_terms_over_days} days "
            f"({law.exclusions_article})"
        )
        return
    national = counting_law_due(law, calendar, first_day, day)
    if national == day:
        return
    label = (
        f"{law.title} ({law.next_working_day_article}, {law.minimum_article}), "
        "if it governs this limit"
    )
    alternatives.append(
        (label, datetime.combine(national, END_OF_DAY, tzinfo=zone).astimezone(UTC))
    )
    notes.append(
        f"under the {law.title} ({law.next_working_day_article}, {law.minimum_article}) due {national}: {law.scope}"
    )
