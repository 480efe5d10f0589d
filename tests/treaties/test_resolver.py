"""The resolver picks the right bases, in the right order, and says why the others fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from casecoord.domain.enums import Channel, RequestKind
from casecoord.treaties.resolver import BasisTier, Certainty, Resolution, resolve_basis

TODAY = date(2026, 12, 1)  # after the catalogue's facts_as_of: in-force statuses are confirmed


@dataclass(frozen=True)
class Case:
    requesting: str
    requested: str
    kind: str
    on: date = TODAY
    scope: frozenset[str] | None = None
    first: str | None = None
    bases: tuple[str, ...] | None = None  # the exact ordered list, when given
    includes: tuple[str, ...] = ()
    before: tuple[tuple[str, str], ...] = ()  # (earlier, later) pairs in the bases order
    rejected: dict[str, str] = field(default_factory=dict)  # id -> fragment of the reason
    not_candidates: tuple[str, ...] = ()  # neither basis nor rejected
    certainty: dict[str, Certainty] = field(default_factory=dict)
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.requesting}->{self.requested} {self.kind} {self.on}"


CASES = [
    # EU–EU
    Case(
        "NL",
        "BE",
        "eio",
        first="eio-directive",
        includes=("eu-mla-2000", "benelux-1962", "ets-030", "ets-182"),
        before=(
            ("eio-directive", "benelux-1962"),
            ("benelux-1962", "ets-030"),
            ("ets-030", "ets-182"),
            ("ets-182", "untoc"),
        ),
    ),
    Case(
        "NL",
        "BE",
        "eaw",
        first="eaw-fd",
        includes=("benelux-1962", "ets-024"),
        not_candidates=("reciprocity",),
    ),
    Case(
        "BE",
        "NL",
        "mla",
        first="eu-mla-2000",
        includes=("eio-directive", "benelux-1962"),
        rejected={},
        not_candidates=("eu-us-mla",),
    ),
    Case(
        "NL",
        "DE",
        "eio",
        on=date(2016, 1, 1),
        first="eu-mla-2000",
        rejected={"eio-directive": "not in force for NL on 2016-01-01: from 2017-06-17"},
    ),
    Case(
        "NL",
        "DE",
        "eio",
        on=date(2012, 5, 1),
        rejected={"eio-directive": "did not exist on 2012-05-01"},
    ),
    Case(
        "NL",
        "IE",
        "eio",
        first="eu-mla-2000",
        rejected={"eio-directive": "IE is not a party: not bound by the Directive"},
    ),
    Case("DK", "SE", "freezing", rejected={"reg-2018-1805": "DK is not a party"}),
    Case("NL", "DE", "freezing", first="reg-2018-1805", includes=("untoc", "uncac")),
    Case(
        "NL",
        "DE",
        "freezing",
        on=date(2019, 6, 1),
        rejected={"reg-2018-1805": "applies from 2020-12-19"},
    ),
    Case("FR", "IT", "confiscation", first="reg-2018-1805"),
    Case("DE", "FR", "provisional-arrest", first="eaw-fd", includes=("ets-024",)),
    Case(
        "NL",
        "LU",
        "extradition",
        first="benelux-1962",
        rejected={"ets-024": "LU is not listed as a party"},
    ),
    Case(
        "NL",
        "BE",
        "extradition",
        on=date(1965, 1, 1),
        first="ets-024",
        rejected={"benelux-1962": "from 1967-12-11"},
        certainty={"ets-024": Certainty.UNCERTAIN},
    ),
    Case(
        "NL",
        "BE",
        "jit",
        first="eu-mla-2000",
        includes=("ets-182",),
        certainty={"eu-mla-2000": Certainty.UNCERTAIN},
    ),
    Case("NL", "BE", "transfer-of-proceedings", bases=("reciprocity",)),
    Case(
        "NL",
        "BE",
        "mla",
        on=date(2024, 1, 1),
        first="eu-mla-2000",
        certainty={"eu-mla-2000": Certainty.DATE_UNKNOWN, "benelux-1962": Certainty.CONFIRMED},
    ),
    Case("IT", "ES", "mla", certainty={"eu-mla-2000": Certainty.UNCERTAIN}),
    # EU – Latin America
    Case(
        "NL",
        "CO",
        "extradition",
        bases=("un-vienna-1988", "untoc", "uncac", "reciprocity"),
        rejected={"nl-co-extradition": "negotiated only", "ets-024": "CO is not a party"},
        certainty={"un-vienna-1988": Certainty.CONFIRMED, "uncac": Certainty.UNCERTAIN},
        note="Constitution Art. 2(3)",
    ),
    Case(
        "CO",
        "NL",
        "extradition",
        bases=("un-vienna-1988", "untoc", "uncac"),
        rejected={
            "nl-co-extradition": "negotiated only",
            "reciprocity": "NL needs a treaty basis for extradition",
        },
    ),
    Case(
        "CO",
        "NL",
        "provisional-arrest",
        bases=("un-vienna-1988", "untoc", "uncac"),
        rejected={"reciprocity": "Constitution Art. 2(3)"},
    ),
    Case(
        "NL",
        "CO",
        "mla",
        first="un-vienna-1988",
        includes=("untoc", "reciprocity"),
        rejected={"nl-co-mla": "negotiated only", "ets-030": "CO is not a party"},
        note="being worked on",
    ),
    Case(
        "NL",
        "CO",
        "extradition",
        scope=frozenset({"drugs"}),
        bases=("un-vienna-1988", "reciprocity"),
        rejected={"untoc": "outside its scope", "uncac": "outside its scope"},
    ),
    Case(
        "NL",
        "CO",
        "extradition",
        scope=frozenset(
            {"illicit-trafficking-narcotic-drugs", "participation-in-criminal-organisation"}
        ),
        bases=("un-vienna-1988", "untoc", "reciprocity"),
    ),
    Case(
        "NL",
        "CO",
        "mla",
        on=date(2002, 1, 1),
        first="un-vienna-1988",
        rejected={"untoc": "not in force on 2002-01-01", "uncac": "did not exist"},
    ),
    Case(
        "NL",
        "CO",
        "extradition",
        on=date(1990, 1, 1),
        bases=("reciprocity",),
        rejected={"un-vienna-1988": "in force from 1990-11-11"},
    ),
    Case(
        "NL",
        "CO",
        "mla",
        on=date(1993, 1, 1),
        rejected={"un-vienna-1988": "CO had not ratified on 1993-01-01"},
    ),
    Case(
        "NL",
        "CO",
        "eio",
        rejected={"eio-directive": "CO is not listed as a party"},
        first="un-vienna-1988",
        not_candidates=("reciprocity",),
    ),
    Case("CO", "NL", "eaw", rejected={"eaw-fd": "CO is not listed as a party"}),
    Case(
        "ES", "CO", "mla", first="es-co-mla-1997", certainty={"es-co-mla-1997": Certainty.UNCERTAIN}
    ),
    Case(
        "CO",
        "ES",
        "extradition",
        first="es-co-extradition-1892",
        certainty={"es-co-extradition-1892": Certainty.UNCERTAIN},
    ),
    Case(
        "CO",
        "PE",
        "mla",
        first="co-pe-mla-1994",
        certainty={"co-pe-mla-1994": Certainty.UNCERTAIN},
        rejected={"ets-030": "CO is not a party"},
    ),
    Case(
        "SE",
        "EC",
        "mla",
        first="se-ec-mla-notes",
        certainty={"se-ec-mla-notes": Certainty.UNCERTAIN},
    ),
    Case(
        "NL",
        "PE",
        "mla",
        first="un-vienna-1988",
        not_candidates=("nl-pe-transfer-2011",),
        note="transfer of sentenced persons",
    ),
    Case("NL", "EC", "extradition", first="un-vienna-1988", note="customs cooperation"),
    # EU – US and the Americas
    Case(
        "NL",
        "US",
        "extradition",
        first="us-nl-extradition-1980",
        before=(
            ("us-nl-extradition-1980", "eu-us-extradition"),
            ("eu-us-extradition", "un-vienna-1988"),
        ),
    ),
    Case(
        "NL",
        "US",
        "extradition",
        on=date(2005, 1, 1),
        first="us-nl-extradition-1980",
        rejected={"eu-us-extradition": "in force from 2010-02-01"},
    ),
    Case(
        "US",
        "ES",
        "provisional-arrest",
        first="us-es-extradition-1970",
        includes=("eu-us-extradition",),
    ),
    Case("NL", "US", "mla", first="eu-us-mla"),
    Case(
        "PE",
        "US",
        "extradition",
        first="us-pe-extradition-2001",
        certainty={"us-pe-extradition-2001": Certainty.CONFIRMED},
    ),
    Case(
        "PE",
        "US",
        "extradition",
        on=date(2002, 1, 1),
        rejected={"us-pe-extradition-2001": "in force from 2003-08-25"},
    ),
    Case("EC", "US", "provisional-arrest", first="us-ec-extradition-1872"),
    Case(
        "US",
        "CO",
        "extradition",
        first="un-vienna-1988",
        includes=("reciprocity",),
        note="no applicable treaty",
    ),
    # no treaty at all
    Case("JP", "BR", "mla", bases=("reciprocity",)),
]


def _ids(resolution: Resolution) -> list[str]:
    return [b.instrument_id for b in resolution.bases]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_resolver_table(case: Case) -> None:
    result = resolve_basis(case.requesting, case.requested, case.kind, case.on, case.scope)
    ids = _ids(result)
    rejected = {r.instrument_id: r.reason for r in result.rejected}
    if case.first is not None:
        assert ids[0] == case.first
    if case.bases is not None:
        assert ids == list(case.bases)
    for expected in case.includes:
        assert expected in ids
    for earlier, later in case.before:
        assert ids.index(earlier) < ids.index(later)
    for instrument_id, fragment in case.rejected.items():
        assert instrument_id in rejected, f"{instrument_id} not rejected: bases {ids}"
        assert fragment in rejected[instrument_id]
        assert instrument_id not in ids
    for instrument_id in case.not_candidates:
        assert instrument_id not in ids and instrument_id not in rejected
    by_id = {b.instrument_id: b for b in result.bases}
    for instrument_id, certainty in case.certainty.items():
        assert by_id[instrument_id].certainty is certainty
    if case.note is not None:
        assert any(case.note in note for note in result.notes)


def test_table_covers_at_least_thirty_pairs_and_every_kind() -> None:
    assert len(CASES) >= 30
    assert {c.kind for c in CASES} == {k.value for k in RequestKind}


def test_nl_co_extradition_explains_itself() -> None:
    result = resolve_basis("NL", "CO", RequestKind.EXTRADITION, TODAY)
    vienna = result.bases[0]
    assert vienna.articles == ("Art. 6",)
    assert vienna.tier is BasisTier.UN
    assert vienna.language == "Spanish" and vienna.languages == ("es",)
    assert "within its scope (drugs)" in vienna.why
    reciprocity = result.bases[-1]
    assert reciprocity.certainty is Certainty.UNCERTAIN
    assert any("NL cannot promise reciprocity" in c for c in reciprocity.caveats)
    assert result.instrument_ids() == ("un-vienna-1988", "untoc", "uncac")
    assert "nl-co-extradition" in result.rejected_ids()


def test_bases_carry_channel_language_and_sources() -> None:
    result = resolve_basis("BE", "NL", "eio", TODAY)
    eio = result.bases[0]
    assert eio.channels == (Channel.DIRECT_JUDICIAL,)
    assert eio.languages == ("nl", "en")
    assert eio.status == "in-force"
    assert "S45" in eio.sources
    assert eio.why == "EU instrument binding both BE and NL"


def test_uncertain_basis_says_so_in_its_why_line_and_caveats() -> None:
    result = resolve_basis("ES", "CO", "mla", TODAY)
    bilateral = result.bases[0]
    assert "in force uncertain" in bilateral.why
    assert any("uncertain" in c for c in bilateral.caveats)


def test_same_state_on_both_sides_is_refused() -> None:
    with pytest.raises(ValueError, match="differ"):
        resolve_basis("NL", "nl", "mla", TODAY)


def test_lowercase_country_codes_are_accepted() -> None:
    result = resolve_basis("nl", "be", "eaw", TODAY)
    assert result.requesting == "NL" and result.bases[0].instrument_id == "eaw-fd"
