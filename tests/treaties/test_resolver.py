"""The resolver explains its answer: articles, channel, language, why, and why not the rest.

The first basis for each pair, kind, date and offence is pinned by the legal matrix
(``test_legal_matrix.py``); these tests pin what an answer carries.
"""

from __future__ import annotations

from datetime import date

import pytest

from casecoord.domain.enums import Channel, RequestKind
from casecoord.treaties.resolver import BasisTier, Certainty, resolve_basis

TODAY = date(2026, 12, 1)  # after the catalogue's facts_as_of: in-force statuses are confirmed


def test_nl_co_extradition_explains_itself() -> None:
    result = resolve_basis("NL", "CO", RequestKind.EXTRADITION, TODAY, ["drugs"])
    vienna = result.bases[0]
    assert vienna.instrument_id == "un-vienna-1988"
    assert vienna.articles == ("Art. 6",)
    assert vienna.tier is BasisTier.UN
    assert vienna.language == "Spanish" and vienna.languages == ("es",)
    assert "offence within its scope (drug trafficking, Art. 3(1)(a))" in vienna.why
    colombian_law = result.bases[-1]
    assert colombian_law.tier is BasisTier.DOMESTIC_LAW
    assert "Constitution Art. 35" in colombian_law.articles
    assert "reciprocity" not in [b.instrument_id for b in result.bases]
    assert result.instrument_ids()[0] == "un-vienna-1988"
    assert "co-ley-906" not in result.instrument_ids()  # no treaty clocks for domestic law
    assert "nl-co-extradition" in result.rejected_ids()


def test_requesting_state_that_needs_a_treaty_cannot_promise_reciprocity() -> None:
    result = resolve_basis("NL", "JP", RequestKind.EXTRADITION, TODAY, ["fraud"])
    reciprocity = result.bases[-1]
    assert reciprocity.instrument_id == "reciprocity"
    assert reciprocity.certainty is Certainty.UNCERTAIN
    assert any("NL cannot promise reciprocity" in c for c in reciprocity.caveats)


def test_bases_carry_channel_language_and_sources() -> None:
    result = resolve_basis("BE", "NL", "eio", TODAY)
    eio = result.bases[0]
    assert eio.channels == (Channel.DIRECT_JUDICIAL,)
    assert eio.languages == ("nl", "en")
    assert eio.status == "in-force"
    assert "S45" in eio.sources
    assert eio.why.startswith("EU instrument binding both BE and NL")
    assert "Art. 34(1)" in eio.why


def test_uncertain_basis_says_so_in_its_why_line_and_caveats() -> None:
    result = resolve_basis("ES", "CO", "mla", TODAY)
    bilateral = result.bases[0]
    assert "uncertain" in bilateral.why
    assert any("uncertain" in c for c in bilateral.caveats)


def test_same_state_on_both_sides_is_refused() -> None:
    with pytest.raises(ValueError, match="differ"):
        resolve_basis("NL", "nl", "mla", TODAY)


def test_lowercase_country_codes_are_accepted() -> None:
    result = resolve_basis("nl", "be", "eaw", TODAY)
    assert result.requesting == "NL" and result.bases[0].instrument_id == "eaw-fd"
