"""The list screens' read models: what they return, and (on a vault) that they read it through
the indexes of migrations 0013 and 0017, never a sort of every row nor a joined row per
candidate."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from casecoord.services.contacts import count_contacts, list_contacts
from casecoord.services.deadlines import DeadlineQuery, count_deadlines, list_deadlines
from casecoord.services.demo import bulk_load
from casecoord.services.reports import build_report
from casecoord.services.requests import (
    RequestQuery,
    RequestRow,
    count_requests,
    list_requests,
)
from casecoord.store import Store
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault
from tests.conftest import PASSPHRASE

CASES = 400  # 200 open deadlines, 40 met ones, 20 contacts


def _every(vault: Store, query: DeadlineQuery) -> list[Any]:
    found, offset = [], 0
    while page := list_deadlines(vault, query, limit=37, offset=offset):
        found.extend(page)
        offset += len(page)
    return found


def test_the_agenda_with_met_deadlines_is_in_due_order_page_by_page(vault: Store) -> None:
    bulk_load(vault, CASES)
    every = _every(vault, DeadlineQuery(open_only=False))
    assert (
        len(every)
        == len({v.uid for v in every})
        == count_deadlines(vault, DeadlineQuery(open_only=False)).total
    )
    assert {v.state for v in every} == {"open", "met"}
    assert [(v.due_at, v.id) for v in every] == sorted((v.due_at, v.id) for v in every)


def test_the_agenda_filters_by_case_and_country(vault: Store) -> None:
    bulk_load(vault, CASES)
    every = _every(vault, DeadlineQuery())
    needle = every[0].case_ref[-3:].lower()
    by_case = _every(vault, DeadlineQuery(case_text=needle))
    assert by_case == [v for v in every if needle in v.case_ref.lower()]
    assert count_deadlines(vault, DeadlineQuery(case_text=needle)).total == len(by_case) > 0

    by_country = _every(vault, DeadlineQuery(country="CO"))
    assert 0 < len(by_country) < len(every)
    assert count_deadlines(vault, DeadlineQuery(country="CO")).total == len(by_country)
    assert {v.uid for v in by_country} <= {v.uid for v in every}
    both = _every(vault, DeadlineQuery(country="CO", case_text=needle))
    assert both == [v for v in by_country if needle in v.case_ref.lower()]


def test_the_directory_pages_in_order_and_filters(vault: Store) -> None:
    bulk_load(vault, CASES)
    every = list_contacts(vault, limit=1000)
    assert [(c.country, c.name, c.id) for c in every] == sorted(
        (c.country, c.name, c.id) for c in every
    )
    pages = list_contacts(vault, limit=7) + list_contacts(vault, limit=7, offset=7)
    assert pages == every[:14]
    word = every[0].name.split()[0].lower()
    matching = [c for c in every if word in c.name.lower()]
    assert list_contacts(vault, word, limit=1000) == matching
    assert count_contacts(vault, word) == len(matching) > 0


def _plans(vault: UnlockedVault, read: Any) -> list[str]:
    """Every step of the query plans of the SELECTs ``read`` runs."""
    statements: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "setting" not in statement:
            statements.append((statement, params))

    event.listen(vault.engine, "before_cursor_execute", grab)
    try:
        read()
    finally:
        event.remove(vault.engine, "before_cursor_execute", grab)
    steps = []
    with vault.engine.connect() as connection:
        for statement, params in statements:
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
            steps.extend(str(row[3]) for row in plan)
    return steps


def test_the_lists_read_through_their_indexes(vault_dir: Path) -> None:
    vault, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)  # SQLCipher's planner
    try:
        _assert_plans(vault)
    finally:
        vault.close()


def _assert_plans(vault: UnlockedVault) -> None:
    bulk_load(vault, CASES)
    met = _plans(vault, lambda: list_deadlines(vault, DeadlineQuery(open_only=False), limit=100))
    assert "SCAN deadline USING COVERING INDEX ix_deadline_due" in met
    counted = _plans(
        vault, lambda: count_deadlines(vault, DeadlineQuery(case_text="bulk", country="CO"))
    )
    assert "SEARCH deadline USING COVERING INDEX ix_deadline_open (state=?)" in counted
    assert "SCAN case_file USING COVERING INDEX ix_case_file_reference" in counted
    assert any("COVERING INDEX ix_request_requested_state" in step for step in counted)
    assert not any("case_file USING INTEGER PRIMARY KEY" in step for step in counted)
    directory = _plans(vault, lambda: list_contacts(vault, "fisc", limit=100))
    assert "SCAN contact USING COVERING INDEX ix_contact_directory" in directory
    # the report's open requests read no request row (0017): 316 -> 57 ms at 60,000 requests
    report = _plans(vault, lambda: build_report(vault))
    assert "SCAN request USING COVERING INDEX ix_request_report" in report
    # a page of outgoing requests walks ix_request_list in its order (0018): no sort of them all
    outgoing = RequestQuery(direction="outgoing")
    page = _plans(vault, lambda: list_requests(vault, outgoing, 0, 100))
    assert "SEARCH request USING INDEX ix_request_list (direction=?)" in page
    assert not any("TEMP B-TREE" in step for step in page)
    filtered = _plans(vault, lambda: count_requests(vault, replace(outgoing, text="0012")))
    assert "SEARCH request USING COVERING INDEX ix_request_list (direction=?)" in filtered


def _every_request(vault: Store, query: RequestQuery) -> list[RequestRow]:
    found: list[RequestRow] = []
    while page := list_requests(vault, query, offset=len(found), limit=97):
        found.extend(page)
    return found


def test_the_outgoing_requests_page_latest_first_and_filter_by_word(vault: Store) -> None:
    """The Exchange list: pages in one order (latest change first, then id), and each word of
    the filter is in the request's or the case's reference, or is the requested state or the
    status; what is typed is text, never a LIKE pattern."""
    bulk_load(vault, CASES)
    outgoing = RequestQuery(direction="outgoing")
    every = _every_request(vault, outgoing)
    assert len(every) == count_requests(vault, outgoing, cap=100_000) > 1000
    keys = [(row.updated_at, row.id) for row in every]
    assert keys == sorted(keys, reverse=True)

    def matches(row: RequestRow, word: str) -> bool:
        return (
            word in row.reference.lower()
            or word in row.case_ref.lower()
            or word == row.requested_state.lower()
            or word == row.status
        )

    sample = every[len(every) // 2]
    for text in (sample.reference[-4:], sample.case_ref.lower(), "co", "CO 01", "%", "_"):
        query = replace(outgoing, text=text)
        expected = [r for r in every if all(matches(r, w) for w in text.lower().split())]
        assert _every_request(vault, query) == expected, text
        assert count_requests(vault, query) == len(expected), text
    assert count_requests(vault, replace(outgoing, text="%")) == 0
    assert count_requests(vault, replace(outgoing, text=sample.case_ref)) >= 1
    assert count_requests(vault, outgoing, cap=10) == 10


def test_the_dashboard_counts_every_deadline_not_one_page(
    vault: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from casecoord.services import tui_queries

    monkeypatch.setattr(tui_queries, "DASHBOARD_ROWS", 10)  # tables smaller than the vault
    bulk_load(vault, CASES)
    now = datetime.now(UTC)
    every = _every(vault, DeadlineQuery())
    overdue = [v for v in every if v.due_at < now]
    upcoming = [v for v in every if now <= v.due_at <= now + timedelta(days=14)]
    assert len(overdue) > 10 and len(upcoming) > 0
    data = tui_queries.dashboard(vault, now)
    assert data.overdue == overdue[:10]
    assert data.overdue_total.total == len(overdue)
    assert data.upcoming == upcoming[:10]
    assert data.upcoming_total.total == len(upcoming)
    weeks = [0] * 8
    for view in every:
        if now <= view.due_at < now + timedelta(days=56):
            weeks[int((view.due_at - now).total_seconds() // (7 * 86400))] += 1
    assert data.weekly == weeks


def test_a_filtered_first_page_is_the_same_whichever_way_it_is_found(
    vault: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first page of a filter tries the first deadlines through their joined rows, then the
    id sets: either way it is the filter's first rows in due order."""
    from casecoord.services import deadlines

    bulk_load(vault, CASES)
    every = _every(vault, DeadlineQuery())
    needle = every[0].case_ref[-3:].lower()
    for query in (
        DeadlineQuery(country="CO"),
        DeadlineQuery(case_text="bulk"),
        DeadlineQuery(case_text=needle),
        DeadlineQuery(country="CO", case_text=needle),
    ):
        expected = _every(vault, query)[:5]
        for probe in (3, 20, 1000):  # fewer candidates than a page, a few pages, all of them
            monkeypatch.setattr(deadlines, "PROBE_FIRST", probe)
            assert list_deadlines(vault, query, limit=5) == expected, (query, probe)
