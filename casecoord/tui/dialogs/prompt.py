"""A small form in a modal: a few labelled inputs, validated by the caller before it closes.

Used for the reason of a waiver or a status change, a new due date and its reason, and the like.
``submit`` is called with the typed values in a thread worker (it usually writes to the vault); a
:class:`ValidationError` it raises is shown next to the field it names and the dialog stays open,
so the officer fixes the value where she typed it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from casecoord.domain.errors import CasecoordError, ValidationError
from casecoord.tui.background import run_in_thread
from casecoord.tui.widgets.field import ValidatedField


@dataclass(frozen=True)
class PromptField:
    """One input: ``key`` names it in the result and matches ``ValidationError.field``."""

    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    aliases: tuple[str, ...] = ()


class PromptDialog(ModalScreen[dict[str, str] | None]):
    """Ask for ``fields``; dismiss with their values once ``submit`` accepts them, else ``None``."""

    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical {
        width: 72; max-width: 95%; height: auto; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    PromptDialog #prompt-title { text-style: bold; margin-bottom: 1; }
    PromptDialog #prompt-message { color: $error; height: auto; }
    PromptDialog Horizontal { height: auto; align-horizontal: right; }
    PromptDialog Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close, change nothing"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[PromptField],
        submit: Callable[[dict[str, str]], None] | None = None,
        ok_label: str = "OK",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = tuple(fields)
        self.submit = submit
        self.ok_label = ok_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="prompt-title")
            for spec in self.fields:
                yield ValidatedField(
                    spec.label,
                    spec.value,
                    placeholder=spec.placeholder,
                    name=spec.key,
                    id=f"prompt-{spec.key}",
                )
            yield Static("", id="prompt-message", markup=False)
            with Horizontal():
                yield Button("Cancel", id="prompt-cancel")
                yield Button(self.ok_label, variant="primary", id="prompt-ok")

    def on_mount(self) -> None:
        if self.fields:
            self.query_one(f"#prompt-{self.fields[0].key}", ValidatedField).focus_input()

    def values(self) -> dict[str, str]:
        return {
            spec.key: self.query_one(f"#prompt-{spec.key}", ValidatedField).value
            for spec in self.fields
        }

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_ok()

    @on(Button.Pressed, "#prompt-ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ok()

    @on(Button.Pressed, "#prompt-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_ok(self) -> None:
        for spec in self.fields:
            self.query_one(f"#prompt-{spec.key}", ValidatedField).clear_error()
        message = self.query_one("#prompt-message", Static)
        message.update("")
        values = self.values()
        submit = self.submit
        if submit is None:
            self.dismiss(values)
            return
        run_in_thread(
            self,
            lambda: submit(values),
            lambda _: self.dismiss(values),
            self._refused,
            group="prompt-submit",
            description="submit",
        )

    def _refused(self, exc: CasecoordError) -> None:
        """A refusal next to the field it names, else under the form; the dialog stays."""
        if isinstance(exc, ValidationError):
            for spec in self.fields:
                if exc.field == spec.key or exc.field in spec.aliases:
                    self.query_one(f"#prompt-{spec.key}", ValidatedField).show_error(exc.reason)
                    return
        self.query_one("#prompt-message", Static).update(exc.message)

    def action_cancel(self) -> None:
        self.dismiss(None)
