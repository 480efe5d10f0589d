"""Each statutory time limit starts only where the law starts it; every case names its source.

Sources (codes of the catalogue, citations in ``catalogue.json``):
EIO Directive Art. 32 [S805]; EAW FD Arts. 31-32 [S801]; Ley 906 de 2004 Art. 511 [S802];
Ley 4 de 1913 Art. 62 [S803]; Reg. 1182/71 Art. 3(3) [S804]; ETS 024 Art. 16(4) [S13];
CETS 209 Art. 6 [S14]; EAW FD Art. 17 [S2, S3].
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from casecoord.domain.enums import CountingMethod
from casecoord.treaties.catalogue import CATALOGUE_PATH, default_catalogue, parse_catalogue
from casecoord.treaties.deadlines import plan_deadlines, statutory_deadlines
from casecoord.treaties.model import Catalogue

AMS = ZoneInfo("Europe/Amsterdam")
BOG = ZoneInfo("America/Bogota")
PROVISIONAL = frozenset({"provisional-measures"})


def _catalogue_with(**applies_from: str) -> Catalogue:
    """The packaged catalogue with start dates set on some instruments (by id, '-' for '_')."""
    document: dict[str, Any] = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    document = copy.deepcopy(document)
    for key, day in applies_from.items():
        instrument = next(i for i in document["instruments"] if i["id"] == key.replace("_", "-"))
        instrument["applies_from"] = day
    return parse_catalogue(document)


# -- EIO Art. 32: 24 hours only when provisional measures are asked [S805] --------------------


def test_eio_art_32_runs_only_when_provisional_measures_are_requested() -> None:
    at = datetime(2026, 6, 1, 9, tzinfo=AMS)
    plain = plan_deadlines("eio", ["eio-directive"], "receipt", at, "BE", "NL")
    assert "eio-32" not in [d.rule_id for d in plain.started]
    withheld = {w.rule_id: w.reason for w in plain.withheld}
    assert "provisional measures" in withheld["eio-32"]
    urgent = plan_deadlines(
        "eio", ["eio-directive"], "receipt", at, "BE", "NL", conditions=PROVISIONAL
    )
    art32 = next(d for d in urgent.started if d.rule_id == "eio-32")
    assert art32.article == "Directive 2014/41/EU Art. 32"
    assert art32.counting is CountingMethod.HOURS
    assert art32.due_at == datetime(2026, 6, 2, 7, 0, tzinfo=UTC)
    assert "S805" in art32.sources
    assert "wherever practicable" in art32.note
    assert art32.counting_basis is not None and "hours" in art32.counting_basis


# -- EAW FD Art. 31: no ETS 024 / CETS 209 clock between EAW states [S801] -----------------------


@pytest.mark.parametrize(("requesting", "requested"), [("BE", "NL"), ("NL", "DE"), ("ES", "FR")])
def test_no_1957_convention_clock_between_member_states_bound_by_the_eaw(
    requesting: str, requested: str
) -> None:
    at = datetime(2026, 2, 10, 6, tzinfo=UTC)
    plan = plan_deadlines(
        "provisional-arrest",
        ["ets-024", "cets-209", "eaw-fd"],
        "provisional-arrest",
        at,
        requesting,
        requested,
    )
    started = {d.rule_id for d in plan.started}
    assert not started & {"ets-024-16-4-request", "ets-024-16-4-max", "cets-209-6"}
    reasons = {w.rule_id: w.reason for w in plan.withheld}
    for rule_id in ("ets-024-16-4-request", "ets-024-16-4-max", "cets-209-6"):
        assert "Art. 31" in reasons[rule_id]
    # the EAW's own clock runs instead: Art. 17(3), 60 days from the arrest
    assert "eaw-17-3-provisional-arrest" in started


def test_an_extradition_record_between_eaw_states_gets_the_eaw_clocks() -> None:
    at = datetime(2026, 3, 1, 12, tzinfo=AMS)
    found = statutory_deadlines("extradition", ["eaw-fd", "ets-024"], "arrest", at, "FR", "NL")
    assert [d.rule_id for d in found] == ["eaw-17-3"]
    assert found[0].due_local.date() == date(2026, 4, 30)


def test_before_the_eaw_applied_the_1957_convention_clock_runs() -> None:
    # FD Art. 32: requests received before the EAW applied stay under the old instruments.
    cat = _catalogue_with(eaw_fd="2004-01-01")
    at = datetime(2003, 6, 2, 8, tzinfo=UTC)
    plan = plan_deadlines(
        "extradition", ["ets-024", "eaw-fd"], "provisional-arrest", at, "BE", "NL", catalogue=cat
    )
    started = {d.rule_id: d.due_local.date() for d in plan.started}
    assert started["ets-024-16-4-request"] == date(2003, 6, 20)
    assert started["ets-024-16-4-max"] == date(2003, 7, 12)
    assert "eaw-17-3-provisional-arrest" not in started
    reasons = {w.rule_id: w.reason for w in plan.withheld}
    assert "only from 2004-01-01" in reasons["eaw-17-3-provisional-arrest"]


def test_the_regime_date_is_the_receipt_not_the_arrest() -> None:
    # Received in December 2003, arrest in January 2004: the request stays under ETS 024.
    cat = _catalogue_with(eaw_fd="2004-01-01")
    at = datetime(2004, 1, 12, 8, tzinfo=UTC)
    plan = plan_deadlines(
        "extradition",
        ["ets-024", "eaw-fd"],
        "provisional-arrest",
        at,
        "BE",
        "NL",
        catalogue=cat,
        regime_on=date(2003, 12, 20),
    )
    assert "ets-024-16-4-max" in {d.rule_id for d in plan.started}


# -- an instrument's deadlines never start for dates before it applies -------------------------


def test_eio_deadlines_do_not_start_before_the_directive_applies() -> None:
    cat = _catalogue_with(eio_directive="2017-05-22")
    before = plan_deadlines(
        "eio",
        ["eio-directive"],
        "receipt",
        datetime(2016, 9, 1, tzinfo=UTC),
        "BE",
        "NL",
        catalogue=cat,
        conditions=PROVISIONAL,
    )
    assert before.started == ()
    assert {w.rule_id for w in before.withheld} >= {"eio-12-3", "eio-32"}
    # the Netherlands' own date (17 Jun 2017) is later than the Directive's, and decides
    assert all("only from 2017-06-17" in w.reason for w in before.withheld)
    after = plan_deadlines(
        "eio",
        ["eio-directive"],
        "receipt",
        datetime(2017, 9, 1, tzinfo=UTC),
        "BE",
        "NL",
        catalogue=cat,
    )
    assert "eio-12-3" in {d.rule_id for d in after.started}


# -- Colombia, Ley 906 de 2004 Art. 511: two limits, Colombian domestic law [S802, S803] --------


def test_colombia_art_511_formalise_within_60_days_of_capture() -> None:
    at = datetime(2026, 3, 2, 15, tzinfo=BOG)
    found = statutory_deadlines(
        "provisional-arrest", ["untoc"], "provisional-arrest", at, "NL", "CO"
    )
    co = next(d for d in found if d.rule_id == "co-domestic-formalise")
    assert co.article.startswith("Colombian domestic law")
    assert "Art. 511" in co.article
    assert co.instrument_id is None
    assert co.due_local.date() == date(2026, 5, 1)
    assert "S802" in co.sources
    # the working-day reading (Ley 4 de 1913 Art. 62) is shown beside the calendar-day one
    assert co.alternatives, co.note
    label, other = co.alternatives[-1]
    assert "working days" in label
    assert other > co.due_at
    assert "S803" in co.counting_sources


def test_colombia_art_511_collect_within_30_days_of_being_placed_at_disposal() -> None:
    at = datetime(2026, 9, 1, 10, tzinfo=BOG)
    found = statutory_deadlines("extradition", [], "placed-at-disposal", at, "US", "CO")
    assert [d.rule_id for d in found] == ["co-domestic-collect"]
    collect = found[0]
    assert collect.due_local.date() == date(2026, 10, 1)
    assert "collect" in collect.note
    assert collect.article == "Colombian domestic law: Ley 906 de 2004 Art. 511"


def test_colombian_rules_do_not_apply_when_colombia_requests() -> None:
    at = datetime(2026, 9, 1, 10, tzinfo=UTC)
    assert statutory_deadlines("extradition", [], "placed-at-disposal", at, "CO", "US") == []


# -- calendar vs working days, named per rule with its source ---------------------------------


def test_every_rule_names_how_it_counts_and_why() -> None:
    cat = default_catalogue()
    for rule in cat.rules:
        assert rule.counting_basis, rule.id
        assert rule.counting_sources, rule.id
        for code in rule.counting_sources:
            assert code in cat.sources, (rule.id, code)
        word = {"calendar-days": "calendar", "working-days": "working", "hours": "hours"}
        assert word[rule.counting.value] in rule.counting_basis, rule.id


def test_a_computed_deadline_carries_its_counting_basis() -> None:
    at = datetime(2026, 3, 10, 10, tzinfo=AMS)
    (d,) = statutory_deadlines("eaw", ["eaw-fd"], "consent", at, "BE", "NL")
    assert d.counting is CountingMethod.CALENDAR_DAYS
    assert d.counting_basis is not None and "1182/71 Art. 3(3)" in d.counting_basis
    assert "S804" in d.counting_sources


def test_a_rule_displaced_by_an_unknown_instrument_fails_at_load() -> None:
    from casecoord.treaties.catalogue import CatalogueError

    document: dict[str, Any] = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    rule = next(r for r in document["deadline_rules"] if r["id"] == "ets-024-16-4-max")
    rule["displaced_by"] = [{"instrument": "no-such-act", "article": "Art. 1"}]
    with pytest.raises(CatalogueError, match="no-such-act"):
        parse_catalogue(document)
    rule["displaced_by"] = []
    rule["only_if"] = "sunshine"
    with pytest.raises(CatalogueError, match="only_if"):
        parse_catalogue(document)
