"""Cases through the UI: create, list, filter, open, edit with validation, move status, deadlines."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, DataTable, Input, Label, TabbedContent

from casecoord.services.cases import get_case
from casecoord.services.deadlines import DeadlineQuery, list_deadlines
from casecoord.tui.app import make_app
from casecoord.tui.dialogs.confirm import ConfirmDialog
from casecoord.tui.dialogs.new_case import NewCaseDialog
from casecoord.tui.screens.case_detail import CaseDetailScreen
from casecoord.tui.screens.case_list import CaseListScreen
from casecoord.tui.screens.dashboard import DashboardScreen
from casecoord.tui.widgets.field import ValidatedField
from tests.tui.conftest import settle, unlock, wait_until


def cell_texts(table: DataTable[object]) -> list[str]:
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def test_create_case_list_filter_open_edit_and_move(demo_vault_dir: Path) -> None:
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(130, 44)) as pilot:
        await unlock(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        table = screen.table
        await wait_until(pilot, lambda: table.total == 40)

        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewCaseDialog)
        dialog.query_one("#nc-reference-input", Input).value = "TEST-2026-7777"
        dialog.query_one("#nc-title-input", Input).value = "Op. Quokka: cocaine in pineapples"
        dialog.query_one("#nc-countries-input", Input).value = "NL XX"
        await pilot.click("#nc-create")
        await settle(pilot)
        countries = dialog.query_one("#nc-countries", ValidatedField)
        assert countries.message  # XX is not a country: said next to the field
        dialog.query_one("#nc-countries-input", Input).value = "NL CR"
        await pilot.click("#nc-create")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        assert get_case(app.require_vault(), "TEST-2026-7777").case.countries == ["CR", "NL"]

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await wait_until(pilot, lambda: table.total == 41)
        assert screen.visible_references()[0] == "TEST-2026-7777"  # newest first

        await pilot.press(*"quokka")
        await wait_until(pilot, lambda: table.total == 1)
        assert screen.visible_references() == ["TEST-2026-7777"]
        assert "1 case" in str(screen.query_one("#case-count", Label).content)
        await pilot.press("enter")  # leaves the filter for the list
        await pilot.press("enter")  # opens the case
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)

        grading = detail.query_one("#f-source_grading", ValidatedField)
        grading.value = "Z9"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: grading.message != "")
        assert "B2" in grading.message
        assert get_case(app.require_vault(), "TEST-2026-7777").case.source_grading is None

        grading.value = "b2"
        detail.query_one("#f-europol_ref", ValidatedField).value = "EP-123"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: get_case(app.require_vault(), "TEST-2026-7777").case.source_grading == "B2",
        )
        assert get_case(app.require_vault(), "TEST-2026-7777").case.europol_ref == "EP-123"
        assert grading.message == ""

        visible = {b.id for b in detail.query("#status-bar Button") if b.display}
        assert visible == {"move-active", "move-closed"}  # from intake
        await pilot.click("#move-active")
        await wait_until(
            pilot, lambda: get_case(app.require_vault(), "TEST-2026-7777").case.status == "active"
        )
        await wait_until(
            pilot,
            lambda: (
                {b.id for b in detail.query("#status-bar Button") if b.display}
                == {"move-dormant", "move-closed"}
            ),
        )
        await pilot.click("#move-closed")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert get_case(app.require_vault(), "TEST-2026-7777").case.status == "active"

        detail.query_one("#case-tabs", TabbedContent).active = "tab-audit"
        await settle(pilot)
        audit = cell_texts(detail.query_one("#audit", DataTable))
        assert any("intake → active" in line for line in audit)


async def test_manual_deadline_added_in_case_shows_on_dashboard(demo_vault_dir: Path) -> None:
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(130, 44)) as pilot:
        await unlock(pilot)
        from casecoord.services.cases import list_cases

        reference = list_cases(app.require_vault())[1][0].reference
        app.push_screen(CaseDetailScreen(reference))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        detail.query_one("#case-tabs", TabbedContent).active = "tab-deadlines"
        await settle(pilot)
        from datetime import UTC, datetime, timedelta

        due = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d 12:00")
        detail.query_one("#d-title", ValidatedField).value = "Call Bogotá about the quokka"
        detail.query_one("#d-due", ValidatedField).value = "not a date"
        detail.query_one("#add-deadline", Button).press()
        due_field = detail.query_one("#d-due", ValidatedField)
        await wait_until(pilot, lambda: due_field.message != "")
        due_field.value = due
        detail.query_one("#add-deadline", Button).press()
        await wait_until(
            pilot,
            lambda: any(
                d.title == "Call Bogotá about the quokka"
                for d in list_deadlines(app.require_vault(), DeadlineQuery(case_ref=reference))
            ),
        )
        await wait_until(
            pilot,
            lambda: any(
                "quokka" in line for line in cell_texts(detail.query_one("#deadlines", DataTable))
            ),
        )

        await pilot.press("escape")
        await pilot.press("1")
        await settle(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        upcoming = dashboard.query_one("#upcoming", DataTable)
        await wait_until(pilot, lambda: any("quokka" in line for line in cell_texts(upcoming)))
        row = next(line for line in cell_texts(upcoming) if "quokka" in line)
        assert reference in row


async def test_full_text_search_opens_the_case(demo_vault_dir: Path) -> None:
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(130, 44)) as pilot:
        await unlock(pilot)
        from casecoord.services.cases import add_note

        reference = app.require_vault() and "NL-2026-0002"
        add_note(app.require_vault(), reference, "The wombat courier met the broker in Cali")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"wombat")
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await wait_until(pilot, lambda: len(screen.hits) == 1)
        await pilot.press("enter")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        assert app.screen.reference == reference  # type: ignore[attr-defined]


async def test_attachment_added_listed_and_exported(demo_vault_dir: Path, tmp_path: Path) -> None:
    from casecoord.services.attachments import list_attachments

    source = tmp_path / "ledger.csv"
    source.write_bytes(b"date,amount\n2026-01-02,125000\n" * 1000)
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(130, 44)) as pilot:
        await unlock(pilot)
        app.push_screen(CaseDetailScreen("NL-2026-0002"))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        detail.query_one("#case-tabs", TabbedContent).active = "tab-attachments"
        detail.query_one("#a-path", ValidatedField).value = str(tmp_path / "missing.pdf")
        detail.query_one("#add-attachment", Button).press()
        path_field = detail.query_one("#a-path", ValidatedField)
        await wait_until(pilot, lambda: "does not exist" in path_field.message)

        path_field.value = str(source)
        detail.query_one("#add-attachment", Button).press()
        table = detail.query_one("#attachments", DataTable)
        await wait_until(pilot, lambda: any("ledger.csv" in r for r in cell_texts(table)))
        assert [a.name for a in list_attachments(app.require_vault(), "NL-2026-0002")] == [
            "ledger.csv"
        ]
        out = tmp_path / "out.csv"
        detail.query_one("#a-export", ValidatedField).value = str(out)
        detail.query_one("#export-attachment", Button).press()
        await wait_until(
            pilot, lambda: out.exists() and out.stat().st_size == source.stat().st_size
        )
        assert out.read_bytes() == source.read_bytes()


async def test_tab_keys_switch_from_a_text_field_and_focus_the_tab_table(
    demo_vault_dir: Path,
) -> None:
    """`]` typed in an overview field is a bracket in the field; ctrl+pagedown / alt+right (and
    back) switch tabs from anywhere, focus the tab's table, and enter opens the selected row."""
    from textual.widgets._footer import FooterKey

    from casecoord.services.requests import RequestQuery, list_requests
    from casecoord.tui.screens.request_editor import RequestEditorScreen

    app = make_app(demo_vault_dir)
    async with app.run_test(size=(130, 44)) as pilot:
        await unlock(pilot)
        rows = list_requests(app.require_vault(), RequestQuery())
        case_ref = rows[0].case_ref
        app.push_screen(CaseDetailScreen(case_ref))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        tabs = detail.query_one("#case-tabs", TabbedContent)
        title = detail.query_one("#f-title", ValidatedField)
        title.focus_input()
        await settle(pilot)
        before = title.value
        await pilot.press("end", "right_square_bracket")
        assert title.value == before + "]"  # a printable key types, never switches
        assert tabs.active == "tab-overview"

        await pilot.press("ctrl+pagedown")
        await settle(pilot)
        assert tabs.active == "tab-persons"
        assert app.focused is detail.query_one("#persons", DataTable)
        await pilot.press("alt+right")
        await settle(pilot)
        assert tabs.active == "tab-requests"
        requests = detail.query_one("#requests", DataTable)
        assert app.focused is requests
        await pilot.press("alt+left")
        await settle(pilot)
        await pilot.press("ctrl+pageup")
        await settle(pilot)
        assert tabs.active == "tab-overview"
        assert isinstance(app.focused, Input) and app.focused.value == before + "]"
        await pilot.press("ctrl+pageup")  # wraps round to the last tab
        await settle(pilot)
        assert tabs.active == "tab-audit"
        assert app.focused is detail.query_one("#audit", DataTable)

        shown = {(k.key, k.description) for k in detail.query(FooterKey)}
        assert ("ctrl+pagedown", "Next tab") in shown
        assert ("ctrl+pageup", "Prev tab") in shown

        await pilot.press("ctrl+pageup", "ctrl+pageup", "ctrl+pageup", "ctrl+pageup")
        await settle(pilot)
        assert tabs.active == "tab-requests"
        assert app.focused is requests
        expected = str(requests.coordinate_to_cell_key(requests.cursor_coordinate).row_key.value)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestEditorScreen))
        editor = app.screen
        assert isinstance(editor, RequestEditorScreen)
        assert editor.request_ref == expected


