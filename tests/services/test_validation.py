"""Bad input is refused with a message that says what is wrong, and nothing is stored."""

from __future__ import annotations

import re

import pytest

from casecoord.domain.errors import DuplicateError, ValidationError
from casecoord.domain.values import (
    aware_datetime,
    country_code,
    date_range,
    iso_date,
    phone_e164,
    time_zone,
)
from casecoord.services.cases import (
    CaseInput,
    PersonInput,
    add_case,
    add_person,
    list_cases,
    update_case,
)
from casecoord.services.contacts import ContactInput, add_contact, list_contacts
from casecoord.services.deadlines import add_deadline
from casecoord.vault.vault import UnlockedVault


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: country_code("ZZ"), "not an ISO 3166-1 alpha-2"),
        (lambda: country_code("COL"), "did you mean CO"),
        (lambda: iso_date("2026-02-30", "start"), "write it as YYYY-MM-DD"),
        (
            lambda: date_range(iso_date("2026-03-01", "a"), iso_date("2026-02-01", "b")),
            "before it starts",
        ),
        (lambda: phone_e164("+57 12"), "not a valid phone number"),
        (lambda: phone_e164("call me"), "international form"),
        (lambda: time_zone("Mars/Olympus"), "IANA time zone"),
        (lambda: aware_datetime("tomorrow-ish", "due"), "YYYY-MM-DD HH:MM"),
    ],
)
def test_values_are_refused_with_what_is_wrong(call: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        call()  # type: ignore[operator]


def test_phone_is_normalised_to_e164() -> None:
    assert phone_e164("+57 601 5550101") == "+576015550101"
    assert phone_e164("070 555 0101", region="NL") == "+31705550101"


def test_local_time_is_read_in_the_officers_zone() -> None:
    moment = aware_datetime("2026-12-01 17:00", "due", "America/Bogota")
    assert moment.isoformat() == "2026-12-01T22:00:00+00:00"


def test_unknown_country_changes_nothing(vault: UnlockedVault) -> None:
    with pytest.raises(ValidationError, match="countries: 'XX'"):
        add_case(vault, CaseInput(reference="NL-V-1", title="t", countries=["NL", "XX"]))
    assert list_cases(vault)[0] == 0


def test_duplicate_reference_is_refused(vault: UnlockedVault) -> None:
    add_case(vault, CaseInput(reference="NL-V-2", title="t", countries=["NL"]))
    with pytest.raises(DuplicateError, match="already exists"):
        add_case(vault, CaseInput(reference="NL-V-2", title="other", countries=["NL"]))


def test_future_birth_date_and_bad_grading_are_refused(vault: UnlockedVault) -> None:
    add_case(vault, CaseInput(reference="NL-V-3", title="t", countries=["NL"]))
    with pytest.raises(ValidationError, match="in the future"):
        add_person(vault, "NL-V-3", PersonInput(family_name="Gómez", birth_date="2999-01-01"))
    with pytest.raises(ValidationError, match="grading"):
        update_case(vault, "NL-V-3", {"source_grading": "Z9"})


def test_bad_phone_on_contact_changes_nothing(vault: UnlockedVault) -> None:
    with pytest.raises(ValidationError, match="phone"):
        add_contact(vault, ContactInput(name="Ana", country="CO", phone="+57 1"))
    assert list_contacts(vault) == []


def test_contact_search_ignores_case_and_wildcards_on_both_backends(vault: UnlockedVault) -> None:
    add_contact(vault, ContactInput(name="Ana Ruiz", country="CO", organisation="Fiscalía"))
    add_contact(
        vault, ContactInput(name="Bram de Vries", country="NL", organisation="OM_Rotterdam")
    )
    assert [c.name for c in list_contacts(vault, "RUIZ")] == ["Ana Ruiz"]
    assert [c.name for c in list_contacts(vault, "om_rott")] == ["Bram de Vries"]
    assert [c.name for c in list_contacts(vault, "co")] == ["Ana Ruiz"]  # the country, any case
    assert list_contacts(vault, "%") == []  # a wildcard typed is a character, matched literally


def test_invalid_due_date_is_refused(vault: UnlockedVault) -> None:
    add_case(vault, CaseInput(reference="NL-V-4", title="t", countries=["NL"]))
    with pytest.raises(ValidationError, match="due"):
        add_deadline(vault, "NL-V-4", "chase", "2026-13-45")


def test_edit_records_old_and_new_values(vault: UnlockedVault) -> None:
    from casecoord.services.audit_log import list_entries

    add_case(vault, CaseInput(reference="NL-V-5", title="before", countries=["NL"]))
    update_case(vault, "NL-V-5", {"title": "after", "countries": ["NL", "co"]})
    entry = list_entries(vault, case_ref="NL-V-5")[0]
    assert entry.action == "case.update"
    payload = dict(entry.payload or {})
    # A local vault's entry also carries the digest of the row as it was left, which `check`
    # compares the row with; the team store's server keeps its own chain and records none.
    digest = payload.pop("row_sha256", None)
    if isinstance(vault, UnlockedVault):
        assert re.fullmatch(r"[0-9a-f]{64}", str(digest))
    else:
        assert digest is None
    assert payload == {
        "title": {"from": "before", "to": "after"},
        "countries": {"from": ["NL"], "to": ["CO", "NL"]},
    }
