"""The resolver's answer as the officer reads it: the basis to use first, the rest folded below.

Shared by the request editor and the treaty browser so both say it the same way. The first block
is what an officer needs to act (instrument, articles, channel, language, why); the questions
that would settle a convention's scope follow; weaker or conditional bases, the candidates the
catalogue cannot settle and those that do not apply are folded, each with its count. A doubtful
fact (uncertain participation, a party's missing date, a scope condition) is shown, never hidden.
Everything is rendered as :class:`rich.text.Text`, so catalogue text is never read as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Collapsible, Static

if TYPE_CHECKING:
    from casecoord.treaties.resolver import LegalBasis, RejectedBasis, Resolution

_CERTAINTY_STYLE = {
    "confirmed": "green",
    "date-unknown": "yellow",
    "uncertain": "bold yellow",
}


def _basis_line(text: Text, rank: int, basis: LegalBasis, marks: list[str]) -> None:
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


def _basis_details(text: Text, basis: LegalBasis) -> None:
    text.append(f"    why: {basis.why}\n")
    channels = ", ".join(c.value for c in basis.channels) or "—"
    text.append(f"    channels: {channels} · language: {basis.language}\n", style="dim")
    for caveat in basis.caveats:
        text.append(f"    ! {caveat}\n", style="yellow")


def _marks(rank: int, basis: LegalBasis, chosen: str | None) -> list[str]:
    marks = []
    if rank == 1:
        marks.append("suggested")
    if chosen is not None and basis.instrument_id == chosen:
        marks.append("chosen")
    return marks


def headline_text(
    resolution: Resolution,
    chosen: str | None = None,
    answer_where: Mapping[str, str] | None = None,
) -> Text:
    """The basis to use, its articles, channel, language and why, and the open questions.

    ``answer_where`` says, per question topic, where on this screen the officer answers it (the
    resolver's questions name no flag or field).
    """
    text = Text()
    text.append(
        f"Legal bases for {resolution.kind.value} {resolution.requesting} → "
        f"{resolution.requested} on {resolution.on.isoformat()}, most specific first\n",
        style="bold",
    )
    first = resolution.first
    if first is None:
        text.append("  none that the catalogue can establish: see the notes\n", style="bold red")
    else:
        _basis_line(text, 1, first, _marks(1, first, chosen))
        _basis_details(text, first)
    if resolution.questions:
        text.append("To settle the conventions' scope:\n", style="bold")
        for question in resolution.questions:
            text.append(f"  ? {question.text}", style="cyan")
            where = (answer_where or {}).get(question.topic)
            if where:
                text.append(f" → {where}", style="dim")
            text.append("\n")
    text.rstrip()
    return text


def weaker_text(resolution: Resolution, chosen: str | None = None) -> Text:
    """The other bases that apply, weaker or conditional, in the resolver's order."""
    text = Text()
    for rank, basis in enumerate(resolution.bases[1:], start=2):
        _basis_line(text, rank, basis, _marks(rank, basis, chosen))
        _basis_details(text, basis)
    text.rstrip()
    return text


def _candidates_text(entries: tuple[RejectedBasis, ...], chosen: str | None, label: str) -> Text:
    text = Text()
    for entry in entries:
        marked = chosen is not None and entry.instrument_id == chosen
        text.append("  ✗ " if label == "why not" else "  ? ", style="red" if marked else "")
        text.append(entry.title)
        text.append(f" ({entry.instrument_id}, {entry.status})")
        if marked:
            text.append("  ← chosen (override)", style="bold cyan")
        text.append(f"\n      {label}: {entry.reason}\n", style="dim")
    text.rstrip()
    return text


def notes_text(resolution: Resolution) -> Text:
    text = Text()
    for note in resolution.notes:
        text.append(f"Note: {note}\n", style="italic")
    text.rstrip()
    return text


def resolution_text(
    resolution: Resolution,
    chosen: str | None = None,
    answer_where: Mapping[str, str] | None = None,
) -> Text:
    """The whole answer as one text (for the plain view and for tests): use, weaker, unsettled,
    not applicable, notes."""
    text = headline_text(resolution, chosen, answer_where)
    if len(resolution.bases) > 1:
        text.append(f"\nAlso available, weaker or conditional ({len(resolution.bases) - 1})\n")
        text.append_text(weaker_text(resolution, chosen))
    if resolution.unknown:
        text.append(f"\nNot settled by the catalogue ({len(resolution.unknown)})\n", style="bold")
        text.append_text(_candidates_text(resolution.unknown, chosen, "check"))
    if resolution.rejected:
        text.append(f"\nNot applicable ({len(resolution.rejected)})\n", style="bold")
        text.append_text(_candidates_text(resolution.rejected, chosen, "why not"))
    if resolution.notes:
        text.append("\n")
        text.append_text(notes_text(resolution))
    return text


class BasisView(Vertical):
    """The basis to use on top; weaker, unsettled and rejected candidates in folds below.

    ``plain`` holds the whole answer as text, as the officer would read it unfolded.
    """

    DEFAULT_CSS = """
    BasisView { height: auto; border: round $panel-lighten-2; padding: 0 1; }
    BasisView > Static { height: auto; }
    BasisView > Collapsible { height: auto; padding: 0; border: none; }
    BasisView CollapsibleTitle { width: 1fr; }
    BasisView .basis-hidden { display: none; }
    """

    def __init__(
        self,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
        answer_where: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.plain = ""
        # per question topic (ScopeTopic value), the field of the host screen that answers it
        self.answer_where = dict(answer_where or {})

    def compose(self) -> ComposeResult:
        yield Static("", id="basis-use")
        with Collapsible(title="Also available", id="basis-fold-weaker"):
            yield Static("", id="basis-weaker")
        with Collapsible(title="Not settled by the catalogue", id="basis-fold-unknown"):
            yield Static("", id="basis-unknown")
        with Collapsible(title="Not applicable", id="basis-fold-rejected"):
            yield Static("", id="basis-rejected")
        yield Static("", id="basis-notes")

    def _fold(self, fold_id: str, body_id: str, title: str, body: Text | None) -> None:
        fold = self.query_one(f"#{fold_id}", Collapsible)
        fold.set_class(body is None, "basis-hidden")
        if body is not None:
            # the title row is as wide as the fold (CSS above): sized to its text (Textual's
            # default, width: auto) a new, longer title was at times wrapped to the old width
            fold.title = title
            self.query_one(f"#{body_id}", Static).update(body)

    def show(self, resolution: Resolution, chosen: str | None = None) -> None:
        self.plain = resolution_text(resolution, chosen, self.answer_where).plain
        self.query_one("#basis-use", Static).update(
            headline_text(resolution, chosen, self.answer_where)
        )
        weaker = len(resolution.bases) - 1
        self._fold(
            "basis-fold-weaker",
            "basis-weaker",
            f"Also available, weaker or conditional ({weaker})",
            weaker_text(resolution, chosen) if weaker > 0 else None,
        )
        self._fold(
            "basis-fold-unknown",
            "basis-unknown",
            f"Not settled by the catalogue ({len(resolution.unknown)})",
            _candidates_text(resolution.unknown, chosen, "check") if resolution.unknown else None,
        )
        self._fold(
            "basis-fold-rejected",
            "basis-rejected",
            f"Not applicable ({len(resolution.rejected)})",
            _candidates_text(resolution.rejected, chosen, "why not")
            if resolution.rejected
            else None,
        )
        notes = self.query_one("#basis-notes", Static)
        notes.update(notes_text(resolution))
        notes.set_class(not resolution.notes, "basis-hidden")

    def hint(self, message: str) -> None:
        self.plain = message
        self.query_one("#basis-use", Static).update(Text(message, style="dim"))
        for fold_id in ("basis-fold-weaker", "basis-fold-unknown", "basis-fold-rejected"):
            self.query_one(f"#{fold_id}", Collapsible).set_class(True, "basis-hidden")
        self.query_one("#basis-notes", Static).set_class(True, "basis-hidden")
