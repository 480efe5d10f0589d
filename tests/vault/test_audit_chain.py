"""Editing, deleting or reordering an audit row is detected and named."""

from __future__ import annotations

from sqlalchemy import text

from casecoord.services.audit_log import verify
from casecoord.services.cases import CaseInput, add_case, change_case_status
from casecoord.vault.vault import UnlockedVault


def fill(vault: UnlockedVault) -> None:
    for i in range(5):
        add_case(vault, CaseInput(reference=f"NL-A-{i}", title=f"case {i}", countries=["NL"]))
    change_case_status(vault, "NL-A-1", "active")


def tamper(vault: UnlockedVault, sql: str) -> None:
    with vault.engine.begin() as connection:
        connection.execute(text(sql))


def test_intact_chain_verifies(vault: UnlockedVault) -> None:
    fill(vault)
    report = verify(vault)
    assert report.ok and report.entries == 6


def test_edited_payload_is_named(vault: UnlockedVault) -> None:
    fill(vault)
    tamper(
        vault,
        "UPDATE audit_entry SET payload = json_set(payload, '$.title', 'forged') WHERE seq = 3",
    )
    report = verify(vault)
    assert report.broken_at == 3 and "edited" in (report.reason or "")


def test_edited_actor_is_named(vault: UnlockedVault) -> None:
    fill(vault)
    tamper(vault, "UPDATE audit_entry SET actor = 'someone else' WHERE seq = 2")
    assert verify(vault).broken_at == 2


def test_deleted_row_is_named(vault: UnlockedVault) -> None:
    fill(vault)
    tamper(vault, "DELETE FROM audit_entry WHERE seq = 4")
    report = verify(vault)
    assert report.broken_at == 4 and "missing" in (report.reason or "")


def test_reordered_rows_are_named(vault: UnlockedVault) -> None:
    fill(vault)
    tamper(vault, "UPDATE audit_entry SET seq = 100 WHERE seq = 2")
    tamper(vault, "UPDATE audit_entry SET seq = 2 WHERE seq = 3")
    tamper(vault, "UPDATE audit_entry SET seq = 3 WHERE seq = 100")
    assert verify(vault).broken_at == 2


def test_erased_payload_without_a_purge_is_a_break(vault: UnlockedVault) -> None:
    """Only a retention purge (which records itself) may blank a payload; anything else that
    erases what an entry recorded is tampering."""
    fill(vault)
    tamper(vault, "UPDATE audit_entry SET payload = NULL WHERE seq = 2")
    report = verify(vault)
    assert report.broken_at == 2 and "erased" in (report.reason or "")
