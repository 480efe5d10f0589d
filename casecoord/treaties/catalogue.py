"""Load and check the treaty catalogue shipped with casecoord.

The catalogue is data an officer relies on for a legal basis, so a malformed file must fail
loudly at load, naming the entry and the field, rather than produce a wrong answer later. Loading
is two passes: the JSON Schema (``schemas/treaty-catalogue.schema.json``) checks shape and
vocabularies, then semantic checks catch what a schema cannot (unknown ISO countries, impossible
dates, rules pointing at instruments that do not exist, unknown time zones, unknown sources).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
import pycountry

from casecoord.domain.enums import Channel, CountingMethod, LegalEvent, RequestKind
from casecoord.schemas import load_schema
from casecoord.treaties.model import (
    Authority,
    Catalogue,
    ContentCheck,
    ContentItem,
    CountingConvention,
    CountingState,
    DeadlineRule,
    Depositary,
    DomesticBasis,
    FactStatus,
    Group,
    Instrument,
    InstrumentType,
    KindCoverage,
    KingdomLink,
    LanguageRule,
    Membership,
    OffenceScope,
    PairNote,
    Party,
    PartyStatus,
    ReciprocityRule,
    Replacement,
    ReplacementEffect,
    Rollover,
    ScopeOffence,
    StateProfile,
    TreatyStatus,
    UnlistedMembers,
)

CATALOGUE_PATH = Path(__file__).resolve().parent / "catalogue.json"
SCHEMA_NAME = "treaty-catalogue.schema.json"

_T = TypeVar("_T")


class CatalogueError(Exception):
    """The treaty catalogue is malformed; the message names the entry and the field."""


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Read, validate and parse a catalogue file (the packaged one when ``path`` is ``None``).

    Raises :class:`CatalogueError` for unreadable JSON, schema violations and semantic errors.
    """
    source = Path(path) if path is not None else CATALOGUE_PATH
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"treaty catalogue {source}: cannot be read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"treaty catalogue {source}: not valid JSON at line {exc.lineno}: {exc.msg}"
        ) from exc
    return parse_catalogue(document, origin=str(source))


@cache
def default_catalogue() -> Catalogue:
    """The packaged catalogue, loaded once: it is immutable for the life of the process."""
    return load_catalogue(None)


def parse_catalogue(document: Any, origin: str = "treaty catalogue") -> Catalogue:
    """Validate an already-decoded catalogue document and build the frozen model."""
    _validate_schema(document, origin)
    return _Builder(document, origin).build()


def _validate_schema(document: Any, origin: str) -> None:
    validator = jsonschema.Draft202012Validator(
        load_schema(SCHEMA_NAME), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.path])
    if not errors:
        return
    messages = [_describe_schema_error(document, error) for error in errors[:5]]
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    raise CatalogueError(f"{origin}: " + "; ".join(messages) + more)


def _describe_schema_error(document: Any, error: jsonschema.ValidationError) -> str:
    path = list(error.path)
    entry, field_path = _split_path(document, path)
    if error.validator == "required":
        present = error.instance if isinstance(error.instance, Mapping) else {}
        missing = [name for name in error.validator_value if name not in present]
        field = ".".join(filter(None, [field_path, missing[0] if missing else "?"]))
        return f"{entry}: field {field!r} is missing"
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(key) for key in error.instance if key not in allowed)
        field = ".".join(filter(None, [field_path, extra[0] if extra else "?"]))
        return f"{entry}: field {field!r} is not allowed"
    reason = error.message
    if error.context:
        reason = jsonschema.exceptions.best_match(error.context).message
    return f"{entry}: field {field_path or '(root)'!r}: {reason}"


def _split_path(document: Any, path: Sequence[Any]) -> tuple[str, str]:
    """Turn a JSON path into ('instrument 'untoc'', 'parties[1].country') for messages."""
    if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
        section, index = path[0], path[1]
        label = f"{section}[{index}]"
        try:
            item = document[section][index]
        except (KeyError, IndexError, TypeError):
            item = None
        if isinstance(item, Mapping):
            key = item.get("id") or item.get("country")
            if isinstance(key, str):
                label = f"{_ENTRY_NAMES.get(section, section)} {key!r} ({section}[{index}])"
        rest = path[2:]
    else:
        label, rest = "catalogue", list(path)
    text = ""
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return label, text


