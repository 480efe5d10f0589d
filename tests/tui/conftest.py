"""Pilot fixtures: the real app from ``make_app`` over real vaults on disk.

``settle`` waits for workers and repaints instead of sleeping: a test asserts on what the screen
shows once background work is done, never on wall-clock time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from casecoord.tui.app import CasecoordApp, make_app
from tests.conftest import PASSPHRASE

__all__ = ["PASSPHRASE", "settle", "wait_until", "unlock"]


async def settle(pilot: Pilot[int]) -> None:
    """Let every worker finish and the resulting messages be handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot: Pilot[int], predicate: Callable[[], bool], attempts: int = 400) -> None:
    """Poll ``predicate`` between pauses; fail with a clear message if it never holds."""
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


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor repaints forever; tests want a still screen (as Harlequin does)."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)


@pytest.fixture
def app_factory() -> Callable[..., CasecoordApp]:
    def build(root: Path, **kwargs: object) -> CasecoordApp:
        return make_app(root, **kwargs)  # type: ignore[arg-type]

    return build
