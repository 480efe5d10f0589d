"""Help (f1 or ?): the keys of the screen the officer was on, as the footer knows them.

The list is read from that screen's active bindings at the moment help was asked for, so it is
right for whatever widget had focus, and covers app-wide keys too.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, Static

from casecoord.tui.widgets.data_table import SizedDataTable

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "pageup": "PgUp",
    "pagedown": "PgDn",
}


def key_label(key: str) -> str:
    return KEY_NAMES.get(key, key)


class HelpScreen(ModalScreen[None]):
    """A table of key, action and what it does; escape or f1 closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-keys { height: auto; max-height: 30; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1", "close", "Close", show=False, id="help.close-f1"),
        Binding("question_mark", "close", "Close", show=False, id="help.close-q"),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = screen
        rows: list[tuple[str, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.show and not isinstance(active.node, Screen | App):
                continue  # a widget's own plumbing (cursor keys of a table)
            description = binding.description or binding.action
            if (binding.action, description) in seen and not binding.show:
                continue
            seen.add((binding.action, description))
            rows.append((key_label(key), description, binding.tooltip or ""))
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-box"):
            title = self.for_screen.sub_title or type(self.for_screen).__name__
            yield Label(f"Keys: {title}", classes="heading")
            yield SizedDataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                "ctrl+p opens the command palette: every action, named 'area: verb'.",
                classes="muted",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Action", "What it does")
        for key, description, tooltip in self.rows:
            table.add_row(key, Text(description), Text(tooltip))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
