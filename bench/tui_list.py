"""Case list on a 100,000-case vault: first paint and per-keystroke repaint, against a DataTable.

Run: ``python bench/tui_list.py [--cases 100000] [--runs 5]``. Builds the vault once into
bench/.stores/ (bulk_load; cheap Argon2id since unlock cost is not what is measured here).
"Keystroke" is the time from the filter query being issued (after the debounce, which is a
deliberate pause of ``virtual_table.DEBOUNCE_SECONDS``) to the new count and first page being
painted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable, Input

try:
    from bench.figures import Figure, repeat_count
except ModuleNotFoundError:  # run as a script: python bench/tui_list.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.figures import Figure, repeat_count
from casecoord.services.cases import CaseQuery
from casecoord.services.demo import bulk_load
from casecoord.services.tui_queries import case_count, case_page
from casecoord.tui import app as tui_app
from casecoord.tui.screens.case_list import CaseListScreen
from casecoord.tui.widgets import virtual_table
from casecoord.tui.widgets.virtual_table import VirtualTable
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault, open_vault

PASSPHRASE = "bench only quay lantern"
STORES = Path(__file__).resolve().parent / ".stores"
TYPED = "harbour"


def vault_for(cases: int) -> Path:
    root = STORES / f"tui-{cases}"
    if not (root / "vault.json").exists():
        print(f"building {cases:,} cases into {root} (once)…", file=sys.stderr)
        vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
        try:
            bulk_load(vault, cases)
        finally:
            vault.close()
    return root


class PaintClock:
    """Notes when a widget class next draws a line: "painted" means a line reached the screen
    buffer, not that ``pilot.pause()`` returned (which waits on unrelated widgets too)."""

    def __init__(self, widget_cls: type[ScrollView]) -> None:
        self.armed = False
        self.need_row = True
        self.painted_at = 0.0
        original = widget_cls.render_line
        clock = self

        def render_line(widget: ScrollView, y: int) -> Strip:
            strip = original(widget, y)
            text = strip.text.strip()
            body = y > 0 or not clock.need_row
            if clock.armed and body and text != "…" and (text or not clock.need_row):
                clock.armed = False
                clock.painted_at = time.perf_counter()
            return strip

        widget_cls.render_line = render_line  # type: ignore[method-assign]

    def arm(self, need_row: bool = True) -> None:
        """Wait for the next line drawn; with ``need_row``, only a line holding a row counts."""
        self.need_row = need_row
        self.armed = True

    async def wait(self) -> float:
        while self.armed:
            await asyncio.sleep(0.0005)
        return self.painted_at


async def virtual_list(
    root: Path, vault: UnlockedVault, clock: PaintClock
) -> tuple[float, list[float]]:
    virtual_table.DEBOUNCE_SECONDS = 3600.0  # the bench issues each query itself: work, not pause
    app = tui_app.make_app(root, vault, idle_minutes=240)
    async with app.run_test(size=(140, 45)) as pilot:
        while not app.entered:
            await pilot.pause()
        await pilot.pause()
        start = time.perf_counter()
        clock.arm()
        app.action_go("cases")
        first_paint = await clock.wait() - start
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        table = screen.table
        filter_input = screen.query_one("#case-filter", Input)
        per_key = []
        for count in range(1, len(TYPED) + 1):
            filter_input.value = TYPED[:count]
            await pilot.pause()
            generation = table.generation
            started = time.perf_counter()
            screen.apply_filter()
            while table.generation == generation or not table.settled:
                await asyncio.sleep(0.0005)
            clock.arm(need_row=table.total > 0)
            table.refresh()
            per_key.append(await clock.wait() - started)
        app.vault = None  # the caller closes it
    return first_paint, per_key


class NaiveApp(App[None]):
    """The approach the virtual list replaces: a DataTable holding every matching row."""

    def __init__(self, vault: UnlockedVault) -> None:
        super().__init__()
        self.vault = vault

    def compose(self) -> ComposeResult:
        yield DataTable()

    def fill(self, text: str) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=not table.columns)
        if not table.columns:
            table.add_columns("Reference", "Status", "Countries", "Updated", "Title")
        query = CaseQuery(text=text)
        total = case_count(self.vault, query)
        rows = case_page(self.vault, query, 0, total)
        table.add_rows(
            (
                r.reference,
                r.status,
                " ".join(r.countries),
                f"{r.updated_at:%Y-%m-%d %H:%M}",
                r.title,
            )
            for r in rows
        )


async def naive_table(vault: UnlockedVault, clock: PaintClock) -> tuple[float, list[float]]:
    app = NaiveApp(vault)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        clock.arm()
        app.fill("")
        app.query_one(DataTable).refresh()
        first = await clock.wait() - start
        per_key = []
        for count in range(1, 4):  # a few keystrokes show the order of magnitude
            started = time.perf_counter()
            clock.arm(need_row=False)
            app.fill(TYPED[:count])
            app.query_one(DataTable).refresh()
            per_key.append(await clock.wait() - started)
    return first, per_key


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def measure(cases: int, runs: int) -> tuple[list[float], list[float], float, list[float]]:
    """First paints and keystrokes of the virtual list over ``runs`` runs, then the DataTable's."""
    root = vault_for(cases)
    virtual_clock, naive_clock = PaintClock(VirtualTable), PaintClock(DataTable)
    firsts: list[float] = []
    keys: list[float] = []
    for _ in range(runs):
        vault = open_vault(root, PASSPHRASE)
        try:
            first, per_key = asyncio.run(virtual_list(root, vault, virtual_clock))
        finally:
            vault.close()
        firsts.append(first)
        keys.extend(per_key)
    vault = open_vault(root, PASSPHRASE)
    try:
        naive_first, naive_keys = asyncio.run(naive_table(vault, naive_clock))
    finally:
        vault.close()
    return firsts, keys, naive_first, naive_keys


