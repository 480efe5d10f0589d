"""The officer's profile: name, authority, country, time zone, idle lock, and the signing identity.

Shown once right after a vault is created (``first_run``: a short set-up that proposes the
system's time zone rather than a default of another continent) and reachable later as an area
(key 9). Each value is checked by the settings service; a refusal shows under its field. When no
signing identity exists yet, a button creates one from the name, authority and country typed.
"Back up vault…" writes the same encrypted backup as ``casecoord backup``
(``tui/dialogs/backup.py``), as the palette's "vault: back up…" does from any screen.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Static

from casecoord.domain.errors import CasecoordError, ValidationError
from casecoord.services.tui_queries import SettingsView, settings_view
from casecoord.tui.screens.base import AreaScreen, ScreenCommand
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.footer import SteadyFooter

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("officer.name", "Your name (as it signs letters and bundles)", "Insp. M. de Vries"),
    ("officer.authority", "Your authority", "KLPD, liaison office Bogotá"),
    ("officer.country", "Your country (ISO code)", "NL"),
    ("officer.time_zone", "Your time zone (IANA name)", "America/Bogota"),
    ("lock.idle_minutes", "Lock after this many idle minutes", "5"),
)


def field_id(key: str) -> str:
    return "set-" + key.replace(".", "-").replace("_", "-")


class SettingsScreen(AreaScreen):
    """Edit the profile settings; ``first_run`` words it as the set-up after creating a vault."""

    FORM_SCREEN = True

    DEFAULT_CSS = """
    SettingsScreen #settings-body { height: 1fr; padding: 0 1; }
    SettingsScreen #settings-intro { height: auto; margin-bottom: 1; }
    SettingsScreen #settings-message { height: auto; color: $error; }
    SettingsScreen #identity-line { height: auto; margin: 1 0; }
    SettingsScreen .buttons { height: auto; }
    SettingsScreen .buttons Button { margin-right: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Store the settings"),
        Binding("escape", "close", "Back", id="settings.back", tooltip="Leave the settings"),
    ]

    SCREEN_COMMANDS: ClassVar[tuple[ScreenCommand, ...]] = (
        ("settings: save", "save", "Store the profile settings"),
        ("identity: create", "create_identity", "Create your signing identity from the profile"),
    )

    def __init__(self, first_run: bool = False) -> None:
        super().__init__()
        self.first_run = first_run
        self.view: SettingsView | None = None
        self.loaded_values: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="settings-body"):
            yield Static("", id="settings-intro")
            for key, label, placeholder in FIELDS:
                yield ValidatedField(label, placeholder=placeholder, name=key, id=field_id(key))
            yield Static("", id="settings-message", markup=False)
            yield Static("", id="identity-line")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="settings-save")
                yield Button("Create signing identity", id="identity-create")
            yield Static(
                "An encrypted copy of the whole vault, to keep apart from this laptop; "
                "it opens with the passphrase or the recovery key ('casecoord restore').",
                id="backup-line",
                classes="muted",
            )
            with Horizontal(classes="buttons"):
                yield Button("Back up vault…", id="backup-vault")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Set-up" if self.first_run else "Settings"
        intro = (
            "Welcome. A few facts about you, used on requests, letters and deadlines; you can "
            "change them later under Settings (key 9)."
            if self.first_run
            else "Your profile, kept inside the encrypted vault."
        )
        self.query_one("#settings-intro", Static).update(intro)
        self.reload()

    def reload(self) -> None:
        if self.has_unsaved_changes():
            return
        vault = self.vault
        self.work(lambda: settings_view(vault), self.show, description="read the settings")

    def show(self, view: SettingsView) -> None:
        self.view = view
        values = dict(view.values)
        self.loaded_values = dict(values)
        if self.first_run:
            values["officer.time_zone"] = view.guessed_zone  # a proposal: counts as unsaved
        for key, _, _ in FIELDS:
            self.query_one(f"#{field_id(key)}", ValidatedField).value = values.get(key, "")
        line = Text()
        if view.identity is None:
            line.append("No signing identity yet: ", style="bold yellow")
            line.append("create one to sign the bundles you export.")
        else:
            line.append("Signing identity: ", style="bold")
            line.append(view.identity)
        self.query_one("#identity-line", Static).update(line)
        self.query_one("#identity-create", Button).display = view.identity is None
        if self.first_run:
            self.query_one(f"#{field_id('officer.name')}", ValidatedField).focus_input()

    def values(self) -> dict[str, str]:
        return {
            key: self.query_one(f"#{field_id(key)}", ValidatedField).value.strip()
            for key, _, _ in FIELDS
        }

    def has_unsaved_changes(self) -> bool:
        return self.view is not None and self.values() != self.loaded_values

    def discard_changes(self) -> None:
        self.loaded_values = self.values()

    def save_changes(self, then: Any) -> None:
        self.save(then)

    def action_save(self) -> None:
        self.save(None)

    def save(self, then: Any) -> None:
        from casecoord.services.settings import save_profile

        for field in self.query(ValidatedField):
            field.clear_error()
        self.query_one("#settings-message", Static).update("")
        vault, values = self.vault, self.values()

        def saved(_: None) -> None:
            self.loaded_values = values
            self.notify("settings saved", title="Settings")
            if then is not None:
                then()
            elif self.first_run:
                self.app.pop_screen()

        self.work(lambda: save_profile(vault, values), saved, self.refused, group="save")

    def refused(self, error: CasecoordError) -> None:
        key = error.field if isinstance(error, ValidationError) else ""
        if isinstance(error, ValidationError) and key in dict((k, k) for k, _, _ in FIELDS):
            field = self.query_one(f"#{field_id(key)}", ValidatedField)
            field.show_error(error.reason)
            field.focus_input()
            return
        self.query_one("#settings-message", Static).update(error.message)

    def action_create_identity(self) -> None:
        from casecoord.services.identity_store import create_identity
        from casecoord.services.settings import save_profile

        values = self.values()
        name, org = values["officer.name"], values["officer.authority"]
        if not name or not org:
            self.query_one("#settings-message", Static).update(
                "type your name and authority first: the certificate carries them"
            )
            return
        vault = self.vault

        def create() -> None:
            save_profile(vault, values)
            create_identity(vault, name, org, values["officer.country"])

        def created(_: None) -> None:
            self.loaded_values = values
            self.notify("signing identity created", title="Identity")
            self.reload()

        self.work(create, created, self.refused, group="identity", description="create identity")

    @on(Button.Pressed, "#settings-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#backup-vault")
    def _backup_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back_up()

    def action_back_up(self) -> None:
        """Write an encrypted backup to a file the officer chooses (the palette's
        "vault: back up…" does the same from any screen)."""
        from casecoord.tui.dialogs.backup import backup_flow

        backup_flow(self)

    @on(Button.Pressed, "#identity-create")
    def _identity_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_create_identity()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "create_identity":
            return None if self.view is None or self.view.identity is not None else True
        return True

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.leave()
