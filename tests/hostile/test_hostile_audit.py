"""The audit chain cannot be shortened, emptied or blanked unnoticed, and its details can be read.

Each tampering below went unnoticed by ``audit verify`` before the chain had an anchor: a hash
chain whose last entries (or all entries) are deleted is still a valid chain, and a NULL payload
passed as a retention purge. ``audit show SEQ`` reads back what ``--confirm-release`` recorded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from casecoord.cli import main as casecoord_main
from casecoord.services.audit_log import verify
from casecoord.services.cases import CaseInput, add_case, change_case_status
from casecoord.vault.backup import check_vault
from casecoord.vault.vault import UnlockedVault
from tests.conftest import PASSPHRASE


def fill(vault: UnlockedVault) -> None:
    add_case(vault, CaseInput(reference="NL-2026-0001", title="one", countries=["NL"]))
    add_case(vault, CaseInput(reference="NL-2026-0002", title="two", countries=["NL"]))
    change_case_status(vault, "NL-2026-0001", "active")


def tamper(vault: UnlockedVault, *sql: str) -> None:
    with vault.engine.begin() as connection:
        for statement in sql:
            connection.execute(text(statement))


def last_seq(vault: UnlockedVault) -> int:
    with vault.engine.connect() as connection:
        return int(connection.execute(text("SELECT max(seq) FROM audit_entry")).scalar_one())


@pytest.mark.parametrize(
    ("statements", "words"),
    [
        (["DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)"], "removed"),
        (["DELETE FROM audit_entry WHERE seq > 1"], "removed"),
        (["DELETE FROM audit_entry"], "every entry"),
        (["DELETE FROM audit_entry", "DELETE FROM audit_anchor"], "anchor is missing"),
        (["UPDATE audit_anchor SET seq = 1"], "without the vault key"),
        (["UPDATE audit_entry SET payload = NULL WHERE seq = 2"], "erased"),
    ],
)
def test_shortening_emptying_or_blanking_the_chain_is_reported(
    vault: UnlockedVault, statements: list[str], words: str
) -> None:
    fill(vault)
    assert verify(vault).ok
    tamper(vault, *statements)
    report = verify(vault)
    assert not report.ok
    assert words in (report.reason or ""), report.describe()
    assert not check_vault(vault).ok


def test_appending_after_an_intact_chain_keeps_it_verifiable(vault: UnlockedVault) -> None:
    fill(vault)
    seq = last_seq(vault)
    add_case(vault, CaseInput(reference="NL-2026-0003", title="three", countries=["NL"]))
    assert verify(vault).ok and last_seq(vault) == seq + 1


def test_audit_show_prints_one_entry_with_its_payload(
    vault: UnlockedVault, vault_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from casecoord.services.handling import confirm_release
    from casecoord.services.requests import RequestInput, add_request

    fill(vault)
    add_request(
        vault,
        RequestInput(
            reference="NL-MLA-2026-0001",
            case_ref="NL-2026-0001",
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
            tlp="RED",
        ),
    )
    confirm_release(vault, "NL-MLA-2026-0001", "approved by the duty prosecutor, file 12/345")
    seq = last_seq(vault)
    vault.close()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    common = ["--vault", str(vault_dir), "--passphrase-file", str(secret)]
    assert casecoord_main(["audit", "show", str(seq), *common]) == 0
    out = capsys.readouterr().out
    assert "approved by the duty prosecutor, file 12/345" in out
    assert casecoord_main(["audit", "show", str(seq), "--json", *common]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["seq"] == seq and "approved by the duty prosecutor" in json.dumps(shown)
    assert casecoord_main(["audit", "show", "999999", *common]) == 1
    assert "no entry 999999" in capsys.readouterr().err
    assert casecoord_main(["audit", "show", str(10**20), *common]) == 1


def fill_rows(vault: UnlockedVault) -> None:
    """A case with a person, a request and a deadline, each written through its service."""
    from casecoord.services.cases import PersonInput, add_person
    from casecoord.services.deadlines import add_deadline
    from casecoord.services.requests import RequestInput, add_request, update_request

    fill(vault)
    add_person(vault, "NL-2026-0001", PersonInput(family_name="Jansen", given_names="Piet"))
    add_request(
        vault,
        RequestInput(
            reference="NL-MLA-2026-0001",
            case_ref="NL-2026-0001",
            kind="mla",
            direction="outgoing",
            requesting_state="NL",
            requested_state="CO",
        ),
    )
    update_request(vault, "NL-MLA-2026-0001", {"facts": "the facts as sent"})
    add_deadline(vault, "NL-2026-0001", "call the prosecutor", "2026-07-01T09:00")


def run_check(
    vault_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    code = casecoord_main(["check", "--vault", str(vault_dir), "--passphrase-file", str(secret)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_clean_vault_reports_no_edited_row(
    vault: UnlockedVault, vault_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_rows(vault)
    report = check_vault(vault)
    assert report.ok and report.rows is not None, report.describe()
    assert report.rows.edited == () and report.rows.checked >= 5, report.describe()
    vault.close()
    code, out = run_check(vault_dir, tmp_path, capsys)
    assert code == 0, out
    assert "edited outside casecoord" not in out and "match their last audit entry" in out


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        (
            "UPDATE case_file SET title = 'forged' WHERE reference = 'NL-2026-0001'",
            "case NL-2026-0001",
        ),
        (
            "UPDATE case_file SET tlp = 'CLEAR' WHERE reference = 'NL-2026-0002'",
            "case NL-2026-0002",
        ),
        ("UPDATE request SET requested_state = 'VE'", "request NL-MLA-2026-0001"),
        ("UPDATE person SET family_name = 'Someone else'", "person "),
        ("UPDATE deadline SET due_at = '2030-01-01 00:00:00.000000'", "deadline "),
    ],
)
def test_a_row_edited_behind_the_services_is_named_by_check(
    vault: UnlockedVault,
    vault_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    statement: str,
    named: str,
) -> None:
    """Before: a direct edit of a row left no trace at all; ``check`` said everything was fine."""
    fill_rows(vault)
    assert check_vault(vault).ok
    tamper(vault, statement)
    assert verify(vault).ok  # the chain itself is untouched: only the row comparison can see it
    report = check_vault(vault)
    assert not report.ok and report.rows is not None
    assert len(report.rows.edited) == 1 and report.rows.edited[0].startswith(named)
    vault.close()
    code, out = run_check(vault_dir, tmp_path, capsys)
    assert code == 1
    assert "1 edited outside casecoord: " + named in out


def test_rows_whose_entries_carry_no_digest_are_not_covered_not_broken(
    vault: UnlockedVault,
) -> None:
    """Entries written before row digests existed: the row is counted, never reported edited."""

    from casecoord.vault import audit

    fill_rows(vault)
    # strip the digest from the case's last entry the way an old vault wrote it: payload,
    # payload digest and every hash from there on, and the anchor, recomputed with the vault key
    with vault.session() as session:
        entries = list(audit._iter_entries(session))
        prev = audit.GENESIS
        for entry in entries:
            body = dict(entry.payload or {})
            if entry.entity == "case":
                body.pop(audit.ROW_DIGEST_KEY, None)
            entry.payload = body
            entry.payload_digest = audit.payload_digest(body)
            entry.prev_hash = prev
            entry.entry_hash = audit.link_hash(
                prev,
                entry.seq,
                entry.at,
                entry.actor,
                entry.action,
                entry.entity,
                entry.entity_ref,
                entry.case_ref,
                entry.payload_digest,
            )
            prev = entry.entry_hash
            session.add(entry)
        session.flush()
        audit._write_anchor(session, entries[-1].seq, prev)
        session.commit()
    tamper(vault, "UPDATE case_file SET title = 'edited' WHERE reference = 'NL-2026-0002'")
    report = check_vault(vault)
    assert report.ok, report.describe()
    assert report.rows is not None and report.rows.not_covered == 2 and report.rows.edited == ()


def test_the_demo_built_through_the_services_has_every_row_covered_and_none_edited(
    demo_vault_dir: Path,
) -> None:
    """Every service path the demo drives (cases, persons, requests and their statuses, legal
    events, deadlines closed by a final status, backdated case history) records the row it
    leaves, so a clean vault reports nothing and has nothing uncovered."""
    from casecoord.vault.vault import open_vault

    with open_vault(demo_vault_dir, PASSPHRASE) as vault:
        report = check_vault(vault)
        assert report.ok, report.describe()
        assert report.rows is not None and report.rows.checked > 200
        assert report.rows.not_covered == 0 and report.rows.edited == ()
        tamper(vault, "UPDATE request SET facts = 'rewritten' WHERE id = 1")
        edited = check_vault(vault).rows
        assert edited is not None and len(edited.edited) == 1
        assert edited.edited[0].startswith("request ")
