"""Pilot fixtures for the issue-7 screens: a host app holding a real vault, one screen pushed.

The screens read ``app.vault`` on demand, as in the real app; ``settle`` waits for their workers
so a test asserts on what the screen shows once background work is done, never on a sleep.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from casecoord.vault.vault import UnlockedVault, open_vault
from tests.conftest import PASSPHRASE
from tests.tui_screens.conftest import HostApp

__all__ = ["HostApp", "settle", "wait_until"]


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


async def wait_until(pilot: Pilot[Any], predicate: Callable[[], bool], attempts: int = 300) -> None:
    """Poll ``predicate`` between settles; fail with a clear message if it never holds."""
    for _ in range(attempts):
        await settle(pilot)
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"condition never held: {predicate}")


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
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursor: screens settle and tests do not race a timer."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)
