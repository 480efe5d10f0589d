"""The counterpart directory: who to call abroad, what time it is there, how to reach them.

Each counterpart shows their local time (refreshed every minute), languages, secure channels and
certificate fingerprint, and whether that certificate is pinned. Contacts are added through a
validated form and travel as vCard 4.0 files (import/export run in workers).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    SelectionList,
    Static,
)

from casecoord.domain.enums import Channel
from casecoord.domain.errors import CasecoordError, DuplicateError, ValidationError
from casecoord.domain.models import Contact
from casecoord.services.contacts import ContactInput, add_contact, local_time
from casecoord.services.tui_queries import contact_count, contact_page
from casecoord.store import Store
from casecoord.tui.background import run_in_thread
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.screens.base import AreaScreen, ScreenCommand, app_vault
from casecoord.tui.untrusted import shown
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.virtual_table import Cell, Column, VirtualTable

VCF_NAME = "casecoord-contacts.vcf"
EXPORT_LIMIT = 100_000  # contacts one vCard export writes at most

COLUMNS = (
    Column("name", "Name", 24),
    Column("org", "Organisation · role", 0),
    Column("country", "Country", 7),
    Column("local", "Local time", 26),
    Column("languages", "Languages", 10),
    Column("channels", "Channels", 18),
    Column("phone", "Phone", 15),
    Column("fingerprint", "Certificate", 17),
    Column("pinned", "Pinned", 17),
)

# ValidationError.field (as the services name it) → the form field that shows it
FIELD_FOR_ERROR = {
    "name": "name",
    "handle": "handle",
    "country": "country",
    "time zone": "time_zone",
    "language": "languages",
    "languages": "languages",
    "email": "email",
    "phone": "phone",
}


def short_fingerprint(fingerprint: str | None) -> str:
    if not fingerprint:
        return "—"
    compact = fingerprint.replace(":", "")
    return f"{compact[:8]}…{compact[-8:]}" if len(compact) > 16 else compact


def pinned_text(contact: Contact) -> Text:
    if contact.certificate_fingerprint and contact.pinned_at is not None:
        return Text(f"pinned {contact.pinned_at:%Y-%m-%d}", style="green")
    if contact.certificate_fingerprint:
        return Text("not pinned", style="yellow")
    return Text("—", style="dim")


def clock_text(contact: Contact, now: datetime) -> str:
    return f"{local_time(contact, now):%a %H:%M} {contact.time_zone}"


class VaultContacts:
    """The directory's rows, read through the app's vault at call time (in the table's workers)."""

    def __init__(self, app: object) -> None:
        self.app = app

    def count(self, text: str, cap: int) -> tuple[int, None]:
        return contact_count(app_vault(self.app), text, cap), None

    def page(self, text: str, offset: int, limit: int) -> list[Contact]:
        return contact_page(app_vault(self.app), text, offset, limit)


def contact_cells(contact: Contact, _previous: Contact | None) -> list[Cell]:
    """One directory row; the local time is computed when drawn, so it never goes stale."""
    org = " · ".join(p for p in (contact.organisation, contact.role) if p)
    pinned = pinned_text(contact)
    return [
        (contact.name, ""),
        (org, ""),
        (contact.country, ""),
        (clock_text(contact, datetime.now(UTC)), ""),
        (", ".join(contact.languages), ""),
        (", ".join(contact.channels), ""),
        (contact.phone or "", ""),
        (short_fingerprint(contact.certificate_fingerprint), ""),
        (pinned.plain, str(pinned.style)),
    ]


class ContactFormDialog(ModalScreen[Contact | None]):
    """Add a counterpart; each refused value is shown under its field and the form stays open."""

    DEFAULT_CSS = """
    ContactFormDialog { align: center middle; }
    ContactFormDialog > Vertical {
        width: 90; max-width: 95%; height: 90%; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    ContactFormDialog #contact-form-title { text-style: bold; margin-bottom: 1; }
    ContactFormDialog .pair { height: auto; }
    ContactFormDialog .pair ValidatedField { width: 1fr; margin-right: 1; }
    ContactFormDialog #field-channels { height: auto; max-height: 8; }
    ContactFormDialog #contact-form-message { color: $error; height: auto; }
    ContactFormDialog .buttons { height: auto; align-horizontal: right; }
    ContactFormDialog Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="contact-form.cancel", tooltip="Add nothing"),
        Binding("ctrl+s", "save", "Save", id="contact-form.save", tooltip="Add the contact"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New counterpart", id="contact-form-title")
            with VerticalScroll():
                with Horizontal(classes="pair"):
                    yield ValidatedField("Name", name="name", id="field-name")
                    yield ValidatedField(
                        "Handle (optional)",
                        placeholder="made from the name",
                        name="handle",
                        id="field-handle",
                    )
                with Horizontal(classes="pair"):
                    yield ValidatedField("Organisation", name="organisation", id="field-org")
                    yield ValidatedField("Role", name="role", id="field-role")
                with Horizontal(classes="pair"):
                    yield ValidatedField(
                        "Country", placeholder="CO", name="country", id="field-country"
                    )
                    yield ValidatedField(
                        "Time zone (optional)",
                        placeholder="the country's main zone",
                        name="time_zone",
                        id="field-time_zone",
                    )
                yield ValidatedField(
                    "Languages", placeholder="es, en", name="languages", id="field-languages"
                )
                with Horizontal(classes="pair"):
                    yield ValidatedField("E-mail", name="email", id="field-email")
                    yield ValidatedField(
                        "Phone", placeholder="+57 …", name="phone", id="field-phone"
                    )
                yield Label("Secure channels", classes="muted")
                yield SelectionList[str](
                    *[(c.value, c.value) for c in Channel], id="field-channels"
                )
            yield Static("", id="contact-form-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="contact-cancel")
                yield Button("Add contact", variant="primary", id="contact-save")

    def on_mount(self) -> None:
        self.query_one("#field-name", ValidatedField).focus_input()

    def field(self, key: str) -> ValidatedField:
        return self.query_one(f"#field-{key}", ValidatedField)

    def contact_input(self) -> ContactInput:
        languages = [p.strip() for p in self.field("languages").value.replace(";", ",").split(",")]
        return ContactInput(
            name=self.field("name").value,
            country=self.field("country").value,
            handle=self.field("handle").value.strip() or None,
            organisation=self.query_one("#field-org", ValidatedField).value,
            role=self.query_one("#field-role", ValidatedField).value,
            time_zone=self.field("time_zone").value.strip() or None,
            languages=[code for code in languages if code],
            email=self.field("email").value.strip() or None,
            phone=self.field("phone").value.strip() or None,
            channels=list(self.query_one("#field-channels", SelectionList).selected),
        )

    @on(Button.Pressed, "#contact-save")
    def _save(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#contact-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Add the contact in a worker; a refusal shows under its field and the form stays."""
        for widget in self.query(ValidatedField):
            widget.clear_error()
        self.query_one("#contact-form-message", Static).update("")
        vault, data = app_vault(self.app), self.contact_input()
        run_in_thread(
            self,
            lambda: add_contact(vault, data),
            self.dismiss,
            self._refused,
            group="contact-save",
            description="add the contact",
        )

    def _refused(self, exc: CasecoordError) -> None:
        message = self.query_one("#contact-form-message", Static)
        if isinstance(exc, DuplicateError):
            self.field("handle").show_error(exc.message)
            return
        key = FIELD_FOR_ERROR.get(exc.field) if isinstance(exc, ValidationError) else None
        if key is None or not isinstance(exc, ValidationError):
            message.update(exc.message)
            return
        self.field(key).show_error(exc.reason)
        self.field(key).focus_input()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ContactsScreen(AreaScreen):
    """The counterpart directory as a table, with the selected contact's details below."""

    FILTER_SELECTOR = "#contact-filter"

    DEFAULT_CSS = """
    ContactsScreen .toolbar { height: auto; }
    ContactsScreen .toolbar Input { width: 1fr; }
    ContactsScreen #contact-count { width: auto; padding: 1 1; color: $text-muted; }
    ContactsScreen #contacts { height: 1fr; }
    ContactsScreen #contact-detail { height: auto; min-height: 3; padding: 0 1;
        border: round $panel-lighten-2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add_contact", "New", id="contact.add", tooltip="Add a counterpart"),
        Binding("e", "export_vcard", "Export vCard", id="contact.export", tooltip="To a .vcf"),
        Binding("i", "import_vcard", "Import vCard", id="contact.import", tooltip="From a .vcf"),
        Binding("slash", "focus_filter", "Filter", id="contact.filter", tooltip="Find a contact"),
        Binding("r", "reload", "Refresh", id="contact.refresh", tooltip="Read the store again"),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("contact: add", "add_contact", "Add a counterpart to the directory"),
        ("contact: export vCard", "export_vcard", "Write the contacts shown to a vCard 4.0 file"),
        ("contact: import vCard", "import_vcard", "Add the contacts of a vCard file"),
        ("contact: filter", "focus_filter", "Find a contact by name, organisation or country"),
        ("contact: refresh", "reload", "Read the directory again"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.total = 0
        self._offered: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="toolbar"):
            yield Input(placeholder="filter: name, organisation, country", id="contact-filter")
            yield Static("", id="contact-count")
        yield VirtualTable[str, Contact](
            VaultContacts(self.app),
            COLUMNS,
            contact_cells,
            lambda contact: contact.handle,
            "",
            id="contacts",
        )
        yield Static("", id="contact-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Contacts"
        self.reload()
        self.table.focus()
        self.set_interval(60, self.refresh_clocks, name="contact-clocks")

    @property
    def table(self) -> VirtualTable[str, Contact]:
        return self.query_one("#contacts", VirtualTable)

    @property
    def contacts(self) -> list[Contact]:
        """The contacts read so far (the first pages): what is on or near the screen."""
        return self.table.loaded_rows()

    def reload(self) -> None:
        """Count and page the contacts matching the filter, in the table's worker (a newer
        keystroke supersedes it; a late answer to an older one is dropped)."""
        self.table.set_query(self.query_one("#contact-filter", Input).value)

    @on(VirtualTable.Counted, "#contacts")
    def _counted(self, event: VirtualTable.Counted) -> None:
        self.total = event.total
        more = "+" if event.capped else ""
        self.query_one("#contact-count", Static).update(f"{event.total:,}{more} contact(s)")
        if bool(event.total) != self._offered:  # the footer is rebuilt only when export changes
            self._offered = bool(event.total)
            self.refresh_bindings()

    def refresh_clocks(self) -> None:
        """Each counterpart's local time, once a minute: the rows are drawn again."""
        self.table.refresh()
        self.show_detail()

    def selected(self) -> Contact | None:
        return self.table.current

    def show_detail(self) -> None:
        contact = self.selected()
        detail = self.query_one("#contact-detail", Static)
        if contact is None:
            detail.update(Text("No contact. Add one with n, or import a vCard with i.", "dim"))
            return
        text = Text()
        text.append(shown(contact.name), style="bold")
        text.append(shown(f" ({contact.handle})"))
        if contact.organisation or contact.role:
            text.append(
                shown(f" — {' · '.join(p for p in (contact.organisation, contact.role) if p)}")
            )
        text.append(f"\n{contact.country} · local time {clock_text(contact, datetime.now(UTC))}")
        if contact.email:
            text.append(shown(f" · {contact.email}"))
        if contact.phone:
            text.append(shown(f" · {contact.phone}"))
        if contact.certificate_fingerprint:
            text.append(f"\ncertificate SHA-256 {contact.certificate_fingerprint} · ")
            text.append_text(pinned_text(contact))
        else:
            text.append("\nno certificate", style="dim")
        detail.update(text)

    @on(VirtualTable.Highlighted, "#contacts")
    def _highlighted(self, _event: VirtualTable.Highlighted) -> None:
        self.show_detail()

    @on(Input.Changed, "#contact-filter")
    def _filter(self, _event: Input.Changed) -> None:
        """A key in the filter: query once the typing pauses (the table's debounce)."""
        self.table.set_query_later(lambda: self.query_one("#contact-filter", Input).value)

    @on(Input.Submitted, "#contact-filter")
    def _filter_submitted(self, _event: Input.Submitted) -> None:
        self.table.apply_now()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export_vcard":
            return True if self.total else None
        return True

    def action_focus_filter(self) -> None:
        self.query_one("#contact-filter", Input).focus()

    def action_add_contact(self) -> None:
        def added(contact: Contact | None) -> None:
            if contact is not None:
                self.notify(f"{contact.name} added ({contact.handle})", title="Contact")
                self.reload()

        self.app.push_screen(ContactFormDialog(), added)

    def action_export_vcard(self) -> None:
        text, total = self.table.query_spec, self.total
        vault = self.vault

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.export_vcard(vault, path, text)

        self.app.push_screen(
            FilePickerDialog(
                f"Export {total:,} contact(s) as vCard 4.0",
                save=True,
                default_name=VCF_NAME,
                suffixes=(".vcf",),
            ),
            chosen,
        )

    def action_import_vcard(self) -> None:
        vault = self.vault

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.import_vcard(vault, path)

        self.app.push_screen(
            FilePickerDialog("Import contacts from a vCard file", suffixes=(".vcf", ".vcard")),
            chosen,
        )

    def export_vcard(self, vault: Store, path: Path, text: str, *, overwrite: bool = False) -> None:
        """Read the filter's contacts and write them off the UI thread; an existing file is
        replaced only after the officer says so."""
        from casecoord.services.vcard import export_contacts

        def write() -> int:
            handles = [c.handle for c in contact_page(vault, text, 0, EXPORT_LIMIT)]
            return export_contacts(vault, path, handles, overwrite=overwrite)

        def failed(error: CasecoordError) -> None:
            retry = partial(self.export_vcard, vault, path, text, overwrite=True)
            if not overwrite and self.offer_replace(error, retry):
                return
            self.show_error(error, "Export failed")

        self.work(
            write,
            lambda count: self.notify(
                f"{count} contact(s) written to {shown(path, one_line=True)}",
                title="vCard exported",
                markup=False,
            ),
            failed,
            group="vcard",
            description="export vCard",
        )

    def import_vcard(self, vault: Store, path: Path) -> None:
        from casecoord.services.vcard import import_contacts

        def imported(report: Any) -> None:
            severity: Literal["information", "warning"] = (
                "warning" if report.skipped or report.unpinned_certificates else "information"
            )
            self.reload()
            self.notify(report.summary(), title="vCard imported", severity=severity, timeout=10)

        self.work(
            lambda: import_contacts(vault, path),
            imported,
            lambda exc: self.show_error(exc, "Import failed"),
            group="vcard",
            description="import vCard",
        )
