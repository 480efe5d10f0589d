"""The create and unlock screens come back after a failed attempt, whatever failed.

Both run their slow call (Argon2id, the first migration) in a thread worker. A failure that is
ours (a folder that cannot be made, a wrong passphrase) is said under the field; any other is the
app's (a notification while locked). Either way the form must take a new attempt: before, a failure that was not
ours left the screen busy, its field disabled, with nothing said (Textual does not bubble a
worker's state change past its screen).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input

from casecoord.store import Store
from casecoord.tui.app import make_app
from casecoord.tui.screens.create_vault import CreateVaultScreen
from casecoord.tui.screens.unlock import UnlockScreen
from casecoord.tui.widgets.field import ValidatedField
from tests.tui.conftest import PASSPHRASE, Notice, settle, unlock, wait_until

NEW_PASSPHRASE = "amber quay lantern orchid"


async def test_create_names_the_folder_it_cannot_make_and_takes_a_new_attempt(
    tmp_path: Path,
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    root = tmp_path / "a-file" / "vault"
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CreateVaultScreen)
        screen.query_one("#new-passphrase-input", Input).value = NEW_PASSPHRASE
        screen.query_one("#repeat-passphrase-input", Input).value = NEW_PASSPHRASE
        await pilot.click("#create")
        first = screen.query_one("#new-passphrase", ValidatedField)
        await wait_until(pilot, lambda: first.message != "")
        assert first.message == f"cannot write the vault folder {root}: Not a directory"
        assert not screen.has_class("-busy")
        assert not screen.query_one("#create", Button).disabled
        assert app.focused is first.input
        assert app.vault is None and isinstance(app.screen, CreateVaultScreen)


async def test_an_unexpected_unlock_failure_is_reported_and_the_field_takes_a_new_attempt(
    demo_vault_dir: Path, notices: list[Notice]
) -> None:
    app = make_app(demo_vault_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UnlockScreen)
        opened = screen.open

        def fails_once(passphrase: str) -> Store:
            # a failure of no casecoord type, as a driver's bug would raise
            screen.open = opened  # type: ignore[method-assign]
            raise RuntimeError("the driver gave up")

        screen.open = fails_once  # type: ignore[method-assign]
        field = screen.query_one("#passphrase-input", Input)
        field.value = PASSPHRASE
        await field.action_submit()
        await wait_until(pilot, lambda: not screen.has_class("-busy"))
        # locked, the app says it in a notification (no dialog over the unlock screen)
        shown = [n.message for n in notices]
        assert shown == ["unexpected error (RuntimeError); nothing further was changed"]
        assert app.screen is screen
        assert not field.disabled and field.value == ""
        assert app.focused is field
        await unlock(pilot)  # the second attempt opens the vault
        assert app.vault is not None
