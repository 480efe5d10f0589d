"""Save, discard or stay: asked before anything would drop what the officer typed.

The app asks it when a screen holding unsaved input is about to close (escape, an area key that
pops it, quitting). "Stay" is the default and what escape answers, so a stray key never throws
work away; "Discard" needs its own key or button.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Choice = Literal["save", "discard", "stay"]


class UnsavedChangesDialog(ModalScreen[Choice]):
    """``what`` has unsaved changes: dismiss with "save", "discard" or "stay"."""

    DEFAULT_CSS = """
    UnsavedChangesDialog { align: center middle; }
    UnsavedChangesDialog > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 95%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    UnsavedChangesDialog #unsaved-question { margin-bottom: 1; height: auto; }
    UnsavedChangesDialog Horizontal { height: auto; align-horizontal: right; }
    UnsavedChangesDialog Button { margin-left: 1; min-width: 10; }
    """

    BINDINGS = [
        Binding("s", "choose('save')", "Save", id="unsaved.save"),
        Binding("d", "choose('discard')", "Discard", id="unsaved.discard"),
        Binding("escape", "choose('stay')", "Stay", id="unsaved.stay"),
    ]

    def __init__(self, what: list[str]) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        names = "; ".join(self.what)
        with Vertical():
            yield Static(
                f"Unsaved changes in: {names}.\nSave them, discard them, or stay here?",
                id="unsaved-question",
                markup=False,
            )
            with Horizontal():
                yield Button("Stay", id="unsaved-stay")
                yield Button("Discard", variant="error", id="unsaved-discard")
                yield Button("Save", variant="primary", id="unsaved-save")

    def on_mount(self) -> None:
        self.query_one("#unsaved-save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = str(event.button.id).removeprefix("unsaved-")
        self.action_choose(choice)

    def action_choose(self, choice: str) -> None:
        if choice in ("save", "discard", "stay"):
            self.dismiss(choice)  # type: ignore[arg-type]
