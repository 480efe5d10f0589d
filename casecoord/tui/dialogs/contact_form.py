"""The counterpart form: add a contact, or edit one already in the directory.

Each refused value is shown under its field and the form stays open. Editing starts from what is
stored and saves with that as the expected state, so a change someone else made meanwhile (the
CLI, another office in team mode) is reported rather than undone. Escape on a form holding typed
input asks Save / Discard / Stay, as every screen does: a half-typed counterpart is never
dropped by a stray key.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from casecoord.domain.enums import Channel
from casecoord.domain.errors import CasecoordError, ConflictError, DuplicateError, ValidationError
from casecoord.domain.models import Contact
from casecoord.domain.values import comma_separated
from casecoord.services.contacts import (
    ContactInput,
    add_contact,
    contact_input,
    update_contact,
)
from casecoord.tui.background import run_in_thread
from casecoord.tui.dialogs.unsaved import Choice, UnsavedChangesDialog
from casecoord.tui.screens.base import app_vault
from casecoord.tui.widgets.field import ValidatedField

# ValidationError.field (as the services name it) → the form field that shows it
FIELD_FOR_ERROR = {
    "name": "name",
    "family name": "family_name",
    "given names": "given_names",
    "handle": "handle",
    "country": "country",
    "time zone": "time_zone",
    "language": "languages",
    "languages": "languages",
    "email": "email",
    "phone": "phone",
}

BLANK = ContactInput(name="", country="")


class ContactFormDialog(ModalScreen[Contact | None]):
    """Add a counterpart, or edit ``contact``; dismissed with the stored contact, or ``None``."""

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
        Binding("escape", "cancel", "Cancel", id="contact-form.cancel", tooltip="Leave the form"),
        Binding("ctrl+s", "save", "Save", id="contact-form.save", tooltip="Save the contact"),
    ]

    def __init__(self, contact: Contact | None = None) -> None:
        super().__init__()
        self.contact = contact
        self.loaded = contact_input(contact) if contact is not None else BLANK

    @property
    def editing(self) -> bool:
        return self.contact is not None

    def compose(self) -> ComposeResult:
        start = self.loaded
        with Vertical():
            title = f"Edit counterpart {self.contact.handle}" if self.contact else "New counterpart"
            yield Label(title, id="contact-form-title", markup=False)
            with VerticalScroll():
                with Horizontal(classes="pair"):
                    yield ValidatedField("Name", start.name, name="name", id="field-name")
                    yield ValidatedField(
                        "Handle (fixed)" if self.editing else "Handle (optional)",
                        start.handle or "",
                        placeholder="made from the name",
                        name="handle",
                        id="field-handle",
                    )
                with Horizontal(classes="pair"):
                    yield ValidatedField(
                        "Family name (optional)",
                        start.family_name,
                        placeholder="as written: Villamizar Muñoz",
                        name="family_name",
                        id="field-family_name",
                    )
                    yield ValidatedField(
                        "Given names (optional)",
                        start.given_names,
                        placeholder="Ana",
                        name="given_names",
                        id="field-given_names",
                    )
                with Horizontal(classes="pair"):
                    yield ValidatedField(
                        "Organisation", start.organisation, name="organisation", id="field-org"
                    )
                    yield ValidatedField("Role", start.role, name="role", id="field-role")
                with Horizontal(classes="pair"):
                    yield ValidatedField(
                        "Country",
                        start.country,
                        placeholder="CO",
                        name="country",
                        id="field-country",
                    )
                    yield ValidatedField(
                        "Time zone (optional)",
                        start.time_zone or "",
                        placeholder="the country's main zone",
                        name="time_zone",
                        id="field-time_zone",
                    )
                yield ValidatedField(
                    "Languages",
                    ", ".join(start.languages),
                    placeholder="es, en",
                    name="languages",
                    id="field-languages",
                )
                with Horizontal(classes="pair"):
                    yield ValidatedField(
                        "E-mail", start.email or "", name="email", id="field-email"
                    )
                    yield ValidatedField(
                        "Phone",
                        start.phone or "",
                        placeholder="+57 …",
                        name="phone",
                        id="field-phone",
                    )
                yield Label("Secure channels", classes="muted")
                yield SelectionList[str](
                    *[(c.value, c.value, c.value in start.channels) for c in Channel],
                    id="field-channels",
                )
            yield Static("", id="contact-form-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="contact-cancel")
                yield Button(
                    "Save changes" if self.editing else "Add contact",
                    variant="primary",
                    id="contact-save",
                )

    def on_mount(self) -> None:
        # The handle names the contact in bundles, pins and the journal: it stays as it is.
        self.field("handle").input.disabled = self.editing
        self.field("name").focus_input()

    def field(self, key: str) -> ValidatedField:
        return self.query_one(f"#field-{key}", ValidatedField)

    def contact_input(self) -> ContactInput:
        return ContactInput(
            name=self.field("name").value,
            country=self.field("country").value,
            handle=self.field("handle").value.strip() or None,
            organisation=self.field("org").value,
            role=self.field("role").value,
            time_zone=self.field("time_zone").value.strip() or None,
            languages=comma_separated(self.field("languages").value.replace(";", ",")),
            email=self.field("email").value.strip() or None,
            phone=self.field("phone").value.strip() or None,
            channels=list(self.query_one("#field-channels", SelectionList).selected),
            family_name=self.field("family_name").value,
            given_names=self.field("given_names").value,
        )

    def has_unsaved_changes(self) -> bool:
        """Anything typed or ticked that differs from what the form opened with."""
        return _comparable(self.contact_input()) != _comparable(self.loaded)

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
        """Store the contact in a worker; a refusal shows under its field and the form stays."""
        for widget in self.query(ValidatedField):
            widget.clear_error()
        self.query_one("#contact-form-message", Static).update("")
        vault, data, contact = app_vault(self.app), self.contact_input(), self.contact
        if contact is None:
            run_in_thread(
                self,
                lambda: add_contact(vault, data),
                self.dismiss,
                self._refused,
                group="contact-save",
                description="add the contact",
            )
            return
        run_in_thread(
            self,
            lambda: update_contact(vault, contact.handle, data, expected=contact),
            self.dismiss,
            self._refused,
            group="contact-save",
            description="save the contact",
        )

    def _refused(self, exc: CasecoordError) -> None:
        message = self.query_one("#contact-form-message", Static)
        if isinstance(exc, DuplicateError):
            self.field("handle").show_error(exc.message)
            return
        key = FIELD_FOR_ERROR.get(exc.field) if isinstance(exc, ValidationError) else None
        if key is None or not isinstance(exc, ValidationError):
            prefix = "Not saved: " if isinstance(exc, ConflictError) else ""
            message.update(prefix + exc.message)
            return
        self.field(key).show_error(exc.reason)
        self.field(key).focus_input()

    def action_cancel(self) -> None:
        """Leave at once when nothing was typed; otherwise ask Save / Discard / Stay."""
        if not self.has_unsaved_changes():
            self.dismiss(None)
            return

        def answered(choice: Choice | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(None)

        what = f"contact {self.contact.handle}" if self.contact else "the new contact"
        self.app.push_screen(UnsavedChangesDialog([what]), answered)


def _comparable(data: ContactInput) -> tuple[object, ...]:
    """A form's content for "did anything change": blanks and list order do not count."""
    return (
        data.name.strip(),
        data.country.strip().upper(),
        (data.handle or "").strip(),
        data.organisation.strip(),
        data.role.strip(),
        (data.time_zone or "").strip(),
        tuple(code.strip() for code in data.languages if code.strip()),
        (data.email or "").strip(),
        (data.phone or "").strip(),
        tuple(sorted(data.channels)),
        data.family_name.strip(),
        data.given_names.strip(),
    )