async def test_two_quick_tab_keys_leave_focus_on_the_second_tab_and_back_there(
    demo_vault_dir: Path,
) -> None:
    """Two tab keys queued at once on a settled case: focus ends on the second tab's table, and
    returning from a request opens the case on the tab it was left on."""
    from casecoord.services.requests import RequestQuery, list_requests
    from casecoord.tui.screens.request_editor import RequestEditorScreen

    app = make_app(demo_vault_dir)
    async with app.run_test(size=(130, 44)) as pilot:
        await unlock(pilot)
        case_ref = list_requests(app.require_vault(), RequestQuery())[0].case_ref
        app.push_screen(CaseDetailScreen(case_ref))
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, CaseDetailScreen)
        await wait_until(pilot, lambda: detail.view is not None)
        tabs = detail.query_one("#case-tabs", TabbedContent)
        detail.query_one("#f-title", ValidatedField).focus_input()
        await settle(pilot)
        # as a terminal delivers them: both keys queued before either is handled
        from textual import events

        app.post_message(events.Key("ctrl+pagedown", None))
        app.post_message(events.Key("ctrl+pagedown", None))
        await settle(pilot)
        requests = detail.query_one("#requests", DataTable)
        assert tabs.active == "tab-requests"
        assert app.focused is requests
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestEditorScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is detail)
        await settle(pilot)
        assert tabs.active == "tab-requests"
        assert app.focused is requests
