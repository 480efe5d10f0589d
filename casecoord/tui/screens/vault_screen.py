"""The base of the screens that work on the vault: vault access, palette commands, error display.

The app owns the open vault (``app.vault``) and replaces it after an idle lock and unlock, so a
screen reads it on demand rather than keeping the one it was built with; the one given to the
constructor is only the fallback for a host app without a ``vault`` attribute (tests).

Screen actions reach the command palette through :meth:`VaultScreen.palette_commands`, built from
``SCREEN_COMMANDS`` ("area: verb", action, help) and filtered by ``check_action``. It is not named
``COMMANDS``: that class variable is Textual's own set of palette *providers*, and tuples there
would break the palette.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from textual.screen import Screen

from casecoord.domain.errors import CasecoordError, VaultError
from casecoord.tui.dialogs.error import ErrorDialog
from casecoord.vault.vault import UnlockedVault

ScreenCommand = tuple[str, str, str]
"""(title "area: verb", action name, help text)."""


class VaultScreen(Screen[None]):
    """A screen that calls services on the current vault."""

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = ()

    def __init__(self, vault: UnlockedVault) -> None:
        super().__init__()
        self._vault = vault

    @property
    def vault(self) -> UnlockedVault:
        """The app's open vault; a locked app raises a :class:`VaultError` the officer reads."""
        if hasattr(self.app, "vault"):
            current = self.app.vault
            if current is None:
                raise VaultError("the vault is locked; unlock it first")
            if isinstance(current, UnlockedVault):
                return current
        return self._vault

    @vault.setter
    def vault(self, value: UnlockedVault) -> None:
        self._vault = value

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """(title, help, callback) for the app's palette provider; only actions that apply."""
        found: list[tuple[str, str, Callable[[], Any]]] = []
        for title, action, help_text in self.SCREEN_COMMANDS:
            if self.check_action(action, ()) is False:
                continue
            found.append((title, help_text, partial(self.call_later, self.run_action, action)))
        return found

    def show_error(self, error: CasecoordError | str, title: str = "Not done") -> None:
        """An officer-facing failure as a modal she acknowledges."""
        message = error.message if isinstance(error, CasecoordError) else error
        self.app.push_screen(ErrorDialog(message, title=title))
