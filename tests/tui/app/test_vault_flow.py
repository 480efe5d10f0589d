"""First run, unlock, wrong passphrase and the idle lock, driven through the real app."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, Static

from casecoord.services.cases import list_cases
from casecoord.services.settings import get_setting, guess_time_zone
from casecoord.tui.app import CasecoordApp, make_app
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.create_vault import CreateVaultScreen
from casecoord.tui.screens.dashboard import DashboardScreen
from casecoord.tui.screens.settings import SettingsScreen
from casecoord.tui.screens.unlock import UnlockScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import open_vault
from tests.tui.conftest import PASSPHRASE, settle, unlock, wait_until

NEW_PASSPHRASE = "amber quay lantern orchid"


async def test_first_run_creates_vault_shows_recovery_key_then_unlocks(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CreateVaultScreen)
        await pilot.press(*"short")
        strength = app.screen.query_one("#strength", Static)
        assert "refused" in str(strength.content)
        app.screen.query_one("#new-passphrase-input").value = NEW_PASSPHRASE  # type: ignore[attr-defined]
        await settle(pilot)
        assert "refused" not in str(strength.content)
        app.screen.query_one("#repeat-passphrase-input").value = "something else entirely"  # type: ignore[attr-defined]
        await pilot.click("#create")
        await settle(pilot)
        repeat = app.screen.query_one("#repeat-passphrase", ValidatedField)
        assert repeat.message == "the two passphrases differ"
        assert not (root / "vault.json").exists()

        app.screen.query_one("#new-passphrase-input").value = NEW_PASSPHRASE  # type: ignore[attr-defined]
        app.screen.query_one("#repeat-passphrase-input").value = NEW_PASSPHRASE  # type: ignore[attr-defined]
        await pilot.click("#create")
        screen = app.screen
        assert isinstance(screen, CreateVaultScreen)
        await wait_until(pilot, lambda: screen.query_one("#recovery").display)
        key = str(screen.query_one("#recovery-key", Static).content)
        assert len(key.replace("-", "")) == 32
        assert (root / "vault.json").exists()
        await pilot.click("#continue")  # disabled until confirmed
        await settle(pilot)
        assert app.screen is screen
        screen.query_one("#written-down", Checkbox).value = True
        await settle(pilot)
        await pilot.click("#continue")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        setup = app.screen
        assert isinstance(setup, SettingsScreen) and setup.first_run
        await wait_until(pilot, lambda: setup.view is not None)
        zone = setup.query_one("#set-officer-time-zone", ValidatedField).value
        assert zone == guess_time_zone()  # proposed from the system, not a fixed default
        setup.query_one("#set-officer-name", ValidatedField).value = "Insp. M. de Vries"
        setup.query_one("#set-officer-country", ValidatedField).value = "nl"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.vault is not None
        assert get_setting(app.vault, "officer.name") == "Insp. M. de Vries"
        assert get_setting(app.vault, "officer.country") == "NL"
        assert get_setting(app.vault, "officer.time_zone") == zone

        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert app.vault is None
        await unlock(pilot, NEW_PASSPHRASE)
        assert isinstance(app.screen, DashboardScreen)
    open_vault(root, NEW_PASSPHRASE).close()


async def test_wrong_passphrase_shows_message_and_leaves_vault_untouched(
    demo_vault_dir: Path,
) -> None:
    before = {p.name: p.read_bytes() for p in demo_vault_dir.iterdir() if p.is_file()}
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        app.screen.query_one("#passphrase-input").value = "not the passphrase at all"  # type: ignore[attr-defined]
        await pilot.press("enter")
        field = app.screen.query_one("#passphrase", ValidatedField)
        await wait_until(pilot, lambda: field.message != "")
        assert "passphrase" in field.message.lower()
        assert field.has_class("-invalid")
        assert app.vault is None
        assert isinstance(app.screen, UnlockScreen)
    after = {p.name: p.read_bytes() for p in demo_vault_dir.iterdir() if p.is_file()}
    assert after == before


async def test_idle_lock_keeps_unsaved_input_and_returns_after_unlock(
    demo_vault_dir: Path,
) -> None:
    clock = [1000.0]
    app = make_app(demo_vault_dir, idle_minutes=1, now=lambda: clock[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await unlock(pilot)
        reference = list_cases(app.require_vault())[1][0].reference
        app.push_screen(CaseDetailScreen(reference))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        title = detail.query_one("#f-title", ValidatedField)
        title.value = "Typed but not saved"
        await settle(pilot)

        clock[0] += 59
        app.check_idle_lock()
        assert app.vault is not None
        clock[0] += 2
        app.check_idle_lock()
        await settle(pilot)
        assert app.vault is None
        assert isinstance(app.screen, UnlockScreen)
        assert "inactivity" in str(app.screen.query_one("#unlock-heading").content)  # type: ignore[attr-defined]

        await unlock(pilot)
        await settle(pilot)
        assert app.screen is detail
        assert detail.query_one("#f-title", ValidatedField).value == "Typed but not saved"
        from casecoord.services.cases import get_case

        stored = get_case(app.require_vault(), reference).case.title
        assert stored != "Typed but not saved"


async def test_any_key_resets_the_idle_timer(demo_vault_dir: Path) -> None:
    clock = [0.0]
    app = make_app(demo_vault_dir, idle_minutes=1, now=lambda: clock[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await unlock(pilot)
        clock[0] += 50
        await pilot.press("r")
        clock[0] += 50
        app.check_idle_lock()
        assert app.vault is not None
        clock[0] += 11
        app.check_idle_lock()
        assert app.vault is None


async def test_idle_timer_fires_by_itself(demo_vault_dir: Path) -> None:
    app = make_app(demo_vault_dir, idle_minutes=0.01)  # 0.6 s
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#passphrase-input", Input)
        field.value = PASSPHRASE
        await field.action_submit()
        await wait_until(pilot, lambda: app.entered)  # may already be locked again: that is fine
        await wait_until(pilot, lambda: app.vault is None)
        assert isinstance(app.screen, UnlockScreen)


def test_make_app_builds_without_vault(tmp_path: Path) -> None:
    app = make_app(tmp_path / "nothing")
    assert isinstance(app, CasecoordApp)
    assert app.vault is None


async def test_quit_after_leaving_a_case_detail_quits_without_a_crash(
    demo_vault_dir: Path,
) -> None:
    """Reported: ctrl+q after going back from a case detail raised NoMatches '#f-title' (the
    popped screen, still alive, was asked about unsaved input with no widgets left)."""
    import gc

    app = make_app(demo_vault_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        reference = list_cases(app.require_vault())[1][0].reference
        app.push_screen(CaseDetailScreen(reference))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, CaseDetailScreen))
        await settle(pilot)
        gc.disable()  # keep the popped screen alive, as a reference held anywhere would
        try:
            assert detail not in app.open_screens  # closed: no longer asked before quitting
            await pilot.press("ctrl+q")
            await settle(pilot)
        finally:
            gc.enable()
    assert app.return_code == 0, app.return_code
    assert app._exception is None, app._exception
