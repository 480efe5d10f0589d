"""The TUI never replaces an existing file unasked: it names the file and waits for a yes.

Before: the services refused an existing file (the CLI's ``--force``), and the TUI showed that
refusal as a dead end or, for a bundle, an error; there was no way to say "yes, replace it", and
nothing guaranteed the answer "no" left the file alone. Each writer is tried both ways: "Keep it"
leaves the old bytes, "Replace" writes the new ones.
"""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
from textual.screen import ModalScreen
from textual.widgets import Button, Input, TabbedContent

from casecoord.services.attachments import add_attachment_stream
from casecoord.services.cases import CaseInput, add_case
from casecoord.tui.dialogs.confirm import ConfirmDialog
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.contacts import ContactsScreen
from casecoord.tui.screens.deadlines import DeadlinesScreen
from casecoord.tui.screens.reports import ReportsScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, Notice, settle, wait_until

CASE = "NL-2026-0042"
OLD = b"the officer's own file, not to be lost\n"
EVIDENCE = b"attachment bytes from the vault\n" * 64


async def _answer(pilot: object, app: HostApp, replace: bool) -> None:
    dialog = app.screen
    assert isinstance(dialog, ConfirmDialog)
    assert "already exists. Replace it?" in dialog.question
    await pilot.press("y" if replace else "n")  # type: ignore[attr-defined]


@pytest.mark.parametrize("replace", [False, True])
async def test_attachment_export_over_an_existing_file_asks_first(
    vault: UnlockedVault, tmp_path: Path, replace: bool
) -> None:
    add_case(vault, CaseInput(reference=CASE, title="Op. Harbour", countries=["NL"]))
    add_attachment_stream(vault, CASE, io.BytesIO(EVIDENCE), ".bashrc")
    home = tmp_path / "exports"
    home.mkdir()
    existing = home / ".bashrc"
    existing.write_bytes(OLD)
    app = HostApp(vault, lambda: CaseDetailScreen(CASE))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        detail.query_one("#case-tabs", TabbedContent).active = "tab-attachments"
        await settle(pilot)
        detail.query_one("#a-export", ValidatedField).value = str(home)  # a folder: its name
        detail.query_one("#export-attachment", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert str(existing) in app.screen.question  # type: ignore[attr-defined]
        assert existing.read_bytes() == OLD  # nothing written while it asks
        await _answer(pilot, app, replace)
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen is detail
    assert existing.read_bytes() == (EVIDENCE if replace else OLD)
    assert sorted(p.name for p in home.iterdir()) == [".bashrc"]  # no temp file left beside it


@pytest.mark.parametrize("replace", [False, True])
async def test_report_csv_over_an_existing_file_asks_first(
    vault: UnlockedVault, tmp_path: Path, replace: bool
) -> None:
    add_case(vault, CaseInput(reference=CASE, title="Op. Harbour", countries=["NL"]))
    target = tmp_path / "report.csv"
    target.write_bytes(OLD)
    app = HostApp(vault, ReportsScreen)
    async with app.run_test(size=(160, 70)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        await wait_until(pilot, lambda: screen.report is not None)
        await pilot.press("e")
        for _ in range(50):  # not settle(): the picker's DirectoryTree loader never completes
            await pilot.pause()
            if isinstance(app.screen, FilePickerDialog):
                break
        picker = app.screen
        assert isinstance(picker, FilePickerDialog)
        picker.query_one("#picker-path", Input).value = str(target)
        picker.action_choose()
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert target.read_bytes() == OLD
        await _answer(pilot, app, replace)
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
    written = target.read_bytes()
    if replace:
        assert written != OLD and written.startswith(b"section,")
    else:
        assert written == OLD


async def _export_over(pilot: object, app: HostApp, target: Path, replace: bool) -> None:
    """Press ``e`` on the screen shown, pick ``target`` (which exists), answer the question."""
    await pilot.press("e")  # type: ignore[attr-defined]
    for _ in range(50):  # not wait_until(): the picker's DirectoryTree loader never completes
        await pilot.pause()  # type: ignore[attr-defined]
        if isinstance(app.screen, FilePickerDialog):
            break
    picker = app.screen
    assert isinstance(picker, FilePickerDialog)
    picker.query_one("#picker-path", Input).value = str(target)
    picker.action_choose()
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
    assert str(target) in app.screen.question  # type: ignore[attr-defined]
    assert target.read_bytes() == OLD  # nothing written while it asks
    await _answer(pilot, app, replace)
    await settle(pilot)
    await app.workers.wait_for_complete()
    await settle(pilot)


def _assert_outcome(notices: list[Notice], target: Path, replace: bool, marker: bytes) -> None:
    written = target.read_bytes()
    messages = [n.message for n in notices]
    if replace:
        assert written != OLD and written.startswith(marker)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600  # private, like every writer
        assert any("written to" in m for m in messages)
    else:
        assert written == OLD
        assert any("kept: nothing was written" in m for m in messages)
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file beside it


@pytest.mark.parametrize("replace", [False, True])
async def test_vcard_export_over_an_existing_file_asks_first(
    demo_vault: UnlockedVault, tmp_path: Path, replace: bool, notices: list[Notice]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "directory.vcf"
    target.write_bytes(OLD)
    target.chmod(0o644)
    app = HostApp(demo_vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        await _export_over(pilot, app, target, replace)
        assert app.screen is screen
        assert not isinstance(app.screen, ModalScreen)
        _assert_outcome(notices, target, replace, b"BEGIN:VCARD")


@pytest.mark.parametrize("replace", [False, True])
async def test_ics_export_over_an_existing_file_asks_first(
    demo_vault: UnlockedVault, tmp_path: Path, replace: bool, notices: list[Notice]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "agenda.ics"
    target.write_bytes(OLD)
    target.chmod(0o644)
    app = HostApp(demo_vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        assert len(screen.views) > 0
        await _export_over(pilot, app, target, replace)
        assert app.screen is screen
        _assert_outcome(notices, target, replace, b"BEGIN:VCALENDAR")
