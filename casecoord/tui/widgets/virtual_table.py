"""A virtual table for every list screen: only the visible page is read from the store.

Built like toolong's ``LogLines``: a Line-API :class:`ScrollView` whose virtual height is a
capped count of the matching rows. ``render_line`` draws rows from a small LRU cache of pages; a
missing page is drawn as a placeholder and fetched by a thread worker (``OFFSET/LIMIT`` in the
read model), then the lines repaint. A filled ``DataTable`` would need every row in memory
before the first paint (seconds at 100,000 rows); this needs one page.

Workers (docs/ARCHITECTURE.md, "Screens"): every count and page runs through
:func:`casecoord.tui.background.run_in_thread`, so a failure reaches the app's error route (an
error dialog) like any screen's. A query is versioned by a generation number and its count
worker is exclusive, so a count or page arriving for an older filter is dropped, never drawn: a
newer filter wins.

Filters: :meth:`VirtualTable.set_query_later` is the debounce a filter field calls on every key
(the field shows the typed text at once; the query runs once the typing pauses for
``DEBOUNCE_SECONDS``), so a burst of keystrokes queries once. ``queries`` counts the counts
started, which is what the tests read.

A query reads its first page before it counts: a page shorter than ``PAGE_SIZE`` is the whole
list, and the source's ``whole`` says its count and summary from those rows, so a narrow filter
costs one read; a full page is drawn at once and counted after (``counting``), so the officer
reads rows while the count is taken. The count is capped (``COUNT_CAP``): counting stops there, and when the cursor nears the end of
a capped list the count is taken again with a larger cap, so the list grows as the officer
scrolls instead of every keystroke counting every row.

Optional :class:`Sorting` gives a list ``s`` (next sort column), ``S`` (reverse) and clickable
headers; ``enter`` or a second click on the cursor row posts :class:`VirtualTable.Selected`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from casecoord.domain.text import shown
from casecoord.tui.background import run_in_thread

PAGE_SIZE = 100
CACHE_PAGES = 24
COUNT_CAP = 10_000
DEBOUNCE_SECONDS = 0.15

R = TypeVar("R")
Q = TypeVar("Q")
Q_in = TypeVar("Q_in", contravariant=True)


class RowSource(Protocol[Q_in, R]):
    """Where rows come from; bound to the app's vault at call time, called off the UI thread."""

    def count(self, query: Q_in, cap: int) -> tuple[int, Any]:
        """(matching rows, at most ``cap``; a summary the screen shows, e.g. overdue)."""
        ...

    def page(self, query: Q_in, offset: int, limit: int) -> list[R]: ...

    def whole(self, query: Q_in, rows: list[R]) -> tuple[int, Any]:
        """What :meth:`count` would say of a list whose first page, ``rows``, is all of it."""
        ...


class RowsInMemory(Generic[Q, R]):
    """A source over rows already in memory (a report's figures, the treaty catalogue): what
    ``select`` makes of the query is the list, so a screen with rows it already holds draws
    them through the same table, one screenful at a time, as a screen reading the vault."""

    def __init__(self, select: Callable[[Q], Sequence[R]]) -> None:
        self.select = select

    def count(self, query: Q, cap: int) -> tuple[int, None]:
        return min(len(self.select(query)), cap), None

    def page(self, query: Q, offset: int, limit: int) -> list[R]:
        return list(self.select(query)[offset : offset + limit])

    def whole(self, query: Q, rows: list[R]) -> tuple[int, None]:
        return len(rows), None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes the remaining width
    sort: str | None = None  # the sort key a click on the header asks for (see Sorting)


