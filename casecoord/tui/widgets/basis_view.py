"""The resolver's answer as the officer reads it: bases in order with why, and why not the rest.

Shared by the request editor and the treaty browser so both say it the same way: a doubtful fact
(uncertain participation, a party's missing date, a scope condition) is shown, never hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from casecoord.treaties.resolver import Resolution

_CERTAINTY_STYLE = {
    "confirmed": "green",
    "date-unknown": "yellow",
    "uncertain": "bold yellow",
}


def resolution_text(resolution: Resolution, chosen: str | None = None) -> Text:
    """Render ``resolution``; ``chosen`` marks the basis a request uses."""
    text = Text()
    text.append(
        f"Legal bases for {resolution.kind.value} {resolution.requesting} → "
        f"{resolution.requested} on {resolution.on.isoformat()}, most specific first\n",
        style="bold",
    )
    if not resolution.bases:
        text.append("  none applies\n", style="bold red")
    for rank, basis in enumerate(resolution.bases, start=1):
        marks = []
        if rank == 1:
            marks.append("suggested")
        if chosen is not None and basis.instrument_id == chosen:
            marks.append("chosen")
        text.append(f" {rank}. ", style="bold")
        text.append(basis.short_name, style="bold")
        text.append(f" ({basis.instrument_id}, {basis.tier.value})")
        if basis.articles:
            text.append(f" — {', '.join(basis.articles)}")
        text.append(" [")
        text.append(str(basis.certainty), style=_CERTAINTY_STYLE.get(str(basis.certainty), ""))
        text.append("]")
        if marks:
            text.append(f"  ← {', '.join(marks)}", style="bold cyan")
        text.append("\n")
        text.append(f"    why: {basis.why}\n")
        channels = ", ".join(c.value for c in basis.channels) or "—"
        text.append(f"    channels: {channels} · language: {basis.language}\n", style="dim")
        for caveat in basis.caveats:
            text.append(f"    ! {caveat}\n", style="yellow")
    if resolution.rejected:
        text.append("Not applicable\n", style="bold")
        for rejected in resolution.rejected:
            marked = chosen is not None and rejected.instrument_id == chosen
            text.append("  ✗ ", style="red")
            text.append(rejected.title)
            text.append(f" ({rejected.instrument_id}, {rejected.status})")
            if marked:
                text.append("  ← chosen (override)", style="bold cyan")
            text.append(f"\n      why not: {rejected.reason}\n", style="dim")
    for note in resolution.notes:
        text.append(f"Note: {note}\n", style="italic")
    text.rstrip()
    return text


class BasisView(Static):
    """A :class:`Static` showing a resolution (or a hint while the inputs are incomplete)."""

    DEFAULT_CSS = """
    BasisView { height: auto; border: round $panel-lighten-2; padding: 0 1; }
    """

    def __init__(self, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__("", id=id, classes=classes)
        self.plain = ""

    def show(self, resolution: Resolution, chosen: str | None = None) -> None:
        rendered = resolution_text(resolution, chosen)
        self.plain = rendered.plain
        self.update(rendered)

    def hint(self, message: str) -> None:
        self.plain = message
        self.update(Text(message, style="dim"))
