"""A table is drawn at its cells' widths from the first paint after a row is added.

The race the dashboard lost at times (its snapshot failed 4 of 25 runs before, 0 of 25 after):
rows were added, the table was painted before it was next idle, and Textual's own table kept
the lines painted at the header's widths ("Fri 04 De").
"""

from __future__ import annotations

import html
import re
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from casecoord.tui.widgets.data_table import SizedDataTable

DUE = "Fri 04 Dec 17:00"
CASE = "NL-2026-0042"
HOSTILE = "[bold]Restrepo[/bold]"


class _TableApp(App[None]):
    def __init__(self, table: DataTable[Any]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.table.add_columns("Due", "Case", "Name")


def _picture(app: App[None]) -> str:
    """The screen as the terminal would show it (rendered through the compositor)."""
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


async def test_a_table_painted_at_once_after_a_row_is_added_shows_whole_cells() -> None:
    table = SizedDataTable()
    app = _TableApp(table)
    async with app.run_test(size=(80, 6)) as pilot:
        await pilot.pause()
        table.add_row(Text(DUE, style="bold red"), CASE, Text(HOSTILE))
        # no await: the table has not been idle since the row came, and is already sized
        assert [column.content_width for column in table.ordered_columns] == [
            len(DUE),
            len(CASE),
            len(HOSTILE),
        ]
        await pilot.pause()
        picture = _picture(app)
        assert DUE in picture
        assert CASE in picture
        assert HOSTILE in picture  # a Text cell (as untrusted names are given) is drawn as typed


async def test_clearing_keeps_columns_that_still_fit_and_later_rows_widen_them() -> None:
    table = SizedDataTable()
    app = _TableApp(table)
    async with app.run_test(size=(80, 6)) as pilot:
        await pilot.pause()
        table.add_row("short", "x", "y")
        table.clear()
        table.add_row(DUE, CASE, "z")
        assert table.ordered_columns[0].content_width == len(DUE)
        await pilot.pause()
        assert DUE in _picture(app)
