"""Reports across cases: what is open where, how fast counterparts answer, what is overdue.

The figures are :func:`casecoord.services.reports.build_report`'s, read in a worker (a register of
300,000 requests takes a moment) and shown as tables with small bar charts, because people look
before they read. The same report goes to a CSV for the office (``write_csv``, also in a worker)
so what the screen shows and what the spreadsheet holds are one computation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Label, Sparkline, Static

from casecoord.domain.errors import CasecoordError
from casecoord.services.reports import (
    AGE_BUCKETS,
    CaseworkReport,
    OpenCount,
    Turnaround,
    build_report,
    write_csv,
)
from casecoord.services.tui_queries import Marked, read_if_changed
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.screens.base import AreaScreen, ScreenCommand, app_now
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.tui.widgets.virtual_table import (
    Cell,
    Column,
    RowCells,
    RowsInMemory,
    VirtualTable,
)

CSV_NAME = "casecoord-report.csv"
BAR_WIDTH = 12  # fits beside the labels when the screen is 80 columns wide
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of block characters, ``value`` out of ``largest`` over ``width`` cells."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def by_pair(report: CaseworkReport) -> list[tuple[str, int]]:
    """Open requests per "requesting → requested" pair, most first."""
    counts: Counter[str] = Counter()
    for row in report.open_requests:
        counts[f"{row.requesting_state} → {row.requested_state}"] += row.count
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def by_kind(report: CaseworkReport) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for row in report.open_requests:
        counts[row.kind] += row.count
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def by_age(report: CaseworkReport) -> list[tuple[str, int]]:
    """Open requests per age bucket, youngest first, every bucket present (zeros too)."""
    counts: Counter[str] = Counter()
    for row in report.open_requests:
        counts[row.age_bucket] += row.count
    return [(label, counts.get(label, 0)) for label, _, _ in AGE_BUCKETS]


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


#: A counted line of a report table: its label, its count, its bar (empty for "none" lines).
CountLine = tuple[str, str, str]
COUNT_COLUMNS = {
    "#by-pair": (Column("label", "Pair", 9), Column("open", "Open", 6), Column("bar", "", 0)),
    "#by-kind": (Column("label", "Kind", 19), Column("open", "Open", 6), Column("bar", "", 0)),
    "#by-age": (Column("label", "Age", 9), Column("open", "Open", 6), Column("bar", "", 0)),
}
DETAIL_COLUMNS = (
    Column("pair", "Pair", 9),
    Column("kind", "Kind", 19),
    Column("age", "Age", 8),
    Column("open", "Open", 0),
)
TURNAROUND_COLUMNS = (
    Column("counterpart", "Counterpart", 12),
    Column("sent", "Sent", 6),
    Column("acknowledged", "Acknowledged", 13),
    Column("ack_days", "Median days to ack.", 20),
    Column("executed", "Executed", 9),
    Column("exec_days", "Median days to exec.", 0),
)


def count_lines(
    rows: Iterable[tuple[str, int]], empty: str = "no open request"
) -> tuple[CountLine, ...]:
    """Label, count and bar of each row, the bars against the largest; one line saying so
    when there is nothing to count."""
    shown = list(rows)
    largest = max((count for _, count in shown), default=0)
    lines = tuple((label, str(count), bar(count, largest)) for label, count in shown)
    return lines or ((empty, "", ""),)


def count_cells(line: CountLine, _previous: CountLine | None) -> list[Cell]:
    label, count, drawn = line
    return [(label, ""), (count, ""), (drawn, "cyan")]


def detail_cells(row: OpenCount, _previous: OpenCount | None) -> list[Cell]:
    return [
        (f"{row.requesting_state} → {row.requested_state}", ""),
        (row.kind, ""),
        (row.age_bucket, ""),
        (str(row.count), ""),
    ]


def turnaround_cells(row: Turnaround | None, _previous: Turnaround | None) -> list[Cell]:
    if row is None:
        return [("no outgoing request has been sent yet", "dim"), *[("", "")] * 5]
    return [
        (row.counterpart_state, ""),
        (str(row.sent), ""),
        (str(row.acknowledged), ""),
        (days(row.median_days_to_acknowledged), ""),
        (str(row.executed), ""),
        (days(row.median_days_to_executed), ""),
    ]


def _as_is(rows: tuple[object, ...]) -> tuple[object, ...]:
    """The table's query is its rows (the report is computed already)."""
    return rows


