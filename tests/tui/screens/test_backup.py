"""Backing up from the TUI: the CLI's backup, chosen in a save dialog, written off the UI thread.

Settings (key 9) has a "Back up vault…" button and the palette has "vault: back up…" on every
screen. Both write the file ``casecoord backup`` writes, through the same service: the test
restores it with the CLI's ``restore`` and ``check``. An existing file is replaced only after
"Replace" (the new file is ``0600``, nothing is left beside it), "Keep it" leaves the old bytes,
and a folder that cannot be written is one line in an error dialog with nothing written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Button, Input

from casecoord.cli import main as cli_main
from casecoord.services.audit_log import list_entries
from casecoord.services.cases import CaseInput, add_case
from casecoord.tui.dialogs.confirm import ConfirmDialog
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.screens.dashboard import DashboardScreen
from casecoord.tui.screens.settings import SettingsScreen
from casecoord.vault.vault import UnlockedVault
from tests.conftest import PASSPHRASE
from tests.tmpfs import mounted_tmpfs
from tests.tui.conftest import HostApp, Notice, settle, wait_until

CASE = "NL-2026-0042"
OLD = b"last week's backup, not to be lost unasked\n"


@pytest.fixture
def case_vault(vault: UnlockedVault) -> UnlockedVault:
    add_case(vault, CaseInput(reference=CASE, title="Op. Harbour", countries=["NL", "CO"]))
    return vault


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written into: a read-only tmpfs for root (who ignores folder
    permissions), a folder without write permission for anyone else."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    with mounted_tmpfs(folder, "ro,size=1m"):
        yield folder


def messages(notices: list[Notice]) -> list[str]:
    return [n.message for n in notices]


async def choose(pilot: Pilot[Any], app: HostApp, path: Path) -> None:
    """Type ``path`` into the save dialog and press enter."""
    for _ in range(200):  # not settle(): the picker's DirectoryTree loader never completes
        await pilot.pause()
        if isinstance(app.screen, FilePickerDialog):
            break
    picker = app.screen
    assert isinstance(picker, FilePickerDialog)
    assert picker.save
    field = picker.query_one("#picker-path", Input)
    assert field.value.endswith(".ccbak")  # a dated name is proposed
    field.value = str(path)
    await pilot.press("enter")


async def from_palette(pilot: Pilot[Any], app: HostApp) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*"vault: back up")
    await settle(pilot)
    await pilot.press("enter")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli_main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


async def test_settings_backup_is_written_and_restores_with_the_cli(
    case_vault: UnlockedVault,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    notices: list[Notice],
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    app = HostApp(case_vault, SettingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        settings.query_one("#backup-vault", Button).press()
        await choose(pilot, app, folder / "monday")  # the suffix is added
        await wait_until(pilot, lambda: any("backup written" in n for n in messages(notices)))
        assert app.screen is settings
    written = folder / "monday.ccbak"
    assert f"Encrypted backup written to {written} (" in " ".join(messages(notices))
    assert sorted(p.name for p in folder.iterdir()) == ["monday.ccbak"]  # no temp left
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    (entry,) = [e for e in list_entries(case_vault) if e.action == "vault.backup"]
    assert entry.payload is not None and entry.payload["file"] == "monday.ccbak"

    passphrase = tmp_path / "passphrase"
    passphrase.write_text(PASSPHRASE + "\n")
    restored = tmp_path / "restored"
    code, said = cli(
        capsys,
        "--vault",
        str(restored),
        "--passphrase-file",
        str(passphrase),
        "restore",
        str(written),
    )
    assert code == 0, said
    assert "the integrity and audit checks pass" in said
    code, said = cli(
        capsys, "--vault", str(restored), "--passphrase-file", str(passphrase), "check"
    )
    assert code == 0, said
    code, said = cli(
        capsys, "--vault", str(restored), "--passphrase-file", str(passphrase), "case", "list"
    )
    assert code == 0 and CASE in said, said


@pytest.mark.parametrize("replace", [False, True])
async def test_palette_backup_over_an_existing_file_asks_first(
    case_vault: UnlockedVault, tmp_path: Path, replace: bool, notices: list[Notice]
) -> None:
    existing = tmp_path / "vault.ccbak"
    existing.write_bytes(OLD)
    existing.chmod(0o644)
    app = HostApp(case_vault, DashboardScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        under = app.screen
        assert isinstance(under, DashboardScreen)
        await from_palette(pilot, app)
        await choose(pilot, app, existing)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == f"{existing} already exists. Replace it?"
        assert existing.read_bytes() == OLD  # nothing written while it asks
        await pilot.press("y" if replace else "n")
        await settle(pilot)
        if replace:
            await wait_until(pilot, lambda: any("backup written" in n for n in messages(notices)))
        else:
            await wait_until(
                pilot, lambda: f"{existing} kept: nothing was written" in messages(notices)
            )
        assert app.screen is under
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".ccbak") == ["vault.ccbak"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".casecoord-backup-")]
    backups = [e for e in list_entries(case_vault) if e.action == "vault.backup"]
    if replace:
        assert existing.read_bytes()[:2] == b"PK"  # the backup ZIP replaced the old bytes
        assert stat.S_IMODE(existing.stat().st_mode) == 0o600
        assert len(backups) == 1
    else:
        assert existing.read_bytes() == OLD
        assert stat.S_IMODE(existing.stat().st_mode) == 0o644
        assert backups == []


async def test_backup_into_a_folder_that_cannot_be_written_is_one_clear_line(
    case_vault: UnlockedVault, read_only_folder: Path, notices: list[Notice]
) -> None:
    app = HostApp(case_vault, SettingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        await from_palette(pilot, app)
        await choose(pilot, app, read_only_folder / "vault.ccbak")
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.title_text == "Backup not written"
        assert dialog.message.startswith(f"cannot write {read_only_folder / 'vault.ccbak'}: ")
        assert "\n" not in dialog.message and "unexpected" not in dialog.message
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is settings
        assert not any("backup written" in n for n in messages(notices))
    assert list(read_only_folder.iterdir()) == []
    assert [e for e in list_entries(case_vault) if e.action == "vault.backup"] == []


async def test_backup_into_a_missing_folder_says_so_and_writes_nothing(
    case_vault: UnlockedVault, tmp_path: Path
) -> None:
    app = HostApp(case_vault, SettingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#backup-vault", Button).press()
        await choose(pilot, app, tmp_path / "no-such-stick" / "vault.ccbak")
        await wait_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert dialog.message == f"{tmp_path / 'no-such-stick'} does not exist"
    assert not (tmp_path / "no-such-stick").exists()
