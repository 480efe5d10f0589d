"""The virtual case list reads pages, never the whole vault."""

from __future__ import annotations

from pathlib import Path

import pytest

from casecoord.services.demo import bulk_load
from casecoord.tui.app import make_app
from casecoord.tui.screens.case_list import CaseListScreen
from casecoord.tui.widgets.case_table import PAGE_SIZE, CaseTable
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


async def test_first_page_then_end_without_reading_everything(bulk_vault: Path) -> None:
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        table = screen.query_one(CaseTable)
        await wait_until(pilot, lambda: table.total == CASES)
        assert table.virtual_size.height == CASES + 1
        first = table.visible_references()
        assert first[0] == f"BULK-{CASES:07d}"  # newest first
        assert len(first) == table.scrollable_content_region.height - 1
        assert table.rows_fetched == PAGE_SIZE

        await pilot.press("end")
        await wait_until(pilot, lambda: "BULK-0000001" in table.visible_references())
        assert table.visible_references()[-1] == "BULK-0000001"
        assert table.current is not None and table.current.reference == "BULK-0000001"
        assert table.rows_fetched <= 3 * PAGE_SIZE
        assert table.page_fetches <= 3

        await pilot.press("home")
        await wait_until(pilot, lambda: table.visible_references()[:1] == [f"BULK-{CASES:07d}"])
        assert table.rows_fetched < CASES // 10


async def test_sort_key_and_filter_on_bulk_vault(bulk_vault: Path) -> None:
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        table = screen.query_one(CaseTable)
        await wait_until(pilot, lambda: table.total == CASES)
        await pilot.press("s")  # updated → reference (ascending)
        await wait_until(pilot, lambda: table.query_spec.sort == "reference")
        await wait_until(pilot, lambda: table.visible_references()[:1] == ["BULK-0000001"])
        await pilot.press("S")
        await wait_until(pilot, lambda: table.visible_references()[:1] == [f"BULK-{CASES:07d}"])

        await pilot.press("f")
        await pilot.press(*"BULK-000421")
        await wait_until(pilot, lambda: table.total == 10)  # 4210 … 4219
        assert all(ref.startswith("BULK-000421") for ref in table.visible_references())


async def test_clicking_a_header_sorts_by_that_column(bulk_vault: Path) -> None:
    app = make_app(bulk_vault)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one(CaseTable)
        await wait_until(pilot, lambda: table.total == CASES)
        await pilot.click(CaseTable, offset=(2, 0))  # "Reference" header
        await wait_until(pilot, lambda: table.query_spec.sort == "reference")
