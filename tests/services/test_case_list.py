"""The case list pages through SQL and filters through the trigram index."""

from __future__ import annotations

from casecoord.services.cases import (
    COUNT_CAP,
    CaseInput,
    CaseQuery,
    add_case,
    add_note,
    count_label,
    list_cases,
)
from casecoord.services.demo import bulk_load
from casecoord.services.search import search
from casecoord.vault.vault import UnlockedVault


def test_pages_are_disjoint_and_complete(vault: UnlockedVault) -> None:
    bulk_load(vault, 1200)
    seen: list[str] = []
    offset = 0
    while True:
        total, rows = list_cases(vault, CaseQuery(sort="reference", descending=False), offset, 100)
        if not rows:
            break
        seen.extend(r.reference for r in rows)
        offset += len(rows)
    # a vault counts them all; a team store stops at its cap and says so
    if isinstance(vault, UnlockedVault):
        assert total == 1200 and count_label(vault, total) == "1200"
    else:
        assert total == COUNT_CAP + 1 and count_label(vault, total) == f"{COUNT_CAP}+"
    assert seen == sorted(seen) and len(set(seen)) == 1200


def test_filter_matches_substrings_of_any_listed_field(vault: UnlockedVault) -> None:
    add_case(
        vault,
        CaseInput(
            reference="NL-2026-0042",
            title="Containers Guayaquil to Rotterdam",
            countries=["NL", "EC"],
            offences=["illicit-trafficking-narcotic-drugs"],
        ),
    )
    add_case(
        vault,
        CaseInput(
            reference="BE-2026-0007",
            title="Underground banking",
            countries=["BE", "CO"],
            offences=["laundering-of-proceeds"],
        ),
    )

    def refs(text: str) -> list[str]:
        return sorted(r.reference for r in list_cases(vault, CaseQuery(text=text))[1])

    assert refs("guayaq") == ["NL-2026-0042"]
    assert refs("0007") == ["BE-2026-0007"]
    assert refs("laundering") == ["BE-2026-0007"]
    assert refs("EC") == ["NL-2026-0042"]  # two letters: substring scan of the filter text
    assert refs("intake rotter") == ["NL-2026-0042"]  # every word must match
    assert refs('"; DROP TABLE case_file; --') == []  # typed text is never SQL
    assert list_cases(vault, CaseQuery(text="banking"))[0] == 1


def test_status_filter_and_sorting(vault: UnlockedVault) -> None:
    for ref, title in (("A-1", "zulu"), ("A-2", "alpha"), ("A-3", "mike")):
        add_case(vault, CaseInput(reference=ref, title=title, countries=["NL"], status="active"))
    add_case(vault, CaseInput(reference="A-4", title="bravo", countries=["NL"]))
    _, rows = list_cases(vault, CaseQuery(status="active", sort="title", descending=False))
    assert [r.title for r in rows] == ["alpha", "mike", "zulu"]


def test_full_text_search_finds_notes_and_ignores_accents(vault: UnlockedVault) -> None:
    add_case(vault, CaseInput(reference="NL-FTS-1", title="Harbour", countries=["NL"]))
    add_note(vault, "NL-FTS-1", "Meeting with fiscal Quiñones about the ledger photos")
    hits = search(vault, "quinones ledger")
    assert [(h.kind, h.case_ref) for h in hits] == [("note", "NL-FTS-1")]
    assert "[" in hits[0].snippet  # the match is highlighted
    assert search(vault, 'AND OR "(') == []  # FTS syntax typed by the officer is harmless


def test_the_bulk_demo_fills_every_table_in_proportion(vault: UnlockedVault) -> None:
    from sqlalchemy import text

    summary = bulk_load(vault, 400)
    assert (summary.persons, summary.contacts) == (800, 20)
    with vault.session() as session:

        def count(sql: str) -> int:
            return int(session.exec(text(sql)).one()[0])  # type: ignore[call-overload]

        assert count("select count(*) from deadline where state = 'open'") == 200
        assert count("select count(*) from deadline where state = 'met'") == 40
        assert count("select count(*) from attachment") == 40
        assert count("select count(*) from note") == 400
