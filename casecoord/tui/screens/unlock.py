"""The unlock screen: passphrase in, key derivation in a thread, the vault out.

It is also what covers the screen stack after an (idle) lock: dismissing it hands the new
:class:`UnlockedVault` to the app, which pops back to wherever the officer was. On a team store
(:class:`TeamUnlockScreen`) the lock closed the store's connections, and the officer's database
password opens new ones: the server checks it, as it does for ``psql``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, LoadingIndicator, Static

from casecoord.domain.errors import CasecoordError
from casecoord.store import Store
from casecoord.tui.background import run_in_thread
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.footer import SteadyFooter
from casecoord.vault.vault import open_vault

if TYPE_CHECKING:
    from casecoord.store.locate import TeamStoreURL

SHAKE_STEPS = (3, -3, 2, -2, 1, 0)


def shake(field: ValidatedField) -> None:
    """Nudge the field left and right (a CSS offset animation) to say "no" without a sound."""
    for index, step in enumerate(SHAKE_STEPS):
        field.set_timer(0.04 * (index + 1), lambda s=step: setattr(field.styles, "offset", (s, 0)))


class UnlockScreen(Screen[Store | None]):
    """Ask for the passphrase; dismiss with the unlocked vault."""

    DEFAULT_CSS = """
    UnlockScreen { align: center middle; }
    UnlockScreen #unlock-box { width: 72; height: auto; max-width: 100%; padding: 1 2; }
    UnlockScreen #unlock-progress { height: 3; display: none; }
    UnlockScreen.-busy #unlock-progress { display: block; }
    """

    AUTO_FOCUS = "#passphrase-input"

    def __init__(self, vault_root: Path, *, relock: bool = False) -> None:
        super().__init__()
        self.vault_root = vault_root
        self.relock = relock

    HEADING = "Unlock your vault"
    ASKS_FOR = "Passphrase"

    def where(self) -> str:
        return str(self.vault_root)

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="unlock-box", classes="panel"):
            yield Label("casecoord", classes="brand")
            heading = "Locked after inactivity" if self.relock else self.HEADING
            yield Label(heading, id="unlock-heading", classes="heading")
            yield Static(self.where(), id="unlock-path", classes="muted", markup=False)
            yield ValidatedField(
                self.ASKS_FOR, password=True, id="passphrase", input_id="passphrase-input"
            )
            yield LoadingIndicator(id="unlock-progress")
            yield Static("Enter to unlock · ctrl+q to quit", classes="muted")
        yield SteadyFooter()

    @on(Input.Submitted, "#passphrase-input")
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        passphrase = event.value
        field = self.query_one("#passphrase", ValidatedField)
        if not passphrase:
            field.show_error(f"type your {self.ASKS_FOR.lower()}")
            shake(field)
            return
        field.clear_error()
        event.input.value = ""
        event.input.disabled = True
        self.add_class("-busy")
        self.derive(passphrase)

    def derive(self, passphrase: str) -> None:
        """Argon2id takes about half a second by design: never on the UI thread."""
        run_in_thread(
            self,
            lambda: self.open(passphrase),
            self.dismiss,
            self.refused,
            group="unlock",
            description="unlock",
            on_failure=lambda _error: self.ready_again(),
        )

    def open(self, passphrase: str) -> Store:
        return open_vault(self.vault_root, passphrase)

    def refused(self, error: CasecoordError) -> None:
        """A wrong passphrase, a damaged key file: said under the field, which is ready again."""
        field = self.ready_again()
        field.show_error(error.message)
        shake(field)

    def ready_again(self) -> ValidatedField:
        """After a failed attempt (ours, said under the field; any other, in the app's error
        dialog), the field takes a new passphrase."""
        self.remove_class("-busy")
        field = self.query_one("#passphrase", ValidatedField)
        field.input.disabled = False
        field.focus_input()
        return field


class TeamUnlockScreen(UnlockScreen):
    """After a lock on a team store: the officer's database password connects again."""

    HEADING = "Connect to the team store"
    ASKS_FOR = "Password"

    def __init__(self, url: TeamStoreURL, *, relock: bool = False) -> None:
        super().__init__(Path(), relock=relock)
        self.url = url

    def where(self) -> str:
        from casecoord.store.postgres import redacted

        return redacted(self.url)

    def open(self, passphrase: str) -> Store:
        from casecoord.store.postgres import open_team_store

        return open_team_store(self.url.set(password=passphrase))
