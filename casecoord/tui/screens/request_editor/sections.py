"""The sections of a stored request that act rather than edit: status, legal events, family.

Each posts a message saying what the officer asked for (a move, an event, a follow-up, another
request of the family); the screen does the service call in a worker and hands the result back
(:meth:`StatusPanel.show`, :meth:`EventsPanel.show_deadlines`, :meth:`FamilyPanel.show_family`).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Static, Tree

from casecoord.domain.enums import LegalEvent
from casecoord.domain.text import shown as shown_text
from casecoord.services.completeness import CompletenessReport
from casecoord.services.deadlines import DeadlineView
from casecoord.services.families import RequestFamily
from casecoord.services.requests import RequestDetail
from casecoord.tui.screens.request_editor.panels import choice
from casecoord.tui.untrusted import cell
from casecoord.tui.widgets.data_table import SizedDataTable


class StatusPanel(Vertical):
    """The status, and one button per move its status machine allows."""

    class MoveRequested(Message):
        def __init__(self, status: str, reason: str) -> None:
            super().__init__()
            self.status = status
            self.reason = reason

    def __init__(self) -> None:
        super().__init__(id="status-panel", classes="panel-group")

    def compose(self) -> ComposeResult:
        yield Label("Status", classes="section")
        yield Static("", id="status-line")
        yield Input(placeholder="reason for the status change (optional)", id="move-reason")
        yield Horizontal(id="moves")

    def show(self, detail: RequestDetail, report: CompletenessReport | None) -> None:
        request = detail.request
        line = Text()
        line.append(f"{request.status}", style="bold")
        if detail.allowed_moves:
            line.append(f" — can move to: {', '.join(detail.allowed_moves)}")
        else:
            line.append(" — final status", style="dim")
        self.query_one("#status-line", Static).update(line)
        moves = self.query_one("#moves", Horizontal)
        moves.remove_children()
        moves.mount_all(
            Button(f"→ {move}", id=f"move-{move}", name=move, classes="move")
            for move in detail.allowed_moves
        )
        self.query_one("#move-reason", Input).display = bool(detail.allowed_moves)
        self.call_after_refresh(self.gate_ready, report)

    def gate_ready(self, report: CompletenessReport | None) -> None:
        """Mark the "ready" button while gaps remain; pressing it then explains, never moves.

        It stays pressable (rather than disabled) so that the refusal can say what is missing:
        a greyed-out button would leave the officer guessing why.
        """
        complete = report is not None and report.complete
        for button in self.query("#move-ready").results(Button):
            button.variant = "success" if complete else "warning"
            missing = len(report.missing) if report is not None else 0
            button.label = "→ ready" if complete else f"→ ready ({missing} missing)"
            button.tooltip = None if complete else "Fill what the checklist lists as missing first"

    @property
    def reason(self) -> str:
        return self.query_one("#move-reason", Input).value

    @on(Button.Pressed, ".move")
    def _move_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.name:
            self.post_message(self.MoveRequested(event.button.name, self.reason))


class EventsPanel(Vertical):
    """Record a legal event; the request's deadlines with rule and article."""

    class RecordRequested(Message):
        def __init__(self, event: str, at: str | None) -> None:
            super().__init__()
            self.event = event
            self.at = at

    def __init__(self, zone_name: str) -> None:
        super().__init__(id="events-panel", classes="panel-group")
        self.zone_name = zone_name

    def compose(self) -> ComposeResult:
        yield Label("Legal events and deadlines", classes="section")
        with Horizontal(id="event-form", classes="pair"):
            yield choice([e.value for e in LegalEvent], LegalEvent.ARREST.value, "event-kind")
            yield Input(
                placeholder=f"when (YYYY-MM-DD HH:MM, {self.zone_name}); blank: now", id="event-at"
            )
            yield Button("Record event", id="event-record")
        yield Static("", id="event-result")
        yield SizedDataTable(id="request-deadlines", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#request-deadlines", DataTable).add_columns(
            "Deadline", f"Due ({self.zone_name})", "Rule", "Article", "State"
        )

    def request_record(self) -> None:
        value = self.query_one("#event-kind").value  # type: ignore[attr-defined]
        at = self.query_one("#event-at", Input).value.strip() or None
        self.post_message(self.RecordRequested(str(value), at))

    @on(Button.Pressed, "#event-record")
    def _record_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.request_record()

    def show_result(self, text: Text) -> None:
        self.query_one("#event-result", Static).update(text)

    def show_deadlines(self, views: list[DeadlineView], fresh: set[str] | None = None) -> None:
        table = self.query_one("#request-deadlines", DataTable)
        table.clear()
        for view in views:
            style = "bold green" if fresh and view.uid in fresh else ""
            table.add_row(
                cell(view.title, style),
                f"{view.due_officer:%Y-%m-%d %H:%M}",
                view.rule_id or view.origin,
                view.article or "",
                view.state,
                key=view.uid,
            )


