"""Nothing lost, nothing stale: unsaved input asks before it goes, typing never fires a shortcut,
and a change made by the CLI while the TUI is open shows when a screen is shown again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from casecoord.services.cases import CaseInput, add_case
from casecoord.services.contacts import list_contacts
from casecoord.services.requests import RequestQuery, list_requests
from casecoord.tui.app import make_app
from casecoord.tui.dialogs.contact_form import ContactFormDialog
from casecoord.tui.dialogs.unsaved import UnsavedChangesDialog
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.contacts import ContactsScreen
from casecoord.tui.screens.deadlines import DeadlinesScreen
from casecoord.tui.screens.reports import ReportsScreen
from casecoord.tui.screens.request_editor import RequestEditorScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.virtual_table import VirtualTable
from casecoord.vault.vault import UnlockedVault
from tests.conftest import PASSPHRASE
from tests.tui.conftest import HostApp, settle, wait_until

CASE = "NL-2026-0042"


@pytest.fixture
def case_vault(vault: UnlockedVault) -> UnlockedVault:
    add_case(vault, CaseInput(reference=CASE, title="Op. Harbour", countries=["NL", "CO"]))
    return vault


def _editor(vault: UnlockedVault) -> HostApp:
    return HostApp(vault, lambda: RequestEditorScreen(CASE))


async def test_escape_on_an_edited_request_asks_and_stay_keeps_the_input(
    case_vault: UnlockedVault,
) -> None:
    app = _editor(case_vault)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, RequestEditorScreen)
        assert not editor.has_unsaved_changes()  # the resolver's suggestion is no edit
        editor.query_one("#f-facts", TextArea).text = "Cocaine in banana containers."
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert app.screen is editor
        assert editor.query_one("#f-facts", TextArea).text == "Cocaine in banana containers."

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")  # discard
        await settle(pilot)
        assert not isinstance(app.screen, RequestEditorScreen)
    assert list_requests(case_vault, RequestQuery(case_ref=CASE)) == []


async def test_save_in_the_unsaved_prompt_creates_the_request(case_vault: UnlockedVault) -> None:
    app = _editor(case_vault)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, RequestEditorScreen)
        editor.query_one("#f-facts", TextArea).text = "Bank records of the front company."
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: not isinstance(app.screen, UnsavedChangesDialog))
        await settle(pilot)
        assert not isinstance(app.screen, RequestEditorScreen)
    (row,) = list_requests(case_vault, RequestQuery(case_ref=CASE))
    assert row.reference == f"{CASE}-R01"


async def test_quit_asks_while_a_request_is_unsaved(case_vault: UnlockedVault) -> None:
    app = _editor(case_vault)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, RequestEditorScreen)
        editor.query_one("#f-facts", TextArea).text = "half a request"
        await settle(pilot)
        await pilot.press("q")  # a bare letter never quits
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is editor and app.is_running


async def test_typing_at_full_speed_in_the_request_form_fires_no_shortcut(
    case_vault: UnlockedVault,
) -> None:
    app = _editor(case_vault)
    async with app.run_test(size=(150, 60)) as pilot:
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, RequestEditorScreen)
        facts = editor.query_one("#f-facts", TextArea)
        facts.focus()
        typed = "n3 q2 d1 Guayaquil 4 containers; 7 suspects"
        await pilot.press(*[" " if ch == " " else ch for ch in typed])
        await settle(pilot)
        assert app.screen is editor
        assert facts.text == typed
        # on a form screen, focus on a drop-down does not make digits switch areas either
        editor.query_one("#f-kind").focus()
        await pilot.press("3", "q")
        await settle(pilot)
        assert app.screen is editor


async def test_a_note_typed_on_the_case_never_opens_a_request(case_vault: UnlockedVault) -> None:
    app = HostApp(case_vault, lambda: CaseDetailScreen(CASE))
    async with app.run_test(size=(150, 50)) as pilot:
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        detail.show_tab("tab-notes")
        await settle(pilot)
        note = detail.query_one("#n-body", TextArea)
        assert app.focused is note
        await pilot.press(*"n3 call back at 2")
        await pilot.press("enter", *"second line")
        await settle(pilot)
        assert app.screen is detail
        assert note.text == "n3 call back at 2\nsecond line"
        assert detail.has_unsaved_changes()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesDialog)


async def test_a_pasted_tab_separated_row_lands_field_by_field(vault: UnlockedVault) -> None:
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ContactFormDialog)
        assert isinstance(app.focused, Input)
        app.focused.post_message(events.Paste("Ana Pérez\tana-perez\tPérez\tAna\tFiscalía\tFiscal"))
        await settle(pilot)
        values = {
            key: dialog.query_one(f"#field-{key}", ValidatedField).value
            for key in ("name", "handle", "family_name", "given_names", "org", "role")
        }
        assert values == {
            "name": "Ana Pérez",
            "handle": "ana-perez",
            "family_name": "Pérez",
            "given_names": "Ana",
            "org": "Fiscalía",
            "role": "Fiscal",
        }
        assert list_contacts(vault) == []


async def test_typing_on_the_contact_list_goes_to_its_filter(vault: UnlockedVault) -> None:
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        assert isinstance(app.focused, VirtualTable)
        await pilot.press(*"Guayaquil")
        await settle(pilot)
        assert screen.query_one("#contact-filter", Input).value == "Guayaquil"
        assert app.is_running and app.screen is screen


def _cli_adds_a_deadline(vault_dir: Path, due: str) -> None:
    """``casecoord deadline add`` in a process of its own, as the officer would in a terminal
    beside the open TUI."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "casecoord.cli",
            "deadline",
            "add",
            "--vault",
            str(vault_dir),
            "--case",
            CASE,
            "--title",
            "Chase the Fiscalía",
            "--due",
            due,
        ],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