def run(store_dir: Path) -> list[Figure]:
    """The runner's hook (``python -m bench``): two figures, each beside the DataTable's."""
    del store_dir  # this suite keeps its own store (bench/.stores/tui-100000)
    firsts, keys, naive_first, naive_keys = measure(100_000, min(repeat_count(), 5))
    return [
        Figure(
            name="TUI case list: first paint after pressing 2 (100k cases)",
            unit="ms",
            samples=[f * 1000 for f in firsts],
            reference_name="DataTable filled with every row",
            reference_samples=[naive_first * 1000],
            limit=500.0,
            note="a Line-API virtual list asking SQL for the visible page only",
        ),
        Figure(
            name=f"TUI case list: repaint per filter keystroke (typing {TYPED!r})",
            unit="ms",
            samples=[k * 1000 for k in keys],
            reference_name="DataTable re-filled per keystroke",
            reference_samples=[k * 1000 for k in naive_keys],
            limit=50.0,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    firsts, keys, naive_first, naive_keys = measure(args.cases, args.runs)
    print(f"case list over {args.cases:,} cases, {args.runs} runs, filter typed: {TYPED!r}")
    print(f"{'':24}{'median':>11}{'min':>11}{'max':>11}")
    for label, values in (("virtual: first paint", firsts), ("virtual: per keystroke", keys)):
        print(f"{label:24}{ms(statistics.median(values))}{ms(min(values))}{ms(max(values))}")
    print(f"{'DataTable: first paint':24}{ms(naive_first)}")
    print(f"{'DataTable: per keystroke':24}{ms(statistics.median(naive_keys))}")
    print(
        f"ratio first paint (DataTable / virtual): {naive_first / statistics.median(firsts):.0f}x"
    )
    print(
        "ratio per keystroke (DataTable / virtual): "
        f"{statistics.median(naive_keys) / statistics.median(keys):.0f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