@dataclass(frozen=True)
class Sorting(Generic[Q]):
    """How a table's query is sorted: the keys ``s`` cycles through, the key and direction of a
    query, and the same query sorted otherwise."""

    keys: tuple[str, ...]
    of: Callable[[Q], tuple[str, bool]]  # (key, descending)
    by: Callable[[Q, str, bool], Q]
    descending_first: frozenset[str] = frozenset()  # keys whose first click sorts newest first


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
    """A scrollable list over SQL pages; posts :class:`Highlighted`, :class:`Counted` and
    :class:`Selected`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--sorted",
        "virtual-table--cursor",
        "virtual-table--placeholder",
    }

    DEFAULT_CSS = """
    VirtualTable { overflow-x: hidden; overflow-y: auto; height: 1fr; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--sorted { text-style: bold underline; background: $panel; }
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
        Binding("enter", "select", "Open", id="rows.open", tooltip="Open the row"),
        Binding("s", "cycle_sort", "Sort", id="rows.sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", id="rows.reverse", tooltip="Reverse the order"),
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

    class Selected(Message):
        """The officer chose the cursor row (enter, or a second click on it)."""

        def __init__(self, table: VirtualTable[Any, Any], row: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row

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
        sorting: Sorting[Q] | None = None,
        selectable: bool = False,
        id: str | None = None,  # noqa: A002 (Textual's own parameter name)
    ) -> None:
        super().__init__(id=id)
        self.source = source
        self.columns = tuple(columns)
        self.cells = cells
        self.row_key = row_key
        self.sorting = sorting
        self.selectable = selectable
        self.query_spec: Q = query
        self.total = 0
        self.cap = COUNT_CAP
        self.summary: Any = None
        self.generation = 0
        self.pages: OrderedDict[int, list[R]] = OrderedDict()
        self.pending: set[int] = set()
        self.recounting = False
        self.counting = False  # a full first page is drawn, its count still being taken
        self.loaded = False
        self.queries = 0  # counts started (one per query; a debounced burst of keys is one)
        self.page_fetches = 0  # pages read (the first page of a query included)
        self.rows_fetched = 0
        #: the query (generation) whose rows were last drawn: what the officer sees, and what
        #: the bench waits for to time a filter to its rows on screen
        self.painted = -1
        self._last_query: Q | None = None
        self._keep_key: str | None = None
        self._debounce: Timer | None = None
        self._pending: Callable[[], Q | None] | None = None
        self._base_style = Style()

    # -- queries -----------------------------------------------------------------------------

    def set_query(self, query: Q) -> None:
        """Count and fetch the first page of ``query`` in an exclusive worker (a newer query
        cancels the older one, and a late answer for it is dropped by its generation)."""
        self._stop_debounce()
        self.query_spec = query
        self.generation += 1
        self.queries += 1
        self.cap = COUNT_CAP
        generation, source = self.generation, self.source
        current = self.current
        self._keep_key = self.row_key(current) if current is not None else None
        self._refresh_header()  # a new sort shows at once; the rows wait for their page

        def job() -> tuple[list[R], tuple[int, Any] | None]:
            # the first page first: a short one is the whole list, so a filter that narrows
            # to a few rows (what filters are for) reads them once and counts nothing; a full
            # one is drawn before its count is taken (``_first_page``)
            first = source.page(query, 0, PAGE_SIZE)
            return first, source.whole(query, first) if len(first) < PAGE_SIZE else None

        run_in_thread(
            self,
            job,
            partial(self._first_page, generation, query),
            group="rows-count",
            exclusive=True,
            description="read the first page",
        )

    def set_query_later(self, make: Callable[[], Q | None]) -> None:
        """A filter changed: query ``make()`` once the typing pauses (``DEBOUNCE_SECONDS``,
        restarted by every key). ``make`` runs when the timer fires, so the query holds what
        the fields hold then; ``None`` (a value still being typed) queries nothing."""
        self._stop_debounce()
        self._pending = make
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.apply_now, name="filter-debounce")

    def apply_now(self) -> None:
        """Run the filter change waiting for the pause now (the timer, or enter in the field)."""
        make = self._pending
        self._stop_debounce()
        if make is not None:
            query = make()
            if query is not None:
                self.set_query(query)

    @property
    def debouncing(self) -> bool:
        """A filter change is waiting for the typing to pause."""
        return self._debounce is not None

    def _stop_debounce(self) -> None:
        self._pending = None
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None

    def reload(self) -> None:
        """Re-run the current query (after an edit); keeps the cursor on its row if it can."""
        self.set_query(self.query_spec)

    def _first_page(
        self, generation: int, query: Q, found: tuple[list[R], tuple[int, Any] | None]
    ) -> None:
        """The query's first page is read: draw it now. A short page came with its count; a
        full one is counted next, in the same exclusive group (a newer query cancels it), and
        the list is one page long until the count arrives."""
        if generation != self.generation:
            return
        first, counted = found
        same = self.loaded and query == self._last_query
        self._last_query = query
        self.counting = counted is None
        total, summary = counted if counted is not None else (len(first), None)
        self.total, self.summary = total, summary
        self.pages.clear()
        self.pending.clear()
        self.recounting = False
        self.pages[0] = first
        self.page_fetches += 1
        self.rows_fetched += len(first)
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
        self.post_message(self.Highlighted(self))
        if counted is not None:
            self._count_arrived(generation, counted)
        else:
            self._count(generation, query, "rows-count", exclusive=True)

    def _count(self, generation: int, query: Q, group: str, *, exclusive: bool) -> None:
        """Count ``query`` up to the current cap in a worker; the answer goes to
        :meth:`_count_arrived`, which drops it if a newer query came meanwhile."""
        source, cap = self.source, self.cap
        run_in_thread(
            self,
            lambda: source.count(query, cap),
            partial(self._count_arrived, generation),
            group=group,
            exclusive=exclusive,
            description="count rows",
        )

    def _count_arrived(self, generation: int, counted: tuple[int, Any]) -> None:
        """A count of the current query (its first, or a recount with a larger cap)."""
        if generation != self.generation:
            return
        total, summary = counted
        self.counting = self.recounting = False
        self.total, self.summary = total, summary
        self.virtual_size = Size(0, total + 1)
        self.cursor = min(self.cursor, max(0, total - 1))
        self.refresh()
        self.post_message(self.Counted(self, total, self.capped, summary))

    @property
    def capped(self) -> bool:
        """Counting stopped at the cap: there may be more rows than ``total``."""
        return self.total >= self.cap

    @property
    def rows_current(self) -> bool:
        """The rows drawn are the last query's (its count may still be on its way)."""
        return self.loaded and self._debounce is None and self._last_query == self.query_spec

    @property
    def settled(self) -> bool:
        """The rows drawn and the count are those of the last query asked for (none is
        waiting or running)."""
        return self.rows_current and not self.counting

    def _recount(self) -> None:
        """A capped list near its end: count again with a ten times larger cap."""
        if self.recounting or not self.capped:
            return
        self.recounting = True  # a failed recount is not retried until the next query
        self.cap *= 10
        self._count(self.generation, self.query_spec, "rows-recount", exclusive=False)

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
        # stays pending if the read fails (the error is shown once, not on every repaint)
        self.pending.add(page_no)
        generation, query, source = self.generation, self.query_spec, self.source
        run_in_thread(
            self,
            lambda: source.page(query, page_no * PAGE_SIZE, PAGE_SIZE),
            partial(self._page_loaded, generation, page_no),
            group="rows-page",
            exclusive=False,
            description="read a page of rows",
        )

    def _page_loaded(self, generation: int, page_no: int, rows: list[R]) -> None:
        if generation != self.generation:
            return
        self.pending.discard(page_no)
        self.page_fetches += 1
        self.rows_fetched += len(rows)
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

    def visible_rows(self) -> list[R]:
        """The rows drawn on screen now (placeholders skipped): what a test can read."""
        first = round(self.scroll_offset.y)
        height = max(0, self.scrollable_content_region.height - 1)
        found = (self.cached(i) for i in range(first, min(self.total, first + height)))
        return [row for row in found if row is not None]

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

    def _refresh_header(self) -> None:
        self.refresh(Region(0, 0, self.size.width, 1))

    def render_lines(self, crop: Region) -> list[Strip]:
        # the widget's own style walks every ancestor's styles: once a paint, not once a line
        self._base_style = self.rich_style
        strips = super().render_lines(crop)
        if self.rows_current:
            self.painted = self.generation
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        if y == 0:
            return self._header(widths, width)
        index = round(self.scroll_offset.y) + y - 1
        base = self._base_style
        if index >= self.total:
            return Strip.blank(width, base)
        row = self.row_at(index)
        if row is None:
            style = self.get_component_rich_style("virtual-table--placeholder")
            return Strip([Segment(_fit("  …", width), style)], width)
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
        sorted_by = self.sorting.of(self.query_spec) if self.sorting is not None else None
        segments: list[Segment] = []
        for column, col_width in zip(self.columns, widths, strict=True):
            label, style = column.label, header
            if sorted_by is not None and column.sort == sorted_by[0]:
                label += " ▼" if sorted_by[1] else " ▲"
                style = self.get_component_rich_style("virtual-table--sorted")
            segments.append(Segment(_fit(label, col_width), style))
            segments.append(Segment(" ", header))
        used = sum(len(s.text) for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), header))
        return Strip(segments, width).crop(0, width)

    def watch_cursor(self, old: int, new: int) -> None:
        self._keep_visible()  # a scroll repaints every row (watch_scroll_y)
        for index in (old, new):  # otherwise only the rows the cursor left and reached
            self.refresh(Region(0, index - round(self.scroll_offset.y) + 1, self.size.width, 1))
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

    # -- sorting -------------------------------------------------------------------------------

    def sort_by(self, key: str) -> None:
        """Sort by ``key``; the same key again reverses the order."""
        if self.sorting is None:
            return
        current, descending = self.sorting.of(self.query_spec)
        reverse = not descending if key == current else key in self.sorting.descending_first
        self.set_query(self.sorting.by(self.query_spec, key, reverse))

    def action_cycle_sort(self) -> None:
        if self.sorting is None:
            return
        keys = self.sorting.keys
        current = self.sorting.of(self.query_spec)[0]
        position = keys.index(current) if current in keys else -1
        self.sort_by(keys[(position + 1) % len(keys)])

    def action_reverse_sort(self) -> None:
        if self.sorting is None:
            return
        key, descending = self.sorting.of(self.query_spec)
        self.set_query(self.sorting.by(self.query_spec, key, not descending))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"cycle_sort", "reverse_sort"}:
            return self.sorting is not None
        if action == "select":
            return self.selectable
        return True

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

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = 0
            widths = self._widths(self.scrollable_content_region.width)
            for column, col_width in zip(self.columns, widths, strict=True):
                if x <= event.x < x + col_width + 1:
                    if column.sort is not None:
                        self.sort_by(column.sort)
                    return
                x += col_width + 1
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if 0 <= index < self.total:
            if index == self.cursor and event.chain >= 2 and self.selectable:
                self.action_select()
            self.cursor = index
