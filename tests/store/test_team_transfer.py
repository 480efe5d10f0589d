"""Moving cases between a laptop vault and the team store: everything that hangs off a case
travels, the vault's audit chain arrives as a verifiable segment, and a colliding reference
refuses the whole move."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from casecoord.domain.errors import DuplicateError, NotFoundError
from casecoord.services.attachments import add_attachment_stream, list_attachments, open_chunks
from casecoord.services.audit_log import list_entries, verify
from casecoord.services.cases import (
    CaseInput,
    PersonInput,
    add_case,
    add_note,
    add_person,
    get_case,
)
from casecoord.services.contacts import ContactInput, add_contact
from casecoord.services.deadlines import DeadlineQuery, add_deadline, list_deadlines
from casecoord.services.requests import RequestInput, add_request, get_request, link_persons
from casecoord.services.transfer import export_cases, import_vault, verify_segment
from casecoord.store import Store
from casecoord.store.postgres import TeamStore
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault
from tests.conftest import PASSPHRASE

EVIDENCE = bytes(range(256)) * 9000  # a little over two 1 MiB chunks


def _fill(store: Store, ref: str) -> None:
    add_case(store, CaseInput(reference=ref, title="Harbour ledger", countries=["NL", "CO"]))
    person = add_person(store, ref, PersonInput(family_name="Quiñones", given_names="María"))
    add_note(store, ref, "Met the fiscal about the ledger photos")
    handle = f"fiscalia-{ref.lower()}"
    add_contact(store, ContactInput(name="Fiscal Ruiz", country="CO", handle=handle))
    base = dict(kind="mla", direction="outgoing", requesting_state="NL", requested_state="CO")
    add_request(
        store,
        RequestInput(
            reference=f"{ref}-R1", case_ref=ref, facts="ledger", counterpart=handle, **base
        ),
    )  # type: ignore[arg-type]
    add_request(
        store,
        RequestInput(
            reference=f"{ref}-R2",
            case_ref=ref,
            parent_ref=f"{ref}-R1",
            relation="supplementary",
            **base,
        ),  # type: ignore[arg-type]
    )
    assert person.id is not None
    link_persons(store, f"{ref}-R1", [person.id])
    add_deadline(store, ref, "Chase the reply", datetime.now(UTC) + timedelta(days=14), f"{ref}-R1")
    add_attachment_stream(store, ref, io.BytesIO(EVIDENCE), "ledger.bin", request_ref=f"{ref}-R1")


def _check(store: Store, ref: str) -> None:
    detail = get_case(store, ref)
    assert [p.family_name for p in detail.persons] == ["Quiñones"]
    assert [n.body for n in detail.notes] == ["Met the fiscal about the ledger photos"]
    first = get_request(store, f"{ref}-R1")
    assert first.counterpart is not None and first.counterpart.name == "Fiscal Ruiz"
    assert [p.family_name for p in first.persons] == ["Quiñones"]
    assert [c.reference for c in first.children] == [f"{ref}-R2"]
    assert get_request(store, f"{ref}-R2").parent_ref == f"{ref}-R1"
    manual = [d for d in list_deadlines(store, DeadlineQuery(case_ref=ref)) if d.origin == "manual"]
    assert [(d.title, d.request_ref) for d in manual] == [("Chase the reply", f"{ref}-R1")]
    (info,) = list_attachments(store, ref)
    with open_chunks(store, info.id) as chunks:
        assert b"".join(chunks) == EVIDENCE
    assert info.request_ref == f"{ref}-R1"


@pytest.fixture
def laptop(tmp_path: object) -> UnlockedVault:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    vault, _ = create_vault(tmp_path / "laptop", PASSPHRASE, FAST_TEST_PARAMS)
    return vault


def test_a_vault_comes_into_the_team_store_whole(
    laptop: UnlockedVault, team_store: TeamStore
) -> None:
    _fill(laptop, "NL-V-1")
    report = import_vault(laptop, team_store, laptop.keyfile.vault_id)
    assert report.cases == ["NL-V-1"] and report.counts["requests"] == 2
    _check(team_store, "NL-V-1")
    segment = verify_segment(team_store, laptop.keyfile.vault_id)
    assert segment.ok and segment.entries == len(list_entries(laptop, limit=10_000))
    assert verify(team_store).ok
    with pytest.raises(DuplicateError, match="imported before"):
        import_vault(laptop, team_store, laptop.keyfile.vault_id)
    laptop.close()


def test_a_colliding_reference_refuses_the_whole_import(
    laptop: UnlockedVault, team_store: TeamStore
) -> None:
    _fill(laptop, "NL-V-2")
    add_case(laptop, CaseInput(reference="NL-V-3", title="Second", countries=["NL"]))
    add_case(team_store, CaseInput(reference="NL-V-3", title="Already here", countries=["NL"]))
    with pytest.raises(DuplicateError, match="NL-V-3"):
        import_vault(laptop, team_store, laptop.keyfile.vault_id)
    with pytest.raises(NotFoundError):
        get_case(team_store, "NL-V-2")
    assert get_case(team_store, "NL-V-3").case.title == "Already here"
    laptop.close()


def test_an_edited_imported_segment_is_detected(
    laptop: UnlockedVault, team_store: TeamStore, admin_store: TeamStore
) -> None:
    _fill(laptop, "NL-V-4")
    import_vault(laptop, team_store, laptop.keyfile.vault_id)
    with admin_store.engine.begin() as connection:
        connection.execute(text("UPDATE imported_audit SET actor = 'nobody' WHERE seq = 3"))
    report = verify_segment(team_store, laptop.keyfile.vault_id)
    assert report.broken_at == 3
    laptop.close()


def test_chosen_cases_go_out_to_a_new_laptop_vault(
    officer_store: Callable[[str], TeamStore], laptop: UnlockedVault
) -> None:
    ada = officer_store("ada")
    _fill(ada, "NL-T-5")
    add_case(ada, CaseInput(reference="NL-T-6", title="Stays home", countries=["NL"]))
    bo = officer_store("bo")
    with pytest.raises(NotFoundError):  # she can only take what she may see
        export_cases(bo, laptop, ["NL-T-5"], "team")
    report = export_cases(ada, laptop, ["NL-T-5"], ada.label)
    assert report.cases == ["NL-T-5"]
    _check(laptop, "NL-T-5")
    with pytest.raises(NotFoundError):
        get_case(laptop, "NL-T-6")
    assert verify(laptop).ok
    assert any(e.action == "team.export" for e in list_entries(ada, limit=50))
    laptop.close()


def _add_authority(store: Store, country: str, name: str, email: str) -> None:
    from casecoord.domain.authority import Authority

    with store.transaction() as session:
        session.add(Authority(country=country, name=name, email=email, source="test"))


def test_the_officers_settings_and_the_directory_come_in_and_the_team_keeps_its_own(
    officer_store: Callable[[str], TeamStore], laptop: UnlockedVault, admin_store: TeamStore
) -> None:
    from casecoord.domain.errors import ValidationError
    from casecoord.services.authorities import list_authorities
    from casecoord.services.settings import get_setting, set_setting

    ada, bo = officer_store("ada"), officer_store("bo")
    set_setting(ada, "officer.time_zone", "Europe/Madrid")  # set in the team store already
    set_setting(admin_store, "retention.default_years", "6")  # the team's rule
    for key, value in {
        "officer.name": "Ada Laptop",
        "officer.time_zone": "America/Bogota",
        "ui.theme": "textual-light",
        "retention.default_years": "7",
    }.items():
        set_setting(laptop, key, value)
    _add_authority(laptop, "CO", "Fiscalía Seccional de Cali", "cali@example.org")
    add_case(laptop, CaseInput(reference="NL-V-8", title="Settings travel", countries=["NL"]))

    report = import_vault(laptop, ada, laptop.keyfile.vault_id)
    assert report.counts["settings"] == 2 and report.counts["authorities"] == 1
    assert report.counts["settings kept as in the team store"] == 1
    assert get_setting(ada, "officer.name") == "Ada Laptop"
    assert get_setting(ada, "ui.theme") == "textual-light"
    assert get_setting(ada, "officer.time_zone") == "Europe/Madrid"  # hers in the team stays
    assert get_setting(ada, "retention.default_years") == "6"  # the team's, not the laptop's
    assert "Fiscalía Seccional de Cali" in {a.name for a in list_authorities(bo, "CO")}

    # each officer's settings are her own, whatever SQL she writes; the team's are everyone's
    assert get_setting(bo, "officer.name") == "" and get_setting(bo, "ui.theme") == "textual-dark"
    assert get_setting(bo, "retention.default_years") == "6"
    with bo.session() as session:
        seen = session.connection().execute(text("SELECT owner, key FROM setting")).all()
    assert {owner for owner, _ in seen} <= {"bo", ""}
    with pytest.raises(ValidationError, match="the team's setting"):
        set_setting(bo, "retention.default_years", "1")
    set_setting(bo, "officer.name", "Bo")
    assert get_setting(ada, "officer.name") == "Ada Laptop"
    laptop.close()


def test_an_export_gives_the_laptop_her_settings_the_teams_rule_and_the_directory(
    officer_store: Callable[[str], TeamStore], laptop: UnlockedVault, admin_store: TeamStore
) -> None:
    from casecoord.domain.authority import Authority
    from casecoord.services.authorities import list_authorities
    from casecoord.services.settings import get_setting, set_setting

    ada = officer_store("ada")
    set_setting(ada, "officer.name", "Ada Team")
    set_setting(ada, "officer.time_zone", "America/Bogota")
    set_setting(officer_store("bo"), "officer.name", "Bo")  # not hers: stays home
    set_setting(admin_store, "retention.default_years", "6")
    _add_authority(ada, "CO", "Fiscalía Seccional de Cali", "cali@example.org")
    with ada.transaction() as session:  # the office corrected a shipped entry
        seed = session.exec(select_first_authority()).first()
        assert seed is not None
        seed.email, corrected = "corrected@example.org", (seed.country, seed.name)
        session.add(seed)
    add_case(ada, CaseInput(reference="NL-T-9", title="Mission", countries=["NL"]))

    report = export_cases(ada, laptop, ["NL-T-9"], ada.label)
    assert report.counts["settings"] == 3
    assert get_setting(laptop, "officer.name") == "Ada Team"
    assert get_setting(laptop, "officer.time_zone") == "America/Bogota"
    assert get_setting(laptop, "retention.default_years") == "6"
    assert report.counts["authorities"] == 1 and report.counts["authorities corrected"] == 1
    names = {a.name: a for a in list_authorities(laptop, "CO")}
    assert names["Fiscalía Seccional de Cali"].email == "cali@example.org"
    laptop_seed = [a for a in list_authorities(laptop, corrected[0]) if a.name == corrected[1]]
    assert [a.email for a in laptop_seed] == ["corrected@example.org"]
    assert isinstance(laptop_seed[0], Authority)
    assert verify(laptop).ok
    laptop.close()


def select_first_authority() -> object:
    from sqlmodel import col, select

    from casecoord.domain.authority import Authority

    return select(Authority).order_by(col(Authority.id)).limit(1)
