"""Every value an officer can type reaches validation and comes back as a CasecoordError or a
success — never another exception (which the CLI would report as "unexpected", exit 70, and the
TUI as a crash dialog). Hypothesis drives the service functions directly: fast, and the same code
the CLI and the TUI call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecoord.domain.errors import CasecoordError
from casecoord.services import cases, contacts, deadlines, requests, search
from casecoord.services import settings as prefs
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.passphrase import check_passphrase, normalise_recovery_key
from casecoord.vault.vault import UnlockedVault, change_passphrase, create_vault, recover_with_key
from tests.conftest import PASSPHRASE
from tests.hostile.conftest import fresh_reference, hostile_text, or_valid

FUZZ = settings(
    max_examples=100,
    deadline=None,
    # one vault for the module: the function-scoped autouse fixture only sets env variables
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def fuzz_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UnlockedVault]:
    """A vault with one case, one request and one deadline for the fuzzers to aim at."""
    root = tmp_path_factory.mktemp("fuzz") / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    cases.add_case(
        vault, cases.CaseInput(reference="NL-2026-0001", title="target", countries=["NL"])
    )
    requests.add_request(
        vault,
        requests.RequestInput(
            reference="NL-MLA-0001",
            case_ref="NL-2026-0001",
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    )
    deadlines.add_deadline(vault, "NL-2026-0001", "follow up", "2030-01-01")
    try:
        yield vault
    finally:
        vault.close()


def accepts_or_refuses(action: Callable[[], Any]) -> None:
    """The contract under test: success, or one of our own errors with a message."""
    try:
        action()
    except CasecoordError as exc:
        assert str(exc).strip(), "a refusal must say why"


@FUZZ
@given(
    ref=st.one_of(fresh_reference, hostile_text),
    title=or_valid("Op. Reefer"),
    country=or_valid("NL", "co"),
    offence=or_valid("illicit-trafficking-narcotic-drugs"),
    grading=or_valid("B2", ""),
    retention=or_valid("2036-01-01", ""),
    tlp=or_valid("RED"),
)
def test_opening_a_case_with_any_fields(
    fuzz_vault: UnlockedVault,
    ref: str,
    title: str,
    country: str,
    offence: str,
    grading: str,
    retention: str,
    tlp: str,
) -> None:
    data = cases.CaseInput(
        reference=ref,
        title=title,
        countries=[country],
        offences=[offence],
        source_grading=grading,
        retention_until=retention,
        tlp=tlp,
    )
    accepts_or_refuses(lambda: cases.add_case(fuzz_vault, data))


@FUZZ
@given(
    family=or_valid("Quiñones"),
    born=or_valid("1980-02-29", ""),
    nationality=or_valid("CO"),
    role=or_valid("suspect", "witness"),
)
def test_adding_a_person_with_any_fields(
    fuzz_vault: UnlockedVault, family: str, born: str, nationality: str, role: str
) -> None:
    data = cases.PersonInput(
        family_name=family, birth_date=born, nationality=nationality or None, role=role
    )
    accepts_or_refuses(lambda: cases.add_person(fuzz_vault, "NL-2026-0001", data))


@FUZZ
@given(
    name=or_valid("Fiscal Ramírez"),
    country=or_valid("EC", "co"),
    zone=or_valid("America/Guayaquil", ""),
    phone=or_valid("+593 4 259 4000", ""),
    email=or_valid("a@b.example", ""),
    language=or_valid("es"),
    handle=or_valid(""),
)
def test_adding_a_contact_with_any_fields(
    fuzz_vault: UnlockedVault,
    name: str,
    country: str,
    zone: str,
    phone: str,
    email: str,
    language: str,
    handle: str,
) -> None:
    data = contacts.ContactInput(
        name=name,
        country=country,
        time_zone=zone or None,
        phone=phone,
        email=email,
        languages=[language],
        handle=handle or None,
    )
    accepts_or_refuses(lambda: contacts.add_contact(fuzz_vault, data))


@FUZZ
@given(
    ref=st.one_of(fresh_reference, hostile_text),
    kind=or_valid("mla", "eaw", "extradition"),
    frm=or_valid("NL"),
    to=or_valid("CO", "BE"),
    facts=hostile_text,
    language=or_valid(""),
    basis=or_valid(""),
    status=or_valid("ready", "sent", "withdrawn"),
)
def test_requests_with_any_fields_and_status_moves(
    fuzz_vault: UnlockedVault,
    ref: str,
    kind: str,
    frm: str,
    to: str,
    facts: str,
    language: str,
    basis: str,
    status: str,
) -> None:
    data = requests.RequestInput(
        reference=ref,
        case_ref="NL-2026-0001",
        kind=kind,
        direction="outgoing",
        requesting_state=frm,
        requested_state=to,
        facts=facts,
        language=language or None,
        basis_instrument_id=basis or None,
    )
    accepts_or_refuses(lambda: requests.add_request(fuzz_vault, data))
    accepts_or_refuses(lambda: requests.change_request_status(fuzz_vault, "NL-MLA-0001", status))


@FUZZ
@given(
    due=or_valid("2030-02-01", "2030-02-01 17:00"),
    title=or_valid("chase"),
    within=or_valid("14d"),
    event=or_valid("arrest", "receipt"),
    at=or_valid("2026-01-05 10:00", ""),
    key=or_valid("1"),
)
def test_deadlines_and_events_with_any_dates(
    fuzz_vault: UnlockedVault, due: str, title: str, within: str, event: str, at: str, key: str
) -> None:
    accepts_or_refuses(lambda: deadlines.add_deadline(fuzz_vault, "NL-2026-0001", title, due))
    accepts_or_refuses(lambda: deadlines.parse_within(within))
    accepts_or_refuses(lambda: deadlines.record_event(fuzz_vault, "NL-MLA-0001", event, at or None))
    accepts_or_refuses(lambda: deadlines.extend_deadline(fuzz_vault, key, due, title))
    accepts_or_refuses(lambda: deadlines.set_deadline_state(fuzz_vault, key, event))


# NUL is left out here and pinned by the xfail test below, so the rest keeps being fuzzed
no_nul = hostile_text.map(lambda s: s.replace("\x00", ""))


@FUZZ
@given(text=no_nul, status=st.one_of(st.none(), no_nul), sort=hostile_text, words=hostile_text)
def test_filters_and_full_text_search_with_any_text(
    fuzz_vault: UnlockedVault, text: str, status: str | None, sort: str, words: str
) -> None:
    query = cases.CaseQuery(text=text, status=status, sort=sort)
    accepts_or_refuses(lambda: cases.list_cases(fuzz_vault, query))
    accepts_or_refuses(lambda: cases.list_cases(fuzz_vault, cases.CaseQuery(text=text)))
    accepts_or_refuses(lambda: search.search(fuzz_vault, words))
    accepts_or_refuses(lambda: contacts.list_contacts(fuzz_vault, text))


def test_a_nul_in_the_case_filter_is_refused_or_ignored(fuzz_vault: UnlockedVault) -> None:
    accepts_or_refuses(lambda: cases.list_cases(fuzz_vault, cases.CaseQuery(text="00\x00")))


@FUZZ
@given(key=st.one_of(hostile_text, st.sampled_from(sorted(prefs.DEFAULTS))), value=hostile_text)
def test_settings_with_any_key_and_value(fuzz_vault: UnlockedVault, key: str, value: str) -> None:
    accepts_or_refuses(lambda: prefs.set_setting(fuzz_vault, key, value))
    accepts_or_refuses(lambda: deadlines.officer_zone(fuzz_vault))  # a stored zone must still read


@settings(max_examples=200, deadline=None)
@given(secret=hostile_text)
def test_passphrase_rules_and_recovery_key_spelling(secret: str) -> None:
    accepts_or_refuses(lambda: check_passphrase(secret))
    accepts_or_refuses(lambda: normalise_recovery_key(secret))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(old=hostile_text, new=hostile_text, recovery=hostile_text)
def test_changing_the_passphrase_or_recovering_with_any_secret(
    tmp_path_factory: pytest.TempPathFactory, old: str, new: str, recovery: str
) -> None:
    root: Path = tmp_path_factory.mktemp("secrets") / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    vault.close()
    accepts_or_refuses(lambda: change_passphrase(root, old, new, FAST_TEST_PARAMS))
    accepts_or_refuses(lambda: recover_with_key(root, recovery, new, FAST_TEST_PARAMS).close())
