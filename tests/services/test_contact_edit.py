"""Editing a directory entry: validated as on entry, journaled field by field, never undoing
a change someone else made since the form was opened. Runs on the vault and the team store."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from casecoord.domain.errors import ConflictError, NotFoundError, ValidationError
from casecoord.domain.models import AuditEntry
from casecoord.services.contacts import (
    ContactInput,
    add_contact,
    contact_input,
    get_contact,
    update_contact,
)
from casecoord.store import Store

ANA = ContactInput(
    name="Ana Villamizar",
    country="CO",
    organisation="Fiscalía General de la Nación",
    languages=["es"],
    email="ana@example.org",
    phone="+57 601 555 0101",
)


def _journal(vault: Store, action: str) -> list[AuditEntry]:
    with vault.session() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_an_edit_changes_the_fields_given_and_journals_each_old_and_new_value(
    vault: Store,
) -> None:
    before = add_contact(vault, ANA)
    wanted = replace(contact_input(before), email="ana.v@example.org", role="prosecutor")
    after = update_contact(vault, before.handle, wanted, expected=before)
    assert after.email == "ana.v@example.org"
    assert after.role == "prosecutor"
    assert get_contact(vault, before.handle).email == "ana.v@example.org"
    (entry,) = _journal(vault, "contact.update")
    assert entry.payload == {
        "email": {"from": "ana@example.org", "to": "ana.v@example.org"},
        "role": {"from": "", "to": "prosecutor"},
    }


def test_an_edit_is_validated_as_an_entry_is_and_a_refusal_changes_nothing(
    vault: Store,
) -> None:
    before = add_contact(vault, ANA)
    with pytest.raises(ValidationError) as refused:
        update_contact(vault, before.handle, replace(contact_input(before), phone="12"))
    assert refused.value.field == "phone"
    with pytest.raises(ValidationError):
        update_contact(vault, before.handle, replace(contact_input(before), country="XX"))
    assert get_contact(vault, before.handle).phone == before.phone
    assert _journal(vault, "contact.update") == []


def test_a_new_country_without_a_zone_takes_that_country_s_main_zone(vault: Store) -> None:
    before = add_contact(vault, ANA)
    assert before.time_zone == "America/Bogota"
    moved = update_contact(
        vault,
        before.handle,
        replace(contact_input(before), country="PE", time_zone=None, phone=None),
    )
    assert (moved.country, moved.time_zone, moved.phone) == ("PE", "America/Lima", None)


def test_the_handle_and_the_pinned_certificate_stay(vault: Store) -> None:
    before = add_contact(vault, ANA)
    after = update_contact(
        vault, before.handle, replace(contact_input(before), handle="someone-else", name="Ana V.")
    )
    assert after.handle == before.handle
    assert after.name == "Ana V."
    with pytest.raises(NotFoundError):
        get_contact(vault, "someone-else")


def test_an_edit_made_since_the_form_opened_is_not_undone(vault: Store) -> None:
    opened = add_contact(vault, ANA)
    # someone else changes the phone after the form was opened
    update_contact(vault, opened.handle, replace(contact_input(opened), phone="+57 601 555 0199"))
    with pytest.raises(ConflictError, match="phone"):
        update_contact(
            vault,
            opened.handle,
            replace(contact_input(opened), email="mine@example.org"),
            expected=opened,
        )
    stored = get_contact(vault, opened.handle)
    assert stored.phone == "+576015550199"
    assert stored.email == "ana@example.org"


def test_an_unchanged_save_writes_no_journal_entry(vault: Store) -> None:
    before = add_contact(vault, ANA)
    update_contact(vault, before.handle, contact_input(before), expected=before)
    assert _journal(vault, "contact.update") == []


def test_an_unknown_handle_is_refused(vault: Store) -> None:
    with pytest.raises(NotFoundError):
        update_contact(vault, "nobody", ANA)
