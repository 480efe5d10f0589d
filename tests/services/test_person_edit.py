"""Editing a person on a case: validated as on entry, journaled under the case, never undoing a
change made since the form was opened, never reaching a person of another case."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from casecoord.domain.errors import ConflictError, NotFoundError, ValidationError
from casecoord.domain.models import AuditEntry
from casecoord.services.cases import (
    CaseInput,
    PersonInput,
    add_case,
    add_person,
    get_case,
    get_person,
    person_input,
    update_person,
)
from casecoord.store import Store

CASE = "NL-2026-0042"
OTHER = "NL-2026-0043"
RESTREPO = PersonInput(
    family_name="Restrepo",
    given_names="Iván",
    aliases=["El Flaco"],
    nationality="CO",
    whereabouts="Medellín",
)


@pytest.fixture
def cases(vault: Store) -> Store:
    for ref in (CASE, OTHER):
        add_case(vault, CaseInput(reference=ref, title="Op. Harbour", countries=["NL", "CO"]))
    return vault


def test_new_whereabouts_and_an_alias_are_stored_and_journaled_under_the_case(
    cases: Store,
) -> None:
    before = add_person(cases, CASE, RESTREPO)
    assert before.id is not None
    touched = get_case(cases, CASE).case.updated_at
    wanted = replace(person_input(before), whereabouts="Cartagena", aliases=["El Flaco", "Juan R."])
    after = update_person(cases, CASE, before.id, wanted, expected=before)
    assert (after.whereabouts, after.aliases) == ("Cartagena", ["El Flaco", "Juan R."])
    assert get_person(cases, CASE, before.id).whereabouts == "Cartagena"
    assert get_case(cases, CASE).case.updated_at >= touched
    with cases.session() as session:
        (entry,) = session.exec(
            select(AuditEntry).where(AuditEntry.action == "person.update")
        ).all()
    assert entry.case_ref == CASE
    assert entry.payload is not None
    # the team store adds the row's digest to each entry; the fields are what is pinned here
    assert {k: v for k, v in entry.payload.items() if k != "row_sha256"} == {
        "aliases": {"from": ["El Flaco"], "to": ["El Flaco", "Juan R."]},
        "whereabouts": {"from": "Medellín", "to": "Cartagena"},
    }


def test_a_refused_value_changes_nothing(cases: Store) -> None:
    before = add_person(cases, CASE, RESTREPO)
    assert before.id is not None
    with pytest.raises(ValidationError) as refused:
        update_person(
            cases, CASE, before.id, replace(person_input(before), birth_date="2999-01-01")
        )
    assert refused.value.field == "birth date"
    with pytest.raises(ValidationError):
        update_person(cases, CASE, before.id, replace(person_input(before), nationality="XX"))
    assert get_person(cases, CASE, before.id) == before


def test_a_person_of_another_case_is_not_reached(cases: Store) -> None:
    person = add_person(cases, OTHER, RESTREPO)
    assert person.id is not None
    with pytest.raises(NotFoundError, match=f"no person {person.id} on case {CASE}"):
        update_person(cases, CASE, person.id, replace(RESTREPO, whereabouts="Lima"))
    assert get_person(cases, OTHER, person.id).whereabouts == "Medellín"


def test_a_change_made_since_the_form_opened_is_not_undone(cases: Store) -> None:
    opened = add_person(cases, CASE, RESTREPO)
    assert opened.id is not None
    update_person(cases, CASE, opened.id, replace(person_input(opened), whereabouts="Quito"))
    with pytest.raises(ConflictError, match="whereabouts"):
        update_person(
            cases,
            CASE,
            opened.id,
            replace(person_input(opened), given_names="Iván Darío"),
            expected=opened,
        )
    stored = get_person(cases, CASE, opened.id)
    assert (stored.whereabouts, stored.given_names) == ("Quito", "Iván")
