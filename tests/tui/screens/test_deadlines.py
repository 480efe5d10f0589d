"""The deadline agenda: mark met, waive with a reason, export .ics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from icalendar import Calendar
from textual.widgets import Input, Static

from casecoord.services.cases import CaseInput, add_case
from casecoord.services.deadlines import (
    DeadlineQuery,
    DeadlineView,
    add_deadline,
    extend_deadline,
    list_deadlines,
    set_deadline_state,
)
from casecoord.store import Store
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.dialogs.prompt import PromptDialog
from casecoord.tui.screens.deadlines import DeadlinesScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.virtual_table import VirtualTable
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, Notice, settle, wait_until


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
    demo_vault: UnlockedVault, tmp_path: Path, notices: list[Notice]
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
        assert any("written to" in n.message for n in notices)
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


# -- a deadline changed behind the agenda: one line, the row read again, nothing lost ------

CONFLICT = "was changed by another officer since you opened it"


def _view(vault: Store, uid: str) -> DeadlineView:
    return next(v for v in list_deadlines(vault, DeadlineQuery(open_only=False)) if v.uid == uid)


def _later(view: DeadlineView, days: int) -> str:
    return f"{view.due_officer + timedelta(days=days):%Y-%m-%d %H:%M}"


async def test_marking_met_a_deadline_extended_behind_the_screen_says_so(
    demo_vault: UnlockedVault, notices: list[Notice]
) -> None:
    app = HostApp(demo_vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        target = screen.selected()
        assert target is not None and target.state == "open"
        # a second window (or the CLI) extends it while the agenda shows the old row
        extend_deadline(demo_vault, target.uid, _later(target, 7), "court granted a week")
        await pilot.press("m")
        message = screen.query_one("#deadline-message", Static)
        await wait_until(pilot, lambda: CONFLICT in str(message.render()))
        line = str(message.render())
        assert "\n" not in line and target.title in line and not isinstance(app.screen, ErrorDialog)
        stored = _view(demo_vault, target.uid)
        assert stored.state == "open" and "court granted a week" in stored.note  # nothing lost
        assert not any("marked met" in n.message for n in notices)
        reread = screen.selected()  # the row was read again, the cursor stays on it
        assert reread is not None and reread.uid == target.uid
        assert reread.version == stored.version > target.version
        assert reread.due_at == stored.due_at
        await pilot.press("m")  # acting on what is stored now works
        await wait_until(pilot, lambda: _view(demo_vault, target.uid).state == "met")
        assert str(message.render()) == ""


async def test_an_extension_typed_on_a_stale_row_is_refused_and_the_text_kept(
    demo_vault: UnlockedVault,
) -> None:
    app = HostApp(demo_vault, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        target = screen.selected()
        assert target is not None
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptDialog))
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        dialog.query_one("#prompt-new_due", ValidatedField).value = _later(target, 30)
        dialog.query_one("#prompt-reason", ValidatedField).value = "A: the court's letter"
        # meanwhile someone else extends it by a week
        extend_deadline(demo_vault, target.uid, _later(target, 7), "B: a week more")
        await pilot.press("enter")
        prompt = dialog.query_one("#prompt-message", Static)
        await wait_until(pilot, lambda: CONFLICT in str(prompt.render()))
        assert app.screen is dialog  # the dialog stays, with what she typed
        assert dialog.query_one("#prompt-reason", ValidatedField).value == "A: the court's letter"
        stored = _view(demo_vault, target.uid)
        assert "B: a week more" in stored.note and "A: the court" not in stored.note
        assert f"{stored.due_officer:%Y-%m-%d %H:%M}" == _later(target, 7)  # B's date stands
        reread = screen.selected()
        assert reread is not None and reread.uid == target.uid
        assert reread.version == stored.version
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert CONFLICT in str(screen.query_one("#deadline-message", Static).render())
        assert _view(demo_vault, target.uid).version == stored.version  # cancel wrote nothing


async def test_on_the_team_store_a_second_officer_is_told_and_nothing_is_lost(
    officer_store: Callable[[str], Store],
) -> None:
    ada, cy = officer_store("ada"), officer_store("cy")  # both of team alpha
    add_case(ada, CaseInput(reference="NL-DL-1", title="Harbour", countries=["NL", "CO"]))
    uid = add_deadline(ada, "NL-DL-1", "Send the translation", "2031-05-05 10:00").uid
    app = HostApp(cy, DeadlinesScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DeadlinesScreen))
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        await wait_until(pilot, lambda: screen.selected() is not None)
        target = screen.selected()
        assert target is not None and target.uid == uid
        set_deadline_state(ada, uid, "waived", "ada: the request was withdrawn", expected_version=1)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptDialog))
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        dialog.query_one("#prompt-new_due", ValidatedField).value = _later(target, 14)
        dialog.query_one("#prompt-reason", ValidatedField).value = "cy: court's extension"
        await pilot.press("enter")
        prompt = dialog.query_one("#prompt-message", Static)
        await wait_until(pilot, lambda: CONFLICT in str(prompt.render()))
        stored = _view(ada, uid)
        assert stored.state == "waived" and stored.due_at == target.due_at
        assert "cy:" not in stored.note and "ada: the request was withdrawn" in stored.note
        await pilot.press("escape")
        # the waived deadline leaves the open agenda once read again
        await wait_until(pilot, lambda: screen.table.row_count == 0)
        assert CONFLICT in str(screen.query_one("#deadline-message", Static).render())
