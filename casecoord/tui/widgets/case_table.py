"""A virtual case list: any number of cases, only the visible page read from the store.

Built like toolong's ``LogLines``: a Line-API :class:`ScrollView` whose virtual height is the
number of matching cases (``count_cases``). ``render_line`` draws rows from a small LRU cache of
pages; a missing page is drawn as a placeholder and fetched by a thread worker (``page_cases``
with ``OFFSET/LIMIT``), after which the lines repaint. A filled ``DataTable`` would need every
row in memory before the first paint (seconds at 100,000 cases); this needs one page.

Queries are versioned by a generation number so that a page arriving for an old filter is
dropped rather than drawn.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from casecoord.domain.text import shown
from casecoord.services.cases import CaseQuery, CaseRow

PAGE_SIZE = 100
CACHE_PAGES = 24
SORT_KEYS = ("updated", "reference", "title", "status", "created")


class CaseSource(Protocol):
    """Where rows come from; the screen binds it to ``app.vault`` at call time."""

    def count(self, query: CaseQuery) -> int: ...

    def page(self, query: CaseQuery, offset: int, limit: int) -> list[CaseRow]: ...


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes the remaining width
    sort: str | None


COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference", 16, "reference"),
    Column("status", "Status", 9, "status"),
    Column("countries", "Countries", 14, None),
    Column("updated", "Updated", 17, "updated"),
    Column("title", "Title", 0, "title"),
)


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


def cell_text(row: CaseRow, key: str) -> str:
    """What one cell shows: stored text, so controls and line breaks are escaped (drawn as raw
    segments, a title's escape sequence would otherwise reach the terminal)."""
    return shown(_cell_value(row, key), one_line=True)


def _cell_value(row: CaseRow, key: str) -> str:
    if key == "reference":
        return row.reference
    if key == "status":
        return row.status
    if key == "countries":
        return " ".join(row.countries)
    if key == "updated":
        return row.updated_at.strftime("%Y-%m-%d %H:%M")
    return row.title


class CaseTable(ScrollView, can_focus=True):
    """Scrollable, sortable list of cases over SQL pages; enter posts :class:`CaseTable.Opened`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "case-table--header",
        "case-table--cursor",
        "case-table--placeholder",
        "case-table--sorted",
    }

    DEFAULT_CSS = """
    CaseTable { overflow-x: hidden; overflow-y: auto; height: 1fr; }
    CaseTable > .case-table--header { text-style: bold; background: $panel; }
    CaseTable > .case-table--sorted { text-style: bold underline; background: $panel; }
    CaseTable > .case-table--cursor { background: $block-cursor-blurred-background; }
    CaseTable:focus > .case-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    CaseTable > .case-table--placeholder { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.pgup"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.pgdn"),
        Binding("home", "home", "First", show=False, id="list.home"),
        Binding("end", "end", "Last", show=False, id="list.end"),
        Binding("enter", "open", "Open", id="list.open", tooltip="Open the case"),
        Binding("s", "cycle_sort", "Sort", id="list.sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", id="list.reverse", tooltip="Reverse the order"),
    ]

    cursor: reactive[int] = reactive(0, repaint=False)

    class Opened(Message):
        """The officer chose a case (enter or a second click on the row)."""

        def __init__(self, reference: str) -> None:
            super().__init__()
            self.reference = reference

    class Counted(Message):
        """A new query was counted; the screen shows the figure."""

        def __init__(self, total: int, query: CaseQuery) -> None:
            super().__init__()
            self.total = total
            self.query = query

    def __init__(
        self,
        source: CaseSource,
        *,
        id: str | None = None,  # noqa: A002 (Textual's own parameter name)
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        super().__init__(id=id)
        self.source = source
        self.query_spec = CaseQuery()
        self.total = 0
        self.generation = 0
        self.pages: OrderedDict[int, list[CaseRow]] = OrderedDict()
        self.pending: set[int] = set()
        self.page_fetches = 0
        self.rows_fetched = 0
        self.loaded = False
        self.on_error = on_error

    # -- queries -----------------------------------------------------------------------------

    def set_query(self, query: CaseQuery) -> None:
        """Count and fetch the first page of ``query`` in an exclusive worker."""
        self.query_spec = query
        self.generation += 1
        generation = self.generation
        source = self.source

        def job() -> None:
            total = source.count(query)
            first = source.page(query, 0, PAGE_SIZE) if total else []
            self.app.call_from_thread(self._counted, generation, query, total, first)

        self.run_worker(
            job,
            thread=True,
            exclusive=True,
            group="case-count",
            exit_on_error=False,
            description="count cases",
        )

    def reload(self) -> None:
        """Re-run the current query (after an edit or an unlock); keeps the cursor if it can."""
        self.set_query(self.query_spec)

    def _counted(self, generation: int, query: CaseQuery, total: int, first: list[CaseRow]) -> None:
        if generation != self.generation:
            return
        keep_cursor = self.loaded and query == self._last_counted
        self._last_counted = query
        self.total = total
        self.pages.clear()
        self.pending.clear()
        self.page_fetches += 1
        self.rows_fetched += len(first)
        self.pages[0] = first
        self.virtual_size = Size(0, total + 1)
        self.loaded = True
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        else:
            self.cursor = min(self.cursor, max(0, total - 1))
        self.refresh()
        self.post_message(self.Counted(total, query))

    _last_counted: CaseQuery | None = None

    # -- pages -------------------------------------------------------------------------------

    def row_at(self, index: int) -> CaseRow | None:
        """The row at ``index`` if its page is cached; otherwise schedule the page and say None."""
        page_no, within = divmod(index, PAGE_SIZE)
        page = self.pages.get(page_no)
        if page is not None:
            self.pages.move_to_end(page_no)
            return page[within] if within < len(page) else None
        self._fetch(page_no)
        return None

    def _fetch(self, page_no: int) -> None:
        if page_no in self.pending:
            return
        self.pending.add(page_no)
        generation, query, source = self.generation, self.query_spec, self.source

        def job() -> None:
            rows = source.page(query, page_no * PAGE_SIZE, PAGE_SIZE)
            self.app.call_from_thread(self._page_loaded, generation, page_no, rows)

        self.run_worker(
            job, thread=True, group="case-page", exit_on_error=False, description="case page"
        )

    def _page_loaded(self, generation: int, page_no: int, rows: list[CaseRow]) -> None:
        if generation != self.generation:
            return
        self.pending.discard(page_no)
        self.page_fetches += 1
        self.rows_fetched += len(rows)
        self.pages[page_no] = rows
        while len(self.pages) > CACHE_PAGES:
            self.pages.popitem(last=False)
        self.refresh()

    @property
    def current(self) -> CaseRow | None:
        if not self.total:
            return None
        page = self.pages.get(self.cursor // PAGE_SIZE)
        if page is None:
            return None
        within = self.cursor % PAGE_SIZE
        return page[within] if within < len(page) else None

    def visible_references(self) -> list[str]:
        """References drawn on screen now (placeholders skipped): what a test can read."""
        first = round(self.scroll_offset.y)
        rows = max(0, self.scrollable_content_region.height - 1)
        found = []
        for index in range(first, min(self.total, first + rows)):
            page = self.pages.get(index // PAGE_SIZE)
            if page is not None and index % PAGE_SIZE < len(page):
                found.append(page[index % PAGE_SIZE].reference)
        return found

    # -- drawing -----------------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        fixed = sum(c.width + 1 for c in COLUMNS if c.width)
        return [c.width if c.width else max(10, width - fixed) for c in COLUMNS]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        if y == 0:
            return self._header(widths, width)
        index = round(self.scroll_offset.y) + y - 1
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        row = self.row_at(index)
        if row is None:
            style = self.get_component_rich_style("case-table--placeholder")
            return Strip([Segment(_fit("  …", width), style)], width)
        base = self.rich_style
        if index == self.cursor:
            base = base + self.get_component_rich_style("case-table--cursor")
        cells = zip(COLUMNS, widths, strict=True)
        text = " ".join(_fit(cell_text(row, c.key), w) for c, w in cells)
        return Strip([Segment(_fit(text, width), base)], width)

    def _header(self, widths: list[int], width: int) -> Strip:
        header = self.get_component_rich_style("case-table--header")
        sorted_style = self.get_component_rich_style("case-table--sorted")
        segments: list[Segment] = []
        for column, col_width in zip(COLUMNS, widths, strict=True):
            label = column.label
            style: Style = header
            if column.sort == self.query_spec.sort:
                label += " ▼" if self.query_spec.descending else " ▲"
                style = sorted_style
            segments.append(Segment(_fit(label, col_width), style))
            segments.append(Segment(" ", header))
        used = sum(len(s.text) for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), header))
        return Strip(segments, width).crop(0, width)

    def watch_cursor(self, old: int, new: int) -> None:
        self._keep_visible()
        self.refresh()

    def _keep_visible(self) -> None:
        rows = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.refresh()

    # -- keys and mouse ----------------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, index))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 2))

    def action_home(self) -> None:
        self._move_to(0)

    def action_end(self) -> None:
        self._move_to(self.total - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row.reference))

    def action_cycle_sort(self) -> None:
        sort = self.query_spec.sort
        position = SORT_KEYS.index(sort) if sort in SORT_KEYS else -1
        self.sort_by(SORT_KEYS[(position + 1) % len(SORT_KEYS)])

    def action_reverse_sort(self) -> None:
        query = self.query_spec
        self.set_query(
            CaseQuery(query.text, query.status, query.sort, descending=not query.descending)
        )

    def sort_by(self, key: str) -> None:
        query = self.query_spec
        descending = key in {"updated", "created"}
        if key == query.sort:
            descending = not query.descending
        self.set_query(CaseQuery(query.text, query.status, key, descending))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            widths = self._widths(self.scrollable_content_region.width)
            x = 0
            for column, col_width in zip(COLUMNS, widths, strict=True):
                if x <= event.x < x + col_width + 1:
                    if column.sort:
                        self.sort_by(column.sort)
                    return
                x += col_width + 1
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if 0 <= index < self.total:
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.cursor = index
