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
