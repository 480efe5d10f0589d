"""Snapshot tests: every screen of ``casecoord/tui/screens`` as the officer sees it at 100x30.

The SVGs live in ``__snapshots__/``; ``pytest --snapshot-update`` rewrites them after an
intended change. Each screen is shown on a vault whose content does not depend on today's date
or the clock (a fixed folder, one case, no timestamps on screen), so a snapshot changes only
when the screen does. Screens that show what is due or how old something is (dashboard, reports,
authorities) read the app's wall clock, fixed here at ``FROZEN_NOW``.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from casecoord.services.authorities import import_csv
from casecoord.services.cases import CaseInput, PersonInput, add_case, add_person
from casecoord.services.deadlines import add_deadline
from casecoord.tui.app import make_app
from casecoord.tui.screens.authorities import AuthoritiesScreen
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.dashboard import DashboardScreen
from casecoord.tui.screens.exchange import ExchangeScreen
from casecoord.tui.screens.help import HelpScreen
from casecoord.tui.screens.reports import ReportsScreen
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
FROZEN_NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
AUTHORITIES_CSV = (
    "country,name,last_verified,kinds,role,email\n"
    "CO,Fiscalía General de la Nación,2026-10-15,mla;extradition,central-authority,"
    "asuntos.internacionales@example.org\n"
    'NL,"Openbaar Ministerie, Landelijk Parket (international desk)",2024-01-10,mla,'
    "competent-authority,landelijk.parket@example.org\n"
)

SnapCompare = Callable[..., bool]


@pytest.fixture
def fixed_vault() -> Iterator[UnlockedVault]:
    # The folder is fixed (the unlock screen shows it), so two test runs on one machine would
    # share it: hold a lock on it for the test's whole life.
    with open(f"{FIXED_ROOT}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _fixed_vault()


def _fixed_vault() -> Iterator[UnlockedVault]:
    shutil.rmtree(FIXED_ROOT, ignore_errors=True)
    vault, _ = create_vault(FIXED_ROOT, PASSPHRASE, FAST_TEST_PARAMS)
    add_case(
        vault,
        CaseInput(
            reference=CASE,
            title="Op. Harbour: cocaine in banana containers",
            countries=["NL", "CO"],
            offences=["illicit-trafficking-narcotic-drugs"],
            # fixed, not "ten years from today": the case file shows it
            retention_until=date(2036, 12, 1),
        ),
    )
    add_person(vault, CASE, PersonInput(family_name="Restrepo", given_names="Iván"))
    add_deadline(vault, CASE, "Chase the Fiscalía for the bank records", "2026-12-04 17:00")
    csv_file = FIXED_ROOT.parent / "casecoord-snapshot-authorities.csv"
    csv_file.write_text(AUTHORITIES_CSV, encoding="utf-8")
    try:
        import_csv(vault, csv_file, today=FROZEN_NOW.date())
    finally:
        csv_file.unlink()
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


def _built_is_shown(app: Any) -> bool:
    """The screen under test is on top (a loaded machine may still be entering the app)."""
    if not isinstance(app, HostApp):
        return True  # the unlock and create-vault snapshots show the app's own first screen
    return app.built is not None and app.screen is app.built


async def _settled(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: _built_is_shown(pilot.app))
    await settle(pilot)
    await wait_until(pilot, lambda: _basis_folds_counted(pilot.app))
    # The editor's scope fields, filled on load, may ask for the basis once more: let that
    # answer land too before the picture is taken.
    await settle(pilot)
    await wait_until(pilot, lambda: _basis_folds_counted(pilot.app))
    await settle(pilot)  # the fold titles are set; let them be drawn before the picture
    await _picture_still(pilot)


async def _picture_still(pilot: Pilot[Any]) -> None:
    """Wait until two pictures taken a moment apart are the same.

    Some layout is finished only when the app is idle (a data table sizes its columns to the rows
    it was given then), which no worker or message queue reports; a loaded machine took the
    picture in between.
    """
    previous = pilot.app.export_screenshot()
    for _ in range(50):
        await pilot.pause(0.05)
        current = pilot.app.export_screenshot()
        if current == previous:
            return
        previous = current


class _FrozenClockApp(HostApp):
    """The real app with its wall clock stopped at ``FROZEN_NOW``."""

    def wall_clock(self) -> datetime:
        return FROZEN_NOW


def _on(vault: UnlockedVault, build: Callable[[], Screen[Any]]) -> HostApp:
    return _FrozenClockApp(vault, build)


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("case_detail", lambda: CaseDetailScreen(CASE)),
        ("request_editor", lambda: RequestEditorScreen(CASE, today=date(2026, 12, 1))),
        ("treaties", TreatyScreen),
        ("exchange", ExchangeScreen),
        ("settings", SettingsScreen),
        ("dashboard", DashboardScreen),
        ("reports", ReportsScreen),
        ("authorities", AuthoritiesScreen),
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
