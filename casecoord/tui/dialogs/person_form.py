"""Edit a person on a case: new whereabouts, an alias learnt, a document seen.

Opened with enter on the case's Persons table. The form starts from what is stored and saves
with that as the expected state, so a change someone else made meanwhile is reported, not
undone; a refused value shows under its field and the form stays. Escape on a changed form asks
Save / Discard / Stay.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from casecoord.domain.enums import PersonRole
from casecoord.domain.errors import CasecoordError, ConflictError, ValidationError
from casecoord.domain.models import Person
from casecoord.domain.values import comma_separated
from casecoord.services.cases import PersonInput, person_input, update_person
from casecoord.tui.background import run_in_thread
from casecoord.tui.dialogs.unsaved import Choice, UnsavedChangesDialog
from casecoord.tui.screens.base import app_vault
from casecoord.tui.widgets.field import ValidatedField

#: The form's text fields, by the name the services give a refused value ("birth date").
TEXT_FIELDS = (
    "family_name",
    "given_names",
    "aliases",
    "nationality",
    "birth_date",
    "documents",
    "whereabouts",
)


class PersonFormDialog(ModalScreen[Person | None]):
    """Edit ``person`` of case ``case_ref``; dismissed with the stored person, or ``None``."""

    DEFAULT_CSS = """
    PersonFormDialog { align: center middle; }
    PersonFormDialog > Vertical {
        width: 90; max-width: 95%; height: 90%; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    PersonFormDialog #person-form-title { text-style: bold; margin-bottom: 1; }
    PersonFormDialog .pair { height: auto; }
    PersonFormDialog .pair ValidatedField { width: 1fr; margin-right: 1; }
    PersonFormDialog #person-form-message { color: $error; height: auto; }
    PersonFormDialog .buttons { height: auto; align-horizontal: right; }
    PersonFormDialog Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="person-form.cancel", tooltip="Leave the form"),
        Binding("ctrl+s", "save", "Save", id="person-form.save", tooltip="Save the person"),
    ]

    def __init__(self, case_ref: str, person: Person) -> None:
        super().__init__()
        self.case_ref = case_ref
        self.person = person
        self.loaded = person_input(person)

    def compose(self) -> ComposeResult:
        start = self.loaded
        born = start.birth_date.isoformat() if isinstance(start.birth_date, date) else ""
        with Vertical():
            yield Label(
                f"Person {self.person.id} on case {self.case_ref}",
                id="person-form-title",
                markup=False,
            )
            with VerticalScroll():
                with Horizontal(classes="pair"):
                    yield ValidatedField("Family name", start.family_name, id="e-family_name")
                    yield ValidatedField("Given names", start.given_names, id="e-given_names")
                yield ValidatedField(
                    "Aliases (comma-separated)", ", ".join(start.aliases), id="e-aliases"
                )
                with Horizontal(classes="pair"):
                    yield ValidatedField(
                        "Nationality", start.nationality or "", placeholder="CO", id="e-nationality"
                    )
                    yield ValidatedField("Birth date (YYYY-MM-DD)", born, id="e-birth_date")
                yield ValidatedField(
                    "Documents (comma-separated)", ", ".join(start.documents), id="e-documents"
                )
                yield ValidatedField("Whereabouts", start.whereabouts, id="e-whereabouts")
                yield Label("Role", classes="muted")
                yield Select(
                    [(role.value, role.value) for role in PersonRole],
                    value=start.role,
                    allow_blank=False,
                    id="e-role",
                )
            yield Static("", id="person-form-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="person-cancel")
                yield Button("Save changes", variant="primary", id="person-save")

    def on_mount(self) -> None:
        self.field("whereabouts").focus_input()  # what changes most often

    def field(self, key: str) -> ValidatedField:
        return self.query_one(f"#e-{key}", ValidatedField)

    def person_input(self) -> PersonInput:
        return PersonInput(
            family_name=self.field("family_name").value,
            given_names=self.field("given_names").value,
            role=str(self.query_one("#e-role", Select).value),
            aliases=comma_separated(self.field("aliases").value),
            nationality=self.field("nationality").value.strip() or None,
            birth_date=self.field("birth_date").value.strip() or None,
            documents=comma_separated(self.field("documents").value),
            whereabouts=self.field("whereabouts").value,
            tlp=self.loaded.tlp,
            handling_code=self.loaded.handling_code,
        )

    def has_unsaved_changes(self) -> bool:
        return _comparable(self.person_input()) != _comparable(self.loaded)

    @on(Button.Pressed, "#person-save")
    def _save(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#person-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        for widget in self.query(ValidatedField):
            widget.clear_error()
        self.query_one("#person-form-message", Static).update("")
        vault, data, person, case_ref = (
            app_vault(self.app),
            self.person_input(),
            self.person,
            self.case_ref,
        )
        assert person.id is not None
        person_id = person.id
        run_in_thread(
            self,
            lambda: update_person(vault, case_ref, person_id, data, expected=person),
            self.dismiss,
            self._refused,
            group="person-save",
            description="save the person",
        )

    def _refused(self, exc: CasecoordError) -> None:
        key = exc.field.replace(" ", "_") if isinstance(exc, ValidationError) else ""
        if isinstance(exc, ValidationError) and key in TEXT_FIELDS:
            self.field(key).show_error(exc.reason)
            self.field(key).focus_input()
            return
        prefix = "Not saved: " if isinstance(exc, ConflictError) else ""
        self.query_one("#person-form-message", Static).update(prefix + exc.message)

    def action_cancel(self) -> None:
        if not self.has_unsaved_changes():
            self.dismiss(None)
            return

        def answered(choice: Choice | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(None)

        self.app.push_screen(UnsavedChangesDialog([f"person {self.person.id}"]), answered)


def _comparable(data: PersonInput) -> tuple[object, ...]:
    """A form's content for "did anything change": blanks around values do not count."""
    born = data.birth_date.isoformat() if isinstance(data.birth_date, date) else data.birth_date
    return (
        data.family_name.strip(),
        data.given_names.strip(),
        data.role,
        tuple(a.strip() for a in data.aliases if a.strip()),
        (data.nationality or "").strip().upper(),
        (born or "").strip(),
        tuple(d.strip() for d in data.documents if d.strip()),
        data.whereabouts.strip(),
    )
