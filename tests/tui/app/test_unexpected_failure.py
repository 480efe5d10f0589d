"""An unexpected error outside a worker ends the app with one line and exit code 70.

The officer reads "unexpected error (RuntimeError); nothing further was changed" on stderr, not a
traceback that may quote case data; a Pilot test still sees the exception (Textual re-raises the
first unhandled one after ``run_test``), so a crash never passes a test silently. The app keeps
that exception through three of Textual's private attributes: the first test pins them, so a
Textual release that renames them fails here rather than in the field.
"""

from __future__ import annotations

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle


def test_textual_still_has_the_attributes_the_failure_path_relies_on() -> None:
    app: App[int] = App()
    assert app._exception is None
    assert not app._exception_event.is_set()
    assert app.return_code is None


class _Exploding(Screen[None]):
    BINDINGS = [("x", "explode", "Explode")]

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("a screen whose action fails")

    def action_explode(self) -> None:
        raise RuntimeError("secret case detail that must not reach the terminal")


async def test_an_unexpected_error_ends_the_app_with_one_line_and_no_case_data(
    vault: UnlockedVault,
) -> None:
    app = HostApp(vault, _Exploding)
    with pytest.raises(RuntimeError, match="secret case detail"):
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("x")
            await settle(pilot)
    # run_app turns the recorded failure into this one stderr line and exit code 70
    assert app.failure == "unexpected error (RuntimeError); nothing further was changed"
    assert "secret" not in app.failure
