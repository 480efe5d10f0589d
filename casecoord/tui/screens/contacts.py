"""The counterpart directory: who to call abroad, what time it is there, how to reach them.

Each counterpart shows their local time (refreshed every minute), languages, secure channels and
certificate fingerprint, and whether that certificate is pinned. Contacts are added and edited
(enter on a row) through a validated form and travel as vCard 4.0 files (import/export run in
workers).
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
from textual.containers import Horizontal
from textual.widgets import (
    Header,
    Input,
    Static,
)

from casecoord.domain.errors import CasecoordError
from casecoord.domain.models import Contact
from casecoord.services.contacts import get_contact, local_time
from casecoord.services.tui_queries import contact_count, contact_page
from casecoord.store import Store
from casecoord.tui.dialogs.contact_form import ContactFormDialog
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.screens.base import AreaScreen, ScreenCommand, VaultRows
from casecoord.tui.untrusted import shown
from casecoord.tui.widgets.footer import SteadyFooter
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
        ("contact: edit", "edit_contact", "Change the selected counterpart's details"),
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
            VaultRows(self.app, contact_count, contact_page),
            COLUMNS,
            contact_cells,
            lambda contact: contact.handle,
            "",
            selectable=True,
            id="contacts",
        )
        yield Static("", id="contact-detail")
        yield SteadyFooter()

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
        if contact.family_name or contact.given_names:
            text.append(
                shown(
                    f"\nfamily name {contact.family_name or '—'} · "
                    f"given names {contact.given_names or '—'}"
                )
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

    @on(VirtualTable.Selected, "#contacts")
    def _opened(self, _event: VirtualTable.Selected) -> None:
        self.action_edit_contact()

    def action_edit_contact(self) -> None:
        """The selected contact's form, read fresh from the store (the row may be minutes old)."""
        chosen = self.selected()
        if chosen is None:
            self.notify("No contact selected.", title="Contact", severity="warning")
            return
        vault, handle = self.vault, chosen.handle

        def edited(contact: Contact | None) -> None:
            if contact is not None:
                self.notify(f"{contact.name} saved ({contact.handle})", title="Contact")
                self.reload()

        self.work(
            lambda: get_contact(vault, handle),
            lambda fresh: self.app.push_screen(ContactFormDialog(fresh), edited),
            lambda exc: self.show_error(exc, "Cannot edit"),
            group="contact-edit",
            description="read the contact",
        )

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
