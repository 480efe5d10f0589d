"""Purging lapsed cases from the TUI: see first what would go, then confirm with the count.

Erasing is final (rows, index segments, audit payloads, freed pages), so the palette never purges
in one step: a dry run of :func:`purge_expired` lists the closed cases that would be erased and
the lapsed ones that are held (still open), and only a :class:`ConfirmDialog` naming the count
leads to the real purge, for the same day the dry run used.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from casecoord.services.retention import PurgeResult, purge_expired
from casecoord.tui.background import run_in_thread
from casecoord.tui.dialogs.confirm import ConfirmDialog

if TYPE_CHECKING:
    from casecoord.tui.app import CasecoordApp


def describe_dry_run(result: PurgeResult) -> Text:
    """What a purge would erase and what it would hold, for the officer to read first."""
    text = Text()
    if result.purged:
        text.append(
            f"{len(result.purged)} closed case(s) past retention would be erased:\n", style="bold"
        )
        for reference in result.purged:
            text.append(f"  • {reference}\n")
        rows = ", ".join(f"{count} {name}" for name, count in sorted(result.rows.items()) if count)
        text.append(f"  rows: {rows}\n", style="dim")
    else:
        text.append("No closed case is past its retention date: nothing would be erased.\n")
    if result.held:
        text.append(f"{len(result.held)} lapsed case(s) are held, not erased:\n", style="bold")
        for held in result.held:
            text.append(
                f"  • {held.reference} (retention {held.retention_until.isoformat()}): "
                f"{held.held}\n",
                style="yellow",
            )
    text.rstrip()
    return text


class PurgeReportDialog(ModalScreen[bool]):
    """The dry run's findings; ``True`` when the officer asks to go on to the real purge."""

    DEFAULT_CSS = """
    PurgeReportDialog { align: center middle; }
    PurgeReportDialog > Vertical {
        width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    PurgeReportDialog #purge-title { text-style: bold; margin-bottom: 1; }
    PurgeReportDialog VerticalScroll { height: auto; max-height: 30; }
    PurgeReportDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    PurgeReportDialog Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="purge.close", tooltip="Close, erase nothing"),
    ]

    def __init__(self, result: PurgeResult, today: date) -> None:
        super().__init__()
        self.result = result
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                f"Purge expired cases — dry run for {self.today.isoformat()}", id="purge-title"
            )
            with VerticalScroll():
                yield Static(describe_dry_run(self.result), id="purge-report")
            with Horizontal():
                yield Button("Close", id="purge-close")
                if self.result.purged:
                    yield Button(
                        f"Erase {len(self.result.purged)} case(s)…",
                        variant="error",
                        id="purge-go",
                    )

    def on_mount(self) -> None:
        self.query_one("#purge-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "purge-go")

    def action_close(self) -> None:
        self.dismiss(False)


def purge_flow(app: CasecoordApp, *, show_dry_run: bool) -> None:
    """Dry run in a worker; then (after the listing, when ``show_dry_run``) confirm the count;
    only then the real purge, in a worker, with a notification of what was erased."""
    vault = app.require_vault()
    today = app.wall_clock().date()

    def confirm(result: PurgeResult) -> None:
        count = len(result.purged)
        names = ", ".join(result.purged[:5]) + (" …" if count > 5 else "")
        question = (
            f"Erase {count} case(s) for good ({names})? Their persons, requests, notes, "
            "deadlines and attachments go too; the audit chain keeps only that they existed. "
            "Backups made before still hold them."
        )
        app.push_screen(
            ConfirmDialog(question, yes=f"Erase {count} case(s)", no="Keep them"),
            lambda yes: erase(result) if yes else None,
        )

    def erase(confirmed: PurgeResult) -> None:
        def done(result: PurgeResult) -> None:
            app.notify(
                f"{len(result.purged)} case(s) erased: {', '.join(result.purged)}",
                title="Purge",
            )

        run_in_thread(
            app,
            lambda: purge_expired(app.require_vault(), today, dry_run=False),
            done,
            group="purge",
            description="purge expired cases",
        )

    def listed(result: PurgeResult) -> None:
        if show_dry_run:
            app.push_screen(
                PurgeReportDialog(result, today),
                lambda go: confirm(result) if go else None,
            )
        elif result.purged:
            confirm(result)
        else:
            held = f"; {len(result.held)} lapsed case(s) held (still open)" if result.held else ""
            app.notify(f"no closed case is past its retention date{held}", title="Purge")

    run_in_thread(
        app,
        lambda: purge_expired(vault, today, dry_run=True),
        listed,
        group="purge-dry-run",
        description="purge dry run",
    )
