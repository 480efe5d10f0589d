"""Draft, read and move a request: its legal basis with reasons, content, status, events, family.

A new request gets the legal basis the resolver suggests for its pair of states and kind, with the
reasons and the rejected candidates on screen; choosing another basis is an override that needs a
reason (the service refuses it otherwise, and the message appears by the reason field). An
existing request is editable while it has not left the office (draft/ready; received/registered
for an incoming one); its status buttons are exactly the moves its status machine allows.
Recording a legal event (arrest, consent, decision…) starts the statutory deadlines of its basis,
shown with rule and article. Supplementary requests and execution returns appear as a thread, with
a "follow up in N days" reminder that becomes an ordinary deadline of the request.

While she drafts, the completeness checklist of the legal basis is recomputed with the pure
:func:`assess` on the form as typed (so it follows each keystroke and never writes); the move to
"ready" is refused with the checklist focused while something blocking is missing (the service
checks again). The directory's suggested addressee is shown with the day it was last verified.

How it is built (docs/ARCHITECTURE.md, "Request editor"): one read model loads everything in a
worker (:func:`request_editor_data`); panels (``panels.py``, ``sections.py``) hold the widgets and
post messages; one :class:`RequestForm` gathered from the panels feeds the checklist, the save and
the unsaved-changes check alike; every service call runs in :meth:`AreaScreen.work`.
"""

from __future__ import annotations

from datetime import UTC, date
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, Select, Static

from casecoord.domain.authority import Authority
from casecoord.domain.enums import RequestStatus
from casecoord.domain.errors import CasecoordError, ConflictError, DuplicateError, ValidationError
from casecoord.domain.models import Deadline
from casecoord.domain.text import shown as shown_text
from casecoord.services.completeness import CompletenessReport, assess
from casecoord.services.requests import DOCUMENT_FIELDS, RequestDetail
from casecoord.services.tui_queries import RequestEditorData, request_editor_data
from casecoord.tui.screens.base import (
    RELOAD_KEY,
    AreaScreen,
    ScreenCommand,
    app_now,
    conflict_line,
)
from casecoord.tui.screens.request_editor.form import (
    EDITABLE_STATUSES,
    FormContext,
    RequestForm,
    save_form,
    to_request,
)
from casecoord.tui.screens.request_editor.panels import (
    LONG_DOCUMENT_FIELDS,
    BasisPanel,
    ChecklistPanel,
    ContentPanel,
    DocumentPanel,
    FormPanel,
    HandlingPanel,
    IdentityPanel,
    document_key,
)
from casecoord.tui.screens.request_editor.sections import EventsPanel, FamilyPanel, StatusPanel
from casecoord.tui.screens.request_editor.texts import addressee_line
from casecoord.tui.widgets.checklist import CompletenessChecklist
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.footer import SteadyFooter

if TYPE_CHECKING:
    from casecoord.treaties.resolver import Resolution

# ValidationError.field (as the services name it) → the form element that shows it.
# A "legal basis" refusal is about a missing override reason, so it shows by that field.
FIELD_FOR_ERROR = {
    "reference": "reference",
    "kind": "kind",
    "direction": "direction",
    "requesting state": "requesting",
    "requested state": "requested",
    "legal basis": "override",
    "channel": "channel",
    "urgency": "urgency",
    "language": "language",
    "translation": "translation",
    "counterpart": "counterpart",
    "parent": "parent",
    "relation": "parent",
    "persons": "persons",
    "measures": "measures",
    "tlp": "tlp",
    "handling code": "handling",
    "received": "received",
    "organised group": "organised-group",
    "max penalty years": "max-penalty",
    "decision kind": document_key("decision_kind"),
    "decision date": document_key("decision_date"),
    **{name.replace("_", " "): document_key(name) for name in DOCUMENT_FIELDS},
}
VALIDATED_FIELDS = frozenset(
    {"reference", "requesting", "requested", "override", "language", "received", "max-penalty"}
    | {
        document_key(name)
        for name in DOCUMENT_FIELDS
        if name != "decision_kind" and name not in LONG_DOCUMENT_FIELDS
    }
)
# fields that cannot change once a request exists (update_request does not take them)
FIXED_ONCE_CREATED = ("reference", "kind", "direction", "requesting", "requested", "counterpart")
CONTENT_FIELDS = (
    "f-basis",
    "f-override",
    "f-channel",
    "f-urgency",
    "f-language",
    "f-translation",
    "f-measures",
    "f-facts",
    "f-qualification",
    "f-counterpart-ref",
    "f-persons",
    "f-tlp",
    "f-handling",
    "f-received",
    "f-provisional",
    "f-organised-group",
    "f-max-penalty",
    *(f"f-{document_key(name)}" for name in DOCUMENT_FIELDS),
)
# the fields the basis answer depends on: the pair, the kind and the offence-scope answers
RESOLVE_FIELDS = frozenset(
    {"f-kind", "f-requesting", "f-requested", "f-organised-group", "f-max-penalty"}
)


