"""A data table whose columns are drawn at the widths measured for its rows.

Textual's ``DataTable`` measures the rows it was given only when it is next idle, and caches the
lines it draws under a counter that measuring leaves unchanged. A table drawn between
``add_row`` and that idle moment (a busy machine, a dashboard filled by a worker) kept the
lines it drew with the header widths: "Fri 04 De" for a due date, "NL-2" for a case reference,
until the officer moved the cursor. Measuring here drops the drawn lines, so the next paint
uses the widths just measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class SizedDataTable(DataTable[Any]):
    """``DataTable`` that repaints at the measured column widths once it has measured them."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._clear_caches()
        self.refresh()