async def test_a_deadline_added_by_the_cli_shows_when_deadlines_is_shown_again(
    case_vault: UnlockedVault, vault_dir: Path
) -> None:
    app = make_app(vault_dir, case_vault, idle_minutes=60)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, DeadlinesScreen)
        agenda = app.screen.query_one("#agenda", VirtualTable)
        assert agenda.row_count == 0

        await pilot.press("2")
        await settle(pilot)
        _cli_adds_a_deadline(vault_dir, "2031-05-01 17:00")

        await pilot.press("3")
        await settle(pilot)
        deadlines = app.screen
        assert isinstance(deadlines, DeadlinesScreen)
        assert [v.title for v in deadlines.views] == ["Chase the Fiscalía"]
        assert deadlines.query_one("#agenda", VirtualTable).row_count == 1


async def test_a_deadline_added_by_the_cli_shows_in_the_report_when_shown_again(
    case_vault: UnlockedVault, vault_dir: Path
) -> None:
    """The report shown again keeps its figures only while nothing changed (the audit
    chain did not move): one written by another process is in it when the officer returns."""
    app = make_app(vault_dir, case_vault, idle_minutes=60)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        reports = app.screen
        assert isinstance(reports, ReportsScreen)
        await wait_until(pilot, lambda: reports.report is not None)
        assert reports.report is not None and reports.report.overdue_deadlines == 0

        await pilot.press("2")
        await settle(pilot)
        _cli_adds_a_deadline(vault_dir, "2020-05-01 17:00")

        await pilot.press("7")
        await settle(pilot)
        assert app.screen is reports
        await wait_until(
            pilot, lambda: reports.report is not None and reports.report.overdue_deadlines == 1
        )
        assert "1 overdue deadlines" in str(reports.query_one("#report-summary").render())


async def test_the_file_dialog_opens_in_the_working_folder_then_the_last_one(
    vault: UnlockedVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casecoord.tui.dialogs.file_picker import FilePickerDialog

    work = tmp_path / "work"
    (work / "exports").mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setattr(FilePickerDialog, "last_folder", None)
    assert FilePickerDialog("open").start == work
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        chosen: list[Path | None] = []
        app.push_screen(FilePickerDialog("export", save=True, default_name="a.vcf"), chosen.append)
        await pilot.pause()
        app.screen.query_one("#picker-path", Input).value = str(work / "exports" / "a.vcf")
        await pilot.press("enter")
        await pilot.pause()
        assert chosen == [work / "exports" / "a.vcf"]
    assert FilePickerDialog("again").start == work / "exports"
