"""Editing a counterpart from the directory: enter opens the stored entry in the form, saving
changes it, escape on a changed form asks first, and a change made meanwhile is not undone."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Static

from casecoord.services.contacts import (
    ContactInput,
    add_contact,
    contact_input,
    get_contact,
    update_contact,
)
from casecoord.tui.dialogs.contact_form import ContactFormDialog
from casecoord.tui.dialogs.unsaved import UnsavedChangesDialog
from casecoord.tui.screens.contacts import ContactsScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.virtual_table import VirtualTable
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, settle, wait_until

ANA = ContactInput(
    name="Ana Villamizar",
    country="CO",
    organisation="Fiscalía General de la Nación",
    languages=["es", "en"],
    email="ana@example.org",
    phone="+57 601 555 0101",
    channels=["interpol"],
)


def _value(dialog: ContactFormDialog, key: str) -> str:
    return dialog.query_one(f"#field-{key}", ValidatedField).value


async def _open_form(pilot: object, app: HostApp) -> ContactFormDialog:
    await settle(pilot)  # type: ignore[arg-type]
    table = app.screen.query_one("#contacts", VirtualTable)
    table.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, ContactFormDialog))  # type: ignore[arg-type]
    dialog = app.screen
    assert isinstance(dialog, ContactFormDialog)
    return dialog


async def test_enter_on_a_contact_opens_it_and_saving_changes_it(vault: UnlockedVault) -> None:
    stored = add_contact(vault, ANA)
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        dialog = await _open_form(pilot, app)
        assert _value(dialog, "name") == "Ana Villamizar"
        assert _value(dialog, "email") == "ana@example.org"
        assert _value(dialog, "languages") == "es, en"
        assert dialog.query_one("#field-handle", ValidatedField).input.disabled
        assert not dialog.has_unsaved_changes()
        dialog.query_one("#field-email", ValidatedField).value = "ana.v@example.org"
        dialog.query_one("#field-role", ValidatedField).value = "fiscal"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))
    after = get_contact(vault, stored.handle)
    assert (after.email, after.role, after.phone, after.channels) == (
        "ana.v@example.org",
        "fiscal",
        "+576015550101",
        ["interpol"],
    )


async def test_escape_on_a_changed_form_asks_and_discard_keeps_the_stored_entry(
    vault: UnlockedVault,
) -> None:
    stored = add_contact(vault, ANA)
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        dialog = await _open_form(pilot, app)
        dialog.query_one("#field-phone", ValidatedField).value = "+57 601 555 0199"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")  # "stay" is what escape answers
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))
    assert get_contact(vault, stored.handle).phone == "+576015550101"


async def test_escape_on_an_untouched_form_just_closes_it(vault: UnlockedVault) -> None:
    add_contact(vault, ANA)
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await _open_form(pilot, app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen))


async def test_a_change_made_while_the_form_was_open_is_reported_not_undone(
    vault: UnlockedVault,
) -> None:
    stored = add_contact(vault, ANA)
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        dialog = await _open_form(pilot, app)
        # meanwhile, from the CLI or another office:
        update_contact(
            vault, stored.handle, replace(contact_input(stored), phone="+57 601 555 0177")
        )
        dialog.query_one("#field-email", ValidatedField).value = "mine@example.org"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        message = str(dialog.query_one("#contact-form-message", Static).render())
        assert "changed by someone else" in message
        assert "phone" in message
    after = get_contact(vault, stored.handle)
    assert (after.phone, after.email) == ("+576015550177", "ana@example.org")