class RequestEditorScreen(AreaScreen):
    """New request for ``case_ref`` (``request_ref`` None) or the request ``request_ref``."""

    FORM_SCREEN = True

    DEFAULT_CSS = """
    RequestEditorScreen #editor { height: 1fr; padding: 0 1; }
    RequestEditorScreen #editor-title { text-style: bold; margin-bottom: 1; }
    RequestEditorScreen .panel-group { height: auto; }
    RequestEditorScreen .section { text-style: bold; color: $primary; margin-top: 1; }
    RequestEditorScreen .pair { height: auto; }
    RequestEditorScreen .pair > * { width: 1fr; margin-right: 1; }
    RequestEditorScreen .row { height: auto; margin-bottom: 1; }
    RequestEditorScreen .row > Label { color: $text-muted; }
    RequestEditorScreen .row-message { color: $error; height: auto; display: none; }
    RequestEditorScreen .row.-invalid > .row-message { display: block; }
    RequestEditorScreen TextArea { height: 5; }
    RequestEditorScreen #f-persons { height: auto; max-height: 8; }
    RequestEditorScreen #form-message { color: $error; height: auto; }
    RequestEditorScreen .buttons { height: auto; }
    RequestEditorScreen .buttons Button { margin-right: 1; }
    RequestEditorScreen #moves { height: auto; }
    RequestEditorScreen #moves Button { margin-right: 1; }
    RequestEditorScreen #request-deadlines { height: auto; max-height: 12; }
    RequestEditorScreen #family { height: auto; max-height: 12; }
    RequestEditorScreen #event-form Select { width: 32; }
    RequestEditorScreen #handling-note { height: auto; margin-bottom: 1; }
    RequestEditorScreen #basis-flags { height: auto; padding: 0 1; border: round $warning; }
    RequestEditorScreen #f-provisional { margin-bottom: 1; }
    RequestEditorScreen #document-note { height: auto; }
    RequestEditorScreen #addressee { height: auto; margin-top: 1; }
    RequestEditorScreen #followup-form { height: auto; }
    RequestEditorScreen #followup-days { width: 12; }
    RequestEditorScreen #followup-result { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="request.save", tooltip="Save the request"),
        Binding(
            "ctrl+b",
            "resolve",
            "Basis",
            id="request.resolve",
            tooltip="Ask the resolver again for the states and kind typed",
        ),
        Binding(
            "ctrl+e",
            "focus_event",
            "Event",
            id="request.event",
            tooltip="Record an arrest, consent, decision… and start its deadlines",
        ),
        Binding(
            "ctrl+g",
            "focus_checklist",
            "Checklist",
            id="request.checklist",
            tooltip="What the legal basis still requires before ready",
        ),
        Binding(
            "ctrl+r",
            "ready",
            "Ready",
            id="request.ready",
            tooltip="Save and move to ready (refused while the checklist shows gaps)",
        ),
        Binding(
            "ctrl+f",
            "follow_up",
            "Follow-up",
            id="request.follow-up",
            tooltip="Add a reminder to chase this request in N days (a deadline)",
        ),
        Binding("escape", "close", "Back", id="request.back", tooltip="Back to the case"),
        Binding(
            RELOAD_KEY,
            "reload_stored",
            "Reload",
            show=False,
            id="request.reload",
            tooltip="Read the stored request into the form (asks before dropping your text)",
        ),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("request: save", "save", "Save the request (new, or changes while editable)"),
        ("request: legal basis", "resolve", "Ask the resolver again for the basis"),
        ("request: record event", "focus_event", "Record a legal event and start its deadlines"),
        ("request: check completeness", "focus_checklist", "Show what the basis still requires"),
        ("request: follow up", "follow_up", "Add a follow-up reminder in N days (ctrl+f)"),
        ("request: back", "close", "Back to the case"),
    )

    def __init__(
        self, case_ref: str, request_ref: str | None = None, *, today: date | None = None
    ) -> None:
        """``today`` fixes the day the legal basis is resolved for (tests, snapshots)."""
        super().__init__()
        self.today = today
        self.case_ref = case_ref
        self.request_ref = request_ref
        self.data: RequestEditorData | None = None
        self.resolution: Resolution | None = None
        self.baseline: RequestForm | None = None
        self.version: int | None = None  # of the stored request the form edits
        self._checklist_pending = False
        self._addressee_key: tuple[str, str] | None = None
        self._basis_touched = False

    # -- state -------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self.data is not None and self.baseline is not None

    @property
    def detail(self) -> RequestDetail | None:
        """The stored request as loaded (None for a new one, or before the load)."""
        return self.data.detail if self.data else None

    @property
    def is_new(self) -> bool:
        return self.data is None or self.data.detail is None

    @property
    def editable(self) -> bool:
        detail = self.data.detail if self.data else None
        return detail is None or detail.request.status in EDITABLE_STATUSES

    def form(self) -> RequestForm:
        """The form as the panels now hold it (unsaved)."""
        assert self.baseline is not None
        form = self.baseline
        for panel in self.query(FormPanel):
            form = form.with_values(panel.values())
        return form

    def context(self) -> FormContext:
        assert self.data is not None
        return FormContext(
            case_ref=self.case_ref,
            case_id=self.data.case.case.id or 0,
            stored=self.data.detail,
            resolution=self.resolution,
            contacts=tuple(self.data.contacts),
            zone=self.zone,
            version=self.version,
        )

    @property
    def zone(self) -> ZoneInfo | None:
        """The officer's time zone, in which the receipt moment is typed and shown."""
        return ZoneInfo(self.data.zone_name) if self.data else None

    def current_day(self) -> date:
        """The day the basis and addressees are judged on: the one given, else today on the
        app's clock in the officer's zone."""
        return self.today or app_now(self.app).astimezone(self.zone).date()

    def has_unsaved_changes(self) -> bool:
        return self.loaded and self.editable and self.form() != self.baseline

    def discard_changes(self) -> None:
        if self.baseline is not None:
            self.baseline = self.form()

    def save_changes(self, then: Any) -> None:
        self.save(then)

    # -- loading -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="editor"):
            yield Static("Reading the request…", id="editor-title")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Request {self.request_ref}" if self.request_ref else "New request"
        self.reload()

    def reload(self) -> None:
        """Read the request and what the form offers; rebuild the panels (none while unsaved)."""
        if self.has_unsaved_changes():
            return
        vault = self.vault
        case_ref, request_ref = self.case_ref, self.request_ref
        self.work(
            lambda: request_editor_data(vault, case_ref, request_ref),
            self._loaded,
            self._load_failed,
            description="read the request",
        )

    def _load_failed(self, error: CasecoordError) -> None:
        self.query_one("#editor-title", Static).update(Text(error.message, style="red"))

    async def _loaded(self, data: RequestEditorData) -> None:
        self.data = data
        detail = data.detail
        self.version = detail.request.version if detail is not None else None
        zone = self.zone
        form = (
            RequestForm.for_request(detail, zone)
            if detail is not None
            else RequestForm.for_new(
                data.next_reference(),
                data.officer_country,
                list(data.case.case.countries),
                zone,
                now=app_now(self.app),
            )
        )
        self.baseline = None
        self._addressee_key = None
        self._basis_touched = False
        editor = self.query_one("#editor", VerticalScroll)
        await editor.remove_children()
        stored_title = detail.request.basis_title or "" if detail is not None else None
        widgets: list[Any] = [Static("", id="editor-title")]
        if detail is not None:
            widgets.append(StatusPanel())
        widgets += [
            IdentityPanel(form, data.zone_name),
            BasisPanel(form, stored_title),
            ContentPanel(
                form, data.case.persons, data.contacts, None if detail else data.case_requests
            ),
            DocumentPanel(form),
            HandlingPanel(form, (data.case.case.tlp, data.case.case.handling_code)),
            ChecklistPanel(),
            Static("", id="form-message", markup=False),
            Horizontal(
                Button(
                    "Create request" if detail is None else "Save changes",
                    variant="primary",
                    id="save",
                ),
                classes="buttons",
            ),
        ]
        if detail is not None:
            widgets += [EventsPanel(data.zone_name), FamilyPanel(detail.request.reference)]
        await editor.mount_all(widgets)
        self.baseline = form
        self.baseline = self.form()  # as the widgets hold it (shown text, normalised lines)
        self.show_title()
        self.apply_editable()
        if detail is not None:
            self.query_one(BasisPanel).show_flags(detail.basis_flags)
            self.query_one(StatusPanel).show(detail, self.live_report())
            self.query_one(EventsPanel).show_deadlines(data.deadlines)
            if data.family is not None:
                self.query_one(FamilyPanel).show_family(data.family)
        self.action_resolve()
        if detail is None:
            self.query_one("#f-reference", ValidatedField).focus_input()

    def show_title(self) -> None:
        title = Text()
        detail = self.data.detail if self.data else None
        if detail is None:
            title.append(f"New request in case {self.case_ref}")
        else:
            request = detail.request
            title.append(shown_text(f"Request {request.reference}", one_line=True), style="bold")
            title.append(
                shown_text(
                    f" · {request.kind} · {request.direction} · "
                    f"{request.requesting_state} → {request.requested_state} · "
                    f"case {self.case_ref}",
                    one_line=True,
                )
            )
            if request.basis_title:
                title.append("\nbasis: ")
                title.append(shown_text(request.basis_title, one_line=True))
                if request.basis_articles:
                    title.append(shown_text(f" ({request.basis_articles})", one_line=True))
                if request.basis_override_reason:
                    title.append(
                        shown_text(f" — override: {request.basis_override_reason}", one_line=True),
                        style="yellow",
                    )
            if not self.editable:
                title.append(
                    f"\n{request.status}: its content can no longer be edited", style="dim"
                )
        self.query_one("#editor-title", Static).update(title)

    def apply_editable(self) -> None:
        editable = self.editable
        for widget_id in CONTENT_FIELDS:
            self.query_one(f"#{widget_id}").disabled = not editable
        if not self.is_new:
            for key in FIXED_ONCE_CREATED:
                self.query_one(f"#f-{key}").disabled = True
        self.query_one("#save", Button).display = editable
        self.refresh_bindings()

    # -- legal basis -------------------------------------------------------------------------

    def action_resolve(self) -> None:
        """Ask the resolver (in a worker) for the states and kind on screen."""
        if not self.loaded:
            return
        form = self.form()
        states = form.states()
        panel = self.query_one(BasisPanel)
        if states is None:
            self.resolution = None
            panel.hint("Type two different ISO country codes (NL, CO…) to see the legal basis.")
            self.schedule_checklist()
            return
        offences = list(self.data.case.case.offences) if self.data else []
        kind = form.kind
        day = self.current_day()
        organised_group, max_penalty_years = form.scope()

        def resolve() -> Resolution:
            from casecoord.treaties.resolver import resolve_basis

            return resolve_basis(
                states[0],
                states[1],
                kind,
                day,
                offences or None,
                organised_group=organised_group,
                max_penalty_years=max_penalty_years,
            )

        self.work(resolve, self._resolved, group="resolve", description="resolve the basis")

    def _resolved(self, resolution: Resolution) -> None:
        if not self.loaded:
            return
        self.resolution = resolution
        panel = self.query_one(BasisPanel)
        panel.show(resolution)
        if not self._basis_touched and self.baseline is not None:
            # the suggestion filled in by the resolver is not an edit of the officer's
            self.baseline = self.baseline.with_values(
                {"basis_instrument_id": panel.values()["basis_instrument_id"]}
            )
        self.schedule_checklist()
        self.refresh_addressee()

    @on(FormPanel.Changed)
    def _form_changed(self, event: FormPanel.Changed) -> None:
        event.stop()
        if not self.loaded:
            return
        if event.field == "f-basis":
            self._basis_touched = True
        if event.field == "f-kind":
            self.query_one(DocumentPanel).show_kind(self.form().kind)
        if event.field in RESOLVE_FIELDS:
            self.action_resolve()
        self.schedule_checklist()

    # -- completeness and addressee ------------------------------------------------------------

    def live_report(self) -> CompletenessReport | None:
        """:func:`assess` on the form as typed: pure, so it runs on every change."""
        if not self.loaded or self.data is None:
            return None
        form = self.form()
        request = to_request(form, self.context())
        if request is None:
            return None
        persons = [p for p in self.data.case.persons if p.id in set(form.person_ids)]
        return assess(request, persons, self.data.attachments, self.data.sender)

    def checklist_complete(self) -> bool:
        report = self.live_report()
        return report is not None and report.complete

    def schedule_checklist(self) -> None:
        """Refresh once after the current burst of change messages (not once per message)."""
        if self._checklist_pending:
            return
        self._checklist_pending = True
        self.call_later(self.refresh_checklist)

    def refresh_checklist(self) -> None:
        self._checklist_pending = False
        if not self.loaded:
            return
        report = self.live_report()
        self.query_one(ChecklistPanel).show(report)
        for panel in self.query(StatusPanel):
            panel.gate_ready(report)

    def refresh_addressee(self) -> None:
        """Ask the directory, in a worker, who receives this kind of request in that state."""
        form = self.form()
        states = form.states()
        if states is None:
            return
        key = (states[1], form.kind)
        if key == self._addressee_key:
            return
        self._addressee_key = key
        vault = self.vault
        ref = self.data.detail.request.reference if self.data and self.data.detail else None
        panel = self.query_one(ChecklistPanel)

        def ask() -> Authority | None:
            from casecoord.services.authorities import suggest_addressee, suggest_for_request

            if ref is not None:
                return suggest_for_request(vault, ref)
            return suggest_addressee(vault, key[0], key[1])

        self.work(
            ask,
            lambda found: panel.show_addressee(
                addressee_line(found, key[0], key[1], self.current_day())
            ),
            lambda error: panel.show_addressee(Text(error.message, style="red")),
            group="addressee",
            description="suggest addressee",
        )

    def action_focus_checklist(self) -> None:
        for checklist in self.query("#checklist").results(CompletenessChecklist):
            checklist.focus()
            checklist.scroll_visible()

    # -- saving ------------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for field in self.query(ValidatedField):
            field.clear_error()
        for row in self.query(".row.-invalid"):
            row.remove_class("-invalid")
            row.query_one(".row-message", Static).update("")
        self.query_one("#form-message", Static).update("")

    def show_field_error(self, error: CasecoordError) -> None:
        """A refusal next to the field it names; anything else under the form."""
        if isinstance(error, DuplicateError):
            self.query_one("#f-reference", ValidatedField).show_error(error.message)
            return
        if isinstance(error, ConflictError):
            self.query_one("#form-message", Static).update(
                conflict_line(f"request {self.request_ref}")
            )
            self.query_one("#form-message", Static).scroll_visible()
            return
        key = FIELD_FOR_ERROR.get(error.field) if isinstance(error, ValidationError) else None
        if key is None or not isinstance(error, ValidationError):
            self.query_one("#form-message", Static).update(error.message)
            return
        if key in VALIDATED_FIELDS:
            field = self.query_one(f"#f-{key}", ValidatedField)
            field.show_error(error.reason)
            field.focus_input()
            field.scroll_visible()
            return
        row = self.query_one(f"#row-{key}", Vertical)
        row.add_class("-invalid")
        row.query_one(".row-message", Static).update(error.reason)
        row.scroll_visible()

    def action_save(self) -> None:
        self.save()

    def save(self, then: Any = None) -> None:
        """Create or update the request in a worker; a refusal lands next to its field."""
        if not self.loaded or not self.editable:
            return
        self.clear_errors()
        form, context, vault = self.form(), self.context(), self.vault

        def saved(reference: str) -> None:
            created = self.request_ref is None
            self.request_ref = reference
            self.baseline = form
            self.sub_title = f"Request {reference}"
            self.notify(f"Request {reference} {'created' if created else 'saved'}", title="Request")
            if then is not None:
                then()
            else:
                self.reload()

        self.work(
            lambda: save_form(vault, form, context),
            saved,
            self.show_field_error,
            group="save",
            description="save the request",
        )

    # -- status ------------------------------------------------------------------------------

    @on(StatusPanel.MoveRequested)
    def _move_requested(self, event: StatusPanel.MoveRequested) -> None:
        event.stop()
        self.move_to(event.status, event.reason)

    def move_to(self, status: str, reason: str | None = None) -> None:
        """Move the request (saving unsaved edits first when going to ready)."""
        if self.data is None or self.data.detail is None:
            return
        ref = self.data.detail.request.reference
        if reason is None:
            reason = self.query_one(StatusPanel).reason
        save_first: tuple[RequestForm, FormContext] | None = None
        if status == RequestStatus.READY.value:
            report = self.live_report()
            if report is None or not report.complete:
                self.refuse_ready(report)
                return
            if self.editable and self.has_unsaved_changes():
                self.clear_errors()
                save_first = (self.form(), self.context())
        vault, version = self.vault, self.version

        def move() -> int:
            from casecoord.services.requests import change_request_status

            if save_first is not None:
                save_form(vault, *save_first)  # checks the version the form holds
                return change_request_status(vault, ref, status, reason or "").version
            moved = change_request_status(
                vault, ref, status, reason or "", expected_version=version
            )
            return moved.version

        def moved(new_version: int) -> None:
            if save_first is not None:
                self.baseline = save_first[0]
            # no one else saved in between (the move checked): unsaved input kept on screen is
            # saved on the version this move made
            self.version = new_version
            self.notify(f"{ref} is now {status}", title="Request")
            self.reload()

        def refused(error: CasecoordError) -> None:
            if isinstance(error, ConflictError) or (
                isinstance(error, ValidationError) and error.field in FIELD_FOR_ERROR
            ):
                self.show_field_error(error)
            else:
                self.show_error(error, "Status not changed")

        self.work(move, moved, refused, group="move", description=f"move to {status}")

    def refuse_ready(self, report: CompletenessReport | None) -> None:
        """Say why ready is refused (a dialog naming the gaps), then focus the checklist."""
        from casecoord.tui.dialogs.error import ErrorDialog

        message = (
            f"{report.summary()}. The checklist lists each gap with its article."
            if report is not None
            else "Choose the states, the kind and a legal basis first."
        )

        def focus_checklist(_: None) -> None:
            self.action_focus_checklist()

        self.app.push_screen(ErrorDialog(message, title="Not ready"), focus_checklist)

    def action_ready(self) -> None:
        detail = self.data.detail if self.data else None
        if detail is not None and RequestStatus.READY.value in detail.allowed_moves:
            self.move_to(RequestStatus.READY.value)

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        found = super().palette_commands()
        detail = self.data.detail if self.data else None
        if detail is not None:
            for move in detail.allowed_moves:
                found.append(
                    (
                        f"request: mark {move}",
                        f"Move {detail.request.reference} to {move}",
                        partial(self.move_to, move),
                    )
                )
        return found

    # -- legal events, deadlines, follow-ups ---------------------------------------------------

    def _show_deadlines(self, fresh: set[str]) -> None:
        from casecoord.services.tui_queries import request_deadlines

        if self.data is None or self.data.detail is None:
            return
        vault, ref = self.vault, self.data.detail.request.reference
        panel = self.query_one(EventsPanel)
        self.work(
            lambda: request_deadlines(vault, self.case_ref, ref),
            lambda views: panel.show_deadlines(views, fresh),
            group="deadlines",
            description="read the deadlines",
        )

    @on(EventsPanel.RecordRequested)
    def _record_requested(self, event: EventsPanel.RecordRequested) -> None:
        event.stop()
        self.record_legal_event(event.event, event.at)

    def record_legal_event(self, event_kind: str, at: str | None) -> None:
        detail = self.data.detail if self.data else None
        if detail is None:
            return
        vault, ref = self.vault, detail.request.reference
        basis = detail.request.basis_title or "this basis"
        panel = self.query_one(EventsPanel)

        def record() -> tuple[list[Deadline], Any]:
            from casecoord.services.deadlines import officer_zone, record_event

            return record_event(vault, ref, event_kind, at), officer_zone(vault)

        def recorded(result: tuple[list[Deadline], Any]) -> None:
            created, zone = result
            if not created:
                panel.show_result(
                    Text(
                        f"{event_kind} recorded; no statutory deadline starts with it under "
                        f"{basis}",
                        style="dim",
                    )
                )
            else:
                lines = Text(f"{event_kind} recorded; deadlines started:\n", style="bold")
                for deadline in created:
                    due = deadline.due_at
                    due = due if due.tzinfo is not None else due.replace(tzinfo=UTC)
                    lines.append(
                        f"  {deadline.title} — due {due.astimezone(zone):%Y-%m-%d %H:%M %Z} — "
                        f"rule {deadline.rule_id} — {deadline.article}\n",
                        style="",
                    )
                lines.rstrip()
                panel.show_result(lines)
            self.notify(f"{event_kind}: {len(created)} deadline(s) started", title="Legal event")
            self._show_deadlines({d.uid for d in created})

        self.work(
            record,
            recorded,
            lambda error: panel.show_result(Text(error.message, style="red")),
            group="event",
            description="record the legal event",
        )

    def action_focus_event(self) -> None:
        for select in self.query("#event-kind").results(Select):
            select.focus()
            select.scroll_visible()

    def action_follow_up(self) -> None:
        for panel in self.query(FamilyPanel):
            panel.request_follow_up()

    @on(FamilyPanel.FollowUpRequested)
    def _follow_up_requested(self, event: FamilyPanel.FollowUpRequested) -> None:
        event.stop()
        detail = self.data.detail if self.data else None
        if detail is None:
            return
        vault, ref, days, title = self.vault, detail.request.reference, event.days, event.title
        panel = self.query_one(FamilyPanel)

        def add() -> tuple[Deadline, Any]:
            from casecoord.services.deadlines import officer_zone
            from casecoord.services.families import add_follow_up

            return add_follow_up(vault, ref, f"{days}d", title), officer_zone(vault)

        def added(result: tuple[Deadline, Any]) -> None:
            deadline, zone = result
            due = deadline.due_at
            due = due if due.tzinfo is not None else due.replace(tzinfo=UTC)
            panel.show_result(
                Text(
                    f"follow-up '{deadline.title}' due {due.astimezone(zone):%Y-%m-%d %H:%M %Z}",
                    style="green",
                )
            )
            panel.clear_title()
            self.notify(f"follow-up in {days} days added", title="Deadline")
            self._show_deadlines({deadline.uid})

        self.work(
            add,
            added,
            lambda error: panel.show_result(Text(error.message, style="red")),
            group="follow-up",
            description="add follow-up",
        )

    @on(FamilyPanel.Opened)
    def _family_opened(self, event: FamilyPanel.Opened) -> None:
        event.stop()
        self.app.push_screen(RequestEditorScreen(self.case_ref, event.reference))

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return True if self.loaded and self.editable else None
        if action in {"focus_event", "follow_up"}:
            return None if self.is_new else True
        if action == "ready":
            detail = self.data.detail if self.data else None
            if detail is None or RequestStatus.READY.value not in detail.allowed_moves:
                return None
            return True
        if action == "focus_checklist":
            return True if self.loaded else None
        return True

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on to the next one, as in a paper form (never saves)."""
        event.stop()
        self.focus_next()

    def action_close(self) -> None:
        self.leave()

    def action_reload_stored(self) -> None:
        """After a conflict: read the stored request, dropping the form's input (asked first)."""

        def reread() -> None:
            self.discard_changes()
            self.reload()

        self.confirm_reload(reread)
