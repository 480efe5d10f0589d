"""A modal that shows one error message, written for the officer, and waits for acknowledgement.

Used for failures the officer must read before going on (a worker that failed, a refused
operation). Routine confirmations use ``App.notify`` instead.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from casecoord.domain.text import shown


class ErrorDialog(ModalScreen[None]):
    """Show ``message`` under ``title``; escape, enter or the OK button closes it."""

    DEFAULT_CSS = """
    ErrorDialog { align: center middle; }
    ErrorDialog > Vertical {
        width: 70; max-width: 90%; height: auto;
        border: thick $error; background: $surface; padding: 1 2;
    }
    ErrorDialog #error-title { text-style: bold; color: $error; margin-bottom: 1; }
    ErrorDialog #error-message { margin-bottom: 1; }
    ErrorDialog Horizontal { height: auto; align-horizontal: right; }
    """

    BINDINGS = [
        Binding("escape", "dismiss_dialog", "Close", id="error.close"),
        Binding("enter", "dismiss_dialog", "Close", show=False, id="error.close-enter"),
    ]

    def __init__(self, message: str, title: str = "Something went wrong") -> None:
        super().__init__()
        self.message = message
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="error-title", markup=False)
            yield Static(shown(self.message), id="error-message", markup=False)
            with Horizontal():
                yield Button("OK", variant="primary", id="error-ok")

    def on_mount(self) -> None:
        self.query_one("#error-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(None)
