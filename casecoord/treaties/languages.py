"""What the requested state expects: the language of a request and the authority that receives it.

Kept apart from the resolver because the TUI shows it on its own (a counterpart's card, the request
form's language field) and because it comes from a different part of the facts (section 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from casecoord.domain.enums import RequestKind
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.model import Authority, Catalogue, FactStatus, LanguageRule, StateProfile

_Rule = TypeVar("_Rule", LanguageRule, Authority)

UNKNOWN_LANGUAGE = (
    "not in the catalogue: check the requested state's declarations (EJN Fiches Belges)"
)
UNKNOWN_AUTHORITY = "not in the catalogue: check the EJN Fiches Belges for the requested state"


@dataclass(frozen=True, slots=True)
class LanguageAnswer:
    """The languages a requested state accepts for one kind of request, and how sure we are."""

    country: str
    kind: RequestKind
    languages: tuple[str, ...]
    text: str
    status: FactStatus
    sources: tuple[str, ...]
    origin: str  # "state", "instrument" or "unknown": where the answer came from


@dataclass(frozen=True, slots=True)
class RequestedStateRules:
    """Language, central authority and clock of the requested state, for one kind of request."""

    country: str
    kind: RequestKind
    language: LanguageAnswer
    authority_text: str
    authority_status: FactStatus
    authority_sources: tuple[str, ...]
    time_zone: str | None


def _most_specific(entries: tuple[_Rule, ...], kind: RequestKind) -> _Rule | None:
    """A rule naming the kind beats a rule for all kinds."""
    named = [entry for entry in entries if entry.kinds is not None and kind in entry.kinds]
    if named:
        return named[0]
    general = [entry for entry in entries if entry.kinds is None]
    return general[0] if general else None


def state_profile(country: str, catalogue: Catalogue | None = None) -> StateProfile | None:
    """The catalogue's profile of ``country`` (ISO alpha-2), or ``None``."""
    return (catalogue or default_catalogue()).state(country.upper())


def language_for(
    requested: str,
    kind: RequestKind | str,
    instrument_id: str | None = None,
    catalogue: Catalogue | None = None,
) -> LanguageAnswer:
    """The language rule for a request of ``kind`` sent to ``requested``.

    The state's own rule wins (it is what its authorities apply); otherwise the instrument's
    language article, if any; otherwise an explicit 'not in the catalogue' so nothing is guessed.
    """
    cat = catalogue or default_catalogue()
    country, request_kind = requested.upper(), RequestKind(kind)
    profile = cat.state(country)
    if profile is not None:
        rule = _most_specific(profile.language_rules, request_kind)
        if rule is not None:
            return LanguageAnswer(
                country, request_kind, rule.languages, rule.text, rule.status, rule.sources, "state"
            )
    if instrument_id is not None:
        instrument = cat.instrument(instrument_id)
        if instrument.language_rule is not None:
            return LanguageAnswer(
                country,
                request_kind,
                (),
                instrument.language_rule,
                FactStatus.CONFIRMED,
                instrument.sources,
                "instrument",
            )
    return LanguageAnswer(
        country, request_kind, (), UNKNOWN_LANGUAGE, FactStatus.UNCERTAIN, (), "unknown"
    )


def requested_state_rules(
    requested: str,
    kind: RequestKind | str,
    instrument_id: str | None = None,
    catalogue: Catalogue | None = None,
) -> RequestedStateRules:
    """Language, central authority and time zone of ``requested`` for requests of ``kind``."""
    cat = catalogue or default_catalogue()
    country, request_kind = requested.upper(), RequestKind(kind)
    profile = cat.state(country)
    authority = (
        _most_specific(profile.central_authorities, request_kind) if profile is not None else None
    )
    return RequestedStateRules(
        country=country,
        kind=request_kind,
        language=language_for(country, request_kind, instrument_id, cat),
        authority_text=authority.text if authority is not None else UNKNOWN_AUTHORITY,
        authority_status=authority.status if authority is not None else FactStatus.UNCERTAIN,
        authority_sources=authority.sources if authority is not None else (),
        time_zone=profile.time_zone if profile is not None else None,
    )
