"""A small host app for TUI-B's screens: it holds a real vault and pushes one screen.

The screens read ``app.vault`` on demand (as in the real app), so the host exposes one; each test
drives the screen with Pilot and checks both what is on screen and what the store says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen

from casecoord.vault.vault import UnlockedVault, open_vault
from tests.conftest import PASSPHRASE


class HostApp(App[None]):
    """Push the screen ``build`` makes, with ``vault`` as the app's open vault."""

    def __init__(self, vault: UnlockedVault, build: Callable[[UnlockedVault], Screen[Any]]):
        super().__init__()
        self.vault: UnlockedVault | None = vault
        self.build = build

    def on_mount(self) -> None:
        self.push_screen(self.build(self.vault_or_fail()))

    def vault_or_fail(self) -> UnlockedVault:
        assert self.vault is not None
        return self.vault


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
