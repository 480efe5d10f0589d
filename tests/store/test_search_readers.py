"""The search index on the server carries who may read each entry (0016_team_search_readers).

Each entry's keys (its case's, and for a restricted request or person the item's own) must admit
exactly the officers search_index's policy admits, follow every change to them (a case shared or
re-marked, a request re-marked, an officer named on a request), and stay unreadable to officers.

ada and cy are in team alpha, bo in team bravo (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from casecoord.services.cases import (
    CaseInput,
    PersonInput,
    add_case,
    add_note,
    add_person,
    person_input,
    update_case,
    update_person,
)
from casecoord.services.requests import RequestInput, add_request, update_request
from casecoord.services.search import search
from casecoord.services.team import assign_case, name_officer
from casecoord.store.postgres import TeamStore
from tests.conftest import OFFICER_PASSWORD
from tests.pgcluster import Cluster
from tests.store.readers import OFFICER_KEYS, read_set

Open = Callable[[str], TeamStore]


def _request(
    store: TeamStore, case: str, ref: str, facts: str, tlp: str = "AMBER", handling_code: str = "H1"
) -> None:
    add_request(
        store,
        RequestInput(
            reference=ref,
            case_ref=case,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            facts=facts,
            tlp=tlp,
            handling_code=handling_code,
        ),
    )


def _hits(store: TeamStore, words: str) -> list[str]:
    return sorted(f"{h.kind}:{h.ref}" for h in search(store, words))


def _assert_keys_are_the_policy(officers: dict[str, TeamStore], admin: TeamStore) -> None:
    """For each officer: the entries whose keys admit her are those the policy lets her read."""
    for name, store in officers.items():
        allowed = read_set(store, "SELECT rowid FROM search_index")  # what the policy lets in
        keyed = read_set(
            admin,
            f"SELECT rowid FROM search_index WHERE readers && {OFFICER_KEYS} "
            "AND (item_readers IS NULL OR item_readers && ARRAY['o:' || :me])",
            me=name,
        )
        assert keyed == allowed, name


def test_the_keys_admit_exactly_whom_the_policy_admits(
    officer_store: Open, admin_store: TeamStore
) -> None:
    ada, bo, cy = officer_store("ada"), officer_store("bo"), officer_store("cy")
    add_case(ada, CaseInput(reference="A-1", title="Okapi", countries=["NL"]))
    add_note(ada, "A-1", "okapi note")
    _request(ada, "A-1", "A-1-R1", "okapi open facts")
    _request(ada, "A-1", "A-1-R2", "okapi red facts", tlp="RED")
    add_person(ada, "A-1", PersonInput(family_name="Okapison", handling_code="H3"))
    add_case(ada, CaseInput(reference="A-2", title="Okapi red", countries=["NL"], tlp="RED"))
    add_case(bo, CaseInput(reference="B-1", title="Okapi", countries=["BE"]))
    _request(bo, "B-1", "B-1-R1", "okapi bravo facts", handling_code="H3")
    assign_case(admin_store, "B-1", "alpha")
    name_officer(bo, "B-1-R1", "cy")
    _assert_keys_are_the_policy({"ada": ada, "bo": bo, "cy": cy}, admin_store)
    # cy: ada's open entries and the case bo shared, the restricted request she is named on;
    # not ada's TLP:RED request or case, nor the H3 person
    assert [h for h in _hits(cy, "okapi") if not h.startswith(("note:", "person:"))] == [
        "case:A-1",
        "case:B-1",
        "request:A-1-R1",
        "request:B-1-R1",
    ]
    assert not any(h.startswith("person:") for h in _hits(cy, "okapison"))
    assert any(h.startswith("person:") for h in _hits(ada, "okapison"))


def test_the_keys_follow_a_re_marking_and_a_naming(
    officer_store: Open, admin_store: TeamStore
) -> None:
    ada, cy = officer_store("ada"), officer_store("cy")
    officers = {"ada": ada, "cy": cy}
    add_case(ada, CaseInput(reference="A-5", title="Pangolin", countries=["NL"]))
    add_note(ada, "A-5", "pangolin scales in the hold")
    _request(ada, "A-5", "A-5-R1", "pangolin shipment")
    assert "request:A-5-R1" in _hits(cy, "pangolin")

    update_request(ada, "A-5-R1", {"tlp": "RED"})  # the text unchanged: only the marking
    _assert_keys_are_the_policy(officers, admin_store)
    assert "request:A-5-R1" not in _hits(cy, "pangolin")
    name_officer(ada, "A-5-R1", "cy")
    _assert_keys_are_the_policy(officers, admin_store)
    assert "request:A-5-R1" in _hits(cy, "pangolin")

    update_case(ada, "A-5", {"tlp": "RED"})  # the whole case now only hers
    _assert_keys_are_the_policy(officers, admin_store)
    assert _hits(cy, "pangolin") == []
    update_case(ada, "A-5", {"tlp": "AMBER"})
    _assert_keys_are_the_policy(officers, admin_store)
    assert "case:A-5" in _hits(cy, "pangolin") and "request:A-5-R1" in _hits(cy, "pangolin")
    assert any(h.startswith("note:") for h in _hits(cy, "scales"))

    # a person re-marked: its entry is written anew (its own trigger), and takes its keys
    person = add_person(ada, "A-5", PersonInput(family_name="Pangolinson"))
    assert any(h.startswith("person:") for h in _hits(cy, "pangolinson"))
    marked = person_input(person)
    marked.handling_code = "H3"
    update_person(ada, "A-5", person.id or 0, marked)
    _assert_keys_are_the_policy(officers, admin_store)
    assert not any(h.startswith("person:") for h in _hits(cy, "pangolinson"))


def test_an_officer_reads_the_entries_but_not_their_keys(
    officer_store: Open, pg_cluster: Cluster, pg_database: str
) -> None:
    ada = officer_store("ada")
    add_case(ada, CaseInput(reference="A-9", title="Marlin", countries=["NL"]))
    with psycopg.connect(
        pg_cluster.conninfo(pg_database, "cy", OFFICER_PASSWORD), autocommit=True
    ) as conn:
        assert conn.execute("SELECT ref FROM search_index").fetchall() == [("A-9",)]
        for column in ("readers", "item_readers"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT {column} FROM search_index")
