"""Write an SVG screenshot of every screen into screens/, from the real app over a demo vault.

Run: ``python scripts/make_screenshots.py`` (about a minute). The vault is built in a temporary
folder with a cheap Argon2id cost and deleted afterwards; prints the files written.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

os.environ.setdefault("CASECOORD_KDF_PROFILE", "test")

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, TabbedContent  # noqa: E402

from casecoord.services.demo import DEMO_PASSPHRASE, build_demo  # noqa: E402
from casecoord.tui.app import CasecoordApp, make_app  # noqa: E402
from casecoord.tui.screens.case_list import CaseListScreen  # noqa: E402
from casecoord.vault.kdf import FAST_TEST_PARAMS  # noqa: E402
from casecoord.vault.vault import create_vault  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "screens"
SIZE = (140, 45)
written: list[Path] = []


async def settle(pilot: Pilot[int]) -> None:
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await asyncio.sleep(0.1)
    await pilot.pause()


def shot(app: CasecoordApp, name: str) -> None:
    path = OUT / f"{name}.svg"
    app.save_screenshot(filename=path.name, path=str(OUT))
    written.append(path)


async def unlock(pilot: Pilot[int]) -> None:
    await settle(pilot)
    field = pilot.app.screen.query_one("#passphrase-input", Input)
    field.focus()
    field.value = DEMO_PASSPHRASE
    await field.action_submit()
    await settle(pilot)


async def run(root: Path, scenes: Callable[[CasecoordApp, Pilot[int]], Awaitable[None]]) -> None:
    app = make_app(root, idle_minutes=240)
    async with app.run_test(size=SIZE) as pilot:
        await scenes(app, pilot)


async def first_run(app: CasecoordApp, pilot: Pilot[int]) -> None:
    await settle(pilot)
    app.screen.query_one("#new-passphrase-input", Input).value = "amber quay lantern orchid"
    await settle(pilot)
    shot(app, "create-vault")


async def tour(app: CasecoordApp, pilot: Pilot[int]) -> None:
    await settle(pilot)
    shot(app, "unlock")
    await unlock(pilot)
    shot(app, "dashboard")
    await pilot.press("f1")
    await settle(pilot)
    shot(app, "help")
    await pilot.press("escape")
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*"case")
    await settle(pilot)
    shot(app, "palette")
    await pilot.press("escape")
    await pilot.press("2")
    await settle(pilot)
    shot(app, "case-list")
    await pilot.press(*"reefer")
    await settle(pilot)
    shot(app, "case-list-filtered")
    await pilot.press("enter")
    await pilot.press("slash")
    await pilot.press(*"container")
    await settle(pilot)
    shot(app, "case-search")
    await pilot.press("escape")
    await settle(pilot)
    list_screen = app.screen
    assert isinstance(list_screen, CaseListScreen)
    current = list_screen.table.current
    list_screen.open_case(current.reference if current else "NL-2026-0002")
    await settle(pilot)
    for tab in ("overview", "persons", "requests", "deadlines", "notes", "attachments", "audit"):
        app.screen.query_one("#case-tabs", TabbedContent).active = f"tab-{tab}"
        await settle(pilot)
        shot(app, f"case-detail-{tab}")
    app.screen.query_one("#case-tabs", TabbedContent).active = "tab-requests"
    await settle(pilot)
    if _exists("casecoord.tui.screens.request_editor"):
        await pilot.press("n")
        await settle(pilot)
        shot(app, "request-editor")
        await pilot.press("escape")
        await settle(pilot)
    areas = (
        ("3", "deadlines"),
        ("4", "contacts"),
        ("5", "treaties"),
        ("6", "exchange"),
        ("7", "reports"),
        ("8", "authorities"),
    )
    for key, mode in areas:
        if not app.area_available(mode):
            print(f"skipped {mode}: its screen module is not available", file=sys.stderr)
            continue
        await pilot.press(key)
        await settle(pilot)
        shot(app, mode)
    await pilot.press("ctrl+l")
    await settle(pilot)
    shot(app, "locked")


def _exists(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        vault, _ = create_vault(demo, DEMO_PASSPHRASE, FAST_TEST_PARAMS)
        try:
            build_demo(vault, cases=40)
        finally:
            vault.close()
        asyncio.run(run(Path(tmp) / "fresh", first_run))
        asyncio.run(run(demo, tour))
    for path in written:
        print(path.relative_to(OUT.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