class FamilyPanel(Vertical):
    """The request's thread (parent, supplementary requests, returns) and follow-up reminders."""

    class FollowUpRequested(Message):
        def __init__(self, days: int, title: str | None) -> None:
            super().__init__()
            self.days = days
            self.title = title

    class Opened(Message):
        """The officer chose another request of the family."""

        def __init__(self, reference: str) -> None:
            super().__init__()
            self.reference = reference

    def __init__(self, own_ref: str) -> None:
        super().__init__(id="family-panel", classes="panel-group")
        self.own_ref = own_ref

    def compose(self) -> ComposeResult:
        yield Label("Family (parent and follow-ups)", classes="section")
        yield Tree[str]("family", id="family")
        with Horizontal(id="followup-form", classes="pair"):
            yield Input("14", placeholder="days", id="followup-days", type="integer")
            yield Input(placeholder="reminder title (blank: Follow up on …)", id="followup-title")
            yield Button("Add follow-up", id="followup-add")
        yield Static("", id="followup-result")

    def show_family(self, thread: RequestFamily) -> None:
        """The whole thread (root first) as a tree."""
        tree: Tree[str] = self.query_one("#family", Tree)
        tree.clear()
        own = thread.focus_ref
        nodes: dict[str, Any] = {}
        for member in thread.members:
            label = Text()
            if member.relation:
                label.append(f"{member.relation}: ", style="italic")
            label.append(
                shown_text(member.reference), style="bold" if member.reference == own else ""
            )
            label.append(f" · {member.kind} · {member.direction} · {member.status}")
            if member.reference == own:
                label.append("  ← this request", style="bold cyan")
            if member.parent_ref is None or member.parent_ref not in nodes:
                tree.root.set_label(label)
                tree.root.data = member.reference
                nodes[member.reference] = tree.root
            else:
                nodes[member.reference] = nodes[member.parent_ref].add(label, data=member.reference)
        tree.root.expand_all()
        tree.show_root = True

    def request_follow_up(self) -> None:
        """Ask for the reminder typed (focus the days field when it is not a number)."""
        days_input = self.query_one("#followup-days", Input)
        text = days_input.value.strip()
        if not text.isdigit() or int(text) < 1:
            self.show_result(Text("give the number of days, 1 or more (e.g. 14)", style="red"))
            days_input.focus()
            days_input.scroll_visible()
            return
        title = self.query_one("#followup-title", Input).value.strip() or None
        self.post_message(self.FollowUpRequested(int(text), title))

    def show_result(self, text: Text) -> None:
        self.query_one("#followup-result", Static).update(text)

    def clear_title(self) -> None:
        self.query_one("#followup-title", Input).value = ""

    @on(Button.Pressed, "#followup-add")
    def _follow_up_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.request_follow_up()

    @on(Tree.NodeSelected, "#family")
    def _family_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        ref = event.node.data
        if ref and ref != self.own_ref:
            self.post_message(self.Opened(ref))
