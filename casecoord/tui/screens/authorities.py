"""The competent-authority directory: who receives which kind of request in which state.

Seeded with the central authorities of TREATY-FACTS section 4 and kept current by the officer from
her own CSV. Each entry shows the day it was last verified, and one older than a year is marked:
an addressee that moved is how a request gets lost. A state without an entry says so plainly and
points at the EJN Fiches Belges rather than leaving an empty table to be misread as "none needed".
Reading and importing run in workers; a refused CSV lists every bad line with its number.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Static

from casecoord.domain.authority import Authority
from casecoord.domain.errors import CasecoordError, ValidationError
from casecoord.domain.values import country_code
from casecoord.services.authorities import (
    AuthorityImportError,
    ImportResult,
    import_csv,
    list_authorities,
)
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.screens.base import AreaScreen, ScreenCommand, app_now
from casecoord.tui.widgets.data_table import SizedDataTable
from casecoord.tui.widgets.footer import SteadyFooter

STALE_AFTER_DAYS = 365


def is_stale(authority: Authority, today: date) -> bool:
    """Never verified, or verified more than a year ago."""
    verified = authority.last_verified
    return verified is None or (today - verified).days > STALE_AFTER_DAYS


def verified_cell(authority: Authority, today: date) -> Text:
    if authority.last_verified is None:
        return Text("never", style="bold yellow")
    shown = authority.last_verified.isoformat()
    if is_stale(authority, today):
        return Text(f"{shown} ⚠ over a year", style="bold yellow")
    return Text(shown)


def import_problems(error: AuthorityImportError) -> str:
    """Every problem of a refused CSV on its own line (the service joins only the first few)."""
    lines = [f"Nothing was imported from {error.field}. Fix these lines and import again:"]
    lines.extend(f"• {problem}" for problem in error.problems)
    return "\n".join(lines)


class AuthoritiesScreen(AreaScreen):
    """The directory per state and measure; filter by country, import the officer's CSV."""

    FILTER_SELECTOR = "#filter-country"

    DEFAULT_CSS = """
    AuthoritiesScreen .toolbar { height: auto; }
    AuthoritiesScreen #filter-country { width: 30; }
    AuthoritiesScreen #authority-count { width: 1fr; padding: 1 1 0 1; color: $text-muted; }
    AuthoritiesScreen #filter-message { height: auto; color: $error; padding: 0 1; }
    AuthoritiesScreen #empty-note { height: auto; padding: 0 1; }
    AuthoritiesScreen #authorities { height: 1fr; }
    AuthoritiesScreen #authority-detail { height: auto; min-height: 3; padding: 0 1;
        border: round $panel-lighten-2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "focus_filter", "Filter", id="authority.filter", tooltip="By country (CO)"
        ),
        Binding(
            "i",
            "import_csv",
            "Import CSV",
            id="authority.import",
            tooltip="Add or replace entries from your CSV (all or nothing)",
        ),
        Binding("r", "reload", "Refresh", id="authority.refresh", tooltip="Read the store again"),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("authority: filter by country", "focus_filter", "Show one state's authorities (/)"),
        ("authority: import csv", "import_csv", "Add or replace entries from a CSV file (i)"),
        ("authority: refresh", "reload", "Read the directory again (r)"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.authorities: list[Authority] = []
        self.country: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="toolbar"):
            yield Input(placeholder="country (CO, NL…); empty: all", id="filter-country")
            yield Static("", id="authority-count")
        yield Static("", id="filter-message", markup=False)
        yield Static("", id="empty-note")
        yield SizedDataTable(id="authorities", cursor_type="row", zebra_stripes=True)
        yield Static("", id="authority-detail")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Competent authorities"
        table = self.query_one("#authorities", DataTable)
        table.add_columns(
            "Country", "Authority", "Role", "Kinds", "Languages", "Last verified", "Status"
        )
        self.action_reload()
        table.focus()

    # -- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        vault = self.vault
        country = self.country
        self.work(
            lambda: list_authorities(vault, country),
            self.show_authorities,
            lambda error: self.query_one("#filter-message", Static).update(error.message),
            group="authorities",
            description="list authorities",
        )

    @on(Input.Changed, "#filter-country")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        message = self.query_one("#filter-message", Static)
        message.update("")
        text = event.value.strip()
        if not text:
            wanted = None
        elif len(text) == 2:
            try:
                wanted = country_code(text, "country")
            except ValidationError as exc:
                message.update(exc.message)
                return
        else:
            if len(text) > 2:
                message.update("type a two-letter ISO country code (CO, NL…)")
            return  # one letter: a code still being typed
        if wanted != self.country:
            self.country = wanted
            self.action_reload()

    def show_authorities(self, authorities: list[Authority]) -> None:
        self.authorities = authorities
        today = app_now(self.app).astimezone().date()
        table = self.query_one("#authorities", DataTable)
        table.clear()
        for authority in authorities:
            table.add_row(
                authority.country,
                Text(authority.name),
                authority.role,
                ", ".join(authority.kinds) or "every kind",
                ", ".join(authority.languages),
                verified_cell(authority, today),
                Text(
                    authority.status,
                    style="" if authority.status == "confirmed" else "yellow",
                ),
                key=str(authority.id),
            )
        states = sorted({a.country for a in authorities})
        stale = sum(1 for a in authorities if is_stale(a, today))
        count = f"{len(authorities)} entries" + (f" for {self.country}" if self.country else "")
        if stale:
            count += f" · {stale} not verified for over a year"
        self.query_one("#authority-count", Static).update(count)
        note = self.query_one("#empty-note", Static)
        if not authorities:
            where = f"for {self.country}" if self.country else "at all"
            note.update(
                Text(
                    f"The directory has no authority {where}. Until it has, check the addressee "
                    "in the EJN Fiches Belges (or the state's central authority) before sending, "
                    "and add it with a CSV import (i).",
                    style="yellow",
                )
            )
        elif not self.country:
            note.update(Text(f"States in the directory: {', '.join(states)}", style="dim"))
        else:
            note.update("")
        self.show_detail()

    @on(DataTable.RowHighlighted, "#authorities")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    def selected(self) -> Authority | None:
        table = self.query_one("#authorities", DataTable)
        if not table.row_count or not self.authorities:
            return None
        row = table.cursor_row
        return self.authorities[row] if 0 <= row < len(self.authorities) else None

    def show_detail(self) -> None:
        detail = self.query_one("#authority-detail", Static)
        authority = self.selected()
        if authority is None:
            detail.update("")
            return
        text = Text()
        text.append(authority.name, style="bold")
        text.append(f" ({authority.country}, {authority.role})\n")
        for label, value in (
            ("address", authority.address),
            ("email", authority.email or ""),
            ("phone", authority.phone or ""),
            ("note", authority.note),
            ("source", authority.source),
        ):
            if value:
                text.append(f"{label}: ", style="dim")
                text.append(f"{value}\n")
        text.append("origin: ", style="dim")
        text.append("seeded with casecoord" if authority.origin == "seed" else "your CSV import")
        detail.update(text)

    def action_focus_filter(self) -> None:
        self.query_one("#filter-country", Input).focus()

    # -- import ------------------------------------------------------------------------------

    def action_import_csv(self) -> None:
        self.app.push_screen(
            FilePickerDialog("Import authorities from a CSV file", suffixes=(".csv",)),
            self.import_from,
        )

    def import_from(self, path: Path | None) -> None:
        """Import ``path`` in a worker; a refused file shows every bad line in an error dialog."""
        if path is None:
            return
        vault = self.vault

        def done(result: ImportResult) -> None:
            self.notify(
                f"{result.rows} rows from {path.name}: {result.added} added, "
                f"{result.updated} updated",
                title="Authorities imported",
            )
            self.action_reload()

        def refused(error: CasecoordError) -> None:
            if isinstance(error, AuthorityImportError):
                self.app.push_screen(ErrorDialog(import_problems(error), title="CSV refused"))
            else:
                self.show_error(error, "CSV not imported")

        self.work(
            lambda: import_csv(vault, path),
            done,
            refused,
            group="authority-import",
            description="import authorities",
        )
