"""Council of Europe party tables from the Dutch treaty records: ETS 073 (S1013), ETS 086 (S1014).

Each listed party is bound from its own entry into force; a Council of Europe member the table
does not list stays 'not settled, check the Treaty Office', and the Russian Federation, which left
the Council of Europe in 2022, is shown as uncertain rather than as a plain party.
"""

from __future__ import annotations

from datetime import date

from casecoord.domain.enums import RequestKind
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.model import PartyStatus
from casecoord.treaties.resolver import Certainty, resolve_basis

DRUGS = ("illicit-trafficking-narcotic-drugs",)


def test_listed_parties_carry_their_own_entry_into_force() -> None:
    ets073 = default_catalogue().instrument("ets-073")
    assert ets073.in_force_on == date(1978, 3, 30)
    netherlands = ets073.party("NL")
    assert netherlands is not None and netherlands.in_force_on == date(1985, 7, 19)
    assert netherlands.sources == ("S1013",)
    spain = ets073.party("ES")
    assert spain is not None and spain.in_force_on == date(1988, 11, 12)
    russia = ets073.party("RU")
    assert russia is not None and russia.status is PartyStatus.UNCERTAIN
    assert ets073.party("BE") is None  # not in the table: not settled


def test_transfer_between_two_listed_parties_names_ets_073() -> None:
    result = resolve_basis(
        "NL", "NO", RequestKind.TRANSFER_OF_PROCEEDINGS, date(2026, 12, 1), DRUGS
    )
    assert result.bases[0].instrument_id == "ets-073"
    assert result.bases[0].certainty is Certainty.CONFIRMED
    before = resolve_basis("ES", "SE", RequestKind.TRANSFER_OF_PROCEEDINGS, date(1988, 1, 1), DRUGS)
    rejected = {r.instrument_id: r.reason for r in before.rejected}
    assert "not in force for ES on 1988-01-01: from 1988-11-12" in rejected["ets-073"]


def test_an_unlisted_member_is_not_settled_with_where_to_check() -> None:
    result = resolve_basis(
        "NL", "BE", RequestKind.TRANSFER_OF_PROCEEDINGS, date(2026, 12, 1), DRUGS
    )
    assert "ets-073" in result.unknown_ids()
    reason = next(u.reason for u in result.unknown if u.instrument_id == "ets-073")
    assert "BE" in reason and "treatynum=073" in reason


def test_ets_086_parties_from_the_2006_table() -> None:
    ets086 = default_catalogue().instrument("ets-086")
    switzerland = ets086.party("CH")  # S1014: ratified 11 Mar 1985, in force 9 Jun 1985
    assert switzerland is not None and switzerland.in_force_on == date(1985, 6, 9)
    assert switzerland.sources == ("S1014",)
    monaco = ets086.party("MC")  # Trb. 2012, 114
    assert monaco is not None and monaco.in_force_on == date(2009, 5, 1)
    greece = ets086.party("GR")
    assert greece is not None and greece.status is PartyStatus.SIGNED
    result = resolve_basis("NL", "CH", RequestKind.EXTRADITION, date(2026, 12, 1))
    protocol = next(b for b in result.bases if b.instrument_id == "ets-086")
    assert protocol.certainty is Certainty.CONFIRMED
    early = resolve_basis("NL", "CH", RequestKind.EXTRADITION, date(1985, 1, 1))
    rejected = {r.instrument_id: r.reason for r in early.rejected}
    assert "not in force for CH on 1985-01-01: from 1985-06-09" in rejected["ets-086"]


def test_ets_098_parties_include_late_joiners_and_non_members() -> None:
    ets098 = default_catalogue().instrument("ets-098")  # S1016
    france = ets098.party("FR")
    assert france is not None and france.in_force_on == date(2021, 9, 8)
    korea = ets098.party("KR")
    assert korea is not None and korea.in_force_on == date(2011, 12, 29)
    before = resolve_basis("NL", "FR", RequestKind.EXTRADITION, date(2003, 1, 1))
    rejected = {r.instrument_id: r.reason for r in before.rejected}
    assert "not in force for FR on 2003-01-01: from 2021-09-08" in rejected["ets-098"]
    result = resolve_basis("KR", "ZA", RequestKind.EXTRADITION, date(2026, 12, 1))
    assert "ets-098" in result.instrument_ids()
