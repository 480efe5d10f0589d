"""Every ISO 3166 state pair gets an answer: a sourced basis, or an honest 'the catalogue does not
know', never a false "no instrument" where a UN convention binds both states.

Resolving all 62,000 ordered pairs one by one would take seconds per kind, so the test groups the
states by everything the resolver reads about a state (its entry under every instrument, its
profile, its groups, the pair notes naming it): two states with the same signature get the same
answer, up to their names. It resolves one pair per pair of classes and then checks every pair
through its classes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pycountry
import pytest

from casecoord.domain.enums import RequestKind
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.model import Catalogue, InstrumentType, Party, PartyStatus
from casecoord.treaties.resolver import BasisTier, Resolution, resolve_basis

TODAY = date(2026, 12, 1)
STATES = sorted(country.alpha_2 for country in pycountry.countries)
_BOUND = (PartyStatus.IN_FORCE, PartyStatus.UNCERTAIN)


def _signature(cat: Catalogue, country: str) -> str:
    named = any(country in note.states for note in cat.pair_notes) or any(
        instrument.type is InstrumentType.BILATERAL and instrument.party(country) is not None
        for instrument in cat.instruments
    )
    if named:
        return country  # a state with its own treaties or notes is a class of its own
    parts = [_entry(instrument.party(country)) for instrument in cat.instruments]
    parts += [
        repr(tuple(country in side for side in instrument.sides))
        for instrument in cat.instruments
        if instrument.sides is not None
    ]
    parts.append(repr(cat.state(country)))
    parts.append(repr([group.id for group in cat.groups if country in group.members]))
    return "|".join(parts)


def _entry(party: Party | None) -> str:
    return "-" if party is None else repr(replace(party, country=""))


def _un_binds(cat: Catalogue, a: str, b: str) -> bool:
    for instrument in cat.instruments:
        if instrument.type is not InstrumentType.UN:
            continue
        pa, pb = instrument.party(a), instrument.party(b)
        if pa is not None and pb is not None and pa.status in _BOUND and pb.status in _BOUND:
            return True
    return False


@pytest.fixture(scope="module")
def classes() -> dict[str, str]:
    """Each state's class representative (the first state with its signature)."""
    cat = default_catalogue()
    representative: dict[str, str] = {}
    by_signature: dict[str, str] = {}
    for country in STATES:
        signature = _signature(cat, country)
        representative[country] = by_signature.setdefault(signature, country)
    return representative


def _answers(classes: dict[str, str], kind: RequestKind) -> dict[tuple[str, str], Resolution]:
    reps = sorted(set(classes.values()))
    answers = {}
    for a in reps:
        for b in reps:
            if a != b:
                answers[(a, b)] = resolve_basis(a, b, kind, TODAY)
    return answers


@pytest.mark.parametrize("kind", [RequestKind.MLA, RequestKind.EXTRADITION])
def test_every_pair_gets_a_basis_or_an_honest_unknown(
    classes: dict[str, str], kind: RequestKind
) -> None:
    cat = default_catalogue()
    assert len(STATES) == 249
    answers = _answers(classes, kind)
    bound_pairs = 0
    for a in STATES:
        for b in STATES:
            if a == b:
                continue
            ra, rb = classes[a], classes[b]
            if ra == rb:  # same class: take another member-pair of the class as its stand-in
                continue
            answer = answers[(ra, rb)]
            assert answer.bases or answer.unknown, f"{a}->{b} {kind}: nothing at all"
            assert not any("No instrument" in note for note in answer.notes), (a, b, answer.notes)
            if _un_binds(cat, a, b):
                bound_pairs += 1
                tiers = {basis.tier for basis in answer.bases}
                assert tiers - {BasisTier.RECIPROCITY, BasisTier.DOMESTIC_LAW}, (a, b, tiers)
            for unknown in answer.unknown:
                assert "the catalogue does not know" in unknown.reason
                assert "check" in unknown.reason
    assert bound_pairs > 30_000  # 193 UN members and more: the near-universal conventions


def test_pairs_within_one_class_are_answered_too(classes: dict[str, str]) -> None:
    """Two states of the same class (e.g. two UN members with no treaty of their own)."""
    members: dict[str, list[str]] = {}
    for country, representative in classes.items():
        members.setdefault(representative, []).append(country)
    checked = 0
    for group in members.values():
        if len(group) < 2:
            continue
        answer = resolve_basis(group[0], group[1], RequestKind.MLA, TODAY)
        assert answer.bases or answer.unknown
        assert not any("No instrument" in note for note in answer.notes)
        checked += 1
    assert checked > 0


def test_brazil_suriname_portugal_are_bound_by_all_three_un_conventions() -> None:
    for a, b in (("BR", "SR"), ("BR", "PT"), ("PT", "SR")):
        ids = resolve_basis(a, b, RequestKind.MLA, TODAY).instrument_ids()
        assert {"un-vienna-1988", "untoc", "uncac"} <= set(ids), (a, b, ids)


def test_a_territory_gets_where_to_check_not_no_instrument() -> None:
    answer = resolve_basis("PR", "GU", RequestKind.EXTRADITION, TODAY)
    assert "un-vienna-1988" in answer.unknown_ids()
    assert "treaties.un.org" in next(
        u.reason for u in answer.unknown if u.instrument_id == "un-vienna-1988"
    )
