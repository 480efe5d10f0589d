"""A virtual table for any list screen: only the visible page is read from the store.

The mechanism of :mod:`casecoord.tui.widgets.case_table`, made generic over the row type: a
Line-API :class:`ScrollView` whose virtual height is a capped count of the matching rows; a page
missing from the small LRU cache is drawn as a placeholder and fetched by a thread worker
(``OFFSET/LIMIT`` in the read model), then the lines repaint. A query is versioned by a
generation number, so a count or page arriving for an old filter is dropped, never drawn.

The count is capped (``COUNT_CAP``): counting stops there, and when the cursor nears the end of
a capped list the count is taken again with a larger cap, so the list grows as the officer
scrolls instead of every keystroke counting every row.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Generic, Protocol, TypeVar

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

PAGE_SIZE = 100
CACHE_PAGES = 24
COUNT_CAP = 10_000

R = TypeVar("R")
Q = TypeVar("Q")
Q_in = TypeVar("Q_in", contravariant=True)


class RowSource(Protocol[Q_in, R]):
    """Where rows come from; bound to the app's vault at call time, called off the UI thread."""

    def count(self, query: Q_in, cap: int) -> tuple[int, Any]:
        """(matching rows, at most ``cap``; a summary the screen shows, e.g. overdue)."""
        ...

    def page(self, query: Q_in, offset: int, limit: int) -> list[R]: ...


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes the remaining width


#: One drawn cell: its text (stored text, escaped when drawn) and a Rich style string.
Cell = tuple[str, str]
#: The cells of a row, given the row before it (None when not loaded) for grouping labels.
RowCells = Callable[[Any, Any], Sequence[Cell]]


@lru_cache(maxsize=64)
def _style(spec: str) -> Style:
    return Style.parse(spec) if spec else Style()


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


