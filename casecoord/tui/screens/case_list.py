"""Every case of the vault, instantly: filter-as-you-type over a virtual list, and full-text search.

The list is the shared :class:`VirtualTable` over ``case_count``/``case_page`` (trigram index):
the filter queries once the typing pauses (the table's debounce), in an exclusive worker so that
only the last filter's rows are drawn; ``s``/``S`` and the headers sort, enter opens the case.
``/`` switches to a search over notes, facts and names (FTS5, ``services.search``) whose hits
open their case.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from casecoord.services.cases import CaseQuery, CaseRow
from casecoord.services.search import SearchHit, search
from casecoord.services.tui_queries import case_count, case_page
from casecoord.tui.screens.base import AreaScreen, VaultRows
from casecoord.tui.untrusted import cell
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.tui.widgets.virtual_table import Cell, Column, Sorting, VirtualTable

STATUS_WORDS = {"intake", "active", "dormant", "closed"}

COLUMNS = (
    Column("reference", "Reference", 16, sort="reference"),
    Column("status", "Status", 9, sort="status"),
    Column("countries", "Countries", 14),
    Column("updated", "Updated", 17, sort="updated"),
    Column("title", "Title", 0, sort="title"),
)

SORTING = Sorting[CaseQuery](
    keys=("updated", "reference", "title", "status", "created"),
    of=lambda query: (query.sort, query.descending),
    by=lambda query, key, descending: replace(query, sort=key, descending=descending),
    descending_first=frozenset({"updated", "created"}),
)


def case_cells(row: CaseRow, _previous: CaseRow | None) -> list[Cell]:
    """One case-list row (stored text: the table escapes controls and line breaks when drawn)."""
    return [
        (row.reference, ""),
        (row.status, ""),
        (" ".join(row.countries), ""),
        (row.updated_at.strftime("%Y-%m-%d %H:%M"), ""),
        (row.title, ""),
    ]


def parse_filter(text: str) -> tuple[str, str | None]:
    """``status:active harbour`` → text "harbour", status "active"; the rest is free text."""
    words, status = [], None
    for word in text.split():
        key, _, value = word.partition(":")
        if key.lower() == "status" and value.lower() in STATUS_WORDS:
            status = value.lower()
        else:
            words.append(word)
    return " ".join(words), status


class CaseListScreen(AreaScreen):
    """The case list; enter opens the case, n opens a new one."""

    DEFAULT_CSS = """
    CaseListScreen #search-hits { height: 1fr; }
    """

    FILTER_SELECTOR = "#case-filter"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "focus_filter", "Filter", id="cases.filter", tooltip="Or just type"),
        Binding("slash", "search", "Search", id="cases.search", tooltip="Full-text search"),
        Binding("n", "new_case", "New case", id="case.new", tooltip="Open a new case"),
        Binding("escape", "back_to_list", "List", show=False, id="cases.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="cases-pane"):
            with Horizontal(classes="toolbar"):
                yield Input(
                    placeholder="filter: reference, title, country…  (status:active)",
                    id="case-filter",
                )
                yield Label("", id="case-count", classes="count")
            yield VirtualTable[CaseQuery, CaseRow](
                VaultRows(self.app, case_count, case_page),
                COLUMNS,
                case_cells,
                lambda row: row.reference,
                CaseQuery(),
                sorting=SORTING,
                selectable=True,
                id="case-table",
            )
        with Vertical(id="search-pane"):
            yield Input(placeholder="search notes, facts and names…", id="case-search")
            yield Label("", id="search-count", classes="count")
            yield OptionList(id="search-hits")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Cases"
        self.query_one("#search-pane").display = False
        self.table.set_query(CaseQuery())
        self.table.focus()

    def reload(self) -> None:
        """Count and page again (a case added elsewhere shows up)."""
        if self.table.loaded:
            self.table.reload()

    @property
    def table(self) -> VirtualTable[CaseQuery, CaseRow]:
        return self.query_one("#case-table", VirtualTable)

    def visible_references(self) -> list[str]:
        """The references drawn on screen now: what a test reads."""
        return [row.reference for row in self.table.visible_rows()]

    # -- filter ------------------------------------------------------------------------------

    @on(Input.Changed, "#case-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.table.set_query_later(self.filter_query)

    def filter_query(self) -> CaseQuery:
        """The filter field's words and status, in the list's current order."""
        text, status = parse_filter(self.query_one("#case-filter", Input).value)
        return replace(self.table.query_spec, text=text, status=status)

    def apply_filter(self) -> None:
        """Query the filter now (what the debounce does once the typing pauses)."""
        self.table.set_query(self.filter_query())

    @on(Input.Submitted, "#case-filter")
    def filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.apply_now()
        self.table.focus()

    @on(VirtualTable.Counted, "#case-table")
    def counted(self, event: VirtualTable.Counted) -> None:
        noun = "case" if event.total == 1 else "cases"
        more = "+" if event.capped else ""
        self.query_one("#case-count", Label).update(f"{event.total:,}{more} {noun}")

    @on(VirtualTable.Selected, "#case-table")
    def opened(self, event: VirtualTable.Selected) -> None:
        row: CaseRow = event.row
        self.open_case(row.reference)

    def open_case(self, reference: str) -> None:
        from casecoord.tui.screens.case_detail import CaseDetailScreen

        self.app.push_screen(CaseDetailScreen(reference))

    def action_focus_filter(self) -> None:
        self.query_one("#search-pane").display = False
        self.query_one("#cases-pane").display = True
        self.query_one("#case-filter", Input).focus()

    def action_back_to_list(self) -> None:
        self.query_one("#search-pane").display = False
        self.query_one("#cases-pane").display = True
        self.table.focus()

    # -- new case ----------------------------------------------------------------------------

    def action_new_case(self) -> None:
        from casecoord.tui.dialogs.new_case import NewCaseDialog

        self.app.push_screen(NewCaseDialog(), self.created)

    def created(self, reference: str | None) -> None:
        if reference is None:
            return
        self.notify(f"case {reference} opened")
        self.table.reload()
        self.open_case(reference)

    # -- full-text search --------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#cases-pane").display = False
        self.query_one("#search-pane").display = True
        self.query_one("#case-search", Input).focus()

    @on(Input.Submitted, "#case-search")
    @on(Input.Changed, "#case-search")
    def search_changed(self, event: Input.Submitted | Input.Changed) -> None:
        words = event.value
        self.work(
            lambda: search(self.vault, words, limit=100),
            self.show_hits,
            group="search",
            exclusive=True,
            description="full-text search",
        )
        if isinstance(event, Input.Submitted):
            self.query_one("#search-hits", OptionList).focus()

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.hits = hits
        options = self.query_one("#search-hits", OptionList)
        options.clear_options()
        options.add_options(
            [Option(cell(f"{hit.case_ref}  {hit.kind} {hit.ref}: {hit.snippet}")) for hit in hits]
        )
        if hits:
            options.highlighted = 0
        self.query_one("#search-count", Label).update(f"{len(hits)} hits")

    @on(OptionList.OptionSelected, "#search-hits")
    def hit_chosen(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.hits):
            self.open_case(self.hits[event.option_index].case_ref)

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [
            ("case: new", "Open a new case", self.action_new_case),
            ("case: search", "Full-text search over notes and facts", self.action_search),
            ("case: filter", "Filter the case list", self.action_focus_filter),
            ("case: sort", "Sort by the next column", self.table.action_cycle_sort),
            ("case: reverse order", "Reverse the sort order", self.table.action_reverse_sort),
        ]
