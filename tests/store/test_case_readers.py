"""The case list's index on the server carries who may read each case (0015_team_case_readers).

A filter or a page finds its cases through one index of readers' keys and words: the keys must
be exactly who case_file's policy lets read the case, follow every change to it (a team assigned
or withdrawn, an officer named or no longer named, a case re-marked), and must not be readable
by an officer: they name teams and colleagues she is not told about.

ada and cy are in team alpha, bo in team bravo (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest
from sqlalchemy import text

from casecoord.services.cases import CaseInput, CaseQuery, add_case, list_cases, update_case
from casecoord.services.team import assign_case, name_officer, unassign_case
from casecoord.store.postgres import TeamStore
from tests.conftest import OFFICER_PASSWORD
from tests.pgcluster import Cluster
from tests.store.readers import OFFICER_KEYS, read_set

Open = Callable[[str], TeamStore]


def _found(store: TeamStore, words: str = "", limit: int = 50) -> list[str]:
    count, rows = list_cases(store, CaseQuery(text=words), 0, limit)
    assert count == len(rows) or limit < count  # the count agrees with what the pages hold
    return [r.reference for r in rows]


def _readers(admin: TeamStore, reference: str) -> list[str]:
    with admin.session() as session:
        keys = (
            session.connection()
            .execute(
                text(
                    "SELECT f.readers FROM case_filter AS f JOIN case_file AS c ON c.id = f.rowid "
                    "WHERE c.reference = :r"
                ),
                {"r": reference},
            )
            .scalar_one()
        )
    return list(keys)


def test_the_keys_follow_assignment_and_naming(officer_store: Open, admin_store: TeamStore) -> None:
    ada, bo, cy = officer_store("ada"), officer_store("bo"), officer_store("cy")
    add_case(ada, CaseInput(reference="A-7", title="Quetzal ledger", countries=["NL", "GT"]))
    assert _readers(admin_store, "A-7") == ["o:ada", "t:alpha"]  # her case, her team's
    assert _found(ada, "quetzal") == ["A-7"]
    assert _found(bo, "quetzal") == [] and _found(bo, "GT") == [] and _found(bo) == []

    assign_case(admin_store, "A-7", "bravo")  # the administrator shares it with bravo
    assert _readers(admin_store, "A-7") == ["o:ada", "t:alpha", "t:bravo"]
    assert _found(bo, "quetzal") == ["A-7"] and _found(bo, "GT") == ["A-7"]
    assert _found(bo) == ["A-7"]

    assert unassign_case(admin_store, "A-7", "bravo") == 1
    assert _readers(admin_store, "A-7") == ["o:ada", "t:alpha"]
    assert _found(bo, "quetzal") == [] and _found(bo) == []

    # a restricted case: only its creator and the officers named on it read it, not the teams
    add_case(ada, CaseInput(reference="A-8", title="Quetzal red", countries=["NL"], tlp="RED"))
    assign_case(admin_store, "A-8", "bravo")
    assert _readers(admin_store, "A-8") == ["o:ada"]
    assert _found(bo, "quetzal") == [] and _found(cy, "quetzal") == ["A-7"]
    name_officer(ada, "A-8", "bo")
    assert _readers(admin_store, "A-8") == ["o:ada", "o:bo"]
    assert _found(bo, "quetzal") == ["A-8"]
    with admin_store.transaction() as session:  # the naming withdrawn (the administrator)
        session.connection().execute(
            text("DELETE FROM need_to_know WHERE officer = 'bo' AND entity = 'case'")
        )
    assert _readers(admin_store, "A-8") == ["o:ada"]
    assert _found(bo, "quetzal") == []
    # re-marked AMBER, the case is its teams' again
    update_case(ada, "A-8", {"tlp": "AMBER"})
    assert _readers(admin_store, "A-8") == ["o:ada", "t:alpha", "t:bravo"]
    assert _found(bo, "quetzal") == ["A-8"] and _found(cy, "quetzal") == ["A-8", "A-7"]


def test_the_keys_are_exactly_who_may_read_each_case(
    officer_store: Open, admin_store: TeamStore
) -> None:
    """For every case and every officer: the keys overlap hers exactly when the server lets
    her read the case (case_file's own policy), across markings, teams and namings."""
    ada, bo, cy = officer_store("ada"), officer_store("bo"), officer_store("cy")
    marks = [{}, {"tlp": "RED"}, {"handling_code": "H3"}, {"tlp": "GREEN"}]
    for i, mark in enumerate(marks):
        add_case(ada, CaseInput(reference=f"A-{i}", title="Tapir", countries=["NL"], **mark))
        add_case(bo, CaseInput(reference=f"B-{i}", title="Tapir", countries=["BE"], **mark))
    assign_case(admin_store, "A-1", "bravo")
    assign_case(admin_store, "B-0", "alpha")
    name_officer(ada, "A-2", "cy")
    name_officer(bo, "B-3", "ada")
    officers = {"ada": ada, "bo": bo, "cy": cy}
    for name, store in officers.items():
        allowed = read_set(store, "SELECT reference FROM case_file")  # what the policy lets in
        keyed = read_set(
            admin_store,
            "SELECT c.reference FROM case_file AS c JOIN case_filter AS f ON f.rowid = c.id "
            f"WHERE f.readers && {OFFICER_KEYS}",
            me=name,
        )
        assert keyed == allowed, name
        assert set(_found(store, "tapir")) == allowed, name
    assert sorted(_found(cy, "tapir")) == ["A-0", "A-2", "A-3", "B-0"]


def test_an_officer_reads_the_index_text_but_not_its_keys(
    officer_store: Open, pg_cluster: Cluster, pg_database: str
) -> None:
    ada = officer_store("ada")
    add_case(ada, CaseInput(reference="A-9", title="Marlin", countries=["NL"]))
    name_officer(ada, "A-9", "bo")  # bo may see the case, not that ada's team holds it too
    with psycopg.connect(
        pg_cluster.conninfo(pg_database, "bo", OFFICER_PASSWORD), autocommit=True
    ) as conn:
        assert conn.execute("SELECT count(*) FROM case_filter").fetchone() == (1,)
        assert conn.execute("SELECT doc LIKE 'A-9 Marlin%' FROM case_filter").fetchone() == (True,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT readers FROM case_filter")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE case_filter SET readers = '{t:bravo}'")


def test_pages_from_the_walk_and_from_the_index_are_the_same_order(
    officer_store: Open, admin_store: TeamStore
) -> None:
    """A page the order's prefix fills and one it does not (fewer matches than a page) both
    come out newest first, each case once, and only the officer's."""
    ada, bo = officer_store("ada"), officer_store("bo")
    for i in range(30):
        add_case(ada, CaseInput(reference=f"A-{i:02d}", title=f"Condor {i}", countries=["NL"]))
        if i % 3 == 0:
            add_case(bo, CaseInput(reference=f"B-{i:02d}", title=f"Condor {i}", countries=["BE"]))
    newest_first = [f"A-{i:02d}" for i in reversed(range(30))]
    assert _found(ada, "condor", limit=10) == newest_first[:10]  # the walk fills it
    count, rows = list_cases(ada, CaseQuery(text="condor"), 20, 10)
    assert count == 30 and [r.reference for r in rows] == newest_first[20:]
    assert _found(bo, "condor") == [f"B-{i:02d}" for i in reversed(range(0, 30, 3))]
    assert _found(bo, "condor B-27") == ["B-27"]  # fewer than a page: from the index
    assert _found(ada, "condor A-27") == ["A-27"]
    assert _found(ada, "condor B-27") == []