_ENTRY_NAMES = {
    "groups": "group",
    "instruments": "instrument",
    "states": "state",
    "deadline_rules": "deadline rule",
    "counting_conventions": "counting convention",
    "pair_notes": "pair note",
}


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


def _kind_index(
    instruments: Sequence[Instrument],
) -> dict[RequestKind, tuple[tuple[Instrument, KindCoverage, bool], ...]]:
    """For each kind, the instruments covering it and whether only through its fallback kind."""
    index: dict[RequestKind, tuple[tuple[Instrument, KindCoverage, bool], ...]] = {}
    for kind, family in KIND_FAMILIES.items():
        entries: list[tuple[Instrument, KindCoverage, bool]] = []
        for instrument in instruments:
            for position, family_kind in enumerate(family):
                coverage = instrument.coverage_for(family_kind)
                if coverage is not None:
                    entries.append((instrument, coverage, position > 0))
                    break
        index[kind] = tuple(entries)
    return index


class _Builder:
    """Turns a schema-valid document into the model, raising CatalogueError on semantic faults."""

    def __init__(self, document: Mapping[str, Any], origin: str) -> None:
        self.document = document
        self.origin = origin
        self.entry = "catalogue"
        self.sources: Mapping[str, str] = dict(document["sources"])
        self.groups: dict[str, Group] = {}

    def fail(self, field: str, reason: str) -> CatalogueError:
        return CatalogueError(f"{self.origin}: {self.entry}: field {field!r}: {reason}")

    def build(self) -> Catalogue:
        facts_as_of = self.iso_date("facts_as_of", self.document["facts_as_of"])
        groups = tuple(self.each("groups", self.document.get("groups", []), self.group))
        self.groups = {group.id: group for group in groups}
        instruments = tuple(self.each("instruments", self.document["instruments"], self.instrument))
        states = tuple(self.each("states", self.document["states"], self.state))
        rules = tuple(self.each("deadline_rules", self.document["deadline_rules"], self.rule))
        conventions = tuple(
            self.each(
                "counting_conventions", self.document["counting_conventions"], self.convention
            )
        )
        notes = tuple(self.each("pair_notes", self.document["pair_notes"], self.pair_note))
        self.entry = "catalogue"
        baseline = self.content("baseline_content", self.document.get("baseline_content", []))
        catalogue = Catalogue(
            version=str(self.document["catalogue_version"]),
            facts_as_of=facts_as_of,
            sources=self.sources,
            instruments=instruments,
            states=states,
            rules=rules,
            conventions=conventions,
            pair_notes=notes,
            baseline_content=baseline,
            groups=groups,
            grouped=frozenset(country for group in groups for country in group.members),
            state_index={state.country: state for state in states},
            kind_index=_kind_index(instruments),
        )
        self.check_references(catalogue)
        return catalogue

    def each(
        self,
        section: str,
        items: Iterable[Mapping[str, Any]],
        build: Callable[[Mapping[str, Any]], _T],
    ) -> Iterable[_T]:
        seen: set[str] = set()
        for index, item in enumerate(items):
            key = item.get("id") or item.get("country")
            name = _ENTRY_NAMES[section]
            self.entry = (
                f"{name} {key!r} ({section}[{index}])" if key else f"{name} ({section}[{index}])"
            )
            if isinstance(key, str) and section in (
                "groups",
                "instruments",
                "states",
                "deadline_rules",
            ):
                if key in seen:
                    raise self.fail("id" if "id" in item else "country", f"duplicate {key!r}")
                seen.add(key)
            yield build(item)

    # -- field helpers -------------------------------------------------------------------------
    def iso_date(self, field: str, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(field, f"{value!r} is not an ISO date (YYYY-MM-DD)") from None

    def optional_date(self, field: str, value: str | None) -> date | None:
        return None if value is None else self.iso_date(field, value)

    def country(self, field: str, value: str) -> str:
        if pycountry.countries.get(alpha_2=value) is None:
            raise self.fail(field, f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value

    def source_refs(self, field: str, values: Iterable[str]) -> tuple[str, ...]:
        refs = tuple(values)
        for position, code in enumerate(refs):
            if code not in self.sources:
                raise self.fail(f"{field}[{position}]", f"unknown source code {code!r}")
        return refs

    def kinds(self, field: str, values: Iterable[str] | None) -> frozenset[RequestKind] | None:
        return None if values is None else frozenset(RequestKind(value) for value in values)

    def content(self, field: str, items: Iterable[Mapping[str, Any]]) -> tuple[ContentItem, ...]:
        """A required-content list; ids must be unique within it so a report can name each item."""
        built: list[ContentItem] = []
        seen: set[str] = set()
        for index, raw in enumerate(items):
            where = f"{field}[{index}]"
            if raw["id"] in seen:
                raise self.fail(f"{where}.id", f"duplicate {raw['id']!r}")
            seen.add(raw["id"])
            languages = tuple(raw.get("languages", ()))
            for position, code in enumerate(languages):
                if pycountry.languages.get(alpha_2=code) is None:
                    raise self.fail(
                        f"{where}.languages[{position}]", f"{code!r} is not an ISO 639-1 code"
                    )
            built.append(
                ContentItem(
                    id=raw["id"],
                    label=raw["label"],
                    article=raw["article"],
                    check=ContentCheck(raw["check"]),
                    blocking=bool(raw["blocking"]),
                    status=FactStatus(raw["status"]),
                    note=raw["note"],
                    sources=self.source_refs(f"{where}.sources", raw["sources"]),
                    languages=languages,
                    name_contains=tuple(word.lower() for word in raw.get("name_contains", ())),
                    kinds=self.kinds(f"{where}.kinds", raw.get("kinds")),
                )
            )
        return tuple(built)

    # -- entries --------------------------------------------------------------------------------
    def group(self, item: Mapping[str, Any]) -> Group:
        members: dict[str, date | None] = {}
        since = item.get("since", {})
        for index, code in enumerate(item["members"]):
            country = self.country(f"members[{index}]", code)
            if country in members:
                raise self.fail(f"members[{index}]", f"{country!r} is listed twice")
            members[country] = self.optional_date(f"since.{country}", since.get(country))
        for code in since:
            if code not in members:
                raise self.fail(f"since.{code}", f"{code!r} is not a member of the group")
        return Group(
            id=item["id"],
            title=item["title"],
            members=members,
            sources=self.source_refs("sources", item["sources"]),
        )

    def party(self, index: int, p: Mapping[str, Any]) -> Party:
        where = f"parties[{index}]"
        counterparts = p.get("counterparts")
        return Party(
            country=self.country(f"{where}.country", p["country"]),
            status=PartyStatus(p["status"]),
            signed_on=self.optional_date(f"{where}.signed_on", p["signed_on"]),
            ratified_on=self.optional_date(f"{where}.ratified_on", p["ratified_on"]),
            in_force_on=self.optional_date(f"{where}.in_force_on", p["in_force_on"]),
            note=p["note"],
            known_from=self.optional_date(f"{where}.known_from", p.get("known_from")),
            via=None if p.get("via") is None else self.country(f"{where}.via", p["via"]),
            counterparts=None
            if counterparts is None
            else {
                self.country(f"{where}.counterparts", code): self.iso_date(
                    f"{where}.counterparts.{code}", value
                )
                for code, value in counterparts.items()
            },
            sources=self.source_refs(f"{where}.sources", p.get("sources", [])),
            left_on=self.optional_date(f"{where}.left_on", p.get("left_on")),
        )

    def membership(self, raw: Mapping[str, Any] | None) -> Membership | None:
        if raw is None:
            return None
        if raw["group"] not in self.groups:
            raise self.fail("membership.group", f"unknown group {raw['group']!r}")
        rule = raw.get("deposit_rule")
        return Membership(
            group=raw["group"],
            unlisted=UnlistedMembers(raw["unlisted"]),
            known_from=self.optional_date("membership.known_from", raw.get("known_from")),
            deposit_rule_days=None if rule is None else int(rule["days"]),
            deposit_rule_article=None if rule is None else rule["article"],
            note=raw.get("note"),
            sources=self.source_refs("membership.sources", raw["sources"]),
        )

    def scope(self, raw: Mapping[str, Any] | None) -> OffenceScope | None:
        if raw is None:
            return None
        serious = raw.get("serious_crime")
        group = raw.get("organised_group")
        return OffenceScope(
            offences=tuple(
                ScopeOffence(o["key"], o["article"], tuple(o.get("predicates", ())))
                for o in raw["offences"]
            ),
            serious_crime_years=None if serious is None else int(serious["min_years"]),
            serious_crime_article=None if serious is None else serious["article"],
            organised_group_article=None if group is None else group["article"],
            group_implied_by=frozenset(() if group is None else group.get("implied_by", ())),
            note=raw.get("note"),
            sources=self.source_refs("scope.sources", raw["sources"]),
        )

    def expand(
        self,
        parties: tuple[Party, ...],
        membership: Membership | None,
        start: date | None,
    ) -> tuple[Party, ...]:
        """Apply the membership rule: computed entry-into-force dates, then the unlisted members.

        A date is computed only from a sourced deposit date and the convention's own rule (never
        earlier than the convention's general entry into force); a member the list does not name
        is a party only where the rule says a source shows it (``in-force``/``uncertain``).
        """
        if membership is None:
            return parties
        expanded: list[Party] = []
        for party in parties:
            if (
                membership.deposit_rule_days is not None
                and party.in_force_on is None
                and party.ratified_on is not None
                and party.status is PartyStatus.IN_FORCE
            ):
                computed = party.ratified_on + timedelta(days=membership.deposit_rule_days)
                if start is not None and computed < start:
                    computed = start
                party = Party(
                    country=party.country,
                    status=party.status,
                    signed_on=party.signed_on,
                    ratified_on=party.ratified_on,
                    in_force_on=computed,
                    note=party.note,
                    known_from=party.known_from,
                    in_force_computed=True,
                    via=party.via,
                    counterparts=party.counterparts,
                    sources=party.sources,
                    left_on=party.left_on,
                )
            expanded.append(party)
        if membership.unlisted is UnlistedMembers.UNKNOWN:
            return tuple(expanded)
        listed = {party.country for party in expanded}
        group = self.groups[membership.group]
        status = PartyStatus(membership.unlisted.value)
        for country, since in group.members.items():
            if country in listed:
                continue
            in_force = None
            if since is not None and start is not None:
                in_force = max(since, start)
            expanded.append(
                Party(
                    country=country,
                    status=status,
                    signed_on=None,
                    ratified_on=None,
                    in_force_on=in_force,
                    note=membership.note,
                    known_from=None if in_force is not None else membership.known_from,
                    in_force_computed=in_force is not None,
                    sources=membership.sources,
                )
            )
        return tuple(expanded)

    # -- entries --------------------------------------------------------------------------------
    def instrument(self, item: Mapping[str, Any]) -> Instrument:
        explicit = tuple(self.party(i, p) for i, p in enumerate(item["parties"]))
        countries = [p.country for p in explicit]
        for i, country in enumerate(countries):
            if countries.index(country) != i:
                raise self.fail(f"parties[{i}].country", f"{country!r} is listed twice")
        membership = self.membership(item.get("membership"))
        if membership is None and len(explicit) < 2:
            raise self.fail("parties", "an instrument without a membership rule needs two parties")
        in_force_on = self.optional_date("in_force_on", item["in_force_on"])
        applies_from = self.optional_date("applies_from", item["applies_from"])
        parties = self.expand(explicit, membership, applies_from or in_force_on)
        sides = None
        if item["sides"] is not None:
            first, second = (
                frozenset(self.country(f"sides[{s}][{i}]", c) for i, c in enumerate(side))
                for s, side in enumerate(item["sides"])
            )
            sides = (first, second)
        coverage = tuple(
            KindCoverage(
                kind=RequestKind(k["kind"]),
                articles=tuple(k["articles"]),
                channels=tuple(Channel(c) for c in k["channels"]),
                coverage=FactStatus(k["coverage"]),
                articles_certain=bool(k["articles_certain"]),
                note=k["note"],
                required_content=self.content(
                    f"kinds[{i}].required_content", k.get("required_content", [])
                ),
            )
            for i, k in enumerate(item["kinds"])
        )
        scope = item["offence_scope"]
        depositary = item.get("depositary")
        return Instrument(
            id=item["id"],
            title=item["title"],
            short_name=item["short_name"],
            type=InstrumentType(item["type"]),
            status=TreatyStatus(item["status"]),
            signed_on=self.optional_date("signed_on", item["signed_on"]),
            in_force_on=in_force_on,
            applies_from=applies_from,
            parties=parties,
            parties_complete=bool(item["parties_complete"]),
            party_dates_follow_instrument=bool(item["party_dates_follow_instrument"]),
            sides=sides,
            kinds=coverage,
            offence_scope=None if scope is None else frozenset(scope),
            language_rule=item["language_rule"],
            supplements=item["supplements"],
            references=tuple(item["references"]),
            sources=self.source_refs("sources", item["sources"]),
            notes=tuple(item["notes"]),
            membership=membership,
            depositary=None
            if depositary is None
            else Depositary(name=depositary["name"], url=depositary["url"]),
            replaces=tuple(
                Replacement(
                    instruments=tuple(r["instruments"]),
                    kinds=frozenset(RequestKind(k) for k in r["kinds"]),
                    as_kind=RequestKind(r["as_kind"]),
                    article=r["article"],
                    effect=ReplacementEffect(r["effect"]),
                    note=r.get("note"),
                    sources=self.source_refs(f"replaces[{i}].sources", r["sources"]),
                )
                for i, r in enumerate(item.get("replaces", []))
            ),
            scope=self.scope(item.get("scope")),
            party_index={party.country: party for party in parties},
        )

    def state(self, item: Mapping[str, Any]) -> StateProfile:
        country = self.country("country", item["country"])
        try:
            ZoneInfo(item["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise self.fail(
                "time_zone", f"{item['time_zone']!r} is not an IANA time zone"
            ) from None
        return StateProfile(
            country=country,
            time_zone=item["time_zone"],
            central_authorities=tuple(
                Authority(
                    kinds=self.kinds(f"central_authorities[{i}].kinds", a["kinds"]),
                    text=a["text"],
                    status=FactStatus(a["status"]),
                    sources=self.source_refs(f"central_authorities[{i}].sources", a["sources"]),
                )
                for i, a in enumerate(item["central_authorities"])
            ),
            language_rules=tuple(
                LanguageRule(
                    kinds=self.kinds(f"language_rules[{i}].kinds", r["kinds"]),
                    languages=tuple(r["languages"]),
                    text=r["text"],
                    status=FactStatus(r["status"]),
                    sources=self.source_refs(f"language_rules[{i}].sources", r["sources"]),
                )
                for i, r in enumerate(item["language_rules"])
            ),
            treaty_required_for=frozenset(RequestKind(k) for k in item["treaty_required_for"]),
            treaty_required_note=item["treaty_required_note"],
            sources=self.source_refs("sources", item["sources"]),
            required_content=self.content("required_content", item.get("required_content", [])),
            reciprocity=tuple(
                ReciprocityRule(
                    kinds=self.kinds(f"reciprocity[{i}].kinds", r["kinds"]),
                    allowed=bool(r["allowed"]),
                    text=r["text"],
                    sources=self.source_refs(f"reciprocity[{i}].sources", r["sources"]),
                )
                for i, r in enumerate(item.get("reciprocity", []))
            ),
            domestic_bases=tuple(
                DomesticBasis(
                    id=d["id"],
                    kinds=frozenset(RequestKind(k) for k in d["kinds"]),
                    title=d["title"],
                    short_name=d["short_name"],
                    articles=tuple(d["articles"]),
                    channels=tuple(Channel(c) for c in d["channels"]),
                    text=d["text"],
                    sources=self.source_refs(f"domestic_bases[{i}].sources", d["sources"]),
                )
                for i, d in enumerate(item.get("domestic_bases", []))
            ),
            part_of=self.kingdom_link(item.get("part_of")),
        )

    def kingdom_link(self, raw: Mapping[str, Any] | None) -> KingdomLink | None:
        if raw is None:
            return None
        return KingdomLink(
            state=self.country("part_of.state", raw["state"]),
            relation=raw["relation"],
            text=raw["text"],
            authority=raw["authority"],
            sources=self.source_refs("part_of.sources", raw["sources"]),
        )

    def rule(self, item: Mapping[str, Any]) -> DeadlineRule:
        domestic = item["domestic_law_of"]
        if not item["instruments"] and domestic is None:
            raise self.fail("instruments", "a rule needs an instrument or domestic_law_of")
        if item["event"] is None and not item["extends"]:
            raise self.fail("event", "only an extension rule (with 'extends') may have no event")
        return DeadlineRule(
            id=item["id"],
            instruments=tuple(item["instruments"]),
            domestic_law_of=None if domestic is None else self.country("domestic_law_of", domestic),
            title=item["title"],
            article=item["article"],
            kinds=frozenset(RequestKind(k) for k in item["kinds"]),
            event=None if item["event"] is None else LegalEvent(item["event"]),
            amount=int(item["amount"]),
            counting=CountingMethod(item["counting"]),
            counting_state=CountingState(item["counting_state"]),
            extends=tuple(item["extends"]),
            status=FactStatus("uncertain" if item["status"] == "uncertain" else "confirmed"),
            article_certain=bool(item["article_certain"]),
            sources=self.source_refs("sources", item["sources"]),
            note=item["note"],
            only_if=item.get("only_if"),
            displaced_by=tuple(
                (entry["instrument"], entry["article"]) for entry in item.get("displaced_by", ())
            ),
            counting_basis=item.get("counting_basis"),
            counting_sources=self.source_refs("counting_sources", item.get("counting_sources", ())),
            alternative_counting=(
                CountingMethod(item["alternative_counting"])
                if item.get("alternative_counting")
                else None
            ),
        )

    def convention(self, item: Mapping[str, Any]) -> CountingConvention:
        country = item["country"]
        return CountingConvention(
            instrument=item["instrument"],
            country=None if country is None else self.country("country", country),
            rollover=Rollover(item["rollover"]),
            status=FactStatus(item["status"]),
            note=item["note"],
            sources=self.source_refs("sources", item["sources"]),
        )

    def pair_note(self, item: Mapping[str, Any]) -> PairNote:
        return PairNote(
            states=frozenset(self.country(f"states[{i}]", c) for i, c in enumerate(item["states"])),
            kinds=self.kinds("kinds", item["kinds"]),
            text=item["text"],
            sources=self.source_refs("sources", item["sources"]),
        )

    def check_references(self, catalogue: Catalogue) -> None:
        """Every id an entry points at must exist: a dangling rule would silently never fire."""
        known = {instrument.id for instrument in catalogue.instruments}
        for index, instrument in enumerate(catalogue.instruments):
            self.entry = f"instrument {instrument.id!r} (instruments[{index}])"
            if instrument.supplements is not None and instrument.supplements not in known:
                raise self.fail("supplements", f"unknown instrument {instrument.supplements!r}")
            for r_index, replacement in enumerate(instrument.replaces):
                for position, replaced in enumerate(replacement.instruments):
                    if replaced not in known:
                        raise self.fail(
                            f"replaces[{r_index}].instruments[{position}]",
                            f"unknown instrument {replaced!r}",
                        )
        rule_ids = {rule.id for rule in catalogue.rules}
        for index, rule in enumerate(catalogue.rules):
            self.entry = f"deadline rule {rule.id!r} (deadline_rules[{index}])"
            for position, instrument_id in enumerate(rule.instruments):
                if instrument_id not in known:
                    raise self.fail(
                        f"instruments[{position}]", f"unknown instrument {instrument_id!r}"
                    )
            for position, (displacing, _article) in enumerate(rule.displaced_by):
                if displacing not in known:
                    raise self.fail(
                        f"displaced_by[{position}]", f"unknown instrument {displacing!r}"
                    )
            for position, extended in enumerate(rule.extends):
                if extended not in rule_ids:
                    raise self.fail(f"extends[{position}]", f"unknown deadline rule {extended!r}")
        for index, convention in enumerate(catalogue.conventions):
            self.entry = f"counting convention (counting_conventions[{index}])"
            if convention.instrument is not None and convention.instrument not in known:
                raise self.fail("instrument", f"unknown instrument {convention.instrument!r}")


__all__ = [
    "CATALOGUE_PATH",
    "Catalogue",
    "CatalogueError",
    "default_catalogue",
    "load_catalogue",
    "parse_catalogue",
]
