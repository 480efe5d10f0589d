"""Retention in the real app: the expired badge on a lapsed case, purge only after confirming."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Label

from casecoord.domain.errors import CasecoordError
from casecoord.services.cases import CaseInput, add_case, change_case_status, get_case
from casecoord.services.retention import expired_cases
from casecoord.tui.app import CasecoordApp, make_app
from casecoord.tui.commands import CasecoordCommands
from casecoord.tui.dialogs.confirm import ConfirmDialog
from casecoord.tui.dialogs.purge import PurgeReportDialog
from casecoord.tui.screens.authorities import AuthoritiesScreen
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.reports import ReportsScreen
from casecoord.vault.vault import UnlockedVault, open_vault
from tests.conftest import PASSPHRASE
from tests.tui.conftest import settle, wait_until

LAPSED = "NL-2015-0007"
CURRENT = "NL-2026-0100"


@pytest.fixture
def retention_vault(demo_vault_dir: Path) -> Iterator[UnlockedVault]:
    unlocked = open_vault(demo_vault_dir, PASSPHRASE)
    add_case(
        unlocked,
        CaseInput(
            reference=LAPSED,
            title="Op. Old Harbour (2015)",
            countries=["NL", "EC"],
            retention_until="2020-12-31",
        ),
    )
    change_case_status(unlocked, LAPSED, "closed")
    add_case(unlocked, CaseInput(reference=CURRENT, title="Op. New", countries=["NL", "PE"]))
    try:
        yield unlocked
    finally:
        unlocked.close()


async def _entered(pilot: object, app: CasecoordApp) -> None:
    await wait_until(pilot, lambda: app.entered)  # type: ignore[arg-type]


def _badge(app: CasecoordApp) -> str:
    rendered = app.screen.query_one("#retention-badge", Label).render()
    return getattr(rendered, "plain", str(rendered))


async def test_lapsed_case_shows_an_expired_badge_and_a_current_one_its_date(
    retention_vault: UnlockedVault, demo_vault_dir: Path
) -> None:
    app = make_app(demo_vault_dir, retention_vault)
    async with app.run_test(size=(160, 50)) as pilot:
        await _entered(pilot, app)
        app.push_screen(CaseDetailScreen(LAPSED))
        await wait_until(pilot, lambda: "EXPIRED" in _badge(app))
        assert "EXPIRED 2020-12-31" in _badge(app)
        app.pop_screen()
        app.push_screen(CaseDetailScreen(CURRENT))
        await wait_until(pilot, lambda: "retain until" in _badge(app))
        assert "EXPIRED" not in _badge(app)


async def test_purge_lists_first_and_erases_only_after_the_confirmation(
    retention_vault: UnlockedVault, demo_vault_dir: Path
) -> None:
    app = make_app(demo_vault_dir, retention_vault)
    async with app.run_test(size=(160, 50)) as pilot:
        await _entered(pilot, app)
        commands = {name: run for name, _, run in CasecoordCommands(app.screen).commands()}
        assert "vault: purge expired" in commands

        commands["vault: purge expired (dry run)"]()
        await wait_until(pilot, lambda: isinstance(app.screen, PurgeReportDialog))
        listing = str(app.screen.query_one("#purge-report").render())
        assert f"• {LAPSED}" in listing and CURRENT not in listing
        app.screen.query_one("#purge-go", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Erase 1 case(s) for good" in dialog.question
        await pilot.press("n")  # keep them
        await settle(pilot)
        assert get_case(retention_vault, LAPSED).case.reference == LAPSED

        commands["vault: purge expired"]()
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(
            pilot, lambda: LAPSED not in {e.reference for e in expired_cases(retention_vault)}
        )
    with pytest.raises(CasecoordError):
        get_case(retention_vault, LAPSED)
    assert get_case(retention_vault, CURRENT).case.reference == CURRENT


async def test_keys_7_and_8_open_reports_and_authorities(
    retention_vault: UnlockedVault, demo_vault_dir: Path
) -> None:
    app = make_app(demo_vault_dir, retention_vault)
    async with app.run_test(size=(160, 50)) as pilot:
        await _entered(pilot, app)
        await pilot.press("7")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportsScreen))
        await wait_until(pilot, lambda: app.screen.report is not None)  # type: ignore[attr-defined]
        await pilot.press("8")
        await wait_until(pilot, lambda: isinstance(app.screen, AuthoritiesScreen))
        names = {name for name, _, _ in CasecoordCommands(app.screen).commands()}
        assert {"go: reports", "go: authorities", "authority: import csv"} <= names
