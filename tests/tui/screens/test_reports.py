"""The reports screen shows build_report's figures, and exports them to CSV in a worker."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.widgets import Sparkline, Static

from casecoord.services.reports import build_report
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.screens.reports import ReportsScreen, by_age, by_kind, by_pair
from casecoord.tui.widgets.virtual_table import VirtualTable
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle, wait_until


def _rows(table: VirtualTable[Any, Any]) -> dict[str, list[str]]:
    """What each row of a report table shows, by its first cell."""
    found: dict[str, list[str]] = {}
    for index in range(table.total):
        cells = table.cell_texts(index)
        found[cells[0]] = cells[1:]
    return found


async def test_reports_screen_shows_the_figures_build_report_computes(
    demo_vault: UnlockedVault,
) -> None:
    expected = build_report(demo_vault, datetime.now(UTC))
    assert expected.open_total > 0 and expected.turnaround  # the demo has something to show
    app = HostApp(demo_vault, ReportsScreen)
    async with app.run_test(size=(160, 70)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        await wait_until(pilot, lambda: screen.report is not None)
        await wait_until(pilot, lambda: all(t.settled for t in screen.query(VirtualTable)))
        summary = str(screen.query_one("#report-summary", Static).render())
        assert f"{expected.open_total} open requests" in summary
        assert f"{expected.overdue_deadlines} overdue deadlines" in summary

        pairs = _rows(screen.query_one("#by-pair", VirtualTable))
        assert {label: int(cells[0]) for label, cells in pairs.items()} == dict(by_pair(expected))
        assert sum(int(cells[0]) for cells in pairs.values()) == expected.open_total
        assert all(cells[1] and set(cells[1]) <= set("█▏▎▍▌▋▊▉") for cells in pairs.values())
        kinds = _rows(screen.query_one("#by-kind", VirtualTable))
        assert {label: int(cells[0]) for label, cells in kinds.items()} == dict(by_kind(expected))
        ages = _rows(screen.query_one("#by-age", VirtualTable))
        assert [(label, int(cells[0])) for label, cells in ages.items()] == by_age(expected)
        spark = screen.query_one("#age-spark", Sparkline)
        assert list(spark.data or []) == [float(count) for _, count in by_age(expected)]

        turnaround = _rows(screen.query_one("#turnaround", VirtualTable))
        for t in expected.turnaround:
            sent, acked, median_ack, executed, median_exe = turnaround[t.counterpart_state]
            assert int(sent) == t.sent and int(acked) == t.acknowledged
            assert int(executed) == t.executed
            if t.median_days_to_acknowledged is None:
                assert median_ack == "—"
            else:
                assert median_ack == f"{t.median_days_to_acknowledged:.1f}"
            if t.median_days_to_executed is not None:
                assert median_exe == f"{t.median_days_to_executed:.1f}"
        overdue = str(screen.query_one("#overdue", Static).render())
        assert f"Overdue deadlines: {expected.overdue_deadlines}" in overdue


async def test_export_csv_writes_the_report_through_the_picker(
    demo_vault: UnlockedVault, tmp_path: Path
) -> None:
    target = tmp_path / "office" / "report"
    target.parent.mkdir()
    app = HostApp(demo_vault, ReportsScreen)
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
        from textual.widgets import Input

        picker.query_one("#picker-path", Input).value = str(target)
        picker.action_choose()
        await wait_until(pilot, lambda: target.with_suffix(".csv").exists())
        await settle(pilot)
    with target.with_suffix(".csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    report = screen.report
    assert report is not None
    open_rows = [r for r in rows if r["section"] == "open-requests"]
    assert sum(int(r["value"]) for r in open_rows) == report.open_total
    (overdue,) = [r for r in rows if r["section"] == "deadlines"]
    assert int(overdue["value"]) == report.overdue_deadlines
