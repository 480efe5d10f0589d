"""Pilot fixtures shared by every TUI test: the real app from ``make_app`` over real vaults.

``open_on`` builds the real app (its error routing, its guards) on an unlocked vault and shows
one screen on top of the dashboard. ``settle`` waits for workers and repaints instead of
sleeping: a test asserts on what the screen shows once background work is done, never on
wall-clock time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.screen import Screen

from casecoord.store import Store
from casecoord.tui.app import CasecoordApp, make_app
from casecoord.vault.vault import UnlockedVault, open_vault
from tests.conftest import PASSPHRASE

__all__ = [
    "PASSPHRASE",
    "HostApp",
    "Notice",
    "open_on",
    "screen_text",
    "settle",
    "unlock",
    "wait_until",
]


class HostApp(CasecoordApp):
    """The real app on ``vault`` (or a team store), showing the screen ``build`` makes once it
    has entered."""

    def __init__(self, vault: Store, build: Callable[[], Screen[Any]]):
        root = vault.paths.root if isinstance(vault, UnlockedVault) else Path("no-vault")
        super().__init__(root, vault, idle_minutes=60)
        self.build = build
        self.built: Screen[Any] | None = None  # the screen once pushed: tests wait for it

    def _enter(self, preferences: Any) -> None:
        if self.entered or self.vault is None:
            super()._enter(preferences)
            return
        self.entered = True  # the screen built stands in for the dashboard
        super()._enter(preferences)
        self.built = self.build()
        self.push_screen(self.built)


def open_on(vault: Store, build: Callable[[], Screen[Any]]) -> HostApp:
    return HostApp(vault, build)


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the messages they post be handled.

    A cancelled worker (a closed file picker's directory loader) counts as finished.
    """
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()
        await _filters_applied(pilot)


async def _filters_applied(pilot: Pilot[Any]) -> None:
    """A filter typed into waits for the typing to pause (the virtual table's debounce):
    background work too, so settling waits for it to fire."""
    from casecoord.tui.widgets.virtual_table import VirtualTable

    for _ in range(500):
        if not any(table.debouncing for table in pilot.app.screen.query(VirtualTable)):
            return
        await asyncio.sleep(0.02)


async def wait_until(pilot: Pilot[Any], predicate: Callable[[], bool], attempts: int = 400) -> None:
    """Poll ``predicate`` between settles; fail with a clear message if it never holds."""
    for _ in range(attempts):
        await settle(pilot)
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"condition never held: {predicate}")


async def unlock(pilot: Pilot[int], passphrase: str = PASSPHRASE) -> None:
    from textual.widgets import Input

    await settle(pilot)
    field = pilot.app.screen.query_one("#passphrase-input", Input)
    field.focus()
    field.value = passphrase
    # Submitting directly rather than pilot.press("enter"): the press waits for the unlock
    # screen's widgets to go idle, and that screen is dismissed while it waits.
    await field.action_submit()
    app = pilot.app
    assert isinstance(app, CasecoordApp)
    await wait_until(pilot, lambda: app.vault is not None and app.entered)


def screen_text(app: App[Any]) -> str:
    """Everything the current screen renders, as plain text (what the officer reads)."""
    from textual.widgets import Static

    parts: list[str] = []
    for widget in app.screen.query(Static):
        rendered = widget.render()
        parts.append(getattr(rendered, "plain", str(rendered)))
    return "\n".join(parts)


@pytest.fixture
def demo_vault(demo_vault_dir: Path) -> Iterator[UnlockedVault]:
    unlocked = open_vault(demo_vault_dir, PASSPHRASE)
    try:
        yield unlocked
    finally:
        unlocked.close()


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor repaints forever; tests want a still screen (as Harlequin does)."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)
    monkeypatch.setattr(TextArea, "cursor_blink", False, raising=False)


@dataclass(frozen=True)
class Notice:
    """One notification as Textual received it."""

    message: str
    markup: bool


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[Notice]:
    """Every notification the test's app shows, in order: recorded where Textual's public
    ``App.notify`` receives it (after casecoord's own ``notify`` made it plain), so a test reads
    what reached the screen without Textual's private notification store."""
    seen: list[Notice] = []
    show = App.notify

    def notify(
        self: App[Any],
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        seen.append(Notice(message, markup))
        show(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(App, "notify", notify)
    return seen


@pytest.fixture
def app_factory() -> Callable[..., CasecoordApp]:
    def build(root: Path, **kwargs: object) -> CasecoordApp:
        return make_app(root, **kwargs)  # type: ignore[arg-type]

    return build
