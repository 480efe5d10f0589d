"""Help lists the keys of the current screen; the palette names actions "area: verb"."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import DataTable

from casecoord.services.settings import get_setting
from casecoord.tui.app import make_app
from casecoord.tui.commands import CasecoordCommands
from casecoord.tui.screens.case_list import CaseListScreen
from casecoord.tui.screens.help import HelpScreen
from tests.tui.conftest import settle, unlock, wait_until


async def test_help_lists_bindings_of_the_case_list(demo_vault_dir: Path) -> None:
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"New case", "Search", "Sort", "Lock", "Quit"} <= actions
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)


async def test_palette_commands_follow_the_screen(demo_vault_dir: Path) -> None:
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        provider = CasecoordCommands(app.screen)
        names = [name for name, _, _ in provider.commands()]
        assert "case: new" in names and "vault: lock" in names and "go: dashboard" in names
        assert all(": " in name for name in names)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"vault: lock")
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.vault is None)


async def test_theme_toggle_is_persisted(demo_vault_dir: Path) -> None:
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock(pilot)
        before = app.theme
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert app.theme != before
        await wait_until(pilot, lambda: get_setting(app.require_vault(), "ui.theme") == app.theme)
