"""A labelled input with its validation message right beneath it.

Forms show a ``ValidationError`` next to the field it names (``show_error``) rather than in a
distant notification, so the officer sees what to fix where she types.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from casecoord.domain.text import shown


class FieldInput(Input):
    """An input that spreads pasted tab-separated text over the fields that follow it.

    A row copied from a spreadsheet ("Ana Pérez<TAB>ana-perez<TAB>Fiscalía") lands value by
    value in this field and the next ones, in focus order, rather than as one line with tabs.
    """

    def _on_paste(self, event: events.Paste) -> None:
        if "\t" not in event.text:
            return
        event.prevent_default()
        event.stop()
        first, *rest = event.text.rstrip("\r\n").split("\t")
        self.insert_text_at_cursor(first)
        for value in rest:
            target = self.screen.focus_next()
            if not isinstance(target, Input):
                break
            target.insert_text_at_cursor(value)


class ValidatedField(Vertical):
    """Label + ``Input`` + message line. ``value`` reads and writes the input's text.

    ``name`` (the domain field name, e.g. ``"title"``) lets a form route a ``ValidationError``
    whose ``field`` matches to the right widget: see :func:`field_for`.
    """

    DEFAULT_CSS = """
    ValidatedField { height: auto; margin-bottom: 1; }
    ValidatedField > .field--label { color: $text-muted; }
    ValidatedField > .field--message { color: $error; height: auto; display: none; }
    ValidatedField.-invalid > .field--message { display: block; }
    ValidatedField.-invalid > Input { border: tall $error; }
    """

    def __init__(
        self,
        label: str,
        value: str = "",
        *,
        placeholder: str = "",
        password: bool = False,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own parameter name)
        classes: str | None = None,
        input_id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.label_text = label
        self._initial = shown(value)
        self._placeholder = placeholder
        self._password = password
        self._input_id = input_id

    def compose(self) -> ComposeResult:
        yield Label(self.label_text, classes="field--label")
        yield FieldInput(
            value=self._initial,
            placeholder=self._placeholder,
            password=self._password,
            id=self._input_id,
        )
        yield Static("", classes="field--message", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        # stored text may hold control characters (an older vault): an Input would send them
        # to the terminal as they are, so the field shows (and saves back) their visible escape
        self.input.value = shown(text)

    @property
    def message(self) -> str:
        """The message currently shown ("" when the field is valid)."""
        return str(self.query_one(".field--message", Static).content)

    def show_error(self, message: str) -> None:
        self.query_one(".field--message", Static).update(message)
        self.add_class("-invalid")

    def clear_error(self) -> None:
        self.query_one(".field--message", Static).update("")
        self.remove_class("-invalid")

    def focus_input(self) -> None:
        self.input.focus()
