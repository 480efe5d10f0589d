"""A table drawn before it measured its rows is redrawn at the measured widths.

The race the dashboard lost at times (4 of 25 runs of its snapshot before the fix, 0 of 25
after): rows are added, the table is painted before it is idle, and Textual's own table kept
the lines painted with the header's widths. The exact interleaving depends on the event loop's
timing and is not reproduced step by step here; this pins what the officer must see.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from casecoord.tui.widgets.data_table import SizedDataTable

DUE = "Fri 04 Dec 17:00"
CASE = "NL-2026-0042"


class _TableApp(App[None]):
    def __init__(self, table: DataTable[Any]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.table.add_columns("Due", "Case")


def _picture(app: App[None]) -> str:
    """The screen as the terminal would show it (rendered through the compositor)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def _painted_before_idle(table: DataTable[Any]) -> str:
    """Add a row, paint at once (before the table is idle), then paint again after idle."""
    app = _TableApp(table)
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        table.add_row(DUE, CASE)
        early = _picture(app)  # drawn before the rows were measured
        assert DUE not in early
        await pilot.pause()
        await pilot.pause()
        return _picture(app)


async def test_a_table_painted_before_measuring_shows_whole_cells_after() -> None:
    later = await _painted_before_idle(SizedDataTable())
    assert DUE in later
    assert CASE in later
