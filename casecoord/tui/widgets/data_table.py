"""A data table whose columns are as wide as its cells from the first paint.

Textual's ``DataTable`` measures the rows it was given only when it is next idle, and caches the
lines it draws under a counter that measuring leaves unchanged. A table painted between
``add_row`` and that idle moment (a busy machine, a dashboard filled by a worker) kept the
lines it drew at the header's widths: "Fri 04 De" for a due date, "NL-2" for a case reference,
until the officer moved the cursor. Measuring each row as it is added, through the table's
public column data, means no line is ever drawn at a width the rows do not have.
"""

from __future__ import annotations

from typing import Any

from rich.protocol import is_renderable
from rich.text import Text
from textual.render import measure
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, RowKey


class SizedDataTable(DataTable[Any]):
    """``DataTable`` whose auto-width columns grow as each row is added, not when idle."""

    def add_row(
        self,
        *cells: CellType,
        height: int | None = 1,
        key: str | None = None,
        label: Text | str | None = None,
    ) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        console = self.app.console
        for column, value in zip(self.ordered_columns, cells, strict=False):
            if column.auto_width:
                width = measure(console, _renderable(value), 1)
                column.content_width = max(column.content_width, width)
        return row_key


def _renderable(value: object) -> Any:
    """What the table draws for a cell, as far as its width goes.

    A plain string is measured as it is written, markup and all: at worst a column is a little
    wider than its text (untrusted text reaches tables as ``Text``, never as markup).
    """
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, float):
        return Text(f"{value:.2f}")
    return value if is_renderable(value) else Text(str(value))
