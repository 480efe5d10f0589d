"""Files casecoord writes outside the vault: never over an existing one, never through a link.

Each test reproduces one defect met when a counterpart chose the names (an attachment called
``.bashrc``) or when the destination was prepared by someone else (a symbolic link where the
report goes), and the restore of a tampered backup that said "failed" but left a vault that
opened.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from casecoord.cli import main as casecoord_main
from casecoord.domain.errors import CasecoordError
from casecoord.services import attachments, cases
from casecoord.services.reports import build_report, write_csv
from casecoord.vault.backup import restore_backup, write_backup
from casecoord.vault.files import atomic_writer
from casecoord.vault.location import VaultPaths
from casecoord.vault.vault import UnlockedVault, open_vault
from tests.conftest import PASSPHRASE

SECRET = b"TEST plaintext attachment bytes " * 64


@pytest.fixture
def with_attachment(vault: UnlockedVault) -> tuple[UnlockedVault, int]:
    cases.add_case(vault, cases.CaseInput(reference="NL-2026-0001", title="t", countries=["NL"]))
    info = attachments.add_attachment_stream(vault, "NL-2026-0001", io.BytesIO(SECRET), ".bashrc")
    return vault, int(info.id or 0)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_an_attachment_named_like_a_dotfile_never_replaces_one(
    with_attachment: tuple[UnlockedVault, int], tmp_path: Path
) -> None:
    vault, attachment_id = with_attachment
    home = tmp_path / "officer-home"
    home.mkdir()
    (home / ".bashrc").write_text("# the officer's own shell settings\n")
    with pytest.raises(CasecoordError) as refused:
        attachments.export_attachment(vault, attachment_id, home)
    assert "--force" in refused.value.message
    assert (home / ".bashrc").read_text() == "# the officer's own shell settings\n"
    assert sorted(p.name for p in home.iterdir()) == [".bashrc"]  # no temp file left either
    written = attachments.export_attachment(vault, attachment_id, home, overwrite=True)
    assert written.read_bytes() == SECRET and mode(written) == 0o600


def test_report_csv_never_follows_a_symlink_and_is_private(
    vault: UnlockedVault, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("not yours to overwrite\n")
    link = tmp_path / "report.csv"
    link.symlink_to(target)
    report = build_report(vault)
    with pytest.raises(CasecoordError):
        write_csv(report, link)
    assert target.read_text() == "not yours to overwrite\n" and link.is_symlink()
    fresh = tmp_path / "fresh.csv"
    write_csv(report, fresh)
    assert mode(fresh) == 0o600
    with pytest.raises(CasecoordError):
        write_csv(report, fresh)
    write_csv(report, link, overwrite=True)  # replaces the link itself, not what it points to
    assert target.read_text() == "not yours to overwrite\n"
    assert not link.is_symlink() and mode(link) == 0o600


def test_backup_refuses_an_existing_file_without_force(
    vault: UnlockedVault, vault_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "backup.zip"
    existing.write_bytes(b"yesterday's backup")
    with pytest.raises(CasecoordError):
        write_backup(vault, existing)
    assert existing.read_bytes() == b"yesterday's backup"
    vault.close()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    argv = ["backup", str(existing), "--vault", str(vault_dir), "--passphrase-file", str(secret)]
    assert casecoord_main(argv) == 1
    assert "--force" in capsys.readouterr().err
    assert casecoord_main([*argv, "--force"]) == 0
    assert existing.read_bytes() != b"yesterday's backup" and mode(existing) == 0o600


def test_backup_into_a_folder_that_cannot_be_written_is_one_line_not_exit_70(
    vault: UnlockedVault, vault_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the staging folder beside the backup was made unguarded, and a read-only or
    pseudo file system (here /proc, which refuses any new entry, root or not) ended the CLI
    with "unexpected error (FileNotFoundError)" and exit 70."""
    target = Path("/proc") / "casecoord-backup.ccbak"
    with pytest.raises(CasecoordError, match=r"^cannot write /proc/casecoord-backup\.ccbak: "):
        write_backup(vault, target)
    vault.close()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    argv = ["backup", str(target), "--vault", str(vault_dir), "--passphrase-file", str(secret)]
    code = casecoord_main(argv)
    err = capsys.readouterr().err
    assert code not in (0, 70), err
    assert err.startswith("casecoord: cannot write /proc/casecoord-backup.ccbak: "), err
    assert err.count("\n") == 1 and "unexpected" not in err


def test_a_tampered_backup_leaves_nothing_that_opens(vault: UnlockedVault, tmp_path: Path) -> None:
    cases.add_case(vault, cases.CaseInput(reference="NL-2026-0002", title="t", countries=["NL"]))
    with vault.engine.begin() as connection:  # an edit that bypasses casecoord
        connection.execute(text("UPDATE audit_entry SET actor = 'someone else' WHERE seq = 1"))
    backup = tmp_path / "tampered.zip"
    write_backup(vault, backup)
    root = tmp_path / "restored"
    with pytest.raises(CasecoordError) as refused:
        restore_backup(backup, root, PASSPHRASE)
    assert "nothing was restored" in refused.value.message
    paths = VaultPaths(root)
    assert not paths.keyfile.exists() and not paths.database.exists()
    assert [p.name for p in root.iterdir()] == []
    with pytest.raises(CasecoordError):
        open_vault(root, PASSPHRASE).close()


def test_an_interrupted_write_has_no_name_on_disk(tmp_path: Path) -> None:
    """While the bytes are being written the file has no directory entry (``O_TMPFILE``), so a
    ``kill -9`` at that moment leaves no hidden ``.part``/``.tmp`` file with plaintext."""
    if not hasattr(os, "O_TMPFILE"):
        pytest.skip("no O_TMPFILE on this platform")
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "export.bin"
    with atomic_writer(target) as handle:
        handle.write(SECRET)
        handle.flush()
        assert list(folder.iterdir()) == []
    assert target.read_bytes() == SECRET and mode(target) == 0o600


@pytest.mark.parametrize(
    ("field", "value"), [("memory_kib", 4 * 1024 * 1024), ("iterations", 64), ("lanes", 64)]
)
def test_a_key_file_asking_for_an_absurd_kdf_cost_is_damaged_not_a_wrong_passphrase(
    vault: UnlockedVault, vault_dir: Path, field: str, value: int
) -> None:
    """4 GiB and 64 passes were accepted: a tampered vault.json could hang the laptop for
    minutes before saying "wrong passphrase". Now it is refused before any derivation."""
    import json

    from casecoord.domain.errors import WrongPassphraseError

    vault.close()
    keyfile = VaultPaths(vault_dir).keyfile
    document = json.loads(keyfile.read_text())
    document["slots"][0]["kdf"][field] = value
    keyfile.write_text(json.dumps(document))
    with pytest.raises(CasecoordError) as refused:
        open_vault(vault_dir, PASSPHRASE)
    assert not isinstance(refused.value, WrongPassphraseError)
    assert "damaged" in refused.value.message and "not tried" in refused.value.message
