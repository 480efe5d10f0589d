"""UN conventions' participation as the depositary's status tables give it (sources S1001–S1007).

UNCAC names every UN member: the parties of the UN Treaty Collection table of 10 Jul 2014 with
their deposit dates (S1001), the later accessions a source dates (Germany, New Zealand, Japan,
Tonga, Suriname), and the states outside it on that date as ``not-party`` as of that date. A
named non-party is a firm 'no' up to the table's date and an honest 'check the depositary' after
it, never a false 'no instrument'.
"""

from __future__ import annotations

from datetime import date

from casecoord.domain.enums import RequestKind
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.model import PartyStatus, UnlistedMembers
from casecoord.treaties.resolver import Certainty, resolve_basis

TODAY = date(2026, 12, 1)
CORRUPTION = ("corruption",)
UNCAC_STATUS = date(2014, 7, 10)  # S1001: the UNTC XVIII-14 table the catalogue encodes
# S1001's UN members outside UNCAC on 10 Jul 2014 that no later source shows joined, with the
# date of the latest source that shows each outside
STILL_OUTSIDE = {
    "AD": (date(2026, 1, 14), "S1009"),
    "ER": (date(2020, 1, 31), "S1008"),
    "KP": (date(2020, 1, 31), "S1008"),
    "VC": (date(2020, 1, 31), "S1008"),
    "SY": (date(2014, 9, 6), "S1010"),
    "MC": (UNCAC_STATUS, "S1001"),
    "SM": (UNCAC_STATUS, "S1001"),
}
JOINED_LATER = {
    "DE": "S28", "NZ": "S1005", "JP": "S1004", "TO": "S1006", "TV": "S1006", "SR": "S1007",
    "SD": "S1010", "SS": "S1010", "GD": "S1010", "BT": "S1010", "BZ": "S1010", "WS": "S1010",
    "TD": "S1010", "GM": "S1010", "GQ": "S1010", "SO": "S1010", "BB": "S1010", "KN": "S1010",
}  # fmt: skip


def test_every_un_member_is_named_in_the_uncac_list() -> None:
    cat = default_catalogue()
    uncac = cat.instrument("uncac")
    assert uncac.membership is not None
    assert uncac.membership.unlisted is UnlistedMembers.IN_FORCE
    assert uncac.membership.known_from == UNCAC_STATUS
    assert "S1001" in uncac.membership.sources
    for state in cat.group("un-members").members:
        party = uncac.party(state)
        assert party is not None, state
        assert party.status is not PartyStatus.UNCERTAIN, state
        if state in STILL_OUTSIDE:
            as_of, source = STILL_OUTSIDE[state]
            assert party.status is PartyStatus.NOT_PARTY, state
            assert party.known_from == as_of and source in party.sources, state
            assert "S1001" in party.sources, state
        else:
            assert party.status is PartyStatus.IN_FORCE, state
            assert party.sources, state
    for state, source in JOINED_LATER.items():
        joined = uncac.party(state)
        assert joined is not None and joined.status is PartyStatus.IN_FORCE, state
        assert source in joined.sources, state
        assert joined.in_force_on is not None or joined.known_from is not None, state


def test_a_un_member_party_gets_uncac_confirmed_for_corruption_mla() -> None:
    result = resolve_basis("TH", "KE", RequestKind.MLA, TODAY, CORRUPTION)
    first = result.bases[0]
    assert first.instrument_id == "uncac" and first.certainty is Certainty.CONFIRMED
    assert first.articles == ("Art. 46",)
    assert "uncac" not in result.unknown_ids()
    cat = default_catalogue()
    thailand = cat.instrument("uncac").party("TH")
    assert thailand is not None and thailand.ratified_on == date(2011, 3, 1)
    assert thailand.sources == ("S1001",)


def test_a_named_non_party_is_not_a_party_as_of_the_table_then_check_the_depositary() -> None:
    later = resolve_basis("NL", "ER", RequestKind.MLA, TODAY, CORRUPTION)
    assert "uncac" not in later.instrument_ids()
    assert "uncac" in later.unknown_ids()
    reason = next(u.reason for u in later.unknown if u.instrument_id == "uncac")
    assert "ER was not a party on 2020-01-31" in reason
    assert "does not know whether it has joined since" in reason
    assert "mtdsg_no=XVIII-14" in reason  # the depositary's page, with its link
    assert not any("No instrument" in note for note in later.notes)
    assert later.bases  # UNTOC still binds both
    # up to the table's date the answer is a firm no
    then = resolve_basis("NL", "ER", RequestKind.MLA, date(2014, 1, 1), CORRUPTION)
    rejected = {r.instrument_id: r.reason for r in then.rejected}
    assert rejected["uncac"].startswith("ER is not a party")
    # a signatory's note says so
    syria = resolve_basis("NL", "SY", RequestKind.MLA, TODAY, CORRUPTION)
    reason = next(u.reason for u in syria.unknown if u.instrument_id == "uncac")
    assert "signed 2003-12-09, not ratified" in reason


