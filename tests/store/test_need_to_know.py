"""Need-to-know is the server's: two officers of different teams, and one cannot read, list,
search, report on or export the other's case, through casecoord or with hand-written SQL.

ada and cy are in team alpha, bo in team bravo (tests/conftest.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from casecoord.domain.errors import NotFoundError
from casecoord.services.attachments import add_attachment_stream
from casecoord.services.cases import (
    CaseInput,
    CaseQuery,
    PersonInput,
    add_case,
    add_note,
    add_person,
    get_case,
    list_cases,
)
from casecoord.services.deadlines import add_deadline
from casecoord.services.exchange import export_bundle
from casecoord.services.identity_store import create_identity
from casecoord.services.reports import build_report
from casecoord.services.requests import RequestInput, add_request, get_request, list_requests
from casecoord.services.search import search
from casecoord.services.team import assign_case, name_officer
from casecoord.store.postgres import TeamStore
from tests.conftest import OFFICER_PASSWORD
from tests.pgcluster import Cluster

Open = Callable[[str], TeamStore]

# every table that holds case data, and the search and filter indexes over it
CASE_TABLES = (
    "case_file",
    "request",
    "note",
    "person",
    "attachment",
    "attachment_chunk",
    "deadline",
    "search_index",
    "case_filter",
    "case_team",
)


def _seed_case(store: TeamStore, ref: str, word: str, **marks: str) -> str:
    add_case(
        store, CaseInput(reference=ref, title=f"{word} harbour", countries=["NL", "CO"], **marks)
    )
    add_request(
        store,
        RequestInput(
            reference=f"{ref}-R1",
            case_ref=ref,
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            facts=f"The {word} shipment left Buenaventura.",
        ),
    )
    add_note(store, ref, f"Informant mentions {word} again")
    add_person(store, ref, PersonInput(family_name=f"{word.title()}son", given_names="Ana"))
    add_attachment_stream(store, ref, io.BytesIO(f"{word} ledger".encode()), "ledger.txt")
    add_deadline(store, ref, f"{word} follow-up", datetime.now(UTC) + timedelta(days=10))
    return f"{ref}-R1"


def _sql(cluster: Cluster, database: str, officer: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(cluster.conninfo(database, officer, OFFICER_PASSWORD), autocommit=True)


@pytest.fixture
def two_teams(officer_store: Open) -> tuple[TeamStore, TeamStore, TeamStore]:
    ada, bo, cy = officer_store("ada"), officer_store("bo"), officer_store("cy")
    _seed_case(ada, "A-1", "zanzibar")
    return ada, bo, cy


def test_the_other_team_cannot_list_show_search_or_report(two_teams: tuple[TeamStore, ...]) -> None:
    ada, bo, cy = two_teams
    assert [r.reference for r in list_cases(ada, CaseQuery())[1]] == ["A-1"]
    assert list_cases(bo, CaseQuery()) == (0, [])
    assert list_cases(bo, CaseQuery(text="zanzibar"))[0] == 0
    with pytest.raises(NotFoundError):
        get_case(bo, "A-1")
    with pytest.raises(NotFoundError):
        get_request(bo, "A-1-R1")
    assert list_requests(bo) == []
    assert search(bo, "zanzibar") == []
    assert search(bo, "ledger") == []
    assert len(search(ada, "zanzibar")) >= 3  # case, request, note: the index holds them
    report = build_report(bo)
    assert report.open_total == 0 and report.open_requests == ()
    assert build_report(ada).open_total == 1
    # a colleague of the same team sees it all
    assert get_case(cy, "A-1").case.reference == "A-1"
    assert [h.case_ref for h in search(cy, "zanzibar")][0] == "A-1"


def test_the_other_team_cannot_export_it(two_teams: tuple[TeamStore, ...], tmp_path: Path) -> None:
    _ada, bo, _cy = two_teams
    create_identity(bo, "Bo Officer", "Bravo desk", "NL")
    with pytest.raises(NotFoundError):
        export_bundle(bo, "A-1-R1", tmp_path / "out.asice")
    assert not (tmp_path / "out.asice").exists()


def test_hand_written_sql_sees_and_changes_nothing(
    two_teams: tuple[TeamStore, ...], pg_cluster: Cluster, pg_database: str
) -> None:
    with _sql(pg_cluster, pg_database, "bo") as conn:
        for table in CASE_TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
        assert conn.execute(
            "SELECT count(*) FROM audit_entry WHERE case_ref = 'A-1'"
        ).fetchone() == (0,)
        assert (
            conn.execute("UPDATE case_file SET title = 'taken' WHERE reference = 'A-1'").rowcount
            == 0
        )
        assert conn.execute("DELETE FROM request").rowcount == 0
        assert conn.execute("DELETE FROM case_file").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO case_team(case_id, team) SELECT 1, 'bravo'")
        for statement in (
            "DELETE FROM audit_entry",
            "UPDATE audit_entry SET actor = 'someone else'",
            "INSERT INTO audit_entry SELECT * FROM audit_entry LIMIT 0",
            "ALTER TABLE case_file DISABLE ROW LEVEL SECURITY",
            "INSERT INTO team_member(team, officer) VALUES ('alpha', 'bo')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with _sql(pg_cluster, pg_database, "ada") as conn:
        assert conn.execute("SELECT title FROM case_file").fetchall() == [("zanzibar harbour",)]


def test_assigning_the_case_to_a_team_opens_it_to_that_team(
    two_teams: tuple[TeamStore, ...], admin_store: TeamStore
) -> None:
    ada, bo, _cy = two_teams
    with pytest.raises(NotFoundError, match="no team"):
        assign_case(admin_store, "A-1", "charlie")
    assign_case(admin_store, "A-1", "bravo")
    assert [r.reference for r in list_cases(bo, CaseQuery())[1]] == ["A-1"]
    assert get_request(bo, "A-1-R1").case_ref == "A-1"
    assert search(bo, "zanzibar")


def test_the_index_functions_return_only_what_the_caller_may_see(
    two_teams: tuple[TeamStore, ...], pg_cluster: Cluster, pg_database: str
) -> None:
    # the filter, count and search functions read the index tables without row-level security
    # (0012_team_search); called by hand they still give the other team nothing
    ada, bo, _cy = two_teams
    assert [r.reference for r in list_cases(ada, CaseQuery(text="zanzibar"))[1]] == ["A-1"]
    assert list_cases(ada, CaseQuery(text="zanzibar"))[0] == 1
    calls = {
        "SELECT count(*) FROM casecoord_case_page(ARRAY['%zanzibar%'], 'updated', true, 50, 0)": 0,
        "SELECT casecoord_case_count(ARRAY['%zanzibar%'], 10)": 0,
        "SELECT casecoord_case_count(ARRAY[]::text[], 10)": 0,
        "SELECT count(*) FROM casecoord_search('zanzibar:*', 50, 1000)": 0,
    }
    with _sql(pg_cluster, pg_database, "bo") as conn:
        for sql, expected in calls.items():
            assert conn.execute(sql).fetchone() == (expected,), sql
    with _sql(pg_cluster, pg_database, "ada") as conn:
        assert conn.execute("SELECT casecoord_case_count(ARRAY['%zanzibar%'], 10)").fetchone() == (
            1,
        )
        assert (
            conn.execute(
                "SELECT count(*) FROM casecoord_search('zanzibar:*', 50, 1000)"
            ).fetchone()[0]
            >= 3
        )  # type: ignore[index]


def test_red_and_h3_items_only_for_the_officers_named_on_them(
    officer_store: Open, pg_cluster: Cluster, pg_database: str
) -> None:
    ada, cy = officer_store("ada"), officer_store("cy")
    _seed_case(ada, "A-2", "quokka", tlp="RED")
    _seed_case(ada, "A-3", "wombat", handling_code="H3")
    add_case(ada, CaseInput(reference="A-4", title="open case", countries=["NL"]))
    add_request(
        ada,
        RequestInput(
            reference="A-4-R9", case_ref="A-4", kind="mla", direction="outgoing",
            requesting_state="NL", requested_state="CO", facts="platypus source", tlp="RED",
        ),
    )  # fmt: skip
    # cy is in ada's team, but not named: the restricted case, and the red request inside an
    # open case, stay hidden on every path
    assert sorted(r.reference for r in list_cases(cy, CaseQuery())[1]) == ["A-4"]
    for ref in ("A-2", "A-3"):
        with pytest.raises(NotFoundError):
            get_case(cy, ref)
    with pytest.raises(NotFoundError):
        get_request(cy, "A-4-R9")
    assert (
        search(cy, "quokka") == [] and search(cy, "wombat") == [] and search(cy, "platypus") == []
    )
    with _sql(pg_cluster, pg_database, "cy") as conn:
        assert conn.execute("SELECT count(*) FROM request").fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM search_index WHERE body LIKE '%platypus%'"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM casecoord_search('platypus:*', 50, 1000)"
        ).fetchone() == (0,)
        assert conn.execute("SELECT casecoord_case_count(ARRAY['%quokka%'], 10)").fetchone() == (0,)
    # named, she sees them
    for ref in ("A-2", "A-3", "A-4-R9"):
        name_officer(ada, ref, "cy")
    assert sorted(r.reference for r in list_cases(cy, CaseQuery())[1]) == ["A-2", "A-3", "A-4"]
    assert get_request(cy, "A-4-R9").request.facts == "platypus source"
    assert [h.ref for h in search(cy, "platypus")] == ["A-4-R9"]


def test_the_audit_records_the_database_role_and_cannot_be_skipped(
    two_teams: tuple[TeamStore, ...], pg_cluster: Cluster, pg_database: str, admin_store: TeamStore
) -> None:
    from casecoord.services.audit_log import list_entries, verify

    ada, bo, _cy = two_teams
    with _sql(pg_cluster, pg_database, "ada") as conn:  # a change behind casecoord's back
        conn.execute("UPDATE case_file SET summary = 'edited by hand' WHERE reference = 'A-1'")
    entries = list_entries(ada, case_ref="A-1")
    assert {e.actor for e in entries} == {"ada"}
    assert entries[0].action == "row.update" and entries[0].entity == "case_file"
    assert any(e.action == "case.create" for e in entries)
    assert list_entries(bo, case_ref="A-1") == []
    report = verify(bo)  # the server walks the whole chain, also for an officer who sees none
    assert report.ok and report.entries == len(list_entries(admin_store, limit=10_000))
    with admin_store.engine.begin() as connection:  # the owner can rewrite a row: it shows
        from sqlalchemy import text

        connection.execute(text("UPDATE audit_entry SET actor = 'bo' WHERE seq = 2"))
    broken = verify(ada)
    assert broken.broken_at == 2 and "actor" in (broken.reason or "")


def test_an_erased_payload_without_a_purge_breaks_the_server_chain(
    two_teams: tuple[TeamStore, ...], admin_store: TeamStore
) -> None:
    from sqlalchemy import text

    from casecoord.services.audit_log import verify

    ada, _bo, _cy = two_teams
    assert verify(ada).ok
    with admin_store.engine.begin() as connection:  # the owner blanks one entry's details
        seq = connection.execute(
            text("SELECT min(seq) FROM audit_entry WHERE case_ref = 'A-1' AND payload IS NOT NULL")
        ).scalar_one()
        connection.execute(text("UPDATE audit_entry SET payload = NULL WHERE seq = :s"), {"s": seq})
    broken = verify(ada)
    assert broken.broken_at == seq and "no purge explains it" in (broken.reason or "")


def test_a_purge_runs_on_the_server_for_a_purger_only_and_keeps_the_chain_whole(
    two_teams: tuple[TeamStore, ...], admin_store: TeamStore
) -> None:
    from sqlalchemy import text

    from casecoord.domain.errors import StoreError
    from casecoord.services.audit_log import list_entries, verify
    from casecoord.services.retention import purge_expired, reference_digest
    from casecoord.services.team import set_purge_right

    ada, _bo, cy = two_teams
    with admin_store.engine.begin() as connection:  # closed, kept past its retention
        connection.execute(
            text(
                "UPDATE case_file SET status = 'closed', retention_until = current_date - 1 "
                "WHERE reference = 'A-1'"
            )
        )
    with pytest.raises(StoreError, match="not permitted"):
        purge_expired(ada)
    assert get_case(ada, "A-1").case.reference == "A-1"
    set_purge_right(admin_store, "ada", allowed=True)
    result = purge_expired(ada)
    assert result.purged == ["A-1"] and result.audit_payloads_blanked > 0
    for officer in (ada, cy):
        with pytest.raises(NotFoundError):
            get_case(officer, "A-1")
    assert search(ada, "zanzibar") == []
    purged = [e for e in list_entries(admin_store, limit=10_000) if e.action == "case.purged"]
    assert [(e.actor, e.entity_ref) for e in purged] == [("ada", reference_digest("A-1"))]
    assert verify(ada).ok  # the blanked payloads are explained by the purge entry
