"""The TUI suite: every area screen's first paint after its key, every filter's keystroke, and
CLI start-up, on a large bulk vault next to the 40-case demo vault.

Run: ``python bench/tui_screens.py [--cases 100000] [--runs 3]``. Vaults are built once into
bench/.stores/ (cheap Argon2id: unlock is not what is measured). Targets (docs/ARCHITECTURE.md,
"Performance targets"): first paint < 200 ms, keystroke < 50 ms, ``--help`` < 150 ms.

"First paint" is from the key press to the screen's workers having finished and the screen
having repainted (``workers.wait_for_complete`` then ``pilot.pause``): an upper bound on what
the officer waits for. Its median is over every showing; "first show" is the first of them
alone, when the screen is composed and its first data read. "Keystroke" is one character
typed into a filter, to the same point; on a virtual list the query waits for the typing to
pause (the debounce), so "filter query" is that query, run at once after each key (as enter
does): "rows drawn" until the table has painted the new query's rows (what the officer sees),
"to idle" on to the app settled as above. The references are the same keystroke in a bare
Textual app with one Input, and a bare app's thread worker round trip, measured the same way
in the same run: the harness's own floors.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

try:
    from bench.figures import Figure
except ModuleNotFoundError:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.figures import Figure
from casecoord.services.demo import build_demo, bulk_load
from casecoord.tui.app import AREAS, make_app
from casecoord.tui.widgets.virtual_table import VirtualTable
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault, open_vault

PASSPHRASE = "bench only quay lantern"
STORES = Path(__file__).resolve().parent / ".stores"
FILTERS = {  # area mode → the filter input and what is typed into it
    "cases": ("#case-filter", "harbour"),
    "deadlines": ("#filter-case", "bulk"),
    "contacts": ("#contact-filter", "fisc"),
    "authorities": ("#filter-country", "co"),
    "exchange": ("#exchange-filter", "0012"),
}


def vault_for(cases: int) -> Path:
    root = STORES / (f"screens-{cases}" if cases != 40 else "screens-demo-40")
    if not (root / "vault.json").exists():
        print(f"building {cases:,} cases into {root} (once)…", file=sys.stderr)
        vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
        try:
            if cases == 40:
                build_demo(vault, 40)
            else:
                bulk_load(vault, cases)
        finally:
            vault.close()
    return root


async def measure(
    root: Path, runs: int, areas: frozenset[str] | None = None, start_from: str = "dashboard"
) -> dict[str, list[float]]:
    """Milliseconds per figure name, ``runs`` samples each."""
    from textual.widgets import Input

    vault = open_vault(root, PASSPHRASE)
    found: dict[str, list[float]] = {}
    app = make_app(root, vault, idle_minutes=600)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()

        async def settled() -> None:
            from textual.worker import WorkerCancelled

            try:
                await app.workers.wait_for_complete()
            except WorkerCancelled:  # a superseded worker: the one that replaced it counts
                await app.workers.wait_for_complete()
            await pilot.pause()

        for _ in range(runs):
            for area in AREAS:
                if not app.area_available(area.mode) or (areas and area.mode not in areas):
                    continue
                other = start_from if area.mode != start_from else "cases"
                if other == area.mode:
                    other = "contacts"
                app.switch_mode(other)
                await settled()
                if start_from != "dashboard":
                    app.screen.set_focus(None)  # the area key is a key, not filter text
                start = time.perf_counter()
                await pilot.press(area.key)
                await settled()
                found.setdefault(f"{area.label}: first paint", []).append(
                    (time.perf_counter() - start) * 1000
                )
                if area.mode in FILTERS:
                    selector, typed = FILTERS[area.mode]
                    field = app.screen.query_one(selector, Input)
                    field.value = ""
                    field.focus()
                    await pilot.pause()
                    for table in app.screen.query(VirtualTable):
                        table.apply_now()
                    await settled()
                    tables = list(app.screen.query(VirtualTable))
                    for char in typed:
                        start = time.perf_counter()
                        await pilot.press(char)
                        await settled()
                        found.setdefault(f"{area.label}: filter keystroke", []).append(
                            (time.perf_counter() - start) * 1000
                        )
                        if not any(t.debouncing for t in tables):
                            continue  # no list, or the pause came during the key: not timed
                        # the query the debounce runs once the typing pauses, run now (as
                        # enter does): from its start to its rows drawn on screen (what the
                        # officer waits for), then on to the app idle (the keystroke's end)
                        start = time.perf_counter()
                        for table in tables:
                            table.apply_now()
                        while not all(t.painted == t.generation for t in tables):
                            await asyncio.sleep(0.001)
                        drawn = time.perf_counter()
                        await settled()
                        found.setdefault(f"{area.label}: filter query, rows drawn", []).append(
                            (drawn - start) * 1000
                        )
                        found.setdefault(f"{area.label}: filter query, to idle", []).append(
                            (time.perf_counter() - start) * 1000
                        )
                    field.value = ""
                    await pilot.pause()
                    for table in tables:
                        table.apply_now()
                    await settled()
    vault.close()
    return found


async def reference_keystroke(runs: int) -> list[float]:
    """The same keystroke, measured the same way, in a bare Textual app holding one Input: the
    floor of the measurement itself (Pilot waits for the app to go idle after each key, twice),
    which no screen of ours can go under; a filter's figure less this one is what casecoord adds.
    """
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="bare")

    app = Bare()
    samples: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        field = app.query_one("#bare", Input)
        field.focus()
        await pilot.pause()
        for _ in range(runs):
            field.value = ""
            for char in "harbour":
                start = time.perf_counter()
                await pilot.press(char)
                await app.workers.wait_for_complete()
                await pilot.pause()
                samples.append((time.perf_counter() - start) * 1000)
    return samples


async def reference_query(runs: int) -> list[float]:
    """A filter query's floor, measured like "to idle": a bare Textual app runs a thread worker
    that returns at once and shows its result in a Static. What is left of a screen's figure
    above this is the SQL and the screen's own drawing."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static
    from textual.worker import Worker, WorkerState

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("", id="bare")

        def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
            if event.state == WorkerState.SUCCESS:
                self.query_one("#bare", Static).update(str(event.worker.result))

    app = Bare()
    samples: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        for n in range(runs * 7):
            start = time.perf_counter()
            app.run_worker(lambda n=n: f"{n} rows", thread=True, exclusive=True)
            await app.workers.wait_for_complete()
            await pilot.pause()
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def cli_startup(runs: int) -> dict[str, list[float]]:
    def timed(args: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        return (time.perf_counter() - start) * 1000

    exe = sys.executable
    return {
        "python -c pass": [timed([exe, "-c", "pass"]) for _ in range(runs)],
        "casecoord --help": [timed([exe, "-m", "casecoord.cli", "--help"]) for _ in range(runs)],
        "casecoord --version": [
            timed([exe, "-m", "casecoord.cli", "--version"]) for _ in range(runs)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--areas", default="", help="comma-separated modes, e.g. deadlines,contacts"
    )
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI start-up figures")
    parser.add_argument(
        "--from",
        dest="start_from",
        default="dashboard",
        help="the area each first paint starts from (not Settings: a form takes no area keys)",
    )
    options = parser.parse_args()
    areas = frozenset(a for a in options.areas.split(",") if a) or None
    small = asyncio.run(measure(vault_for(40), options.runs, areas, options.start_from))
    large = asyncio.run(measure(vault_for(options.cases), options.runs, areas, options.start_from))
    floor = statistics.median(asyncio.run(reference_keystroke(options.runs)))
    query_floor = statistics.median(asyncio.run(reference_query(options.runs)))
    print(
        f"| figure (median ms) | 40-case demo | {options.cases:,} cases | target "
        f"| above the bare-app reference | first show, {options.cases:,} cases |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| Reference: a bare Textual app's Input, keystroke | {floor:.0f} | | | | |")
    print(
        "| Reference: a bare Textual app's worker round trip, to idle "
        f"| {query_floor:.0f} | | | | |"
    )
    for name in large:
        target = "200" if "first paint" in name else "50"
        median = statistics.median(large[name])
        above = first = ""
        if name.endswith("keystroke"):
            above = f"{median - floor:+.0f}"
        elif name.endswith("to idle"):
            above = f"{median - query_floor:+.0f}"
        elif name.endswith("first paint"):  # the screen composed and its module imported
            first = f"{large[name][0]:.0f}"
        print(
            f"| {name} | {statistics.median(small.get(name, [0])):.0f} "
            f"| {median:.0f} | {target} | {above} | {first} |"
        )
    if options.no_cli:
        return
    for name, samples in cli_startup(max(5, options.runs)).items():
        print(f"| {name} | {statistics.median(samples):.0f} | | 150 |")


def run(store_dir: Path, repeat: int) -> list[Figure]:
    """The ``python -m bench`` hook: CLI start-up only (the screen figures need their vaults)."""
    timings = cli_startup(max(5, repeat))
    reference = timings.pop("python -c pass")
    return [
        Figure(
            name,
            "ms",
            samples,
            reference_name="python -c pass",
            reference_samples=reference,
            limit=150.0,
        )
        for name, samples in timings.items()
    ]


if __name__ == "__main__":
    main()
