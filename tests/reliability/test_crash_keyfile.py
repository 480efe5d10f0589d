"""A passphrase change killed at any moment, or a damaged vault.json, never locks the officer out.

``vault.json`` holds the only copy of the wrapped data key, so these tests pin the promise of
:mod:`casecoord.vault.files`: it is replaced by write-new, fsync, rename, fsync-folder, and at
every instant the folder holds a complete key file that one of the two passphrases opens.
"""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest

from casecoord.domain.errors import VaultError, WrongPassphraseError
from casecoord.services.cases import CaseInput, add_case, list_cases
from casecoord.vault.backup import check_vault, write_backup
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.keyfile import KeyFile
from casecoord.vault.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE
from tests.reliability.conftest import cli, crash_at, kill_after, private, timed

SECOND = "second passphrase of the officer"


def _opening_passphrase(root: Path, candidates: list[str]) -> str:
    """The one candidate that opens the vault (whose database then checks out)."""
    keyfile = KeyFile.read(root / "vault.json")  # complete and parseable, never half
    assert {slot.slot_id for slot in keyfile.slots} == {"passphrase", "recovery"}
    opening = []
    for passphrase in candidates:
        try:
            vault = open_vault(root, passphrase)
        except WrongPassphraseError:
            continue
        with vault:
            assert check_vault(vault).ok
            assert list_cases(vault)[0] == 1
        opening.append(passphrase)
    assert len(opening) == 1, f"expected exactly one passphrase to open the vault, got {opening}"
    return opening[0]


def _stray_keyfile_temps(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith(".vault.json.")]


@pytest.fixture
def small_vault(vault_dir: Path) -> Path:
    vault, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    with vault:
        add_case(vault, CaseInput(reference="NL-2026-0001", title="kept", countries=["NL"]))
    return vault_dir


@pytest.mark.slow
def test_passwd_killed_at_every_step_leaves_the_old_or_the_new_passphrase(
    small_vault: Path,
) -> None:
    current = PASSPHRASE
    step = 1
    while True:
        other = SECOND if current == PASSPHRASE else PASSPHRASE
        outcome = crash_at(
            step, "passwd", "--vault", str(small_vault), stdin=f"{current}\n{other}\n{other}\n"
        )
        current = _opening_passphrase(small_vault, [current, other])
        for temp in _stray_keyfile_temps(small_vault):
            assert private(temp), f"{temp.name} (a wrapped key) is readable by others"
        if not outcome.killed:
            assert outcome.code == 0, outcome.err
            break
        step += 1
    assert step > 3, "the passphrase change should pass through several file-system steps"


@pytest.mark.slow
def test_passwd_killed_at_random_moments_never_locks_out(small_vault: Path) -> None:
    rng = random.Random(6)
    window = timed(
        "passwd", "--vault", str(small_vault), stdin=f"{PASSPHRASE}\n{SECOND}\n{SECOND}\n"
    )
    current = SECOND
    for _ in range(8):
        other = SECOND if current == PASSPHRASE else PASSPHRASE
        kill_after(
            rng.uniform(0.3 * window, window),
            "passwd",
            "--vault",
            str(small_vault),
            stdin=f"{current}\n{other}\n{other}\n",
        )
        current = _opening_passphrase(small_vault, [current, other])


def test_a_stray_temp_key_file_beside_a_good_one_is_ignored(small_vault: Path) -> None:
    good = (small_vault / "vault.json").read_bytes()
    (small_vault / ".vault.json.abc123.tmp").write_bytes(good[: len(good) // 2])
    assert _opening_passphrase(small_vault, [PASSPHRASE]) == PASSPHRASE
    assert cli("check", "--vault", str(small_vault)).code == 0


@pytest.mark.parametrize("keep", [0, 1, 100, -1])
def test_a_truncated_key_file_is_named_and_changes_nothing_else(
    small_vault: Path, keep: int
) -> None:
    keyfile = small_vault / "vault.json"
    database = (small_vault / "casecoord.db").read_bytes()
    raw = keyfile.read_bytes()
    keyfile.write_bytes(raw[:keep] if keep >= 0 else raw[:-2])
    with pytest.raises(VaultError, match="vault.json"):
        open_vault(small_vault, PASSPHRASE)
    outcome = cli("case", "list", "--vault", str(small_vault))
    assert outcome.code == 3
    assert "vault.json" in outcome.err and "backup" in outcome.err
    assert outcome.err.count("\n") == 1 and "Traceback" not in outcome.err
    assert (small_vault / "casecoord.db").read_bytes() == database


def test_the_key_file_from_an_older_backup_still_opens_todays_database(
    small_vault: Path, tmp_path: Path
) -> None:
    """The way back from a destroyed vault.json without losing later work.

    The data key never changes (a passphrase change only re-wraps it), so the key file inside any
    backup of this vault opens the current database too, with the passphrase of the backup's day.
    """
    with open_vault(small_vault, PASSPHRASE) as vault:
        write_backup(vault, tmp_path / "old.ccbak")
        add_case(vault, CaseInput(reference="NL-2026-0002", title="after backup", countries=["NL"]))
    (small_vault / "vault.json").write_bytes(b"")
    with zipfile.ZipFile(tmp_path / "old.ccbak") as archive:
        (small_vault / "vault.json").write_bytes(archive.read("vault.json"))
    with open_vault(small_vault, PASSPHRASE) as vault:
        assert {row.reference for row in list_cases(vault)[1]} == {"NL-2026-0001", "NL-2026-0002"}


def test_an_interrupted_init_is_finished_on_the_next_open(tmp_path: Path) -> None:
    """``init`` writes the database under a pending name and renames it after vault.json."""
    root = tmp_path / "v"
    step = 1
    while True:
        outcome = crash_at(
            step, "init", "--vault", str(root), stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
        )
        if not outcome.killed:
            assert outcome.code == 0, outcome.err
            break
        if (root / "vault.json").exists():
            with open_vault(root, PASSPHRASE) as vault:
                assert check_vault(vault).ok
        else:
            assert not (root / "casecoord.db").exists()
        shutil.rmtree(root, ignore_errors=True)
        step += 1
    with open_vault(root, PASSPHRASE) as vault:
        assert check_vault(vault).ok
