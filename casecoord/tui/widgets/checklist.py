"""The completeness checklist of a request: what its legal basis requires, item by item.

The officer sees, before she asks for "ready", exactly what is missing and why (label, article,
whose list asks for it), what is only advice, and what is already there. It shows a
:class:`CompletenessReport` made by the pure :func:`assess` on the form as typed, so it follows
every keystroke without touching the store; the service checks the saved request again on the
move to "ready" and at export, so the widget is guidance, never the gate itself.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from casecoord.services.completeness import CheckedItem, CompletenessReport

MISSING_MARK = "✗"
ADVICE_MARK = "!"
SATISFIED_MARK = "✓"
UNKNOWN_MARK = "?"


def unknown_why(item: CheckedItem) -> str:
    """What the officer must check herself, for an item the catalogue cannot tell."""
    why = item.why.removeprefix("unknown:").strip()
    return f"unknown — check: {why}" if why else "unknown — check it yourself"


def _where(item: CheckedItem) -> str:
    parts = [part for part in (item.article, item.origin) if part]
    return f" ({', '.join(parts)})" if parts else ""


class CompletenessChecklist(Static, can_focus=True):
    """A ticked list from a :class:`CompletenessReport`; focusable so a refusal can point at it."""

    DEFAULT_CSS = """
    CompletenessChecklist { height: auto; padding: 0 1; border: round $panel-lighten-2; }
    CompletenessChecklist.-incomplete { border: round $error; }
    CompletenessChecklist.-complete { border: round $success; }
    CompletenessChecklist:focus { border: thick $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__("", id=id)
        self.report: CompletenessReport | None = None

    @property
    def complete(self) -> bool:
        """True only when a report is shown and nothing blocking is missing."""
        return self.report is not None and self.report.complete

    @property
    def plain(self) -> str:
        """The checklist as plain text (tests and the help screen read it)."""
        return self.render_report().plain if self.report is not None else str(self.content)

    def hint(self, message: str) -> None:
        """No report can be made yet (no states, no kind): say what to type instead."""
        self.report = None
        self.set_class(False, "-complete")
        self.set_class(False, "-incomplete")
        self.update(Text(message, style="dim"))

    def show(self, report: CompletenessReport) -> None:
        self.report = report
        self.set_class(report.complete, "-complete")
        self.set_class(not report.complete, "-incomplete")
        self.update(self.render_report())

    def render_report(self) -> Text:
        report = self.report
        text = Text()
        if report is None:
            return text
        basis = report.instrument_name or report.instrument_title or "no legal basis"
        unknown = [i for i in (*report.advice, *report.satisfied) if i.unknown]
        if report.complete:
            text.append(f"Complete for {basis}", style="bold green")
            text.append(" — the request may move to ready\n")
        else:
            text.append(f"{len(report.missing)} item(s) missing for {basis}", style="bold red")
            text.append(" — ready is refused until they are filled\n")
        if unknown:
            text.append(
                f"{len(unknown)} item(s) the catalogue cannot check: see below, they are not "
                "ticked\n",
                style="yellow",
            )
        for item in report.missing:
            text.append(f" {MISSING_MARK} ", style="bold red")
            text.append(item.label, style="bold")
            text.append(_where(item), style="dim")
            text.append(f": {item.why}\n")
        for item in unknown:
            # never ticked: the catalogue does not know, so neither does the checklist
            text.append(f" {UNKNOWN_MARK} ", style="bold yellow")
            text.append(item.label)
            text.append(_where(item), style="dim")
            text.append(f": {unknown_why(item)}\n", style="yellow")
        for item in report.advice:
            if item.unknown:
                continue
            text.append(f" {ADVICE_MARK} ", style="bold yellow")
            text.append(item.label)
            text.append(_where(item), style="dim")
            text.append(f": {item.why} (advice, does not block)\n")
        for item in report.satisfied:
            if item.unknown:
                continue
            text.append(f" {SATISFIED_MARK} ", style="bold green")
            text.append(item.label)
            text.append(_where(item), style="dim")
            text.append(f": {item.why}\n")
        text.rstrip()
        return text
