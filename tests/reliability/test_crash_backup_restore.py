"""Backups and restores killed at any moment: never a half backup under the final name, never a
vault folder that neither opens nor accepts the restore again, and the vault itself untouched."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import zipfile
from pathlib import Path

import pytest

from casecoord.domain.errors import VaultError
from casecoord.services.cases import CaseInput, add_case, list_cases
from casecoord.services.demo import bulk_load
from casecoord.vault.backup import check_vault
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.keyfile import KeyFile
from casecoord.vault.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE
from tests.reliability.conftest import cli, crash_at, kill_after, private, timed

CASES = 2000


@pytest.fixture(scope="module")
def filled_vault_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault big enough (some MB) that a backup takes a while to write."""
    root = tmp_path_factory.mktemp("filled") / "vault"
    vault, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    with vault:
        bulk_load(vault, CASES)
        add_case(vault, CaseInput(reference="NL-2026-0001", title="the last one", countries=["NL"]))
    return root


@pytest.fixture
def filled_vault(filled_vault_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(filled_vault_template, target)
    return target


def assert_complete_backup(path: Path) -> None:
    """A backup as restore expects it: exactly its three members, the checksum matching."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert set(archive.namelist()) == {"backup.json", "vault.json", "casecoord.db"}
        manifest = json.loads(archive.read("backup.json"))
        digest = hashlib.sha256(archive.read("casecoord.db")).hexdigest()
        assert manifest["database_sha256"] == digest
        KeyFile.from_bytes(archive.read("vault.json"))


def assert_vault_whole(root: Path) -> None:
    with open_vault(root, PASSPHRASE) as vault:
        assert check_vault(vault).ok
        assert list_cases(vault)[0] == CASES + 1


def assert_leftovers_private(folder: Path, final_name: str) -> None:
    """What a killed backup leaves behind is hidden, private and (see test_no_plaintext) encrypted."""
    for leftover in folder.rglob("*"):
        if leftover.name != final_name:
            assert leftover.name.startswith(".") or leftover.parent.name.startswith(".")
            guarded = private(leftover) or (leftover.parent != folder and private(leftover.parent))
            assert guarded, f"{leftover} is readable by others"


@pytest.mark.slow
def test_backup_killed_at_every_step_never_leaves_a_half_backup(
    filled_vault: Path, tmp_path: Path
) -> None:
    backups = tmp_path / "usb"
    backups.mkdir()
    final = backups / "vault.ccbak"
    step = 1
    while True:
        outcome = crash_at(step, "backup", "--force", "--vault", str(filled_vault), str(final))
        if final.exists():
            assert_complete_backup(final)
        assert_leftovers_private(backups, final.name)
        assert_vault_whole(filled_vault)
        if not outcome.killed:
            assert outcome.code == 0, outcome.err
            break
        step += 1
    assert step > 3
    assert_complete_backup(final)


@pytest.mark.slow
def test_backup_killed_at_random_moments_over_an_older_backup(
    filled_vault: Path, tmp_path: Path
) -> None:
    rng = random.Random(66)
    final = tmp_path / "vault.ccbak"
    window = timed("backup", "--force", "--vault", str(filled_vault), str(final))
    for _ in range(6):
        kill_after(
            rng.uniform(0.2 * window, window),
            "backup",
            "--force",
            "--vault",
            str(filled_vault),
            str(final),
        )
        assert_complete_backup(final)  # the older backup, or the new one: never half of one
        assert_vault_whole(filled_vault)


def _restore_settles(root: Path, backup: Path) -> str:
    """After a killed restore the folder either holds the whole vault or takes the restore again."""
    try:
        assert_vault_whole(root)
        return "restored"
    except VaultError as first:
        retry = cli("restore", str(backup), "--vault", str(root))
        assert retry.code == 0, (
            f"killed restore left {sorted(p.name for p in root.iterdir())}: opening says "
            f"'{first}', restoring again says '{retry.err.strip()}'"
        )
        assert_vault_whole(root)
        return "retried"


@pytest.fixture
def backup_file(filled_vault: Path, tmp_path: Path) -> Path:
    path = tmp_path / "vault.ccbak"
    assert cli("backup", "--vault", str(filled_vault), str(path)).code == 0
    return path


@pytest.mark.slow
def test_restore_killed_at_every_step_can_always_be_finished(
    backup_file: Path, tmp_path: Path
) -> None:
    """Between writing vault.json and renaming the database into place is the dangerous step:
    the database waits under the pending name, which the next open renames into place."""
    step = 1
    while True:
        root = tmp_path / f"restored-{step}"
        outcome = crash_at(step, "restore", str(backup_file), "--vault", str(root))
        if not outcome.killed:
            assert outcome.code == 0, outcome.err
            break
        if root.exists():
            _restore_settles(root, backup_file)
        step += 1
    assert step > 3


@pytest.mark.slow
def test_restore_killed_at_random_moments_can_be_finished(
    backup_file: Path, tmp_path: Path
) -> None:
    rng = random.Random(606)
    window = timed("restore", str(backup_file), "--vault", str(tmp_path / "timing"))
    for attempt in range(5):
        root = tmp_path / f"restored-{attempt}"
        kill_after(
            rng.uniform(0.2 * window, window), "restore", str(backup_file), "--vault", str(root)
        )
        if root.exists():
            _restore_settles(root, backup_file)
