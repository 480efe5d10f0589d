"""Nothing the officer typed is readable in any file of the vault, its WAL, or its backups."""

from __future__ import annotations

from pathlib import Path

from casecoord.services.cases import CaseInput, PersonInput, add_case, add_note, add_person
from casecoord.vault.backup import write_backup
from casecoord.vault.vault import UnlockedVault

MARKERS = ["MARKER-TITLE-7f3a", "MARKER-NOTE-91bc", "Quiñones-MARKER-PERSON", "MARKER-SUMMARY-22de"]


def all_files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def assert_no_markers(files: list[Path]) -> None:
    assert files, "the scan must look at something"
    for path in files:
        data = path.read_bytes()
        for marker in MARKERS:
            for encoded in (marker.encode("utf-8"), marker.encode("utf-16-le")):
                assert encoded not in data, f"{marker} found in {path.name}"


def test_no_marker_in_any_vault_file_or_backup(
    vault: UnlockedVault, vault_dir: Path, tmp_path: Path
) -> None:
    for i in range(30):
        add_case(
            vault,
            CaseInput(
                reference=f"NL-2026-{i:04d}",
                title=f"{MARKERS[0]} {i}",
                summary=MARKERS[3],
                countries=["NL", "CO"],
            ),
        )
    add_note(vault, "NL-2026-0001", MARKERS[1] * 50)
    add_person(vault, "NL-2026-0001", PersonInput(family_name=MARKERS[2], given_names="María"))
    # while the vault is open the WAL and shared-memory files exist: scan them too
    wal = vault_dir / "casecoord.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    backups = tmp_path / "backups"
    backups.mkdir()
    write_backup(vault, backups / "vault.ccbak")
    assert_no_markers(all_files(vault_dir, backups))
    vault.close()
    assert_no_markers(all_files(vault_dir, backups))
