"""Open a new case: reference, title, countries. The rest is edited on the case's overview tab.

Validation is the service's (``add_case``); its message lands next to the field it names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from casecoord.domain.errors import CasecoordError, ValidationError
from casecoord.services.cases import CaseInput, add_case
from casecoord.tui.widgets.field import ValidatedField

if TYPE_CHECKING:
    from casecoord.tui.app import CasecoordApp

FIELD_IDS = {"reference": "nc-reference", "title": "nc-title", "countries": "nc-countries"}


def split_list(text: str) -> list[str]:
    """Comma- or space-separated entries as typed in one input."""
    return [part for part in text.replace(",", " ").split() if part]


class NewCaseDialog(ModalScreen[str | None]):
    """Dismiss with the new case's reference, or None when cancelled."""

    DEFAULT_CSS = "NewCaseDialog { align: center middle; }"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="new-case.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("New case", classes="heading")
            yield ValidatedField(
                "Reference",
                placeholder="e.g. NL-2026-0042",
                id="nc-reference",
                input_id="nc-reference-input",
            )
            yield ValidatedField("Title", id="nc-title", input_id="nc-title-input")
            yield ValidatedField(
                "Countries (ISO codes)",
                placeholder="NL CO EC",
                id="nc-countries",
                input_id="nc-countries-input",
            )
            yield Label("", id="nc-message", classes="error-text")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="nc-cancel")
                yield Button("Create", variant="primary", id="nc-create")

    def on_mount(self) -> None:
        self.query_one("#nc-reference", ValidatedField).focus_input()

    @on(Input.Submitted)
    @on(Button.Pressed, "#nc-create")
    def create(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        for field in self.query(ValidatedField):
            field.clear_error()
        data = CaseInput(
            reference=self.query_one("#nc-reference", ValidatedField).value,
            title=self.query_one("#nc-title", ValidatedField).value,
            countries=split_list(self.query_one("#nc-countries", ValidatedField).value),
        )
        app = cast("CasecoordApp", self.app)
        app.run_service(
            self,
            lambda: add_case(app.require_vault(), data).reference,
            self.done,
            self.refused,
            group="new-case",
            exclusive=True,
        )

    def done(self, reference: str) -> None:
        self.dismiss(reference)

    def refused(self, error: CasecoordError) -> None:
        if isinstance(error, ValidationError) and error.field in FIELD_IDS:
            field = self.query_one(f"#{FIELD_IDS[error.field]}", ValidatedField)
            field.show_error(error.reason)
            field.focus_input()
            return
        if isinstance(error, CasecoordError) and "reference" in error.message:
            self.query_one("#nc-reference", ValidatedField).show_error(error.message)
            return
        self.query_one("#nc-message", Label).update(error.message)

    @on(Button.Pressed, "#nc-cancel")
    def cancel_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
