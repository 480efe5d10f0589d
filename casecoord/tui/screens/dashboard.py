"""The dashboard: what needs the officer today.

Overdue and upcoming deadlines (next 14 days) with the counterpart's local time, open requests by
status and by country pair, recently changed cases, and the deadline load of the coming weeks.
All of it is read in one worker (``services.tui_queries.dashboard``) and refreshed whenever the
screen comes back into view.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Header, Label, Sparkline, Static

from casecoord.services.deadlines import DeadlineCount, DeadlineView
from casecoord.services.tui_queries import DashboardData, Marked, dashboard, read_if_changed
from casecoord.tui.screens.base import AreaScreen, app_now
from casecoord.tui.untrusted import cell
from casecoord.tui.widgets.data_table import SizedDataTable
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.tui.widgets.virtual_table import COUNT_CAP


def local_time(view: DeadlineView) -> str:
    """The due moment on the counterpart's clock, with the zone's name."""
    moment = view.due_counterpart
    return f"{moment:%a %d %b %H:%M} {view.counterpart_zone}"


def officer_time(view: DeadlineView) -> str:
    return f"{view.due_officer:%a %d %b %H:%M}"


class DashboardScreen(AreaScreen):
    """Overview; r reloads, enter on a row opens its case."""

    DEFAULT_CSS = """
    DashboardScreen #dashboard-grid {
        grid-size: 2; grid-columns: 1fr 1fr; grid-rows: 1fr 1fr 1fr 1fr; grid-gutter: 0 1;
    }
    DashboardScreen #dashboard-grid .wide { column-span: 2; }
    DashboardScreen #dashboard-grid DataTable { height: 1fr; }
    DashboardScreen #weekly { height: 3; margin: 1 0; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "reload", "Reload", id="dashboard.reload", tooltip="Read again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marked: Marked[DashboardData] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="dashboard-grid"):
            with Vertical(classes="panel wide", id="overdue-panel"):
                yield Label("Overdue deadlines", classes="heading", id="overdue-heading")
                yield SizedDataTable(id="overdue", cursor_type="row", zebra_stripes=True)
            with Vertical(classes="panel wide", id="upcoming-panel"):
                yield Label("Due in the next 14 days", classes="heading", id="upcoming-heading")
                yield SizedDataTable(id="upcoming", cursor_type="row", zebra_stripes=True)
            with Vertical(classes="panel", id="status-panel"):
                yield Label("Open requests by status", classes="heading")
                yield Static("…", id="by-status")
            with Vertical(classes="panel", id="pair-panel"):
                yield Label("Open requests by country pair", classes="heading")
                yield Static("…", id="by-pair")
            with Vertical(classes="panel", id="recent-panel"):
                yield Label("Recently changed cases", classes="heading")
                yield SizedDataTable(id="recent", cursor_type="row")
            with Vertical(classes="panel", id="load-panel"):
                yield Label("Open deadlines per week (next 8 weeks)", classes="heading")
                yield Sparkline([], id="weekly")
                yield Static("", id="weekly-figures")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Dashboard"
        for table_id in ("#overdue", "#upcoming"):
            table = self.query_one(table_id, DataTable)
            table.add_columns("Due (you)", "Counterpart local time", "Case", "Deadline")
        self.query_one("#recent", DataTable).add_columns("Case", "Status", "Title")
        self.action_reload()

    def reload(self) -> None:
        """Read the dashboard in a worker; shown again with nothing changed in the same minute,
        what is on screen still holds and stays (``read_if_changed``)."""
        now = app_now(self.app)
        previous = self.marked

        def shown(found: Marked[DashboardData] | None) -> None:
            if found is not None:
                self.marked = found
                self.show(found.value)

        self.work(
            # the vault is asked for in the worker: a screen shown again as an idle lock's
            # unlock screen closes may run this before the app holds the vault again
            lambda: read_if_changed(self.vault, now, previous, dashboard),
            shown,
            group="dashboard",
            exclusive=True,
            description="load dashboard",
        )

    @property
    def data(self) -> DashboardData | None:
        """What the dashboard shows (None until first read)."""
        return self.marked.value if self.marked is not None else None

    def show(self, data: DashboardData) -> None:
        self._fill_deadlines("#overdue", data.overdue, overdue=True)
        self._fill_deadlines("#upcoming", data.upcoming, overdue=False)
        self._heading(
            "#overdue-heading", "Overdue deadlines", len(data.overdue), data.overdue_total
        )
        self._heading(
            "#upcoming-heading", "Due in the next 14 days", len(data.upcoming), data.upcoming_total
        )
        by_status = data.requests_by_status
        self.query_one("#by-status", Static).update(
            "\n".join(f"{status:<14} {count:>6,}" for status, count in sorted(by_status.items()))
            or "no open requests"
        )
        self.query_one("#by-pair", Static).update(
            "\n".join(f"{a} → {b}   {n:>6,}" for a, b, n in data.requests_by_pair)
            or "no open requests"
        )
        recent = self.query_one("#recent", DataTable)
        recent.clear()
        for row in data.recent:
            recent.add_row(cell(row.reference), row.status, cell(row.title), key=row.reference)
        self.query_one("#weekly", Sparkline).data = list(data.weekly)
        self.query_one("#weekly-figures", Static).update(
            "weeks: " + " ".join(f"{n}" for n in data.weekly)
        )

    def _heading(self, label_id: str, title: str, shown: int, counted: DeadlineCount) -> None:
        """The table's title, saying when it holds only the earliest of more (3: all of them)."""
        more = "+" if counted.total >= COUNT_CAP else ""
        if counted.total > shown:
            title += f" (the first {shown:,} of {counted.total:,}{more}; all on Deadlines, 3)"
        self.query_one(label_id, Label).update(title)

    def _fill_deadlines(self, table_id: str, views: list[DeadlineView], *, overdue: bool) -> None:
        table = self.query_one(table_id, DataTable)
        table.clear()
        for view in views:
            due = Text(officer_time(view), style="bold red" if overdue else "")
            table.add_row(
                due, local_time(view), cell(view.case_ref), cell(view.title), key=f"{view.id}"
            )
        if not views:
            table.add_row("-", "", "", "none", key="none")

    @on(DataTable.RowSelected)
    def open_case(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        row = table.get_row(event.row_key)
        reference = str(row[0] if table.id == "recent" else row[2])
        if not reference or reference == "-":
            return
        from casecoord.tui.screens.case_detail import CaseDetailScreen

        self.app.push_screen(CaseDetailScreen(reference))

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [("dashboard: reload", "Read the dashboard again", self.action_reload)]
