"""Every case of the vault, instantly: filter-as-you-type over a virtual list, and full-text search.

The filter goes through ``count_cases``/``page_cases`` (trigram index) after a short debounce, in
an exclusive worker so that only the last keystroke's query is drawn. ``/`` switches to a search
over notes, facts and names (FTS5, ``services.search``) whose hits open their case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from casecoord.services.cases import CaseQuery, CaseRow
from casecoord.services.search import SearchHit, search
from casecoord.services.tui_queries import case_count, case_page
from casecoord.tui.screens.base import AreaScreen, app_vault
from casecoord.tui.untrusted import cell
from casecoord.tui.widgets.case_table import CaseTable

if TYPE_CHECKING:
    pass

DEBOUNCE_SECONDS = 0.06
STATUS_WORDS = {"intake", "active", "dormant", "closed"}


class VaultCases:
    """The case table's source, bound to whatever vault the app holds at call time."""

    def __init__(self, app: object) -> None:
        self.app = app

    def count(self, query: CaseQuery) -> int:
        return case_count(app_vault(self.app), query)

    def page(self, query: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
        return case_page(app_vault(self.app), query, offset, limit)


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

    FILTER_SELECTOR = "#case-filter"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="cases.search", tooltip="Full-text search"),
        Binding("n", "new_case", "New case", id="case.new", tooltip="Open a new case"),
        Binding("escape", "back_to_list", "List", show=False, id="cases.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None
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
            yield CaseTable(VaultCases(self.app), id="case-table")
        with Vertical(id="search-pane"):
            yield Input(placeholder="search notes, facts and names…", id="case-search")
            yield Label("", id="search-count", classes="count")
            yield OptionList(id="search-hits")
        yield Footer()

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
    def table(self) -> CaseTable:
        return self.query_one(CaseTable)

    # -- filter ------------------------------------------------------------------------------

    @on(Input.Changed, "#case-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.apply_filter)

    def apply_filter(self) -> None:
        text, status = parse_filter(self.query_one("#case-filter", Input).value)
        current = self.table.query_spec
        self.table.set_query(CaseQuery(text, status, current.sort, current.descending))

    @on(Input.Submitted, "#case-filter")
    def filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    @on(CaseTable.Counted)
    def counted(self, event: CaseTable.Counted) -> None:
        noun = "case" if event.total == 1 else "cases"
        self.query_one("#case-count", Label).update(f"{event.total:,} {noun}")

    @on(CaseTable.Opened)
    def opened(self, event: CaseTable.Opened) -> None:
        self.open_case(event.reference)

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
