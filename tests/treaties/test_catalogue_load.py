"""The packaged catalogue is valid, rich and honest; a malformed one fails loudly at load."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from casecoord.domain.enums import Channel, CountingMethod, LegalEvent, RequestKind
from casecoord.schemas import load_schema
from casecoord.treaties.catalogue import (
    CATALOGUE_PATH,
    CatalogueError,
    default_catalogue,
    load_catalogue,
    parse_catalogue,
)
from casecoord.treaties.model import PartyStatus, TreatyStatus

SCHEMA = "treaty-catalogue.schema.json"


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return loaded


def _instrument(doc: dict[str, Any], instrument_id: str) -> dict[str, Any]:
    return next(i for i in doc["instruments"] if i["id"] == instrument_id)


def test_packaged_catalogue_validates_against_its_schema() -> None:
    validator = jsonschema.Draft202012Validator(
        load_schema(SCHEMA), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(_document())] == []


def test_schema_vocabularies_match_the_shared_enums() -> None:
    defs = load_schema(SCHEMA)["$defs"]
    assert set(defs["request_kind"]["enum"]) == {k.value for k in RequestKind}
    assert set(defs["channel"]["enum"]) == {c.value for c in Channel}
    assert set(defs["legal_event"]["enum"]) == {e.value for e in LegalEvent}
    assert set(defs["counting_method"]["enum"]) == {m.value for m in CountingMethod}


def test_catalogue_holds_every_instrument_of_the_facts_sheet() -> None:
    ids = {i.id for i in default_catalogue().instruments}
    expected = {
        "un-vienna-1988",
        "untoc",
        "uncac",
        "ets-024",
        "cets-209",
        "ets-030",
        "ets-182",
        "eu-mla-2000",
        "eio-directive",
        "eaw-fd",
        "reg-2018-1805",
        "eu-us-extradition",
        "eu-us-mla",
        "benelux-1962",
        "nl-co-extradition",
        "nl-co-mla",
        "nl-pe-transfer-2011",
        "nl-ec-customs-2023",
        "es-co-extradition-1892",
        "es-co-mla-1997",
        "se-ec-mla-notes",
        "co-pe-mla-1994",
        "us-nl-extradition-1980",
        "us-es-extradition-1970",
        "us-pe-extradition-2001",
        "us-ec-extradition-1872",
    }
    assert expected <= ids


def test_facts_are_carried_with_their_dates_and_sources() -> None:
    cat = default_catalogue()
    vienna = cat.instrument("un-vienna-1988")
    assert vienna.in_force_on == date(1990, 11, 11)
    assert vienna.party("CO") is not None
    assert vienna.party("CO").ratified_on == date(1994, 6, 10)  # type: ignore[union-attr]
    assert vienna.coverage_for(RequestKind.MLA).articles == ("Art. 7",)  # type: ignore[union-attr]
    assert cat.source_text("S22") == "UN Treaty Collection, Chapter VI-19"
    untoc = cat.instrument("untoc")
    assert untoc.in_force_on == date(2003, 9, 29)
    assert untoc.party("US").ratified_on == date(2005, 11, 3)  # type: ignore[union-attr]
    eio = cat.instrument("eio-directive")
    assert eio.party("NL").in_force_on == date(2017, 6, 17)  # type: ignore[union-attr]
    assert eio.party("IE").status is PartyStatus.NOT_PARTY  # type: ignore[union-attr]
    eaw = cat.instrument("eaw-fd")
    assert len([p for p in eaw.parties if p.left_on is None]) == 27  # and the UK until 2021
    assert cat.instrument("reg-2018-1805").applies_from == date(2020, 12, 19)
    assert cat.instrument("us-pe-extradition-2001").in_force_on == date(2003, 8, 25)


def test_uncertain_facts_stay_uncertain() -> None:
    cat = default_catalogue()
    assert cat.instrument("nl-co-extradition").status is TreatyStatus.NEGOTIATED
    assert cat.instrument("es-co-mla-1997").status is TreatyStatus.UNCERTAIN
    assert cat.instrument("es-co-mla-1997").in_force_on is None
    assert cat.instrument("es-co-extradition-1892").status is TreatyStatus.UNCERTAIN
    assert cat.instrument("se-ec-mla-notes").status is TreatyStatus.UNCERTAIN
    # UNCAC: a state a dated source shows outside is 'not a party as of then', no more (S1001)
    monaco = cat.instrument("uncac").party("MC")
    assert monaco is not None and monaco.status is PartyStatus.NOT_PARTY
    assert monaco.known_from == date(2014, 7, 10)
    # Vienna 1988: one of the seven non-parties of June 2020 has joined since, which one is open
    assert cat.instrument("un-vienna-1988").party("TV").status is PartyStatus.UNCERTAIN  # type: ignore[union-attr]
    assert cat.instrument("ets-024").party("RU").status is PartyStatus.UNCERTAIN  # type: ignore[union-attr]
    assert cat.rule("eio-16-1").status.value == "uncertain"
    # Ley 906 Art. 511 is sourced now (C-243/2009); how its days are counted is not.
    assert cat.rule("co-domestic-formalise").article_certain is True
    assert cat.rule("co-domestic-formalise").alternative_counting is not None


def test_settled_facts_are_not_marked_uncertain() -> None:
    """What the corrected sources settle carries no doubt (coe.int charts, Law 149/2016)."""
    cat = default_catalogue()
    assert cat.instrument("ets-030").party("NL").status is PartyStatus.IN_FORCE  # type: ignore[union-attr]
    assert cat.instrument("ets-024").parties_complete
    assert cat.instrument("ets-024").party("CO") is None  # not a member, not a named party
    assert cat.instrument("eu-mla-2000").party("IT").status is PartyStatus.IN_FORCE  # type: ignore[union-attr]


def test_default_catalogue_is_loaded_once() -> None:
    assert default_catalogue() is default_catalogue()


def _fails_with(doc: dict[str, Any], *fragments: str) -> str:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(doc, origin="test catalogue")
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message
    return message


def test_missing_field_names_entry_and_field() -> None:
    doc = _document()
    del _instrument(doc, "untoc")["title"]
    _fails_with(doc, "instrument 'untoc'", "'title'", "missing")


def test_missing_field_in_a_party_names_the_party_path() -> None:
    doc = _document()
    del _instrument(doc, "uncac")["parties"][2]["status"]
    _fails_with(doc, "instrument 'uncac'", "parties[2].status", "missing")


def test_unknown_country_names_entry_and_field() -> None:
    doc = _document()
    _instrument(doc, "benelux-1962")["parties"][1]["country"] = "XX"
    _fails_with(doc, "instrument 'benelux-1962'", "parties[1].country", "'XX'", "ISO 3166")


def test_uk_is_not_an_iso_code() -> None:
    doc = _document()
    doc["states"][0]["country"] = "UK"
    _fails_with(doc, "state 'UK'", "'country'", "ISO 3166")


def test_bad_date_names_entry_and_field() -> None:
    doc = _document()
    _instrument(doc, "untoc")["in_force_on"] = "2003-02-30"
    _fails_with(doc, "instrument 'untoc'", "in_force_on")


def test_date_in_wrong_format_names_entry_and_field() -> None:
    doc = _document()
    _instrument(doc, "un-vienna-1988")["parties"][8]["ratified_on"] = "10/06/1994"
    _fails_with(doc, "instrument 'un-vienna-1988'", "parties[8].ratified_on")


def test_rule_pointing_at_unknown_instrument_is_refused() -> None:
    doc = _document()
    doc["deadline_rules"][0]["instruments"] = ["eaw-framework"]
    _fails_with(doc, "deadline rule 'eaw-17-2'", "instruments[0]", "unknown instrument")


def test_extension_of_unknown_rule_is_refused() -> None:
    doc = _document()
    rule = next(r for r in doc["deadline_rules"] if r["id"] == "eaw-17-4")
    rule["extends"] = ["eaw-17-9"]
    _fails_with(doc, "deadline rule 'eaw-17-4'", "extends[0]", "eaw-17-9")


def test_unknown_source_code_is_refused() -> None:
    doc = _document()
    _instrument(doc, "uncac")["sources"] = ["S999"]
    _fails_with(doc, "instrument 'uncac'", "sources[0]", "S999")


def test_unknown_event_is_refused_by_the_schema() -> None:
    doc = _document()
    doc["deadline_rules"][1]["event"] = "capture"
    _fails_with(doc, "deadline rule 'eaw-17-3'", "event")


def test_duplicate_instrument_id_is_refused() -> None:
    doc = _document()
    doc["instruments"].append(copy.deepcopy(_instrument(doc, "untoc")))
    _fails_with(doc, "instrument 'untoc'", "duplicate")


def test_unknown_time_zone_is_refused() -> None:
    doc = _document()
    doc["states"][0]["time_zone"] = "Europe/Atlantis"
    _fails_with(doc, "time_zone", "Europe/Atlantis")


def test_load_catalogue_from_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "catalogue.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid JSON"):
        load_catalogue(broken)


def test_load_catalogue_from_an_explicit_path(tmp_path: Path) -> None:
    doc = _document()
    doc["catalogue_version"] = "test-1"
    copy_path = tmp_path / "catalogue.json"
    copy_path.write_text(json.dumps(doc), encoding="utf-8")
    assert load_catalogue(copy_path).version == "test-1"