def test_the_deposit_rule_of_art_68_2_dates_each_state() -> None:
    cat = default_catalogue()
    uncac = cat.instrument("uncac")
    new_zealand = uncac.party("NZ")  # S1005: ratified 1 Dec 2015
    assert new_zealand is not None and new_zealand.ratified_on == date(2015, 12, 1)
    assert new_zealand.in_force_on == date(2015, 12, 31) and new_zealand.in_force_computed
    japan = uncac.party("JP")  # S1004: acceptance 11 Jul 2017
    assert japan is not None and japan.in_force_on == date(2017, 8, 10)
    kenya = uncac.party("KE")  # S1001: the first deposit, 9 Dec 2003: bound from 14 Dec 2005
    assert kenya is not None and kenya.in_force_on == date(2005, 12, 14)
    netherlands = uncac.party("NL")  # S1001: 31 Oct 2006 + 30 days
    assert netherlands is not None and netherlands.in_force_on == date(2006, 11, 30)
    before = resolve_basis("NL", "NZ", RequestKind.MLA, date(2015, 12, 30), CORRUPTION)
    rejected = {r.instrument_id: r.reason for r in before.rejected}
    assert "from 2015-12-31 (deposit date + the convention's rule)" in rejected["uncac"]
    after = resolve_basis("NL", "NZ", RequestKind.MLA, date(2015, 12, 31), CORRUPTION)
    assert after.bases[0].instrument_id == "uncac"


def test_a_later_accession_without_a_deposit_date_is_relied_on_from_the_source_date() -> None:
    cat = default_catalogue()
    suriname = cat.instrument("uncac").party("SR")  # S1007: reported ratified by 15 Nov 2021
    assert suriname is not None and suriname.status is PartyStatus.IN_FORCE
    assert suriname.in_force_on is None and suriname.known_from == date(2021, 11, 15)
    now = resolve_basis("BR", "SR", RequestKind.MLA, TODAY, CORRUPTION)
    assert now.bases[0].instrument_id == "uncac"
    assert now.bases[0].certainty is Certainty.CONFIRMED
    earlier = resolve_basis("BR", "SR", RequestKind.MLA, date(2021, 6, 1), CORRUPTION)
    uncac = next(b for b in earlier.bases if b.instrument_id == "uncac")
    assert uncac.certainty is Certainty.DATE_UNKNOWN  # joined some time before the source


def test_vienna_and_untoc_dates_come_from_the_depositary_tables() -> None:
    cat = default_catalogue()
    vienna, untoc = cat.instrument("un-vienna-1988"), cat.instrument("untoc")
    netherlands = vienna.party("NL")  # S1003: 8 Sep 1993 + 90 days
    assert netherlands is not None and "S1003" in netherlands.sources
    assert netherlands.ratified_on == date(1993, 9, 8)
    assert netherlands.in_force_on == date(1993, 12, 7)
    suriname = untoc.party("SR")  # S1002: accession 25 May 2007 + 30 days
    assert suriname is not None and suriname.in_force_on == date(2007, 6, 24)
    holy_see = untoc.party("VA")  # S1002: a non-UN party
    assert holy_see is not None and holy_see.ratified_on == date(2012, 1, 25)
    japan = untoc.party("JP")  # S1004
    assert japan is not None and japan.in_force_on == date(2017, 8, 10)
    # a successor state is bound from the notified succession, not deposit + 30 days
    montenegro = untoc.party("ME")
    assert montenegro is not None and montenegro.in_force_on is None
    assert montenegro.known_from is not None and "succession" in (montenegro.note or "")


def test_new_sources_are_cited_with_what_they_show() -> None:
    sources = default_catalogue().sources
    assert "XVIII-14" in sources["S1001"] and "10 Jul 2014" in sources["S1001"]
    assert "XVIII-12" in sources["S1002"] and "VI-19" in sources["S1003"]
    for key in ("S1004", "S1005", "S1006", "S1007", "S1008", "S1009", "S1010", "S1011"):
        assert key in sources


def test_later_accessions_date_each_state_from_its_own_source() -> None:
    uncac = default_catalogue().instrument("uncac")
    grenada = uncac.party("GD")  # S1010: acceded 1 Apr 2015 + 30 days
    assert grenada is not None and grenada.in_force_on == date(2015, 5, 1)
    chad = uncac.party("TD")  # S1010: acceded 26 Jun 2018
    assert chad is not None and chad.in_force_on == date(2018, 7, 26)
    st_kitts = uncac.party("KN")  # S1010: deposited 6 Aug 2024
    assert st_kitts is not None and st_kitts.in_force_on == date(2024, 9, 5)
    somalia = uncac.party("SO")  # S1010: 'became a State Party on 11 Aug 2021'
    assert somalia is not None and somalia.in_force_on is None
    assert somalia.known_from == date(2021, 8, 11)
    niue = uncac.party("NU")  # S1006: non-UN, a party by Feb 2020
    assert niue is not None and niue.known_from == date(2020, 2, 6)
    before = resolve_basis("NL", "SO", RequestKind.MLA, date(2021, 1, 1), CORRUPTION)
    uncac_basis = next(b for b in before.bases if b.instrument_id == "uncac")
    assert uncac_basis.certainty is Certainty.DATE_UNKNOWN  # joined some time before the source


def test_andorra_is_outside_as_of_january_2026() -> None:
    before = resolve_basis("FR", "AD", RequestKind.MLA, date(2025, 6, 1), CORRUPTION)
    rejected = {r.instrument_id: r.reason for r in before.rejected}
    assert rejected["uncac"].startswith("AD is not a party")
    after = resolve_basis("FR", "AD", RequestKind.MLA, TODAY, CORRUPTION)
    reason = next(u.reason for u in after.unknown if u.instrument_id == "uncac")
    assert "AD was not a party on 2026-01-14" in reason and "check the depositary" in reason


def test_south_sudan_untoc_from_the_depositary_notification() -> None:
    cat = default_catalogue()
    south_sudan = cat.instrument("untoc").party("SS")  # S1011
    assert south_sudan is not None and south_sudan.status is PartyStatus.IN_FORCE
    assert south_sudan.in_force_on == date(2023, 11, 19)
    vienna = cat.instrument("un-vienna-1988").party("SS")  # still to confirm at the depositary
    assert vienna is not None and vienna.status is PartyStatus.UNCERTAIN
    assert "S1011" in vienna.sources
