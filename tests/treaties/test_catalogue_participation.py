"""Participation as data: groups, membership rules, computed dates, replacement rules, scope and
requested-state profiles are checked by the schema and the loader, and say what they should."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import jsonschema
import pytest

from casecoord.schemas import load_schema
from casecoord.treaties.catalogue import (
    CATALOGUE_PATH,
    CatalogueError,
    default_catalogue,
    parse_catalogue,
)
from casecoord.treaties.model import PartyStatus, ReplacementEffect, UnlistedMembers


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return loaded


def _instrument(doc: dict[str, Any], instrument_id: str) -> dict[str, Any]:
    return next(i for i in doc["instruments"] if i["id"] == instrument_id)


def _schema_errors(doc: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(load_schema("treaty-catalogue.schema.json"))
    return [error.message for error in validator.iter_errors(doc)]


def _fails_with(doc: dict[str, Any], *fragments: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(doc, origin="test catalogue")
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_groups_hold_the_un_coe_eu_and_american_states() -> None:
    cat = default_catalogue()
    assert len(cat.group("un-members").members) == 193  # S53
    assert len(cat.group("coe-members").members) == 46  # S54
    assert "RU" not in cat.group("coe-members").members
    eu = cat.group("eu-members").members
    assert len(eu) == 27 and eu["HR"] == date(2013, 7, 1) and eu["PL"] == date(2004, 5, 1)
    assert len(cat.group("american-states").members) == 35
    assert not cat.in_any_group("TW") and cat.in_any_group("BR")


def test_un_membership_rule_makes_every_member_a_party_but_the_exceptions() -> None:
    cat = default_catalogue()
    vienna, untoc, uncac = (cat.instrument(i) for i in ("un-vienna-1988", "untoc", "uncac"))
    assert vienna.membership is not None and vienna.membership.unlisted is UnlistedMembers.IN_FORCE
    for state in ("BR", "SR", "PT", "NL", "JP"):
        assert vienna.party(state) is not None, state
        assert untoc.party(state) is not None, state
        assert uncac.party(state) is not None, state
    assert vienna.party("TV").status is PartyStatus.UNCERTAIN  # type: ignore[union-attr]
    assert untoc.party("CG").status is PartyStatus.SIGNED  # type: ignore[union-attr]
    assert untoc.party("BT").in_force_on == date(2023, 3, 22)  # type: ignore[union-attr]
    assert vienna.party("BR").known_from is None  # type: ignore[union-attr]
    assert vienna.party("PW").known_from == date(2020, 6, 30)  # type: ignore[union-attr]
    assert vienna.party("TW") is None and not vienna.parties_complete


def test_entry_into_force_is_computed_only_from_a_sourced_deposit() -> None:
    cat = default_catalogue()
    brazil = cat.instrument("un-vienna-1988").party("BR")
    assert brazil is not None and brazil.ratified_on == date(1991, 7, 17)
    assert brazil.in_force_on == date(1991, 10, 15) and brazil.in_force_computed  # + 90 days
    germany = cat.instrument("uncac").party("DE")
    assert germany is not None and germany.in_force_on == date(2014, 12, 12)  # + 30 days
    chile = cat.instrument("un-vienna-1988").party("CL")
    assert chile is not None and chile.in_force_on == date(1990, 11, 11)  # first 20: general
    palau = cat.instrument("un-vienna-1988").party("PW")
    assert palau is not None and palau.in_force_on is None  # no sourced deposit: no date


def test_kingdom_countries_are_bound_through_the_kingdom() -> None:
    cat = default_catalogue()
    aruba = cat.instrument("untoc").party("AW")
    assert aruba is not None and aruba.via == "NL"
    curacao = cat.instrument("ets-024").party("CW")
    assert curacao is not None and curacao.counterparts is not None
    assert curacao.counterparts["ES"] == date(1995, 2, 1)
    assert cat.state("AW").part_of.state == "NL"  # type: ignore[union-attr]
    assert cat.state("BQ").part_of.relation == "part-of-the-state"  # type: ignore[union-attr]


def test_replacement_rules_name_their_articles() -> None:
    cat = default_catalogue()
    (eaw, benelux) = cat.instrument("eaw-fd").replaces
    assert eaw.effect is ReplacementEffect.EXCLUDES and "ets-024" in eaw.instruments
    assert eaw.article == "FD 2002/584/JHA Art. 31(1)"
    assert benelux.effect is ReplacementEffect.PRECEDES
    (eio,) = cat.instrument("eio-directive").replaces
    assert eio.effect is ReplacementEffect.PRECEDES and "eu-mla-2000" in eio.instruments
    assert eio.article == "Directive 2014/41/EU Art. 34(1)"


def test_requested_state_profiles_carry_reciprocity_and_domestic_law() -> None:
    cat = default_catalogue()
    us = cat.state("US")
    assert us is not None and not us.reciprocity[0].allowed and "S77" in us.reciprocity[0].sources
    (colombian_law,) = cat.state("CO").domestic_bases  # type: ignore[union-attr]
    assert "Ley 906/2004" in colombian_law.title
    assert any("60 days" in article for article in colombian_law.articles)


def test_schema_refuses_an_unknown_membership_rule() -> None:
    doc = _document()
    _instrument(doc, "untoc")["membership"]["unlisted"] = "probably"
    assert _schema_errors(doc)
    _fails_with(doc, "instrument 'untoc'", "membership")


def test_schema_refuses_a_replacement_without_an_article() -> None:
    doc = _document()
    del _instrument(doc, "eaw-fd")["replaces"][0]["article"]
    _fails_with(doc, "instrument 'eaw-fd'", "'replaces[0].article'", "missing")


def test_loader_refuses_a_replacement_of_an_unknown_instrument() -> None:
    doc = _document()
    _instrument(doc, "eaw-fd")["replaces"][0]["instruments"].append("ets-999")
    _fails_with(doc, "unknown instrument 'ets-999'")


def test_loader_refuses_a_membership_of_an_unknown_group() -> None:
    doc = _document()
    _instrument(doc, "untoc")["membership"]["group"] = "g77"
    _fails_with(doc, "membership.group", "unknown group 'g77'")


def test_loader_refuses_a_group_member_that_is_no_iso_country() -> None:
    doc = _document()
    doc["groups"][0]["members"].append("XK")
    _fails_with(doc, "group 'un-members'", "not an ISO 3166-1 alpha-2")


def test_loader_refuses_an_accession_date_for_a_non_member() -> None:
    doc = _document()
    next(g for g in doc["groups"] if g["id"] == "eu-members")["since"]["GB"] = "1973-01-01"
    _fails_with(doc, "'GB' is not a member of the group")


def test_loader_refuses_an_instrument_without_parties_or_membership() -> None:
    doc = _document()
    treaty = _instrument(doc, "us-nl-mla-1981")
    treaty["parties"] = treaty["parties"][:1]
    _fails_with(doc, "instrument 'us-nl-mla-1981'", "needs two parties")


def test_the_uk_left_the_eaw_on_1_january_2021() -> None:
    gb = default_catalogue().instrument("eaw-fd").party("GB")
    assert gb is not None and gb.left_on == date(2021, 1, 1) and "S97" in gb.sources


def test_schema_refuses_a_left_on_that_is_no_date() -> None:
    doc = _document()
    party = next(p for p in _instrument(doc, "eaw-fd")["parties"] if p["country"] == "GB")
    party["left_on"] = "Brexit"
    _fails_with(doc, "instrument 'eaw-fd'", "left_on")


def test_schema_refuses_a_disputed_party_status_typo() -> None:
    doc = _document()
    _instrument(doc, "us-co-extradition-1979")["parties"][1]["status"] = "contested"
    assert _schema_errors(doc)


def test_every_new_fact_keeps_its_source() -> None:
    cat = default_catalogue()
    for instrument in cat.instruments:
        if instrument.membership is not None:
            assert instrument.membership.sources, instrument.id
        for replacement in instrument.replaces:
            assert replacement.sources, instrument.id
        if instrument.scope is not None:
            assert instrument.scope.sources, instrument.id
        for party in instrument.parties:
            if party.known_from is not None or party.via or party.counterparts:
                assert party.sources, (instrument.id, party.country)
    for state in cat.states:
        for rule in state.reciprocity:
            assert rule.sources, state.country
        if state.part_of is not None:
            assert state.part_of.sources, state.country
