"""The Settings screen: edit the profile, refusals by the field, the signing identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from casecoord.services.identity_store import show_identity
from casecoord.services.settings import get_setting, guess_time_zone, set_setting
from casecoord.tui.app import make_app
from casecoord.tui.dialogs.unsaved import UnsavedChangesDialog
from casecoord.tui.screens.settings import SettingsScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import settle, wait_until


async def test_key_9_edits_the_profile_and_a_bad_zone_is_refused_by_its_field(
    vault: UnlockedVault, vault_dir: Path
) -> None:
    app = make_app(vault_dir, vault, idle_minutes=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        zone = screen.query_one("#set-officer-time-zone", ValidatedField)
        assert zone.value == "Europe/Amsterdam"
        zone.value = "Bogota"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert zone.message  # an IANA name is needed
        assert get_setting(vault, "officer.time_zone") == "Europe/Amsterdam"

        zone.value = "America/Bogota"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert get_setting(vault, "officer.time_zone") == "America/Bogota"
        assert not screen.has_unsaved_changes()


async def test_a_setting_changed_elsewhere_shows_when_settings_is_shown_again(
    vault: UnlockedVault, vault_dir: Path
) -> None:
    app = make_app(vault_dir, vault, idle_minutes=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot)
        await pilot.press("escape")
        app.switch_mode("dashboard")
        await settle(pilot)
        set_setting(vault, "officer.name", "Insp. A. Gómez")
        await pilot.press("9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        name = screen.query_one("#set-officer-name", ValidatedField)
        assert name.value == "Insp. A. Gómez"

        name.value = "typed but not saved"
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesDialog)


async def test_the_signing_identity_is_created_from_the_profile(
    vault: UnlockedVault, vault_dir: Path
) -> None:
    app = make_app(vault_dir, vault, idle_minutes=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#set-officer-name", ValidatedField).value = "Insp. M. de Vries"
        screen.query_one("#set-officer-authority", ValidatedField).value = "KLPD"
        await pilot.click("#identity-create")
        await wait_until(
            pilot, lambda: screen.view is not None and screen.view.identity is not None
        )
    identity = show_identity(vault)
    assert (identity.name, identity.organisation) == ("Insp. M. de Vries", "KLPD")
    assert get_setting(vault, "officer.authority") == "KLPD"


def test_the_time_zone_guess_follows_the_system_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TZ", raising=False)
    zones = tmp_path / "usr/share/zoneinfo/America"
    zones.mkdir(parents=True)
    (zones / "Bogota").write_text("")
    link = tmp_path / "localtime"
    link.symlink_to(zones / "Bogota")
    assert guess_time_zone(link) == "America/Bogota"
    assert guess_time_zone(tmp_path / "missing") == "UTC"
    monkeypatch.setenv("TZ", "Asia/Manila")
    assert guess_time_zone(link) == "Asia/Manila"
