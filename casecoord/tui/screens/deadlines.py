"""The deadline agenda: every deadline by day, in the officer's zone, with the counterpart's clock.

Statutory deadlines show the rule and article they come from. The officer marks one met, waives
it (with a reason, which the audit chain keeps) or extends it (new due date and reason), and
exports the open ones to an .ics file for her calendar; the export runs in a worker.

Each action names the version of the row the officer acted on (``expected_version``): a deadline
another officer (or another window, or a moved receipt) changed meanwhile is refused with one
line under the agenda, the row is read again and nothing is written (docs/ARCHITECTURE.md,
"Team mode"). In the extend and waive dialogs the line shows in the dialog, which keeps what the
officer typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Checkbox, Header, Input, Static

from casecoord.domain.enums import DeadlineState
from casecoord.domain.errors import CasecoordError, ConflictError, ValidationError
from casecoord.domain.values import country_code
from casecoord.services.deadlines import (
    DeadlineCount,
    DeadlineQuery,
    DeadlineView,
    extend_deadline,
    set_deadline_state,
)
from casecoord.services.tui_queries import deadline_count, deadline_page
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.dialogs.prompt import PromptDialog, PromptField
from casecoord.tui.screens.base import AreaScreen, ScreenCommand, app_vault, conflict_line
from casecoord.tui.untrusted import shown
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.tui.widgets.virtual_table import Cell, Column, VirtualTable

ICS_NAME = "casecoord-deadlines.ics"
EXPORT_LIMIT = 100_000  # deadlines one .ics export writes at most

COLUMNS = (
    Column("day", "Day", 15),
    Column("due", "Due", 5),
    Column("counterpart", "Counterpart", 26),
    Column("title", "Deadline", 0),
    Column("case", "Case", 16),
    Column("request", "Request", 12),
    Column("rule", "Rule · article", 22),
    Column("state", "State", 8),
)


def deadline_conflict_line(view: DeadlineView, *, in_dialog: bool = False) -> str:
    """The conflict line for an action on a deadline changed since it was read: the agenda has
    read the row again, so the officer checks it and acts again."""
    then = (
        "the agenda shows it as stored now; cancel, check it and act again (your text stays "
        "here until you cancel)"
        if in_dialog
        else "the agenda shows it as stored now; check it and act again"
    )
    what = f"deadline '{shown(view.title, one_line=True)}' ({shown(view.case_ref, one_line=True)})"
    return conflict_line(what, then)


def day_label(moment: datetime) -> str:
    return f"{moment:%a %d %b %Y}"


class VaultDeadlines:
    """The agenda's rows, read through the app's vault at call time (in the table's workers)."""

    def __init__(self, app: object) -> None:
        self.app = app

    def count(self, query: DeadlineQuery, cap: int) -> tuple[int, DeadlineCount]:
        found = deadline_count(app_vault(self.app), query, cap)
        return found.total, found

    def page(self, query: DeadlineQuery, offset: int, limit: int) -> list[DeadlineView]:
        return deadline_page(app_vault(self.app), query, offset, limit)

    def whole(self, query: DeadlineQuery, rows: list[DeadlineView]) -> tuple[int, DeadlineCount]:
        found = DeadlineCount.of(rows, datetime.now(UTC))
        return found.total, found


def deadline_cells(view: DeadlineView, previous: DeadlineView | None) -> list[Cell]:
    """One agenda row; the day is written on the first row of each day only."""
    now = datetime.now(UTC)
    local = view.due_officer
    day = day_label(local)
    style = ""
    if view.overdue(now):
        style = "bold red"
    elif view.state != DeadlineState.OPEN.value:
        style = "dim"
    rule = " · ".join(p for p in (view.rule_id, view.article) if p) or view.origin
    same_day = previous is not None and day_label(previous.due_officer) == day
    return [
        ("" if same_day else day, "bold"),
        (f"{local:%H:%M}", style),
        (f"{view.due_counterpart:%a %H:%M} {view.counterpart_zone}", "dim"),
        (view.title, style),
        (view.case_ref, ""),
        (view.request_ref or "", ""),
        (rule, ""),
        (
            "overdue" if view.overdue(now) else view.state,
            style or ("green" if view.state == "met" else ""),
        ),
    ]


class DeadlinesScreen(AreaScreen):
    """All deadlines as an agenda grouped by day; filters, state changes and .ics export."""

    FILTER_SELECTOR = "#filter-case"

    DEFAULT_CSS = """
    DeadlinesScreen .toolbar { height: auto; }
    DeadlinesScreen .toolbar Input { width: 1fr; }
    DeadlinesScreen .toolbar Checkbox { width: auto; }
    DeadlinesScreen #deadline-zone { height: auto; color: $text-muted; padding: 0 1; }
    DeadlinesScreen #filter-message { height: auto; color: $error; padding: 0 1; }
    DeadlinesScreen #agenda { height: 1fr; }
    DeadlinesScreen #deadline-message { height: auto; color: $error; padding: 0 1; }
    DeadlinesScreen #deadline-detail { height: auto; min-height: 3; padding: 0 1;
        border: round $panel-lighten-2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mark_met", "Met", id="deadline.met", tooltip="Mark the deadline as met"),
        Binding("w", "waive", "Waive", id="deadline.waive", tooltip="Waive it, with a reason"),
        Binding("x", "extend", "Extend", id="deadline.extend", tooltip="New due date and reason"),
        Binding("e", "export_ics", "Export .ics", id="deadline.export", tooltip="To a calendar"),
        Binding("o", "toggle_overdue", "Overdue only", id="deadline.overdue", tooltip="Toggle"),
        Binding("c", "toggle_closed", "Closed too", id="deadline.closed", tooltip="Met/waived"),
        Binding("slash", "focus_filter", "Filter", id="deadline.filter", tooltip="By case"),
        Binding("r", "reload", "Refresh", id="deadline.refresh", tooltip="Read the store again"),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("deadline: mark met", "mark_met", "Mark the selected deadline as met"),
        ("deadline: waive", "waive", "Waive the selected deadline, giving a reason"),
        ("deadline: extend", "extend", "Give the selected deadline a new due date and a reason"),
        ("deadline: export .ics", "export_ics", "Write the open deadlines shown to an .ics file"),
        ("deadline: overdue only", "toggle_overdue", "Show only overdue deadlines, or all"),
        ("deadline: include closed", "toggle_closed", "Show met and waived deadlines too"),
        ("deadline: filter", "focus_filter", "Filter by case reference or country"),
        ("deadline: refresh", "reload", "Read the deadlines again"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.counted = DeadlineCount(0, 0, 0)
        self.last_query = DeadlineQuery()
        self._offered: tuple[bool, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="toolbar"):
            yield Input(placeholder="case reference (part of it)", id="filter-case")
            yield Input(placeholder="country (CO)", id="filter-country", max_length=2)
            yield Checkbox("Overdue only", id="overdue-only")
            yield Checkbox("Include met/waived", id="include-closed")
        yield Static("", id="filter-message", markup=False)
        yield Static("", id="deadline-zone")
        yield VirtualTable[DeadlineQuery, DeadlineView](
            VaultDeadlines(self.app),
            COLUMNS,
            deadline_cells,
            lambda view: view.uid,
            DeadlineQuery(),
            id="agenda",
        )
        yield Static("", id="deadline-message", markup=False)
        yield Static("", id="deadline-detail")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Deadlines"
        self.reload()
        self.table.focus()
        self.set_interval(60, self.reload, name="deadline-clock")

    @property
    def table(self) -> VirtualTable[DeadlineQuery, DeadlineView]:
        return self.query_one("#agenda", VirtualTable)

    @property
    def views(self) -> list[DeadlineView]:
        """The deadlines read so far (the first pages): what is on or near the screen."""
        return self.table.loaded_rows()

    # -- reading -----------------------------------------------------------------------------

    def deadline_query(self) -> DeadlineQuery | None:
        """The service query the filters make, or ``None`` (with a message) when one is wrong."""
        message = self.query_one("#filter-message", Static)
        message.update("")
        country_text = self.query_one("#filter-country", Input).value.strip()
        country = None
        if len(country_text) == 2:  # one letter is a code still being typed: no filter yet
            try:
                country = country_code(country_text, "country")
            except ValidationError as exc:
                message.update(exc.message)
                return None
        include_closed = self.query_one("#include-closed", Checkbox).value
        needle = self.query_one("#filter-case", Input).value.strip().lower()
        return DeadlineQuery(
            overdue_only=self.query_one("#overdue-only", Checkbox).value,
            open_only=not include_closed,
            country=country,
            case_text=needle or None,
        )

    def reload(self) -> None:
        """Count and page the deadlines the filters ask for, in the table's worker (a newer
        keystroke supersedes it; a late answer to an older one is dropped)."""
        query = self.deadline_query()
        if query is None:
            return
        self.last_query = query
        self.table.set_query(query)

    @on(VirtualTable.Counted, "#agenda")
    def _counted(self, event: VirtualTable.Counted) -> None:
        counted: DeadlineCount = event.summary
        self.counted = counted
        first = self.table.cached(0)
        zone = first.officer_zone if first is not None else ""
        more = "+" if event.capped else ""
        self.query_one("#deadline-zone", Static).update(
            f"{counted.total:,}{more} deadline(s), {counted.overdue:,}{more} overdue"
            + (f" · times in your zone ({zone}); counterpart's local time beside" if zone else "")
        )
        self._bindings_follow()

    def selected(self) -> DeadlineView | None:
        return self.table.current

    def show_detail(self) -> None:
        view = self.selected()
        detail = self.query_one("#deadline-detail", Static)
        if view is None:
            detail.update(Text("No deadline selected.", style="dim"))
            return
        text = Text()
        text.append(shown(view.title), style="bold")
        text.append(
            f"\ndue {view.due_officer:%Y-%m-%d %H:%M %Z} (yours) · "
            f"{view.due_counterpart:%Y-%m-%d %H:%M %Z} ({view.counterpart_zone})"
        )
        source = "statutory" if view.origin == "statutory" else "manual"
        text.append(f"\n{source}")
        if view.rule_id:
            text.append(f" · rule {view.rule_id}")
        if view.article:
            text.append(f" · {view.article}")
        text.append(shown(f" · case {view.case_ref}"))
        if view.request_ref:
            text.append(shown(f" · request {view.request_ref}"))
        if view.note:
            text.append(shown(f"\n{view.note}"), style="italic")
        detail.update(text)

    @on(VirtualTable.Highlighted, "#agenda")
    def _highlighted(self, _event: VirtualTable.Highlighted) -> None:
        self.show_detail()
        self._bindings_follow()

    def _bindings_follow(self) -> None:
        """The footer again, only when what it offers changed: each refresh rebuilds every key
        of the footer, which cost more than the agenda's page when done per row moved."""
        view = self.selected()
        offered = (
            view is not None and view.state == DeadlineState.OPEN.value,
            self.counted.open > 0,
        )
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    @on(Input.Changed, "#filter-case")
    @on(Input.Changed, "#filter-country")
    def _filter_typed(self) -> None:
        """A key in a filter field: a wrong country code is said at once, the query runs once
        the typing pauses (the table's debounce)."""
        self.deadline_query()
        self.table.set_query_later(self._typed_query)

    def _typed_query(self) -> DeadlineQuery | None:
        query = self.deadline_query()
        if query is not None:
            self.last_query = query
        return query

    @on(Input.Submitted, "#filter-case")
    @on(Input.Submitted, "#filter-country")
    def _filter_submitted(self) -> None:
        self.table.apply_now()

    @on(Checkbox.Changed)
    def _filters_changed(self) -> None:
        self.reload()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"mark_met", "waive", "extend"}:
            view = self.selected()
            return None if view is None or view.state != DeadlineState.OPEN.value else True
        if action == "export_ics":
            return None if not self.counted.open else True
        return True

    def action_focus_filter(self) -> None:
        self.query_one("#filter-case", Input).focus()

    def action_toggle_overdue(self) -> None:
        box = self.query_one("#overdue-only", Checkbox)
        box.value = not box.value

    def action_toggle_closed(self) -> None:
        box = self.query_one("#include-closed", Checkbox)
        box.value = not box.value

    def action_mark_met(self) -> None:
        view = self.selected()
        if view is None:
            return
        vault = self.vault
        self.say("")

        def marked(_: object) -> None:
            self.notify(f"'{shown(view.title)}' ({view.case_ref}) marked met", title="Deadline")
            self.reload()

        def refused(error: CasecoordError) -> None:
            if isinstance(error, ConflictError):
                self.conflicted(view)
            else:
                self.show_error(error)

        self.work(
            lambda: set_deadline_state(
                vault, view.uid, DeadlineState.MET.value, expected_version=view.version
            ),
            marked,
            refused,
            group="deadline-state",
            description="mark the deadline met",
        )

    def action_waive(self) -> None:
        view = self.selected()
        if view is None:
            return
        vault = self.vault
        self.say("")

        def submit(values: dict[str, str]) -> None:
            self.guarded(
                view,
                lambda: set_deadline_state(
                    vault,
                    view.uid,
                    DeadlineState.WAIVED.value,
                    values["reason"],
                    expected_version=view.version,
                ),
            )

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.notify(f"'{view.title}' ({view.case_ref}) waived", title="Deadline")
                self.reload()

        self.app.push_screen(
            PromptDialog(
                f"Waive '{view.title}' ({view.case_ref})",
                [PromptField("reason", "Why is it waived? (kept in the audit log)")],
                submit,
                ok_label="Waive",
            ),
            done,
        )

    def action_extend(self) -> None:
        view = self.selected()
        if view is None:
            return
        vault = self.vault
        self.say("")

        def submit(values: dict[str, str]) -> None:
            self.guarded(
                view,
                lambda: extend_deadline(
                    vault,
                    view.uid,
                    values["new_due"],
                    values["reason"],
                    expected_version=view.version,
                ),
            )

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.notify(
                    f"'{view.title}' ({view.case_ref}) now due {values['new_due']}",
                    title="Deadline extended",
                )
                self.reload()

        self.app.push_screen(
            PromptDialog(
                f"Extend '{view.title}' ({view.case_ref})",
                [
                    PromptField(
                        "new_due",
                        f"New due date, your time ({view.officer_zone})",
                        f"{view.due_officer:%Y-%m-%d %H:%M}",
                        "YYYY-MM-DD HH:MM",
                        aliases=("new due",),
                    ),
                    PromptField("reason", "Reason (kept in the audit log)"),
                ],
                submit,
                ok_label="Extend",
            ),
            done,
        )

    def say(self, line: str) -> None:
        """The line under the agenda (a conflict); empty clears it."""
        self.query_one("#deadline-message", Static).update(line)

    def conflicted(self, view: DeadlineView) -> None:
        """``view`` changed behind the screen: say so and read it again (nothing was saved)."""
        self.say(deadline_conflict_line(view))
        self.reload()

    def guarded(self, view: DeadlineView, write: Callable[[], object]) -> None:
        """A dialog's write (in its worker thread): on a conflict the agenda behind is read
        again and the dialog shows the conflict line instead of the service's message."""
        try:
            write()
        except ConflictError:
            self.app.call_from_thread(self.conflicted, view)
            raise ConflictError(deadline_conflict_line(view, in_dialog=True)) from None

    def action_export_ics(self) -> None:
        query = self.last_query

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.export_ics(query, path)

        self.app.push_screen(
            FilePickerDialog(
                "Export the open deadlines shown to an .ics calendar file",
                save=True,
                default_name=ICS_NAME,
                suffixes=(".ics",),
            ),
            chosen,
        )

    def export_ics(self, query: DeadlineQuery, path: Path, *, overwrite: bool = False) -> None:
        """Read the filter's deadlines and write the calendar off the UI thread; a refusal
        becomes a message, not a traceback, and an existing file is replaced only after the
        officer says so."""
        from casecoord.services.calendar_export import write_ics

        vault = self.vault

        def write() -> int:
            return write_ics(
                deadline_page(vault, query, 0, EXPORT_LIMIT), path, overwrite=overwrite
            )

        def failed(error: CasecoordError) -> None:
            retry = partial(self.export_ics, query, path, overwrite=True)
            if not overwrite and self.offer_replace(error, retry):
                return
            self.show_error(error, "Export failed")

        self.work(
            write,
            lambda count: self.notify(
                f"{count} deadline(s) written to {shown(path, one_line=True)}",
                title="Calendar exported",
                markup=False,
            ),
            failed,
            group="ics-export",
            description="export .ics",
        )
