"""The counterpart directory: validated add form, vCard export and import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from casecoord.services.contacts import ContactInput, add_contact, list_contacts, pin_certificate
from casecoord.services.vcard import (
    certificate_fingerprint,
    contacts_to_vcf,
    parse_vcf,
)
from casecoord.tui.dialogs.contact_form import ContactFormDialog
from casecoord.tui.dialogs.file_picker import FilePickerDialog
from casecoord.tui.screens.contacts import ContactsScreen
from casecoord.tui.widgets.field import ValidatedField
from casecoord.tui.widgets.virtual_table import VirtualTable
from casecoord.vault.vault import UnlockedVault
from tests.tui.conftest import HostApp, Notice, settle

COMPARED = (
    "handle",
    "name",
    "organisation",
    "role",
    "country",
    "time_zone",
    "languages",
    "email",
    "phone",
    "channels",
)


def _fill(dialog: ContactFormDialog, **values: str) -> None:
    for key, value in values.items():
        dialog.query_one(f"#field-{key}", ValidatedField).value = value


async def test_adding_a_contact_with_an_invalid_phone_shows_the_message_by_the_field(
    vault: UnlockedVault,
) -> None:
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ContactFormDialog)
        _fill(dialog, name="Ana Pérez", country="CO", languages="es, en", phone="+57 12")
        await pilot.click("#contact-save")
        await settle(pilot)
        phone = dialog.query_one("#field-phone", ValidatedField)
        assert "not a valid phone number" in phone.message
        assert dialog.query_one("#field-name", ValidatedField).message == ""
        assert list_contacts(vault) == []

        _fill(dialog, phone="+57 601 5702000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        stored = list_contacts(vault)
        assert [(c.name, c.phone, c.time_zone) for c in stored] == [
            ("Ana Pérez", "+576015702000", "America/Bogota")
        ]
        table = screen.query_one("#contacts", VirtualTable)
        assert table.row_count == 1
        row = table.cell_texts(0)
        assert row[0] == "Ana Pérez"
        assert "America/Bogota" in row[3]


async def test_vcard_export_then_import_gives_the_same_directory(
    demo_vault: UnlockedVault, vault: UnlockedVault, tmp_path: Path, notices: list[Notice]
) -> None:
    target = tmp_path / "directory.vcf"
    app = HostApp(demo_vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FilePickerDialog)
        app.screen.query_one("#picker-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert target.read_text("utf-8").count("BEGIN:VCARD") == len(list_contacts(demo_vault))

    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#picker-path", Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("contact(s) added" in n.message for n in notices)
        assert screen.query_one("#contacts", VirtualTable).row_count == len(list_contacts(vault))

    def rows(v: UnlockedVault) -> list[tuple[object, ...]]:
        return [tuple(getattr(c, name) for name in COMPARED) for c in list_contacts(v)]

    assert rows(vault) == rows(demo_vault)
    assert len(rows(vault)) > 0


async def test_importing_a_missing_file_says_so(vault: UnlockedVault, tmp_path: Path) -> None:
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#picker-path", Input).value = str(tmp_path / "nope.vcf")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        from casecoord.tui.dialogs.error import ErrorDialog

        assert isinstance(app.screen, ErrorDialog)
        assert "there is no file" in app.screen.message


def test_vcard_keeps_text_escapes_folding_and_the_certificate(vault: UnlockedVault) -> None:
    add_contact(
        vault,
        ContactInput(
            name="María, José; \\ Pérez",
            country="CO",
            organisation="Fiscalía General de la Nación — Dirección de Asuntos Internacionales",
            role="fiscal; enlace",
            languages=["es", "en"],
            email="mjp@fiscalia.example",
            phone="+573001234567",
            channels=["central-authority", "interpol"],
        ),
    )
    der = bytes(range(256)) * 3
    import base64

    pem = (
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(
            base64.b64encode(der).decode()[i : i + 64]
            for i in range(0, len(base64.b64encode(der)), 64)
        )
        + "\n-----END CERTIFICATE-----\n"
    )
    contact = list_contacts(vault)[0]
    pin_certificate(vault, contact.handle, pem, certificate_fingerprint(der))
    contact = list_contacts(vault)[0]
    text = contacts_to_vcf([contact])
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    (card,) = parse_vcf(text)
    for name in COMPARED:
        assert getattr(card.contact, name) == getattr(contact, name), name
    assert card.certificate_pem == pem
    assert card.certificate_fingerprint == contact.certificate_fingerprint


def test_vcard_3_cards_from_other_address_books_are_read() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Quispe;Rosa;;;\nFN:Rosa Quispe\n"
        "ORG:Ministerio Público;Fiscalía\nitem1.TEL;TYPE=WORK,VOICE:+51 1 6255555\n"
        "EMAIL;TYPE=INTERNET:rq@mp.example\nADR;TYPE=WORK:;;Av. Abancay;Lima;;;Peru\n"
        "LANG:es-PE\nEND:VCARD\n"
    )
    (card,) = parse_vcf(text)
    assert card.contact.name == "Rosa Quispe"
    assert card.contact.country == "PE"
    assert card.contact.organisation == "Ministerio Público / Fiscalía"
    assert card.contact.phone == "+51 1 6255555"
    assert card.contact.languages == ["es"]


def _directory(vault: UnlockedVault, count: int) -> None:
    for number in range(count):
        add_contact(
            vault,
            ContactInput(name=f"Officer {number:03d}", country="PE" if number % 2 else "CO"),
        )


async def test_the_directory_pages_past_the_first_hundred(vault: UnlockedVault) -> None:
    from casecoord.tui.widgets.virtual_table import PAGE_SIZE

    _directory(vault, PAGE_SIZE + 30)
    every = list_contacts(vault, limit=10_000)
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        assert screen.table.row_count == len(every) == PAGE_SIZE + 30
        assert len(screen.contacts) == PAGE_SIZE  # one page read, not the directory
        await pilot.press("end")
        await settle(pilot)
        chosen = screen.selected()
        assert chosen is not None and chosen.handle == every[-1].handle
        assert screen.table.cell_texts(len(every) - 1)[0] == every[-1].name
        await pilot.press("pageup")
        await settle(pilot)
        assert screen.selected() is not None


async def test_typing_filters_the_directory(vault: UnlockedVault) -> None:
    _directory(vault, 12)
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        await pilot.press(*"Officer 01")
        await settle(pilot)
        assert screen.query_one("#contact-filter", Input).value == "Officer 01"
        assert [c.name for c in screen.contacts] == [f"Officer {n:03d}" for n in range(10, 12)]
        assert "2 contact(s)" in str(screen.query_one("#contact-count").render())


async def _type_into(pilot: Any, dialog: ContactFormDialog, key: str, text: str) -> None:
    """Focus the form field ``key`` and type ``text`` key by key, as the officer does."""
    dialog.query_one(f"#field-{key}", ValidatedField).focus_input()
    await pilot.pause()
    await pilot.press(*text)


async def test_family_and_given_names_typed_in_the_form_are_stored_and_shown(
    vault: UnlockedVault,
) -> None:
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ContactFormDialog)
        await _type_into(pilot, dialog, "name", "Ana Villamizar")
        await _type_into(pilot, dialog, "family_name", "Villamizar  Muñoz")
        await _type_into(pilot, dialog, "given_names", "Ana María")
        await _type_into(pilot, dialog, "country", "CO")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        stored = list_contacts(vault)
        assert [(c.name, c.family_name, c.given_names) for c in stored] == [
            ("Ana Villamizar", "Villamizar Muñoz", "Ana María")  # spaces folded, as the CLI
        ]
        assert "N:Villamizar Muñoz;Ana María;;;" in contacts_to_vcf(stored)
        detail = str(screen.query_one("#contact-detail").render())
        assert "family name Villamizar Muñoz · given names Ana María" in detail


async def test_a_family_name_too_long_is_refused_by_its_field_and_nothing_is_stored(
    vault: UnlockedVault,
) -> None:
    app = HostApp(vault, ContactsScreen)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ContactFormDialog)
        await _type_into(pilot, dialog, "name", "Ana")
        await _type_into(pilot, dialog, "family_name", "V" * 121)
        await _type_into(pilot, dialog, "country", "CO")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        field = dialog.query_one("#field-family_name", ValidatedField)
        assert field.message == "at most 120 characters"
        assert "\n" not in field.message
        assert dialog.query_one("#field-given_names", ValidatedField).message == ""
        assert list_contacts(vault) == []
