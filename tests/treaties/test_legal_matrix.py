"""The legal regression matrix: pairs × kinds × dates × offences, each with the basis to use first.

Every case names the rule it pins and the catalogue source that decides it (a source code of the
treaty catalogue, whose text names the public document). A change of law or of the catalogue
that moves a first basis must move this table too, in the same commit, with its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from casecoord.domain.enums import RequestKind
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.resolver import Certainty, Resolution, resolve_basis

TODAY = date(2026, 12, 1)  # after the catalogue's facts_as_of: in-force statuses are confirmed
DRUGS = ("illicit-trafficking-narcotic-drugs",)
LAUNDERING = ("laundering-of-proceeds",)


@dataclass(frozen=True)
class Case:
    rule: str  # which rule of the resolver the case pins (see RULES)
    source: str  # the catalogue source code that decides the expected answer
    requesting: str
    requested: str
    kind: str
    first: str | None  # the basis to use; None: none applies
    on: date = TODAY
    offences: tuple[str, ...] | None = None
    organised_group: bool | None = None
    max_penalty_years: float | None = None
    rejected: dict[str, str] = field(default_factory=dict)  # id -> fragment of why not
    unknown: tuple[str, ...] = ()  # ids the catalogue must say it cannot settle
    absent: tuple[str, ...] = ()  # ids that must not be offered as a basis
    includes: tuple[str, ...] = ()  # ids that must be offered (below the first)
    certainty: Certainty | None = None  # of the first basis
    articles: tuple[str, ...] | None = None  # of the first basis
    note: str | None = None  # fragment of a note on the pair

    def __str__(self) -> str:
        extra = f" {','.join(self.offences)}" if self.offences else ""
        return f"{self.rule}:{self.requesting}->{self.requested}:{self.kind}:{self.on}{extra}"


RULES = {
    "un-universal": "UN conventions bind every UN member but the listed non-parties",
    "un-date": "a convention binds a state from its own entry into force (deposit + rule)",
    "un-doubt": "a state whose participation no source settles is shown uncertain or unsettled",
    "coe-members": "ETS 024 / ETS 030: every CoE member plus the named non-members",
    "eaw-replaces": "between EAW states extradition and provisional arrest are EAW matters",
    "eaw-dates": "the EAW applies from 1 Jan 2004, accession or the state's own start",
    "eio-replaces": "between EIO states evidence gathering goes by EIO first",
    "eio-dates": "the EIO applies from 22 May 2017 or the state's own transposition",
    "eio-dk-ie": "Denmark and Ireland are not bound by the EIO: MLA stays",
    "freezing": "freezing and confiscation: Reg. 2018/1805 in the EU, else the conventions' articles",
    "transfer": "transfer of proceedings: Reg. 2024/3011 from 2027, else the conventions' articles",
    "jit": "joint investigation teams: FD 2002/465/JHA, EU MLA 2000 Art. 13, UN articles",
    "provisional-arrest": "provisional arrest under the conventions' own articles",
    "nl-treaty": "the Netherlands extradites only on a treaty: no reciprocity",
    "us-treaty": "the United States extradites only under a treaty: no reciprocity",
    "co-domestic": "Colombia extradites under its own law where no treaty applies",
    "us-co-disputed": "the 1979 US–CO treaty is disputed",
    "reciprocity": "reciprocity only where the requested state's law allows it",
    "kingdom": "NL↔AW/CW/SX is cooperation within the Kingdom, not between states",
    "kingdom-territorial": "the Kingdom's territorial declarations for AW, CW, SX",
    "scope-untoc": "UNTOC: serious crime by an organised group, or its own offences",
    "scope-vienna": "Vienna 1988: Art. 3 offences, laundering of drug proceeds",
    "scope-uncac": "UNCAC: corruption offences, laundering of their proceeds",
    "oas": "the Inter-American MLA convention A-55 and its protocol A-59",
    "bilateral": "a bilateral treaty in force comes before multilateral conventions",
    "third-state-surrender": "surrender with the UK (TCA) and Iceland/Norway instead of the EAW",
}

CASES = [
    # -- UN conventions, near-universal ------------------------------------------------------
    Case("un-universal", "S56", "BR", "SR", "mla", "un-vienna-1988", offences=DRUGS),
    Case(
        "un-universal",
        "S59",
        "BR",
        "PT",
        "extradition",
        "untoc",
        offences=("fraud",),
        organised_group=True,
        max_penalty_years=8,
        rejected={"ets-024": "BR is not a party"},
    ),
    Case("un-universal", "S56", "JP", "BR", "mla", "un-vienna-1988", offences=DRUGS),
    Case(
        "un-universal",
        "S56",
        "US",
        "SR",
        "extradition",
        "un-vienna-1988",
        offences=DRUGS,
    ),
    Case(
        "un-universal",
        "S1002",  # the Holy See acceded to UNTOC on 25 Jan 2012 (UNTC XVIII-12)
        "VA",
        "IT",
        "mla",
        "un-vienna-1988",
        offences=DRUGS,
        includes=("untoc",),
    ),
    Case(
        "un-date",
        "S57",
        "NL",
        "CO",
        "extradition",
        "co-ley-906",
        on=date(1994, 6, 1),
        offences=DRUGS,
        rejected={"un-vienna-1988": "not in force for CO on 1994-06-01: from 1994-09-08"},
    ),
    Case(
        "un-date",
        "S57",
        "NL",
        "CO",
        "extradition",
        "un-vienna-1988",
        on=date(1994, 10, 1),
        offences=DRUGS,
        certainty=Certainty.CONFIRMED,  # NL: deposit 8 Sep 1993 (S1003), in force 7 Dec 1993
    ),
    Case(
        "un-date",
        "S25",
        "NL",
        "CO",
        "extradition",
        "untoc",
        on=date(2004, 9, 10),
        offences=("participation-in-criminal-organisation",),
        rejected={"un-vienna-1988": "outside its scope"},
    ),
    Case(
        "un-date",
        "S25",
        "NL",
        "CO",
        "mla",
        "un-vienna-1988",
        on=date(2004, 8, 20),
        offences=("participation-in-criminal-organisation", *DRUGS),
        rejected={"untoc": "not in force for CO on 2004-08-20: from 2004-09-03"},
    ),
    Case(
        "un-date",
        "S60",
        "NL",
        "BT",
        "mla",
        "un-vienna-1988",
        on=date(2023, 1, 1),
        organised_group=True,
        max_penalty_years=10,
        offences=DRUGS,
        rejected={"untoc": "not in force for BT on 2023-01-01: from 2023-03-22"},
    ),
    Case(
        "un-date",
        "S60",
        "NL",
        "BT",
        "mla",
        "un-vienna-1988",
        on=date(2023, 4, 1),
        organised_group=True,
        max_penalty_years=10,
        offences=DRUGS,
        includes=("untoc",),
    ),
    Case(
        "un-date",
        "S58",
        "PE",
        "US",
        "extradition",
        "un-vienna-1988",
        on=date(2002, 1, 1),
        rejected={"us-pe-extradition-2001": "in force from 2003-08-25"},
    ),
    Case(
        "un-doubt",
        "S56",
        "TV",
        "KI",
        "mla",
        "un-vienna-1988",
        offences=DRUGS,
        certainty=Certainty.UNCERTAIN,
    ),
    Case(
        "un-doubt",
        "S53",
        "NL",
        "TW",
        "mla",
        "reciprocity",
        unknown=("un-vienna-1988", "untoc", "uncac"),
    ),
    Case(
        "un-universal",
        "S1001",  # Peru deposited on 16 Nov 2004 (UNTC XVIII-14, status of 10 Jul 2014)
        "NL",
        "PE",
        "mla",
        "uncac",
        offences=("corruption",),
        certainty=Certainty.CONFIRMED,
        rejected={"un-vienna-1988": "outside its scope"},
    ),
    Case(
        "un-universal",
        "S1001",
        "TH",
        "KE",
        "mla",
        "uncac",
        offences=("corruption",),
        certainty=Certainty.CONFIRMED,
        articles=("Art. 46",),
    ),
    Case(
        "un-doubt",
        "S1001",  # Eritrea: outside UNCAC in the 2014 table; may have joined since
        "NL",
        "ER",
        "mla",
        "untoc",
        offences=("corruption",),
        unknown=("uncac",),
    ),
    Case(
        "un-date",
        "S1005",  # New Zealand deposited on 1 Dec 2015: bound from 31 Dec 2015 (Art. 68(2))
        "NL",
        "NZ",
        "mla",
        "untoc",
        on=date(2015, 12, 15),
        offences=("corruption",),
        rejected={"uncac": "not in force for NZ on 2015-12-15: from 2015-12-31"},
    ),
    Case(
        "un-date",
        "S1004",  # Japan: UNCAC and UNTOC from 10 Aug 2017 (deposits of 11 Jul 2017 + 30 days)
        "NL",
        "JP",
        "mla",
        "uncac",
        on=date(2017, 8, 10),
        offences=("corruption",),
        certainty=Certainty.CONFIRMED,
    ),
    # -- Council of Europe -------------------------------------------------------------------
    Case("coe-members", "S65", "NL", "IL", "extradition", "ets-024", certainty=Certainty.CONFIRMED),
    Case("coe-members", "S65", "KR", "ZA", "extradition", "ets-024"),
    Case("coe-members", "S65", "NL", "RU", "extradition", "ets-024", certainty=Certainty.UNCERTAIN),
    Case("coe-members", "S65", "NL", "NO", "mla", "ets-030", certainty=Certainty.CONFIRMED),
    Case(
        "coe-members",
        "S65",
        "CO",
        "NL",
        "extradition",
        "untoc",
        offences=("fraud",),
        organised_group=True,
        max_penalty_years=6,
        rejected={"ets-024": "CO is not a party"},
    ),
    # -- EAW replaces extradition between Member States --------------------------------------
    Case(
        "eaw-replaces",
        "S74",
        "NL",
        "DE",
        "extradition",
        "eaw-fd",
        rejected={"ets-024": "replaced between NL and DE by the EAW", "cets-209": "replaced"},
        note="FD 2002/584/JHA Art. 31(1)",
    ),
    Case(
        "eaw-replaces",
        "S74",
        "DE",
        "FR",
        "provisional-arrest",
        "eaw-fd",
        rejected={"ets-024": "Art. 31(1)"},
    ),
    Case(
        "eaw-replaces",
        "S74",
        "NL",
        "LU",
        "extradition",
        "eaw-fd",
        rejected={"ets-024": "replaced"},
        includes=("benelux-1962",),
    ),
    Case(
        "eaw-replaces",
        "S74",
        "NL",
        "BE",
        "eaw",
        "eaw-fd",
        rejected={"ets-024": "replaced"},
        absent=("reciprocity",),
    ),
    Case(
        "eaw-replaces",
        "S74",
        "BE",
        "NL",
        "provisional-arrest",
        "eaw-fd",
        rejected={"reciprocity": "NL needs a treaty basis"},
    ),
    Case(
        "eaw-dates",
        "S74",
        "NL",
        "BE",
        "extradition",
        "benelux-1962",
        on=date(2003, 12, 31),
        rejected={"eaw-fd": "applies from 2004-01-01"},
        includes=("ets-024",),
    ),
    Case(
        "eaw-dates",
        "S74",
        "NL",
        "BE",
        "extradition",
        "ets-024",
        on=date(1965, 1, 1),
        rejected={"benelux-1962": "from 1967-12-11"},
        certainty=Certainty.DATE_UNKNOWN,
    ),
    Case(
        "eaw-dates",
        "S55",
        "PL",
        "DE",
        "extradition",
        "ets-024",
        on=date(2004, 3, 1),
        rejected={"eaw-fd": "not in force for PL on 2004-03-01: from 2004-05-01"},
    ),
    Case("eaw-dates", "S55", "PL", "DE", "extradition", "eaw-fd", on=date(2004, 6, 1)),
    Case(
        "eaw-dates",
        "S75",
        "IT",
        "ES",
        "extradition",
        "ets-024",
        on=date(2005, 1, 1),
        rejected={"eaw-fd": "from 2005-06-14"},
    ),
    Case("eaw-dates", "S75", "IT", "ES", "extradition", "eaw-fd", on=date(2005, 7, 1)),
    Case(
        "eaw-dates",
        "S55",
        "HR",
        "SI",
        "extradition",
        "ets-024",
        on=date(2013, 6, 1),
        rejected={"eaw-fd": "from 2013-07-01"},
    ),
    Case("eaw-dates", "S55", "HR", "SI", "extradition", "eaw-fd", on=date(2013, 8, 1)),
    # -- EIO replaces MLA between bound Member States ----------------------------------------
    Case(
        "eio-replaces",
        "S76",
        "BE",
        "NL",
        "mla",
        "eio-directive",
        includes=("eu-mla-2000", "benelux-1962", "ets-030"),
    ),
    Case("eio-replaces", "S76", "NL", "DE", "eio", "eio-directive", includes=("eu-mla-2000",)),
    Case("eio-replaces", "S76", "FR", "DE", "eio", "eio-directive"),
    Case(
        "eio-dates",
        "S45",
        "NL",
        "DE",
        "eio",
        "eu-mla-2000",
        on=date(2016, 1, 1),
        rejected={"eio-directive": "applies from 2017-05-22"},
    ),
    Case(
        "eio-dates",
        "S45",
        "NL",
        "DE",
        "mla",
        "eu-mla-2000",
        on=date(2017, 6, 1),
        rejected={"eio-directive": "not in force for NL on 2017-06-01: from 2017-06-17"},
    ),
    Case("eio-dates", "S45", "NL", "DE", "mla", "eio-directive", on=date(2017, 6, 20)),
    Case(
        "eio-dates",
        "S76",
        "AT",
        "DE",
        "mla",
        "eu-mla-2000",
        on=date(2018, 3, 1),
        rejected={"eio-directive": "not in force for AT on 2018-03-01: from 2018-07-01"},
    ),
    Case(
        "eio-dk-ie",
        "S49",
        "NL",
        "IE",
        "mla",
        "eu-mla-2000",
        rejected={"eio-directive": "IE is not a party"},
    ),
    Case(
        "eio-dk-ie",
        "S49",
        "DK",
        "SE",
        "mla",
        "eu-mla-2000",
        rejected={"eio-directive": "DK is not a party"},
    ),
    Case(
        "eio-dk-ie",
        "S49",
        "NL",
        "IE",
        "eio",
        "eu-mla-2000",
        rejected={"eio-directive": "IE is not a party"},
    ),
    # -- measures: freezing, confiscation, transfer, JIT, provisional arrest ------------------
    Case("freezing", "S12", "NL", "DE", "freezing", "reg-2018-1805"),
    Case(
        "freezing",
        "S12",
        "NL",
        "DE",
        "freezing",
        "un-vienna-1988",  # NL and DE dates both sourced now (S1003): Vienna 1988 confirmed
        on=date(2019, 6, 1),
        includes=("untoc",),
        rejected={"reg-2018-1805": "applies from 2020-12-19"},
    ),
    Case(
        "freezing",
        "S12",
        "DK",
        "SE",
        "freezing",
        "un-vienna-1988",
        offences=DRUGS,
        rejected={"reg-2018-1805": "DK is not a party"},
        articles=("Art. 5",),
    ),
    Case("freezing", "S12", "FR", "IT", "confiscation", "reg-2018-1805"),
    Case(
        "freezing",
        "S88",
        "NL",
        "CO",
        "confiscation",
        "uncac",
        offences=("corruption",),
        articles=("Art. 55", "Art. 54"),
    ),
    Case(
        "freezing",
        "S86",
        "NL",
        "US",
        "freezing",
        "untoc",
        offences=LAUNDERING,
        organised_group=True,
        articles=(
            "Art. 13 (international cooperation for confiscation)",
            "Art. 12 (seizure and confiscation)",
        ),
    ),
    Case(
        "transfer",
        "S84",
        "NL",
        "BE",
        "transfer-of-proceedings",
        "reg-2024-3011",
        on=date(2027, 3, 1),
    ),
    Case(
        "transfer",
        "S84",
        "NL",
        "BE",
        "transfer-of-proceedings",
        "un-vienna-1988",
        offences=DRUGS,
        rejected={"reg-2024-3011": "applies from 2027-02-01"},
        unknown=("ets-073",),
        articles=("Art. 8",),
    ),
    Case(
        "transfer",
        "S1013",  # DK and NL: ETS 073 parties (1978, 1985); DK is not bound by Reg. 2024/3011
        "NL",
        "DK",
        "transfer-of-proceedings",
        "ets-073",
        on=date(2027, 3, 1),
        offences=DRUGS,
        rejected={"reg-2024-3011": "DK is not a party"},
        includes=("un-vienna-1988",),
    ),
    Case(
        "transfer",
        "S86",
        "NL",
        "CO",
        "transfer-of-proceedings",
        "untoc",
        offences=("participation-in-criminal-organisation",),
        articles=("Art. 21",),
    ),
    Case("jit", "S17", "NL", "BE", "jit", "eu-mla-2000", includes=("jit-fd-2002-465", "ets-182")),
    Case(
        "jit",
        "S86",
        "NL",
        "CO",
        "jit",
        "untoc",
        offences=("participation-in-criminal-organisation",),
        articles=("Art. 19",),
    ),
    Case(
        "jit",
        "S87",
        "NL",
        "CO",
        "jit",
        "un-vienna-1988",
        offences=DRUGS,
        articles=("Art. 9(1)(c)",),
    ),
    Case("jit", "S20", "NL", "US", "jit", "eu-us-mla", articles=("Art. 5",)),
    Case(
        "provisional-arrest",
        "S86",
        "CO",
        "NL",
        "provisional-arrest",
        "untoc",
        offences=("participation-in-criminal-organisation",),
        articles=("Art. 16(9)",),
    ),
    Case(
        "provisional-arrest",
        "S87",
        "NL",
        "CO",
        "provisional-arrest",
        "un-vienna-1988",
        offences=DRUGS,
        articles=("Art. 6(8)",),
    ),
    # -- requested-state profiles --------------------------------------------------------------
    Case(
        "nl-treaty",
        "S30",
        "CO",
        "NL",
        "extradition",
        "un-vienna-1988",
        offences=DRUGS,
        rejected={"reciprocity": "Constitution Art. 2(3)", "nl-co-extradition": "negotiated"},
    ),
    Case(
        "nl-treaty",
        "S30",
        "CO",
        "NL",
        "extradition",
        None,
        offences=("fraud",),
        organised_group=True,
        max_penalty_years=3,
        rejected={"untoc": "not a serious crime", "reciprocity": "treaty"},
    ),
    Case(
        "nl-treaty",
        "S30",
        "AR",
        "NL",
        "extradition",
        "un-vienna-1988",
        rejected={"reciprocity": "NL needs a treaty basis"},
    ),
    Case(
        "us-treaty",
        "S77",
        "CO",
        "US",
        "extradition",
        "us-co-extradition-1979",
        rejected={"reciprocity": "18 U.S.C. §3181(a)"},
        certainty=Certainty.UNCERTAIN,
    ),
    Case(
        "us-treaty",
        "S77",
        "NL",
        "US",
        "extradition",
        "us-nl-extradition-1980",
        rejected={"reciprocity": "§3181"},
    ),
    Case(
        "us-treaty",
        "S77",
        "EC",
        "US",
        "provisional-arrest",
        "us-ec-extradition-1872",
        rejected={"reciprocity": "§3181"},
    ),
    Case(
        "co-domestic",
        "S79",
        "NL",
        "CO",
        "extradition",
        "un-vienna-1988",
        offences=DRUGS,
        includes=("co-ley-906",),
        absent=("reciprocity",),
    ),
    Case(
        "co-domestic",
        "S79",
        "NL",
        "CO",
        "extradition",
        "co-ley-906",
        offences=("fraud",),
        max_penalty_years=2,
        absent=("reciprocity",),
        rejected={"untoc": "not a serious crime"},
    ),
    Case(
        "us-co-disputed",
        "S78",
        "US",
        "CO",
        "extradition",
        "un-vienna-1988",
        offences=DRUGS,
        includes=("us-co-extradition-1979", "co-ley-906"),
        note="disputed",
    ),
    Case(
        "reciprocity",
        "S91",
        "NL",
        "AR",
        "extradition",
        "reciprocity",
        offences=("fraud",),
        max_penalty_years=2,
        certainty=Certainty.CONFIRMED,
    ),
    Case(
        "reciprocity",
        "S53",
        "JP",
        "BR",
        "mla",
        "reciprocity",
        offences=("fraud",),
        max_penalty_years=2,
        certainty=Certainty.UNCERTAIN,
    ),
    # -- the Kingdom of the Netherlands -----------------------------------------------------
    Case(
        "kingdom",
        "S72",
        "NL",
        "AW",
        "extradition",
        "intra-kingdom",
        absent=("un-vienna-1988", "reciprocity"),
    ),
    Case("kingdom", "S72", "NL", "CW", "mla", "intra-kingdom"),
    Case("kingdom", "S72", "SX", "NL", "provisional-arrest", "intra-kingdom"),
    Case("kingdom", "S72", "CW", "SX", "mla", "intra-kingdom"),
    Case("kingdom", "S73", "BQ", "NL", "mla", "intra-kingdom"),
    Case("kingdom-territorial", "S69", "CW", "ES", "extradition", "ets-024"),
    Case(
        "kingdom-territorial",
        "S69",
        "CW",
        "FR",
        "extradition",
        "un-vienna-1988",
        unknown=("ets-024",),
    ),
    Case(
        "kingdom-territorial",
        "S71",
        "AW",
        "CO",
        "extradition",
        "un-vienna-1988",
        offences=DRUGS,
        includes=("co-ley-906",),
    ),
    Case("kingdom-territorial", "S71", "AW", "US", "mla", "un-vienna-1988", offences=DRUGS),
    # -- offence scope as the conventions define it ------------------------------------------
    Case(
        "scope-untoc",
        "S86",
        "NL",
        "CO",
        "extradition",
        "un-vienna-1988",
        offences=DRUGS,
        organised_group=True,
        includes=("untoc",),
    ),
    Case(
        "scope-untoc",
        "S86",
        "NL",
        "CO",
        "extradition",
        "untoc",
        offences=("fraud",),
        organised_group=True,
        max_penalty_years=6,
    ),
    Case(
        "scope-untoc",
        "S86",
        "CO",
        "NL",
        "extradition",
        None,
        offences=("fraud",),
        organised_group=False,
        max_penalty_years=6,
        rejected={"untoc": "no organised criminal group"},
    ),
    Case(
        "scope-untoc", "S86", "NL", "CO", "mla", "untoc", offences=LAUNDERING, organised_group=True
    ),
    Case(
        "scope-untoc",
        "S86",
        "BR",
        "PT",
        "mla",
        "untoc",
        offences=("obstruction-of-justice",),
        organised_group=True,
        includes=("uncac",),
    ),
    Case(
        "scope-vienna",
        "S87",
        "NL",
        "CO",
        "mla",
        "un-vienna-1988",
        offences=(*LAUNDERING, *DRUGS),
    ),
    Case(
        "scope-vienna",
        "S87",
        "NL",
        "CO",
        "mla",
        "un-vienna-1988",
        offences=LAUNDERING,
        organised_group=False,
        rejected={"untoc": "no organised criminal group"},
        includes=("uncac",),
    ),
    Case("scope-uncac", "S88", "NL", "CO", "mla", "uncac", offences=(*LAUNDERING, "corruption")),
    Case(
        "scope-uncac",
        "S88",
        "NL",
        "US",
        "extradition",
        "us-nl-extradition-1980",
        offences=("corruption",),
        includes=("uncac",),
        rejected={"un-vienna-1988": "scope"},
    ),
    Case(
        "scope-uncac",
        "S88",
        "BR",
        "PT",
        "extradition",
        "un-vienna-1988",
        offences=DRUGS,
        rejected={"uncac": "outside its scope"},
    ),
    # -- Inter-American conventions and bilateral treaties ------------------------------------
    Case("oas", "S80", "EC", "US", "mla", "oas-a55", includes=("oas-a59",)),
    Case("oas", "S80", "CO", "US", "mla", "oas-a55"),
    Case("bilateral", "S38", "US", "PE", "extradition", "us-pe-extradition-2001"),
    Case("bilateral", "S85", "US", "NL", "mla", "us-nl-mla-1981", includes=("eu-us-mla",)),
    Case("bilateral", "S35", "ES", "CO", "mla", "es-co-mla-1997", certainty=Certainty.UNCERTAIN),
    Case("bilateral", "S50", "CO", "PE", "mla", "co-pe-mla-1994", includes=("oas-a55",)),
    Case("bilateral", "S37", "SE", "EC", "mla", "se-ec-mla-notes"),
    Case(
        "third-state-surrender",
        "S97",
        "NL",
        "GB",
        "extradition",
        "eu-uk-tca-surrender",
        rejected={"benelux-1962": "GB is not a party"},
        includes=("ets-024",),
    ),
    Case(
        "third-state-surrender",
        "S97",
        "GB",
        "NL",
        "eaw",
        "eu-uk-tca-surrender",
        rejected={"eaw-fd": "GB is no longer bound from 2021-01-01"},
    ),
    Case(
        "third-state-surrender",
        "S97",
        "NL",
        "GB",
        "provisional-arrest",
        "eaw-fd",
        on=date(2020, 6, 1),
        rejected={"eu-uk-tca-surrender": "from 2021-01-01", "ets-024": "replaced"},
    ),
    Case(
        "third-state-surrender",
        "S98",
        "NO",
        "SE",
        "provisional-arrest",
        "eu-is-no-surrender",
        rejected={"eaw-fd": "NO is not a party"},
    ),
]


def _resolve(case: Case) -> Resolution:
    return resolve_basis(
        case.requesting,
        case.requested,
        case.kind,
        case.on,
        case.offences,
        organised_group=case.organised_group,
        max_penalty_years=case.max_penalty_years,
    )


@pytest.mark.parametrize("case", CASES, ids=str)
def test_matrix(case: Case) -> None:
    result = _resolve(case)
    ids = [b.instrument_id for b in result.bases]
    if case.first is None:
        assert ids == [], f"expected no basis, got {ids}"
        assert any("No instrument" in note or "cannot settle" in note for note in result.notes)
    else:
        assert ids and ids[0] == case.first, f"first basis {ids[:1]}, expected {case.first}"
    rejected = {r.instrument_id: r.reason for r in result.rejected}
    for instrument_id, fragment in case.rejected.items():
        assert instrument_id in rejected, f"{instrument_id} not rejected: {ids} {rejected}"
        assert fragment in rejected[instrument_id], rejected[instrument_id]
    for instrument_id in case.unknown:
        assert instrument_id in result.unknown_ids(), result.unknown_ids()
        reason = next(u.reason for u in result.unknown if u.instrument_id == instrument_id)
        assert "the catalogue does not know" in reason and "check" in reason
    for instrument_id in case.absent:
        assert instrument_id not in ids
    for instrument_id in case.includes:
        assert instrument_id in ids[1:], f"{instrument_id} not offered below the first: {ids}"
    if case.certainty is not None:
        assert result.bases[0].certainty is case.certainty
    if case.articles is not None:
        assert result.bases[0].articles == case.articles
    if case.note is not None:
        assert any(case.note in note for note in result.notes), result.notes


def test_matrix_is_large_and_covers_every_rule_kind_and_source() -> None:
    assert len(CASES) >= 60
    assert {case.rule for case in CASES} == set(RULES)
    assert {case.kind for case in CASES} == {kind.value for kind in RequestKind}
    sources = default_catalogue().sources
    for case in CASES:
        assert case.source in sources, f"{case}: unknown source {case.source}"
    dated = {case.on for case in CASES}
    assert len(dated) >= 15  # dates before and after each instrument's start
    assert sum(1 for case in CASES if case.offences) >= 25


def test_untoc_scope_questions_are_asked_when_the_officer_has_not_said() -> None:
    result = resolve_basis("NL", "CO", "extradition", TODAY, ("fraud",))
    untoc = next(b for b in result.bases if b.instrument_id == "untoc")
    assert untoc.scope == "conditional"
    assert "applies only if" in untoc.why and "Art. 2(b)" in untoc.why
    assert [q.topic for q in result.questions] == ["max-penalty", "organised-group"]
    # worded for any surface: the CLI and the TUI each say where to answer
    assert not any("--" in q.text for q in result.questions)
    assert any("Art. 2(b)" in q.text for q in result.questions)
    answered = resolve_basis(
        "NL", "CO", "extradition", TODAY, ("fraud",), organised_group=True, max_penalty_years=6
    )
    assert answered.questions == ()
    assert answered.bases[0].scope == "in"
    assert "organised criminal group" in answered.bases[0].why


def test_laundering_alone_leaves_the_predicate_open() -> None:
    result = resolve_basis("NL", "CO", "mla", TODAY, LAUNDERING)
    vienna = next(b for b in result.bases if b.instrument_id == "un-vienna-1988")
    uncac = next(b for b in result.bases if b.instrument_id == "uncac")
    assert "laundering of the proceeds of drug trafficking (Art. 3(1)(b))" in vienna.why
    assert "laundering of the proceeds of corruption (Art. 23)" in uncac.why


def test_no_ets_024_or_cets_209_clock_starts_between_eaw_states() -> None:
    from datetime import UTC, datetime

    from casecoord.treaties.deadlines import statutory_deadlines

    result = resolve_basis("NL", "DE", "provisional-arrest", TODAY)
    assert "ets-024" not in result.instrument_ids()
    assert "cets-209" not in result.instrument_ids()
    deadlines = statutory_deadlines(
        "provisional-arrest",
        result.instrument_ids(),
        "provisional-arrest",
        datetime(2026, 12, 1, 9, tzinfo=UTC),
        "NL",
        "DE",
    )
    assert not [d for d in deadlines if d.rule_id.startswith(("ets-024", "cets-209"))]
    outside = resolve_basis("NL", "CH", "provisional-arrest", TODAY)
    assert "ets-024" in outside.instrument_ids()  # Switzerland: the 1957 Convention still