class ReportsScreen(AreaScreen):
    """Open requests by pair, kind and age; turnaround per counterpart; overdue deadlines."""

    DEFAULT_CSS = """
    ReportsScreen #report-body { height: 1fr; padding: 0 1; }
    ReportsScreen #report-summary { height: auto; margin-bottom: 1; }
    ReportsScreen .section { text-style: bold; color: $primary; margin-top: 1; }
    ReportsScreen .tables { height: auto; }
    ReportsScreen .tables > Vertical { width: 1fr; height: auto; margin-right: 2; }
    ReportsScreen VirtualTable { height: auto; max-height: 16; }
    ReportsScreen #age-spark { height: 3; margin-top: 1; }
    ReportsScreen #overdue { height: auto; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Refresh", id="report.refresh", tooltip="Compute the report again"),
        Binding(
            "e", "export_csv", "Export CSV", id="report.export", tooltip="Write it to a CSV file"
        ),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("report: refresh", "reload", "Compute the report again (r)"),
        ("report: export csv", "export_csv", "Write the report to a CSV for the office (e)"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.marked: Marked[CaseworkReport] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="report-body"):
            yield Static("Computing the report…", id="report-summary")
            with Horizontal(classes="tables"):
                with Vertical():
                    yield Label("Open requests by country pair", classes="section")
                    yield self._table("#by-pair", COUNT_COLUMNS["#by-pair"], count_cells)
                with Vertical():
                    yield Label("Open requests by kind", classes="section")
                    yield self._table("#by-kind", COUNT_COLUMNS["#by-kind"], count_cells)
            with Horizontal(classes="tables"):
                with Vertical():
                    yield Label("Open requests by age (days since created)", classes="section")
                    yield self._table("#by-age", COUNT_COLUMNS["#by-age"], count_cells)
                    yield Sparkline([], id="age-spark")
                with Vertical():
                    yield Label("Open requests in detail", classes="section")
                    yield self._table("#open-detail", DETAIL_COLUMNS, detail_cells)
            yield Label(
                "Turnaround per counterpart state (outgoing requests, median days from sent)",
                classes="section",
            )
            yield self._table("#turnaround", TURNAROUND_COLUMNS, turnaround_cells)
            yield Static("", id="overdue")
        yield SteadyFooter()

    @staticmethod
    def _table(selector: str, columns: Sequence[Column], cells: RowCells) -> VirtualTable[Any, Any]:
        return VirtualTable[tuple[object, ...], object](
            RowsInMemory(_as_is), columns, cells, repr, (), id=selector.removeprefix("#")
        )

    def on_mount(self) -> None:
        self.sub_title = "Reports"
        self.action_reload()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Compute the report in a worker; the screen fills when it is done. Shown again with
        nothing changed in the same minute, the report on screen is still the report, and is
        kept (``read_if_changed``): a 300,000-request register is not read again for it."""
        if self.report is None:
            self.query_one("#report-summary", Static).update("Computing the report…")
        now = app_now(self.app)
        previous = self.marked

        def shown(found: Marked[CaseworkReport] | None) -> None:
            if found is not None:
                self.marked = found
                self.show_report(found.value)

        self.work(
            lambda: read_if_changed(self.vault, now, previous, build_report),  # as the dashboard
            shown,
            group="report",
            description="build report",
        )

    @property
    def report(self) -> CaseworkReport | None:
        """The report on screen (None until the first one is computed)."""
        return self.marked.value if self.marked is not None else None

    def show_report(self, report: CaseworkReport) -> None:
        summary = Text()
        summary.append(f"As of {report.as_of:%Y-%m-%d %H:%M} UTC: ", style="dim")
        summary.append(f"{report.open_total} open requests", style="bold")
        summary.append(" · ")
        summary.append(
            f"{report.overdue_deadlines} overdue deadlines",
            style="bold red" if report.overdue_deadlines else "bold",
        )
        self.query_one("#report-summary", Static).update(summary)
        ages = by_age(report)
        self._show("#by-pair", count_lines(by_pair(report)))
        self._show("#by-kind", count_lines(by_kind(report)))
        self._show("#by-age", count_lines(ages))
        self.query_one("#age-spark", Sparkline).data = [float(count) for _, count in ages]
        self._show("#open-detail", report.open_requests)
        self._show("#turnaround", report.turnaround or (None,))
        overdue = Text()
        overdue.append("Overdue deadlines: ", style="bold")
        overdue.append(
            str(report.overdue_deadlines), style="bold red" if report.overdue_deadlines else ""
        )
        overdue.append("  (the Deadlines screen, key 3, lists them)", style="dim")
        self.query_one("#overdue", Static).update(overdue)

    def _show(self, selector: str, rows: tuple[object, ...]) -> None:
        """Draw ``rows`` in a table; the same rows as before (a report shown again with nothing
        changed) leave it as it is, cursor and all."""
        table = self.query_one(selector, VirtualTable)
        if not table.loaded or table.query_spec != rows:
            table.set_query(rows)

    # -- export ------------------------------------------------------------------------------

    def action_export_csv(self) -> None:
        """Ask where to write the report, then write it in a worker and say how many rows."""
        if self.report is None:
            self.notify("the report is still being computed", severity="warning")
            return
        self.app.push_screen(
            FilePickerDialog(
                "Export the report as CSV", save=True, default_name=CSV_NAME, suffixes=(".csv",)
            ),
            self.export_to,
        )

    def export_to(self, destination: Path | None, overwrite: bool = False) -> None:
        """Write the CSV; an existing file is replaced only after the officer says so."""
        report = self.report
        if destination is None or report is None:
            return
        target = destination

        def failed(error: CasecoordError) -> None:
            if not overwrite and self.offer_replace(error, lambda: self.export_to(target, True)):
                return
            self.show_error(error, "Report not exported")

        def done(rows: int) -> None:
            self.notify(f"{rows} rows written to {destination}", title="Report exported")

        def write() -> int:
            try:
                return write_csv(report, destination, overwrite=overwrite)
            except OSError as exc:  # a full USB stick, a folder that is not there
                raise CasecoordError(
                    f"{destination}: cannot be written ({exc.strerror or type(exc).__name__})"
                ) from None

        self.work(
            write,
            done,
            failed,
            group="report-export",
            description="export report CSV",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export_csv":
            return True if self.report is not None else None
        return True
