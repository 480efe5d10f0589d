"""First run: choose a passphrase (typed twice, with a live strength meter), create the vault,
and show the recovery key once with an explicit "I have written it down".

The recovery key is the only way back in when the passphrase is forgotten, and it is never shown
again, so the officer cannot continue before confirming she has it.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, LoadingIndicator, Static

from casecoord.domain.errors import CasecoordError, ValidationError
from casecoord.tui.background import run_in_thread
from casecoord.tui.screens.unlock import shake
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.vault.kdf import creation_params
from casecoord.vault.passphrase import check_passphrase, strength_label
from casecoord.vault.vault import UnlockedVault, create_vault


class CreateVaultScreen(Screen[UnlockedVault | None]):
    """Create a vault in ``vault_root``; dismiss with it once the recovery key is confirmed."""

    DEFAULT_CSS = """
    CreateVaultScreen { align: center middle; }
    CreateVaultScreen #create-box { width: 72; height: auto; max-width: 100%; padding: 1 2; }
    CreateVaultScreen #create-progress { height: 3; display: none; }
    CreateVaultScreen.-busy #create-progress { display: block; }
    CreateVaultScreen #recovery { display: none; height: auto; }
    CreateVaultScreen.-created #recovery { display: block; }
    CreateVaultScreen.-created #choose { display: none; }
    CreateVaultScreen #choose { height: auto; }
    CreateVaultScreen #strength { margin-bottom: 1; }
    CreateVaultScreen #strength.-weak { color: $error; }
    CreateVaultScreen #strength.-strong { color: $success; }
    CreateVaultScreen #recovery-key { text-style: bold; color: $warning; padding: 1 0; }
    """

    AUTO_FOCUS = "#new-passphrase-input"

    def __init__(self, vault_root: Path) -> None:
        super().__init__()
        self.vault_root = vault_root
        self.created: UnlockedVault | None = None
        self.recovery_key = ""

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="create-box", classes="panel"):
            yield Label("casecoord", classes="brand")
            yield Label("Create your vault", classes="heading")
            yield Static(
                f"No vault in {self.vault_root} yet. Everything you store is encrypted with "
                "a key protected by this passphrase.",
                classes="muted",
                markup=False,
            )
            with Vertical(id="choose"):
                yield ValidatedField(
                    "Passphrase (12+ characters; a few unrelated words work well)",
                    password=True,
                    id="new-passphrase",
                    input_id="new-passphrase-input",
                )
                yield Static("strength: -", id="strength", markup=False)
                yield ValidatedField(
                    "Repeat the passphrase",
                    password=True,
                    id="repeat-passphrase",
                    input_id="repeat-passphrase-input",
                )
                yield Button("Create vault", variant="primary", id="create")
                yield LoadingIndicator(id="create-progress")
            with Vertical(id="recovery"):
                yield Label("Your recovery key", classes="heading")
                yield Static(
                    "Write it down now and keep it apart from the laptop. It opens the vault "
                    "if the passphrase is forgotten. It will not be shown again.",
                    markup=False,
                )
                yield Static("", id="recovery-key", markup=False)
                yield Checkbox("I have written it down", id="written-down")
                yield Button("Continue", variant="success", id="continue", disabled=True)
        yield SteadyFooter()

    @on(Input.Changed, "#new-passphrase-input")
    def live_strength(self, event: Input.Changed) -> None:
        label = strength_label(event.value) if event.value else "-"
        strength = self.query_one("#strength", Static)
        strength.update(f"strength: {label}")
        strength.set_class(label.startswith("strong"), "-strong")
        strength.set_class(label.startswith(("refused", "weak")), "-weak")

    @on(Input.Submitted, "#new-passphrase-input")
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#repeat-passphrase", ValidatedField).focus_input()

    @on(Input.Submitted, "#repeat-passphrase-input")
    @on(Button.Pressed, "#create")
    def create(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        first = self.query_one("#new-passphrase", ValidatedField)
        second = self.query_one("#repeat-passphrase", ValidatedField)
        first.clear_error()
        second.clear_error()
        try:
            check_passphrase(first.value)
        except ValidationError as exc:
            first.show_error(exc.reason)
            shake(first)
            first.focus_input()
            return
        if first.value != second.value:
            second.show_error("the two passphrases differ")
            shake(second)
            second.focus_input()
            return
        passphrase = first.value
        first.value = second.value = ""
        self.query_one("#create", Button).disabled = True
        self.add_class("-busy")
        self.make_vault(passphrase)

    def make_vault(self, passphrase: str) -> None:
        """Argon2id and the first migration take a second or more: never on the UI thread."""
        run_in_thread(
            self,
            lambda: create_vault(self.vault_root, passphrase, creation_params()),
            self.made,
            self.refused,
            group="create",
            description="create",
            on_failure=lambda _error: self.ready_again(),
        )

    def made(self, result: tuple[UnlockedVault, str]) -> None:
        self.created, self.recovery_key = result
        self.remove_class("-busy")
        self.add_class("-created")
        self.query_one("#recovery-key", Static).update(self.recovery_key)
        self.query_one("#written-down", Checkbox).focus()

    def refused(self, error: CasecoordError) -> None:
        """A folder that cannot be made, a full disk: said under the passphrase, to retry."""
        first = self.ready_again()
        first.show_error(error.message)

    def ready_again(self) -> ValidatedField:
        """After a failed attempt the form is usable again (the passphrase to type anew: the
        fields were cleared when it was taken)."""
        self.remove_class("-busy")
        self.query_one("#create", Button).disabled = False
        first = self.query_one("#new-passphrase", ValidatedField)
        first.focus_input()
        return first

    @on(Checkbox.Changed, "#written-down")
    def confirmed(self, event: Checkbox.Changed) -> None:
        self.query_one("#continue", Button).disabled = not event.value

    @on(Button.Pressed, "#continue")
    def done(self, event: Button.Pressed) -> None:
        event.stop()
        if self.created is None or not self.query_one("#written-down", Checkbox).value:
            return
        self.recovery_key = ""
        self.query_one("#recovery-key", Static).update("")
        self.dismiss(self.created)
