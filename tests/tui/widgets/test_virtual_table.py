"""The virtual table reads pages, never the whole vault; its filter queries once per pause."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from casecoord.services.cases import CaseQuery, CaseRow
from casecoord.services.demo import bulk_load
from casecoord.tui.app import make_app
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.tui.screens.case_list import CaseListScreen
from casecoord.tui.widgets import virtual_table
from casecoord.tui.widgets.virtual_table import PAGE_SIZE, RowSource, VirtualTable
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault
from tests.tui.conftest import PASSPHRASE, settle, unlock, wait_until

CASES = 5000


@pytest.fixture(scope="module")
def bulk_vault_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bulk") / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    try:
        bulk_load(vault, CASES)
    finally:
        vault.close()
    return root


@pytest.fixture
def bulk_vault(bulk_vault_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "bulk"
    shutil.copytree(bulk_vault_template, target)
    return target


class Passing:
    """The case table's own source, passed through: a test overrides the call it watches."""

    def __init__(self, real: RowSource[CaseQuery, CaseRow]) -> None:
        self.real = real

    def count(self, query: CaseQuery, cap: int) -> tuple[int, object]:
        return self.real.count(query, cap)

    def page(self, query: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
        return self.real.page(query, offset, limit)

    def whole(self, query: CaseQuery, rows: list[CaseRow]) -> tuple[int, object]:
        return self.real.whole(query, rows)


async def _case_list(pilot: Pilot[int]) -> CaseListScreen:
    """Unlock the bulk vault, open the case list (key 2) and wait for its first count."""
    await unlock(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CaseListScreen)
    await wait_until(pilot, lambda: screen.table.total == CASES)
    return screen


async def test_first_page_then_end_without_reading_everything(bulk_vault: Path) -> None:
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _case_list(pilot)
        table = screen.table
        assert table.virtual_size.height == CASES + 1
        first = screen.visible_references()
        assert first[0] == f"BULK-{CASES:07d}"  # newest first
        assert len(first) == table.scrollable_content_region.height - 1
        assert table.rows_fetched == PAGE_SIZE

        await pilot.press("end")
        await wait_until(pilot, lambda: "BULK-0000001" in screen.visible_references())
        assert screen.visible_references()[-1] == "BULK-0000001"
        assert table.current is not None and table.current.reference == "BULK-0000001"
        assert table.rows_fetched <= 3 * PAGE_SIZE
        assert table.page_fetches <= 3

        await pilot.press("home")
        await wait_until(pilot, lambda: screen.visible_references()[:1] == [f"BULK-{CASES:07d}"])
        assert table.rows_fetched < CASES // 10


async def test_sort_key_and_filter_on_bulk_vault(bulk_vault: Path) -> None:
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _case_list(pilot)
        table = screen.table
        await pilot.press("s")  # updated → reference (ascending)
        await wait_until(pilot, lambda: table.query_spec.sort == "reference")
        await wait_until(pilot, lambda: screen.visible_references()[:1] == ["BULK-0000001"])
        await pilot.press("S")
        await wait_until(pilot, lambda: screen.visible_references()[:1] == [f"BULK-{CASES:07d}"])

        await pilot.press(*"BULK-000421")
        await wait_until(pilot, lambda: table.total == 10)  # 4210 … 4219
        assert all(ref.startswith("BULK-000421") for ref in screen.visible_references())


async def test_clicking_a_header_sorts_by_that_column(bulk_vault: Path) -> None:
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        table = (await _case_list(pilot)).query_one(VirtualTable)
        await pilot.click(VirtualTable, offset=(2, 0))  # "Reference" header
        await wait_until(pilot, lambda: table.query_spec.sort == "reference")


async def test_a_word_typed_at_full_speed_queries_once(
    bulk_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a pause far longer than any key takes on a loaded machine: the burst is one burst
    monkeypatch.setattr(virtual_table, "DEBOUNCE_SECONDS", 1.0)
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _case_list(pilot)
        table = screen.table
        before = table.queries
        await pilot.press(*"BULK-000421")
        field = screen.query_one("#case-filter", Input)
        assert field.value == "BULK-000421"  # the text shows at once
        assert table.queries == before  # nothing queried while typing
        await wait_until(pilot, lambda: table.settled)
        assert table.queries == before + 1
        assert table.query_spec.text == "BULK-000421"
        assert table.total == 10
        assert all(ref.startswith("BULK-000421") for ref in screen.visible_references())


async def test_enter_in_the_filter_queries_at_once(
    bulk_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(virtual_table, "DEBOUNCE_SECONDS", 3600.0)  # only enter can query
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _case_list(pilot)
        table = screen.table
        before = table.queries
        await pilot.press(*"BULK-00042", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.queries == before + 1
        assert not table.debouncing
        assert table.total == 100  # BULK-0004200 … BULK-0004299
        assert app.focused is table


async def test_a_newer_query_wins_over_a_late_answer(bulk_vault: Path) -> None:
    """The first query's first page (read before its count) is held until the second one is
    drawn; its late answer is dropped, never drawn."""
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _case_list(pilot)
        table = screen.table
        drawn = threading.Event()

        class HeldFirst(Passing):
            """The old filter's first page waits for the new one to be drawn."""

            def page(self, query: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
                if query.text == "BULK-0001":
                    drawn.wait(timeout=60)
                return self.real.page(query, offset, limit)

        table.source = HeldFirst(table.source)
        table.set_query(CaseQuery(text="BULK-0001"))
        table.set_query(CaseQuery(text="BULK-000421"))
        await wait_until(pilot, lambda: table.settled)
        assert table.total == 10
        drawn.set()  # now the old filter's answer arrives
        await settle(pilot)
        assert table.query_spec.text == "BULK-000421"
        assert table.total == 10
        assert all(ref.startswith("BULK-000421") for ref in screen.visible_references())


async def test_a_narrow_filter_reads_one_page_and_counts_nothing(bulk_vault: Path) -> None:
    """A first page shorter than a page is the whole list: its rows are the count. A broad
    filter still counts (capped), because its first page says nothing of its length."""
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _case_list(pilot)
        table = screen.table
        counted: list[str] = []

        class Counting(Passing):
            """Notes which queries were counted."""

            def count(self, query: CaseQuery, cap: int) -> tuple[int, object]:
                counted.append(query.text)
                return self.real.count(query, cap)

        table.source = Counting(table.source)
        table.set_query(CaseQuery(text="BULK-000421"))
        await wait_until(pilot, lambda: table.settled)
        assert table.total == 10 and not table.capped
        assert counted == []
        assert all(ref.startswith("BULK-000421") for ref in screen.visible_references())
        table.set_query(CaseQuery(text="BULK-00"))
        await wait_until(pilot, lambda: table.settled)
        assert counted == ["BULK-00"]
        assert table.total == CASES  # every reference holds "BULK-00"
        table.set_query(CaseQuery(text="no such case anywhere"))
        await wait_until(pilot, lambda: table.settled)
        assert table.total == 0 and counted == ["BULK-00"]


async def test_a_failed_read_reaches_the_error_dialog(bulk_vault: Path) -> None:
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _case_list(pilot)
        screen.table.set_query(CaseQuery(sort="shoe size"))  # the read model refuses it
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert "'shoe size' is not one of" in dialog.message
        assert app.is_running


async def test_a_screen_worker_failure_reaches_the_error_dialog(bulk_vault: Path) -> None:
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _case_list(pilot)
        screen.work(lambda: int("not a number"), lambda _: None)
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.message == "unexpected error (ValueError); nothing further was changed"
