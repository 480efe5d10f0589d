"""One case file: overview (edit in place), persons, requests, deadlines, notes, attachments, audit.

Fields are validated by the services; a refused value is shown next to its field and nothing is
saved. Status buttons show only the moves ``CASE_TRANSITIONS`` allows from the current status.
The overview form is filled on the first load, after each save, and on a reload only while it
holds no unsaved input, so input typed before an idle lock is still there after unlocking. The
form remembers the version of the case it was filled from and saves against it: when another
officer saved the overview in between (a team store), the save is refused with one line under the
form, the officer's text stays, and F5 reads the stored version (after asking).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Header,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from casecoord.domain.enums import CaseStatus, PersonRole
from casecoord.domain.errors import CasecoordError, ConflictError, ValidationError
from casecoord.domain.models import Case, Person
from casecoord.domain.status import CASE_TRANSITIONS
from casecoord.domain.text import shown
from casecoord.domain.values import comma_separated
from casecoord.services.attachments import (
    AttachmentInfo,
    add_attachment,
    export_attachment,
)
from casecoord.services.cases import (
    PersonInput,
    add_note,
    add_person,
    change_case_status,
    get_person,
    update_case,
)
from casecoord.services.deadlines import add_deadline
from casecoord.services.tui_queries import CaseFileView, case_file
from casecoord.tui.dialogs.confirm import ConfirmDialog
from casecoord.tui.dialogs.new_case import split_list
from casecoord.tui.dialogs.person_form import PersonFormDialog
from casecoord.tui.screens.base import RELOAD_KEY, AreaScreen, app_now, conflict_line
from casecoord.tui.untrusted import cell
from casecoord.tui.widgets.data_table import SizedDataTable
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.tui.widgets.tabs import SteadyTabbedContent

if TYPE_CHECKING:
    pass

# (domain field, label, list-valued)
OVERVIEW_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("title", "Title", False),
    ("summary", "Summary", False),
    ("countries", "Countries (ISO codes)", True),
    ("offences", "Offences (EU list keys)", True),
    ("tlp", "TLP", False),
    ("handling_code", "Handling code (H0–H3)", False),
    ("source_grading", "Source grading (e.g. B2)", False),
    ("eurojust_ref", "Eurojust reference", False),
    ("europol_ref", "Europol reference", False),
    ("prosecution_ref", "Prosecution number", False),
    ("retention_until", "Retain until (YYYY-MM-DD)", False),
)
# ValidationError.field as the services spell it → overview field
ERROR_FIELDS = {name.replace("_", " "): name for name, _, _ in OVERVIEW_FIELDS} | {
    "countries": "countries",
    "offence": "offences",
    "tlp": "tlp",
}
STATUS_VERBS = {
    CaseStatus.ACTIVE: "activate",
    CaseStatus.DORMANT: "set dormant",
    CaseStatus.CLOSED: "close",
    CaseStatus.INTAKE: "back to intake",
}


def field_text(case: Case, name: str) -> str:
    value = getattr(case, name)
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


PERSON_FIELDS = (
    "family_name",
    "given_names",
    "aliases",
    "nationality",
    "birth_date",
    "documents",
    "whereabouts",
)
"""The add-a-person form's fields (``#p-<name>``), each named as ``PersonInput`` (and as the
``ValidationError.field`` the service raises, spaces for underscores), the same as the CLI's
``case person`` options."""

TAB_FOCUS = {
    "tab-overview": "#f-title",
    "tab-persons": "#persons",
    "tab-requests": "#requests",
    "tab-deadlines": "#deadlines",
    "tab-notes": "#notes",
    "tab-attachments": "#attachments",
    "tab-audit": "#audit",
}
"""What a tab switch focuses: the tab's table, or the overview's first field."""

DRAFT_FIELDS = (*(f"p-{key}" for key in PERSON_FIELDS), "d-title", "d-due", "d-note")
"""The add-a-person and add-a-deadline fields: typed but not added is unsaved work."""


class CaseDetailScreen(AreaScreen):
    """The case ``reference``; escape goes back to where it was opened from."""

    DEFAULT_CSS = """
    CaseDetailScreen #retention-badge { padding: 1 1 0 0; }
    CaseDetailScreen #status-bar { height: 3; padding: 0 1; }
    CaseDetailScreen #detail-title { width: 1fr; padding: 1 1 0 0; text-style: bold; }
    CaseDetailScreen #status-bar Button { margin-left: 1; min-width: 10; }
    CaseDetailScreen #status-label { padding: 1 1 0 0; }
    CaseDetailScreen TabPane { padding: 0 1; }
    CaseDetailScreen TabPane DataTable { height: auto; max-height: 20; }
    CaseDetailScreen .tab-scroll { height: 1fr; }
    CaseDetailScreen #n-body { height: 6; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="case.save", tooltip="Save the overview"),
        Binding("n", "new_request", "New request", id="request.new", tooltip="Draft a request"),
        Binding("escape", "back", "Back", id="case.back", tooltip="Back to the list"),
        # Tabs switch from anywhere, a text field or a table included: keys no field types
        # (docs/ARCHITECTURE.md, "Keys"); priority, since a DataTable would otherwise take
        # ctrl+page keys to scroll sideways. `[` and `]` stay as the short form off a field.
        Binding(
            "ctrl+pagedown,alt+right",
            "tab(1)",
            "Next tab",
            id="case.tab-next",
            tooltip="The next tab (also ] when no text field has focus)",
            priority=True,
        ),
        Binding(
            "ctrl+pageup,alt+left",
            "tab(-1)",
            "Prev tab",
            id="case.tab-prev",
            tooltip="The previous tab (also [ when no text field has focus)",
            priority=True,
        ),
        Binding("right_square_bracket", "tab(1)", "Next tab", show=False, id="case.tab-next-key"),
        Binding("left_square_bracket", "tab(-1)", "Prev tab", show=False, id="case.tab-prev-key"),
        Binding(
            RELOAD_KEY,
            "reload_stored",
            "Reload",
            show=False,
            id="case.reload",
            tooltip="Read the stored overview into the form (asks before dropping your text)",
        ),
    ]

    OVERVIEW_HINT = "ctrl+s saves the overview"

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.view: CaseFileView | None = None
        self.form_filled = False
        self.form_case: Case | None = None  # the case the overview form was filled from

    @property
    def case(self) -> Case | None:
        return self.view.detail.case if self.view else None

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="status-bar"):
            yield Label(self.reference, id="detail-title", markup=False)
            yield Label("status: …", id="status-label")
            yield Label("", id="retention-badge")
            for target in CaseStatus:
                button = Button(
                    STATUS_VERBS[target].capitalize(),
                    id=f"move-{target.value}",
                    variant="error" if target is CaseStatus.CLOSED else "default",
                )
                button.display = False
                yield button
        with SteadyTabbedContent(id="case-tabs"):
            with TabPane("Overview", id="tab-overview"), VerticalScroll(classes="tab-scroll"):
                with Vertical(classes="form"):
                    for name, label, _ in OVERVIEW_FIELDS:
                        yield ValidatedField(label, id=f"f-{name}", name=name)
                yield Static(self.OVERVIEW_HINT, id="overview-hint", classes="muted", markup=False)
            with TabPane("Persons", id="tab-persons"), VerticalScroll(classes="tab-scroll"):
                yield SizedDataTable(id="persons", cursor_type="row", zebra_stripes=True)
                yield Static("enter: edit the person", classes="muted")
                yield Label("Add a person", classes="heading")
                with Horizontal(classes="form-row"):
                    yield ValidatedField("Family name", id="p-family_name")
                    yield ValidatedField("Given names", id="p-given_names")
                yield ValidatedField(
                    "Aliases (comma-separated)", placeholder="El Flaco, Juan R.", id="p-aliases"
                )
                with Horizontal(classes="form-row"):
                    yield ValidatedField("Nationality", placeholder="CO", id="p-nationality")
                    yield ValidatedField("Birth date (YYYY-MM-DD)", id="p-birth_date")
                yield ValidatedField(
                    "Documents (comma-separated)",
                    placeholder="passport CO AB123456, cédula 79.123.456",
                    id="p-documents",
                )
                yield ValidatedField("Whereabouts", id="p-whereabouts")
                yield Label("Role", classes="muted")
                yield Select(
                    [(role.value, role.value) for role in PersonRole],
                    value=PersonRole.SUSPECT.value,
                    allow_blank=False,
                    id="p-role",
                )
                yield Button("Add person", id="add-person")
            with TabPane("Requests", id="tab-requests"), VerticalScroll(classes="tab-scroll"):
                yield SizedDataTable(id="requests", cursor_type="row", zebra_stripes=True)
                yield Static("n: new request · enter: open the request", classes="muted")
            with TabPane("Deadlines", id="tab-deadlines"), VerticalScroll(classes="tab-scroll"):
                yield SizedDataTable(id="deadlines", cursor_type="row", zebra_stripes=True)
                yield Label("Add a manual deadline", classes="heading")
                with Horizontal(classes="form-row"):
                    yield ValidatedField("Title", id="d-title")
                    yield ValidatedField("Due (YYYY-MM-DD HH:MM, your time zone)", id="d-due")
                yield ValidatedField("Note", id="d-note")
                yield Button("Add deadline", id="add-deadline")
            with TabPane("Notes", id="tab-notes"), VerticalScroll(classes="tab-scroll"):
                yield SizedDataTable(id="notes", cursor_type="row", zebra_stripes=True)
                yield Label("New note (several lines; the button adds it)", classes="muted")
                yield TextArea(id="n-body", soft_wrap=True)
                yield Static("", id="n-body-message", classes="error-text", markup=False)
                yield Button("Add note", id="add-note")
            with TabPane("Attachments", id="tab-attachments"), VerticalScroll(classes="tab-scroll"):
                yield SizedDataTable(id="attachments", cursor_type="row", zebra_stripes=True)
                yield Static(
                    "Stored encrypted inside the vault in 1 MiB chunks with their SHA-256. "
                    "An export writes plaintext: choose where.",
                    classes="muted",
                )
                with Horizontal(classes="form-row"):
                    yield ValidatedField("Add from file (path)", id="a-path")
                    yield ValidatedField("Export selected to (file path)", id="a-export")
                with Horizontal(classes="form-row"):
                    yield Button("Add file", id="add-attachment")
                    yield Button("Export selected", id="export-attachment")
            with TabPane("Audit", id="tab-audit"), VerticalScroll(classes="tab-scroll"):
                yield SizedDataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Case {self.reference}"
        self.query_one("#persons", DataTable).add_columns(
            "Role", "Name", "Aliases", "Nationality", "Born", "Documents", "Whereabouts"
        )
        self.query_one("#requests", DataTable).add_columns(
            "Reference", "Kind", "Direction", "From → to", "Status", "Urgency"
        )
        self.query_one("#deadlines", DataTable).add_columns(
            "Due (you)", "Counterpart time", "State", "Origin", "Deadline"
        )
        self.query_one("#notes", DataTable).add_columns("Written", "Note")
        self.query_one("#audit", DataTable).add_columns("When (UTC)", "Who", "What")
        self.query_one("#attachments", DataTable).add_columns(
            "Name", "Size", "Type", "TLP", "SHA-256", "Request"
        )
        self.reload()

    def reload(self) -> None:
        reference = self.reference
        self.work(
            lambda: case_file(self.vault, reference),
            self.show,
            group="case-load",
            exclusive=True,
            description="load case",
        )

    # -- showing -----------------------------------------------------------------------------

    def show(self, view: CaseFileView) -> None:
        self.view = view
        case = view.detail.case
        self.query_one("#detail-title", Label).update(cell(f"{case.reference} · {case.title}"))
        if not self.form_filled or not self.form_changes():
            self.fill_form(case)
        elif self.form_case is not None and all(
            field_text(case, name) == field_text(self.form_case, name)
            for name, _, _ in OVERVIEW_FIELDS
        ):
            # the case changed, but not its overview (a person, a status, an attachment added):
            # the unsaved input edits what is stored, so it may be saved on the new version
            self.form_case = case
        self.show_status(case)
        self.show_retention(case)
        persons = self.query_one("#persons", DataTable)
        persons.clear()
        for person in view.detail.persons:
            persons.add_row(
                person.role,
                cell(f"{person.family_name}, {person.given_names}".strip(", ")),
                cell(", ".join(person.aliases)),
                person.nationality or "",
                person.birth_date.isoformat() if person.birth_date else "",
                cell(", ".join(person.documents)),
                cell(person.whereabouts),
                key=str(person.id),
            )
        requests = self.query_one("#requests", DataTable)
        requests.clear()
        for row in view.requests:
            requests.add_row(
                cell(row.reference),
                row.kind,
                row.direction,
                f"{row.requesting_state} → {row.requested_state}",
                row.status,
                row.urgency,
                key=row.reference,
            )
        deadlines = self.query_one("#deadlines", DataTable)
        deadlines.clear()
        for deadline in view.deadlines:
            deadlines.add_row(
                f"{deadline.due_officer:%Y-%m-%d %H:%M}",
                f"{deadline.due_counterpart:%a %H:%M} {deadline.counterpart_zone}",
                deadline.state,
                deadline.origin,
                cell(deadline.title),
            )
        notes = self.query_one("#notes", DataTable)
        notes.clear()
        for note in view.detail.notes:
            notes.add_row(f"{note.created_at:%Y-%m-%d %H:%M}", cell(note.body))
        files = self.query_one("#attachments", DataTable)
        files.clear()
        for info in view.attachments:
            files.add_row(
                cell(info.name),
                f"{info.size:,}",
                cell(info.media_type),
                info.tlp,
                info.sha256[:16] + "…",
                info.request_ref or "",
                key=str(info.id),
            )
        audit = self.query_one("#audit", DataTable)
        audit.clear()
        for entry, text in view.audit:
            audit.add_row(f"{entry.at:%Y-%m-%d %H:%M}", cell(entry.actor), cell(text))

    def fill_form(self, case: Case) -> None:
        for name, _, _ in OVERVIEW_FIELDS:
            field = self.query_one(f"#f-{name}", ValidatedField)
            field.value = field_text(case, name)
            field.clear_error()
        self.form_filled = True
        self.form_case = case
        self.show_hint(None)

    def show_hint(self, error: str | None) -> None:
        """Under the overview form: how to save it, or why the last save was refused."""
        hint = self.query_one("#overview-hint", Static)
        hint.update(Text(error, style="bold red") if error else self.OVERVIEW_HINT)

    def show_retention(self, case: Case, today: date | None = None) -> None:
        """The retention date, and an "expired" badge once it has lapsed (purge is a palette
        command: "vault: purge expired"), so a lapsed case is seen where it is worked on."""
        badge = self.query_one("#retention-badge", Label)
        until = case.retention_until
        if until is None:
            badge.update(Text("no retention date", style="yellow"))
            return
        if until < (today or app_now(self.app).astimezone().date()):
            badge.update(Text(f" EXPIRED {until.isoformat()} ", style="bold white on red"))
            badge.tooltip = "Retention lapsed: close the case to purge it, or extend the date"
        else:
            badge.update(Text(f"retain until {until.isoformat()}", style="dim"))
            badge.tooltip = None

    def show_status(self, case: Case) -> None:
        """Show only the buttons of the moves allowed from the current status."""
        self.query_one("#status-label", Label).update(f"status: {case.status}")
        allowed = self.allowed_moves()
        for target in CaseStatus:
            self.query_one(f"#move-{target.value}", Button).display = target in allowed
        self.refresh_bindings()

    def allowed_moves(self) -> frozenset[CaseStatus]:
        case = self.case
        if case is None:
            return frozenset()
        return CASE_TRANSITIONS[CaseStatus(case.status)]

    # -- overview editing --------------------------------------------------------------------

    def form_changes(self) -> dict[str, Any]:
        """What the form changes in the case it was filled from."""
        case = self.form_case
        if case is None:
            return {}
        changes: dict[str, Any] = {}
        for name, _, is_list in OVERVIEW_FIELDS:
            text = self.query_one(f"#f-{name}", ValidatedField).value
            if text.strip() == field_text(case, name):
                continue
            if is_list:
                changes[name] = split_list(text)
            elif name in {"tlp", "handling_code", "source_grading"}:
                changes[name] = text.strip().upper()
            else:
                changes[name] = text.strip() or (None if name.endswith(("_ref", "_until")) else "")
        return changes

    def action_save(self) -> None:
        for field in self.query(ValidatedField):
            if field.id and field.id.startswith("f-"):
                field.clear_error()
        changes = self.form_changes()
        if not changes:
            self.notify("nothing to save")
            return
        reference, version = self.reference, self.form_version

        def saved(_case: Case) -> None:
            self.form_filled = False
            self.notify(f"case {reference} saved")
            self.reload()

        self.work(
            lambda: update_case(self.vault, reference, changes, expected_version=version),
            saved,
            self.refused_overview,
            group="case-save",
            exclusive=True,
        )

    @property
    def form_version(self) -> int | None:
        return self.form_case.version if self.form_case is not None else None

    def action_reload_stored(self) -> None:
        def refill() -> None:
            self.form_filled = False
            self.reload()

        self.confirm_reload(refill, unsaved=bool(self.form_changes()))

    def refused_overview(self, error: CasecoordError) -> None:
        if isinstance(error, ConflictError):
            self.query_one("#case-tabs", TabbedContent).active = "tab-overview"
            self.show_hint(conflict_line(f"case {self.reference}"))
            return
        name = ERROR_FIELDS.get(error.field) if isinstance(error, ValidationError) else None
        if name is None:
            self.notify(error.message, severity="error")
            return
        assert isinstance(error, ValidationError)
        self.query_one("#case-tabs", TabbedContent).active = "tab-overview"
        field = self.query_one(f"#f-{name}", ValidatedField)
        field.show_error(error.reason)
        field.focus_input()

    # -- status ------------------------------------------------------------------------------

    @on(Button.Pressed, "#status-bar Button")
    def status_button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("move-"):
            self.move_to(CaseStatus(event.button.id.removeprefix("move-")))

    def move_to(self, target: CaseStatus) -> None:
        if target not in self.allowed_moves():
            return
        if target is CaseStatus.CLOSED:
            question = f"Close case {self.reference}? It can be re-activated later."
            self.app.push_screen(
                ConfirmDialog(question, yes="Close case"),
                lambda yes: self._move(target) if yes else None,
            )
            return
        self._move(target)

    def _move(self, target: CaseStatus) -> None:
        reference = self.reference

        def moved(case: Case) -> None:
            self.notify(f"case {reference} is now {case.status}")
            self.reload()

        self.work(
            lambda: change_case_status(self.vault, reference, target.value),
            moved,
            group="case-status",
            exclusive=True,
        )

    # -- persons, deadlines, notes -----------------------------------------------------------

    @on(Button.Pressed, "#add-person")
    def add_person_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        fields = {key: self.query_one(f"#p-{key}", ValidatedField) for key in PERSON_FIELDS}
        for field in fields.values():
            field.clear_error()
        role = self.query_one("#p-role", Select).value
        data = PersonInput(
            family_name=fields["family_name"].value,
            given_names=fields["given_names"].value,
            role=str(role),
            aliases=comma_separated(fields["aliases"].value),
            nationality=fields["nationality"].value.strip() or None,
            birth_date=fields["birth_date"].value.strip() or None,
            documents=comma_separated(fields["documents"].value),
            whereabouts=fields["whereabouts"].value,
        )
        reference = self.reference

        def added(_: object) -> None:
            for field in fields.values():
                field.value = ""
            self.notify("person added")
            self.reload()

        def refused(error: CasecoordError) -> None:
            target = getattr(error, "field", "").replace(" ", "_")
            if target in fields:
                fields[target].show_error(getattr(error, "reason", error.message))
                fields[target].focus_input()
            else:
                self.notify(error.message, severity="error")

        self.work(
            lambda: add_person(self.vault, reference, data),
            added,
            refused,
            group="add-person",
            exclusive=True,
        )

    @on(Button.Pressed, "#add-deadline")
    def add_deadline_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        title = self.query_one("#d-title", ValidatedField)
        due = self.query_one("#d-due", ValidatedField)
        note = self.query_one("#d-note", ValidatedField)
        title.clear_error()
        due.clear_error()
        reference = self.reference
        title_text, due_text, note_text = title.value, due.value, note.value
        if not due_text.strip():
            due.show_error("give the due date, e.g. 2026-05-01 17:00")
            return

        def added(_: object) -> None:
            title.value = due.value = note.value = ""
            self.notify("deadline added")
            self.reload()

        def refused(error: CasecoordError) -> None:
            name = getattr(error, "field", "")
            target = title if name == "title" else due if name.startswith("due") else None
            if target is not None:
                target.show_error(getattr(error, "reason", error.message))
            else:
                self.notify(error.message, severity="error")

        self.work(
            lambda: add_deadline(self.vault, reference, title_text, due_text, note=note_text),
            added,
            refused,
            group="add-deadline",
            exclusive=True,
        )

    @on(Button.Pressed, "#add-note")
    def add_note_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.add_typed_note()

    def add_typed_note(self) -> None:
        """Add the note typed (several lines) to the case, in a worker."""
        body = self.query_one("#n-body", TextArea)
        message = self.query_one("#n-body-message", Static)
        message.update("")
        text = body.text
        if not text.strip():
            self.show_tab("tab-notes")
            body.focus()
            return
        reference = self.reference
        vault = self.vault

        def added(_: object) -> None:
            body.text = ""
            self.notify("note added")
            self.reload()

        def refused(error: CasecoordError) -> None:
            message.update(getattr(error, "reason", error.message))

        self.work(
            lambda: add_note(vault, reference, text),
            added,
            refused,
            group="add-note",
            exclusive=True,
        )

    # -- attachments -------------------------------------------------------------------------

    @on(Button.Pressed, "#add-attachment")
    def add_attachment_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        field = self.query_one("#a-path", ValidatedField)
        field.clear_error()
        path = Path(field.value.strip()).expanduser()
        if not field.value.strip():
            field.show_error("give the path of the file to add")
            return
        reference = self.reference

        def added(info: AttachmentInfo) -> None:
            field.value = ""
            self.notify(f"{info.name} added ({info.size:,} bytes)")
            self.reload()

        self.work(
            lambda: add_attachment(self.vault, reference, path),
            added,
            lambda error: field.show_error(getattr(error, "reason", error.message)),
            group="attachment",
            exclusive=True,
            description="add attachment",
        )

    @on(Button.Pressed, "#export-attachment")
    def export_attachment_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        field = self.query_one("#a-export", ValidatedField)
        field.clear_error()
        table = self.query_one("#attachments", DataTable)
        if not table.row_count or not field.value.strip():
            field.show_error("choose an attachment above and give a file path")
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        attachment_id = int(str(row_key.value))
        destination = Path(field.value.strip()).expanduser()
        self.export_attachment_to(attachment_id, destination, overwrite=False)

    def export_attachment_to(
        self, attachment_id: int, destination: Path, *, overwrite: bool
    ) -> None:
        """Write it out; an existing file is replaced only after the officer says so."""
        field = self.query_one("#a-export", ValidatedField)

        def failed(error: CasecoordError) -> None:
            retry = partial(self.export_attachment_to, attachment_id, destination, overwrite=True)
            if not overwrite and self.offer_replace(error, retry):
                return
            field.show_error(getattr(error, "reason", error.message))

        self.work(
            lambda: export_attachment(self.vault, attachment_id, destination, overwrite=overwrite),
            lambda written: self.notify(
                f"written to {shown(written, one_line=True)}", markup=False
            ),
            failed,
            group="attachment",
            exclusive=True,
            description="export attachment",
        )

    # -- requests ----------------------------------------------------------------------------

    def action_new_request(self) -> None:
        self.open_request(None)

    @on(DataTable.RowSelected, "#persons")
    def person_chosen(self, event: DataTable.RowSelected) -> None:
        """The person's form, read fresh from the store (the row may be minutes old)."""
        if not event.row_key.value:
            return
        vault, reference, person_id = self.vault, self.reference, int(event.row_key.value)

        def edited(person: Person | None) -> None:
            if person is not None:
                self.notify(f"person {person.id} saved")
                self.reload()

        self.work(
            lambda: get_person(vault, reference, person_id),
            lambda person: self.app.push_screen(PersonFormDialog(reference, person), edited),
            group="person-edit",
            exclusive=True,
        )

    @on(DataTable.RowSelected, "#requests")
    def request_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_request(str(event.row_key.value))

    def open_request(self, request_ref: str | None) -> None:
        from casecoord.tui.screens.request_editor import RequestEditorScreen

        self.app.push_screen(RequestEditorScreen(self.reference, request_ref))

    def action_back(self) -> None:
        self.leave(lambda: self.dismiss(None))

    def action_tab(self, step: int) -> None:
        """The next (1) or previous (-1) tab, with focus on what it lists.

        Focus moves to the tab's table (so ``enter`` opens the selected row, and a single-key
        shortcut is no longer typed into the field just left); the overview, a form, gets its
        first field."""
        tabs = self.query_one("#case-tabs", TabbedContent)
        ids = [pane.id for pane in tabs.query(TabPane) if pane.id]
        if tabs.active not in ids:
            return
        target = ids[(ids.index(tabs.active) + step) % len(ids)]
        self.show_tab(target, TAB_FOCUS.get(target))

    # -- unsaved work ------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        """The overview edited, or a person, deadline or note typed and not yet added."""
        if self.view is None:
            return False
        if self.form_changes():
            return True
        if self.query_one("#n-body", TextArea).text.strip():
            return True
        return any(self.query_one(f"#{key}", ValidatedField).value.strip() for key in DRAFT_FIELDS)

    def discard_changes(self) -> None:
        self.query_one("#n-body", TextArea).text = ""
        for key in DRAFT_FIELDS:
            self.query_one(f"#{key}", ValidatedField).value = ""
        if self.case is not None:
            self.fill_form(self.case)  # the stored case as last read

    def save_changes(self, then: Any) -> None:
        """Save the overview and add the note typed; a half-typed person or deadline is kept
        on screen (its own button adds it, with its checks) and the officer stays."""
        if any(self.query_one(f"#{key}", ValidatedField).value.strip() for key in DRAFT_FIELDS):
            self.notify(
                "a person or deadline is typed but not added: add it with its button, or discard",
                severity="warning",
            )
            return
        changes, note = self.form_changes(), self.query_one("#n-body", TextArea).text
        vault, reference, version = self.vault, self.reference, self.form_version

        def write() -> None:
            if changes:
                update_case(vault, reference, changes, expected_version=version)
            if note.strip():
                add_note(vault, reference, note)

        def written(_: None) -> None:
            self.query_one("#n-body", TextArea).text = ""
            self.form_filled = False
            then()

        self.work(write, written, self.refused_overview, group="case-save", exclusive=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and self.case is None:
            return None
        return True

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        commands: list[tuple[str, str, Any]] = [
            ("case: save", "Save the overview (ctrl+s)", self.action_save),
            ("request: new", "Draft a request for this case (n)", self.action_new_request),
        ]
        for target in sorted(self.allowed_moves(), key=lambda s: s.value):
            commands.append(
                (
                    f"case: {STATUS_VERBS[target]}",
                    f"Move the case to {target.value}",
                    lambda t=target: self.move_to(t),
                )
            )
        commands.append(("note: add", "Add the note typed, or start one", self.add_typed_note))
        for tab, label, first in (
            ("tab-persons", "person: add", "#p-family_name"),
            ("tab-deadlines", "deadline: add", "#d-title"),
            ("tab-audit", "case: audit timeline", "#audit"),
        ):
            commands.append(
                (label, f"Show the {tab[4:]} tab", lambda t=tab, f=first: self.show_tab(t, f))
            )
        return commands

    def show_tab(self, tab: str, focus: str | None = None) -> None:
        """Show ``tab`` and focus ``focus`` (an id selector: a field or a table).

        The focus moves at once, not after the next repaint: a key that follows the switch
        (``enter`` on the table) must reach the new tab, however fast it comes."""
        self.query_one("#case-tabs", TabbedContent).active = tab
        target = focus or ("#n-body" if tab == "tab-notes" else None)
        if target is None:
            return
        found = self.query_one(target)
        widget = found.input if isinstance(found, ValidatedField) else found
        if widget.focusable:  # the pane is shown as soon as ``active`` is set
            self.set_focus(widget)
        else:
            self.call_after_refresh(widget.focus)