class VirtualTable(ScrollView, Generic[Q, R], can_focus=True):
    """A scrollable list over SQL pages; posts :class:`Highlighted` and :class:`Counted`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--placeholder",
    }

    DEFAULT_CSS = """
    VirtualTable { overflow-x: hidden; overflow-y: auto; height: 1fr; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    VirtualTable > .virtual-table--placeholder { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="rows.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="rows.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="rows.pgup"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="rows.pgdn"),
        Binding("home", "home", "First", show=False, id="rows.home"),
        Binding("end", "end", "Last", show=False, id="rows.end"),
    ]

    cursor: reactive[int] = reactive(0, repaint=False)

    class Highlighted(Message):
        """The cursor moved to another row, or its row arrived from the store."""

        def __init__(self, table: VirtualTable[Any, Any]) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> VirtualTable[Any, Any]:
            return self.table

    class Counted(Message):
        """A new query was counted; ``summary`` is what the source returned beside the count."""

        def __init__(
            self, table: VirtualTable[Any, Any], total: int, capped: bool, summary: Any
        ) -> None:
            super().__init__()
            self.table = table
            self.total = total
            self.capped = capped
            self.summary = summary

        @property
        def control(self) -> VirtualTable[Any, Any]:
            return self.table

    def __init__(
        self,
        source: RowSource[Q, R],
        columns: Sequence[Column],
        cells: RowCells,
        row_key: Callable[[R], str],
        query: Q,
        *,
        id: str | None = None,  # noqa: A002 (Textual's own parameter name)
    ) -> None:
        super().__init__(id=id)
        self.source = source
        self.columns = tuple(columns)
        self.cells = cells
        self.row_key = row_key
        self.query_spec: Q = query
        self.total = 0
        self.capped = False
        self.cap = COUNT_CAP
        self.summary: Any = None
        self.generation = 0
        self.pages: OrderedDict[int, list[R]] = OrderedDict()
        self.pending: set[int] = set()
        self.recounting = False
        self.loaded = False
        self._last_query: Q | None = None
        self._keep_key: str | None = None

    # -- queries -----------------------------------------------------------------------------

    def set_query(self, query: Q) -> None:
        """Count and fetch the first page of ``query`` in an exclusive worker (a newer query
        cancels the older one, and a late answer for it is dropped by its generation)."""
        self.query_spec = query
        self.generation += 1
        self.cap = COUNT_CAP
        generation, source, cap = self.generation, self.source, self.cap
        current = self.current
        self._keep_key = self.row_key(current) if current is not None else None

        def job() -> None:
            total, summary = source.count(query, cap)
            first = source.page(query, 0, PAGE_SIZE) if total else []
            self.app.call_from_thread(self._counted, generation, query, total, summary, first)

        self.run_worker(job, thread=True, exclusive=True, group="rows-count", exit_on_error=False)

    def reload(self) -> None:
        """Re-run the current query (after an edit); keeps the cursor on its row if it can."""
        self.set_query(self.query_spec)

    def _counted(self, generation: int, query: Q, total: int, summary: Any, first: list[R]) -> None:
        if generation != self.generation:
            return
        same = self.loaded and query == self._last_query
        self._last_query = query
        self.total, self.summary = total, summary
        self.capped = total >= self.cap
        self.pages.clear()
        self.pending.clear()
        self.recounting = False
        self.pages[0] = first
        self.virtual_size = Size(0, total + 1)
        self.loaded = True
        keys = [self.row_key(r) for r in first]
        if self._keep_key in keys:
            self.cursor = keys.index(self._keep_key)
        elif same:
            self.cursor = min(self.cursor, max(0, total - 1))
        else:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self._keep_visible()
        self.refresh()
        self.post_message(self.Counted(self, total, self.capped, summary))
        self.post_message(self.Highlighted(self))

    def _recount(self) -> None:
        """A capped list near its end: count again with a ten times larger cap."""
        if self.recounting or not self.capped:
            return
        self.recounting = True
        self.cap *= 10
        generation, query, source, cap = self.generation, self.query_spec, self.source, self.cap

        def job() -> None:
            total, summary = source.count(query, cap)
            self.app.call_from_thread(self._recounted, generation, total, summary)

        self.run_worker(job, thread=True, group="rows-recount", exit_on_error=False)

    def _recounted(self, generation: int, total: int, summary: Any) -> None:
        if generation != self.generation:
            return
        self.recounting = False
        self.total, self.summary, self.capped = total, summary, total >= self.cap
        self.virtual_size = Size(0, total + 1)
        self.refresh()
        self.post_message(self.Counted(self, total, self.capped, summary))

    # -- pages -------------------------------------------------------------------------------

    def row_at(self, index: int) -> R | None:
        """The row at ``index`` if its page is cached; otherwise schedule the page and say None."""
        if index < 0 or index >= self.total:
            return None
        if self.capped and index >= self.total - PAGE_SIZE:
            self._recount()
        page_no, within = divmod(index, PAGE_SIZE)
        page = self.pages.get(page_no)
        if page is not None:
            self.pages.move_to_end(page_no)
            return page[within] if within < len(page) else None
        self._fetch(page_no)
        return None

    def cached(self, index: int) -> R | None:
        """The row at ``index`` if cached, without fetching anything."""
        page = self.pages.get(index // PAGE_SIZE) if index >= 0 else None
        within = index % PAGE_SIZE
        return page[within] if page is not None and within < len(page) else None

    def _fetch(self, page_no: int) -> None:
        if page_no in self.pending:
            return
        self.pending.add(page_no)
        generation, query, source = self.generation, self.query_spec, self.source

        def job() -> None:
            rows = source.page(query, page_no * PAGE_SIZE, PAGE_SIZE)
            self.app.call_from_thread(self._page_loaded, generation, page_no, rows)

        self.run_worker(job, thread=True, group="rows-page", exit_on_error=False)

    def _page_loaded(self, generation: int, page_no: int, rows: list[R]) -> None:
        if generation != self.generation:
            return
        self.pending.discard(page_no)
        self.pages[page_no] = rows
        while len(self.pages) > CACHE_PAGES:
            self.pages.popitem(last=False)
        self.refresh()
        if self.cursor // PAGE_SIZE == page_no:
            self.post_message(self.Highlighted(self))

    @property
    def row_count(self) -> int:
        return self.total

    @property
    def current(self) -> R | None:
        return self.cached(self.cursor) if self.total else None

    def loaded_rows(self) -> list[R]:
        """The cached rows in list order (the first pages unless scrolled far)."""
        return [row for page_no in sorted(self.pages) for row in self.pages[page_no]]

    def cell_texts(self, index: int) -> list[str]:
        """What the cells of a cached row show, as text: what a test can read."""
        row = self.cached(index)
        if row is None:
            return []
        return [shown(text, one_line=True) for text, _ in self.cells(row, self.cached(index - 1))]

    # -- drawing -----------------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        fixed = sum(c.width + 1 for c in self.columns if c.width)
        return [c.width if c.width else max(10, width - fixed) for c in self.columns]

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
            style = self.get_component_rich_style("virtual-table--placeholder")
            return Strip([Segment(_fit("  …", width), style)], width)
        base = self.rich_style
        cursor = index == self.cursor
        cursor_style = self.get_component_rich_style("virtual-table--cursor") if cursor else None
        segments: list[Segment] = []
        cells = self.cells(row, self.cached(index - 1))
        for (text, spec), col_width in zip(cells, widths, strict=True):
            style = base + _style(spec)
            if cursor_style is not None:
                style = style + cursor_style
            segments.append(Segment(_fit(shown(text, one_line=True), col_width), style))
            segments.append(Segment(" ", base + cursor_style if cursor_style else base))
        used = sum(len(s.text) for s in segments)
        if used < width:
            filler = base + cursor_style if cursor_style else base
            segments.append(Segment(" " * (width - used), filler))
        return Strip(segments, width).crop(0, width)

    def _header(self, widths: list[int], width: int) -> Strip:
        header = self.get_component_rich_style("virtual-table--header")
        segments: list[Segment] = []
        for column, col_width in zip(self.columns, widths, strict=True):
            segments.append(Segment(_fit(column.label, col_width), header))
            segments.append(Segment(" ", header))
        used = sum(len(s.text) for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), header))
        return Strip(segments, width).crop(0, width)

    def watch_cursor(self, old: int, new: int) -> None:
        self._keep_visible()
        self.refresh()
        if old != new:
            self.post_message(self.Highlighted(self))

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

    def move_to(self, index: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.total - 1, index))

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 2))

    def action_home(self) -> None:
        self.move_to(0)

    def action_end(self) -> None:
        self.move_to(self.total - 1)

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y - 1
        if event.y > 0 and 0 <= index < self.total:
            self.cursor = index
