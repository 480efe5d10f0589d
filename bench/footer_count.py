"""What an area switch costs in footer rebuilds: casecoord's SteadyFooter against Textual's Footer.

Run: ``python bench/footer_count.py [--runs 3]``. On a 40-case demo vault, each area key is
pressed in turn; for each switch the bench counts the footer recomposes and the footer keys
mounted, and times the switch to the screen's workers done and its repaint. The reference, in
the same run and process, is Textual's own ``Footer`` (SteadyFooter's check switched off).
Prints a Markdown table of medians; it is pasted into bench/RESULTS.md by hand with the time
and load it ran under.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    import bench  # noqa: F401 (run as a module or as a script alike)
except ModuleNotFoundError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from casecoord.services.demo import bulk_load
from casecoord.tui.app import make_app
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault

PASSPHRASE = "bench only quay lantern"
KEYS = "2345671"


class Counts:
    def __init__(self) -> None:
        self.keys = 0
        self.recomposes = 0


@contextmanager
def counted(counts: Counts) -> Iterator[None]:
    """Count FooterKey widgets made and Footer recomposes while the block runs."""
    key_init, recompose = FooterKey.__init__, Footer.recompose

    def counting_init(self: FooterKey, *args: Any, **kwargs: Any) -> None:
        counts.keys += 1
        key_init(self, *args, **kwargs)

    async def counting_recompose(self: Footer) -> None:
        counts.recomposes += 1
        await recompose(self)

    FooterKey.__init__ = counting_init  # type: ignore[method-assign]
    Footer.recompose = counting_recompose  # type: ignore[method-assign]
    try:
        yield
    finally:
        FooterKey.__init__ = key_init  # type: ignore[method-assign]
        Footer.recompose = recompose  # type: ignore[method-assign]


@contextmanager
def textual_footer() -> Iterator[None]:
    """The reference: every bindings signal rebuilds the footer, as Textual's Footer does."""
    steady = SteadyFooter.bindings_changed
    SteadyFooter.bindings_changed = Footer.bindings_changed  # type: ignore[method-assign]
    try:
        yield
    finally:
        SteadyFooter.bindings_changed = steady  # type: ignore[method-assign]


async def switches(vault_dir: Path) -> dict[str, tuple[int, int, float]]:
    """Per area key: (footer keys mounted, recomposes, milliseconds) of one switch."""
    from tests.tui.conftest import settle, unlock

    app = make_app(vault_dir)
    found: dict[str, tuple[int, int, float]] = {}
    async with app.run_test(size=(140, 45)) as pilot:
        await unlock(pilot, PASSPHRASE)
        await settle(pilot)
        for key in KEYS:
            counts = Counts()
            with counted(counts):
                started = time.perf_counter()
                await pilot.press(key)
                await settle(pilot)
                elapsed = (time.perf_counter() - started) * 1000
            found[f"{key} {type(app.screen).__name__}"] = (counts.keys, counts.recomposes, elapsed)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        vault_dir = Path(folder) / "vault"
        vault, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
        bulk_load(vault, 40)
        vault.close()
        samples: dict[str, dict[str, list[tuple[int, int, float]]]] = {"textual": {}, "steady": {}}
        for _ in range(runs):
            for name in ("textual", "steady"):
                if name == "textual":
                    with textual_footer():
                        found = asyncio.run(switches(vault_dir))
                else:
                    found = asyncio.run(switches(vault_dir))
                for area, figures in found.items():
                    samples[name].setdefault(area, []).append(figures)
    print(f"median of {runs} runs; reference: Textual's Footer in the same run")
    print("| area key | keys mounted (Textual → steady) | recomposes | switch ms | ratio |")
    print("|---|---:|---:|---:|---:|")
    for area in samples["steady"]:

        def median(name: str, index: int, area: str = area) -> float:
            return statistics.median(s[index] for s in samples[name][area])

        ms_t, ms_s = median("textual", 2), median("steady", 2)
        print(
            f"| {area} | {median('textual', 0):.0f} → {median('steady', 0):.0f} | "
            f"{median('textual', 1):.0f} → {median('steady', 1):.0f} | "
            f"{ms_t:.0f} → {ms_s:.0f} | {ms_s / ms_t:.2f}× |"
        )


if __name__ == "__main__":
    main()
