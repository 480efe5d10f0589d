"""Snapshot tests: every screen of ``casecoord/tui/screens`` as the officer sees it at 100x30.

The SVGs live in ``__snapshots__/``; ``pytest --snapshot-update`` rewrites them after an
intended change. Each screen is shown on a vault whose content does not depend on today's date
or the clock (a fixed folder, one case, no timestamps on screen), so a snapshot changes only
when the screen does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from casecoord.services.cases import CaseInput, PersonInput, add_case, add_person
from casecoord.tui.app import make_app
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.exchange import ExchangeScreen
from casecoord.tui.screens.help import HelpScreen
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.tui.screens.settings import SettingsScreen
from casecoord.tui.screens.treaties import TreatyScreen
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault
from tests.conftest import PASSPHRASE
from tests.tui.conftest import HostApp, settle, wait_until

SIZE = (100, 30)
FIXED_ROOT = Path("/tmp/casecoord-snapshot-vault")  # noqa: S108 (shown on the unlock screen)
CASE = "NL-2026-0042"

SnapCompare = Callable[..., bool]


@pytest.fixture
def fixed_vault() -> Iterator[UnlockedVault]:
    shutil.rmtree(FIXED_ROOT, ignore_errors=True)
    vault, _ = create_vault(FIXED_ROOT, PASSPHRASE, FAST_TEST_PARAMS)
    add_case(
        vault,
        CaseInput(
            reference=CASE,
            title="Op. Harbour: cocaine in banana containers",
            countries=["NL", "CO"],
            offences=["illicit-trafficking-narcotic-drugs"],
        ),
    )
    add_person(vault, CASE, PersonInput(family_name="Restrepo", given_names="Iván"))
    try:
        yield vault
    finally:
        vault.close()
        shutil.rmtree(FIXED_ROOT, ignore_errors=True)


def _basis_folds_counted(app: Any) -> bool:
    """The request editor's basis answer arrives after its data: its folds then carry counts."""
    from textual.css.query import NoMatches
    from textual.widgets import Collapsible

    try:
        fold = app.screen.query_one("#basis-fold-rejected", Collapsible)
    except NoMatches:
        return True  # not the request editor
    return str(fold.title).endswith(")") or fold.has_class("basis-hidden")


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await wait_until(pilot, lambda: _basis_folds_counted(pilot.app))
    # The editor's scope fields, filled on load, may ask for the basis once more: let that
    # answer land too before the picture is taken.
    await settle(pilot)
    await wait_until(pilot, lambda: _basis_folds_counted(pilot.app))


def _on(vault: UnlockedVault, build: Callable[[], Screen[Any]]) -> HostApp:
    return HostApp(vault, build)


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("case_detail", lambda: CaseDetailScreen(CASE)),
        ("request_editor", lambda: RequestEditorScreen(CASE, today=date(2026, 12, 1))),
        ("treaties", TreatyScreen),
        ("exchange", ExchangeScreen),
        ("settings", SettingsScreen),
    ],
)
def test_screen_snapshot(
    name: str,
    build: Callable[[], Screen[Any]],
    fixed_vault: UnlockedVault,
    snap_compare: SnapCompare,
) -> None:
    assert snap_compare(_on(fixed_vault, build), terminal_size=SIZE, run_before=_settled), name


def test_help_snapshot(fixed_vault: UnlockedVault, snap_compare: SnapCompare) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(HelpScreen(pilot.app.screen))
        await settle(pilot)

    app = _on(fixed_vault, SettingsScreen)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_help)


def test_create_vault_snapshot(snap_compare: SnapCompare) -> None:
    assert snap_compare(
        make_app(Path("/srv/casecoord/new-vault")), terminal_size=SIZE, run_before=_settled
    )


def test_unlock_snapshot(fixed_vault: UnlockedVault, snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(FIXED_ROOT), terminal_size=SIZE, run_before=_settled)
