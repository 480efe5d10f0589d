"""The deadline agenda: mark met, waive with a reason, export .ics."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar
from textual.widgets import Input, Static

from casecoord.services.deadlines import DeadlineQuery, list_deadlines
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.dialogs.prompt import PromptDialog
from casecoord.tui.screens.deadlines import DeadlinesScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.virtual_table import VirtualTable
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle


def _state(vault: UnlockedVault, uid: str) -> str:
    found = [v for v in list_deadlines(vault, DeadlineQuery(open_only=False)) if v.uid == uid]
    return found[0].state


async def test_marking_a_deadline_met_is_stored_and_shown(demo_vault: UnlockedVault) -> None:
    app = HostApp(demo_vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        table = screen.query_one("#agenda", VirtualTable)
        assert table.row_count == len(list_deadlines(demo_vault, DeadlineQuery()))
        target = screen.selected()
        assert target is not None and target.state == "open"
        await pilot.press("m")
        await pilot.pause()
        assert _state(demo_vault, target.uid) == "met"
        await settle(pilot)
        assert target.uid not in [v.uid for v in screen.views]  # open only by default
        await pilot.press("c")  # include closed
        await settle(pilot)
        assert target.uid in [v.uid for v in screen.views]


async def test_waiving_needs_a_reason_shown_in_the_dialog(demo_vault: UnlockedVault) -> None:
    app = HostApp(demo_vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        target = screen.selected()
        assert target is not None
        await pilot.press("w")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        await pilot.press("enter")
        await pilot.pause()
        field = dialog.query_one("#prompt-reason", ValidatedField)
        assert "say why" in field.message
        assert _state(demo_vault, target.uid) == "open"
        await pilot.press(*"suspect released")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert _state(demo_vault, target.uid) == "waived"


async def test_country_filter_and_unknown_code(demo_vault: UnlockedVault) -> None:
    app = HostApp(demo_vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#filter-country", Input).value = "ZZ"
        await pilot.pause()
        assert "not an ISO 3166-1" in str(screen.query_one("#filter-message", Static).content)
        screen.query_one("#filter-country", Input).value = "PE"
        await settle(pilot)
        expected = list_deadlines(demo_vault, DeadlineQuery(country="PE"))
        assert screen.query_one("#agenda", VirtualTable).row_count == len(expected)


async def test_ics_export_writes_one_event_per_open_deadline(
    demo_vault: UnlockedVault, tmp_path: Path
) -> None:
    target = tmp_path / "agenda.ics"
    app = HostApp(demo_vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        shown = len(screen.views)
        assert shown > 0
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FilePickerDialog)
        app.screen.query_one("#picker-path", Input).value = str(tmp_path / "agenda")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("written to" in n.message for n in app._notifications)
    calendar = Calendar.from_ical(target.read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == shown


async def test_end_reaches_the_last_deadline_beyond_the_first_page(vault: UnlockedVault) -> None:
    from casecoord.services.demo import bulk_load
    from casecoord.tui.widgets.virtual_table import PAGE_SIZE

    bulk_load(vault, 300)  # 150 open deadlines: more than one page
    every = list_deadlines(vault, DeadlineQuery(), limit=10_000)
    assert len(every) > PAGE_SIZE
    app = HostApp(vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        table = screen.table
        assert table.row_count == len(every)
        assert sorted(table.pages) == [0]  # only the first page was read
        await pilot.press("end")
        await settle(pilot)
        last = screen.selected()
        assert last is not None and last.uid == every[-1].uid
        assert 1 in table.pages
        detail = str(screen.query_one("#deadline-detail", Static).content)
        assert every[-1].case_ref in detail
        await pilot.press("m")
        await settle(pilot)
        assert _state(vault, every[-1].uid) == "met"
        assert table.row_count == len(every) - 1


async def test_the_case_filter_runs_in_sql_and_the_last_keystroke_wins(
    demo_vault: UnlockedVault,
) -> None:
    every = list_deadlines(demo_vault, DeadlineQuery())
    reference = every[0].case_ref
    needle = reference[-4:].lower()
    expected = [v.uid for v in every if needle in v.case_ref.lower()]
    assert 0 < len(expected) < len(every)
    app = HostApp(demo_vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        field = screen.query_one("#filter-case", Input)
        field.value = "no-such-case"
        field.value = needle  # typed before the first query came back: only this one is drawn
        await settle(pilot)
        assert [v.uid for v in screen.views] == expected
        assert screen.table.row_count == len(expected)
        zone = str(screen.query_one("#deadline-zone", Static).content)
        assert zone.startswith(f"{len(expected)} deadline(s)")
