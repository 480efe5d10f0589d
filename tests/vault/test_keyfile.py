"""The key file: wrapping, wrong secrets, damage, and the production Argon2id cost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casecoord.domain.errors import ValidationError, VaultError, WrongPassphraseError
from casecoord.vault.kdf import DEFAULT_PARAMS, FAST_TEST_PARAMS, Argon2Params
from casecoord.vault.keyfile import KeyFile
from casecoord.vault.passphrase import check_passphrase, normalise_recovery_key
from casecoord.vault.vault import change_passphrase, create_vault, open_vault, recover_with_key
from tests.conftest import PASSPHRASE


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_default_kdf_is_rfc9106_argon2id_tuned_to_half_a_second() -> None:
    assert DEFAULT_PARAMS == Argon2Params(memory_kib=262_144, iterations=3, lanes=4)
    assert DEFAULT_PARAMS.to_json()["name"] == "argon2id"


def test_wrong_passphrase_leaves_vault_untouched(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    before = snapshot(vault_dir)
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        open_vault(vault_dir, "not the right passphrase")
    assert snapshot(vault_dir) == before


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        ("short", "at least 12"),
        ("password1234", "commonly used"),
        ("aaaaaaaaaaaaaaaa", "commonly used"),
    ],
)
def test_weak_passphrases_are_refused_with_the_reason(passphrase: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        check_passphrase(passphrase)


def test_passphrase_change_rewraps_without_touching_the_database(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    database_before = (vault_dir / "casecoord.db").read_bytes()
    change_passphrase(vault_dir, PASSPHRASE, "a brand new long passphrase")
    assert (vault_dir / "casecoord.db").read_bytes() == database_before
    with pytest.raises(WrongPassphraseError):
        open_vault(vault_dir, PASSPHRASE)
    open_vault(vault_dir, "a brand new long passphrase").close()


def test_recovery_key_opens_and_sets_a_new_passphrase(vault_dir: Path) -> None:
    created, recovery = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    typed = recovery.lower().replace("-", " ")  # however the officer types it
    recover_with_key(vault_dir, typed, "after the recovery passphrase").close()
    open_vault(vault_dir, "after the recovery passphrase").close()
    with pytest.raises(WrongPassphraseError, match="recovery key"):
        recover_with_key(vault_dir, "A" * 32, "whatever passphrase here")


def test_recovery_key_format_is_checked() -> None:
    with pytest.raises(ValidationError, match="groups of four"):
        normalise_recovery_key("not-a-key")


def test_damaged_keyfile_names_the_file(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    (vault_dir / "vault.json").write_text("{ half a file", encoding="utf-8")
    with pytest.raises(VaultError, match=r"vault\.json is damaged"):
        open_vault(vault_dir, PASSPHRASE)


def test_missing_keyfile_says_so(tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="is missing"):
        open_vault(tmp_path, PASSPHRASE)


def test_damaged_database_names_the_file(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    database = vault_dir / "casecoord.db"
    data = bytearray(database.read_bytes())
    data[0:4096] = bytes(4096)  # destroy the first page (salt and header)
    database.write_bytes(bytes(data))
    with pytest.raises(VaultError, match=r"casecoord\.db cannot be opened"):
        open_vault(vault_dir, PASSPHRASE)


def test_slot_cannot_be_moved_between_vaults(tmp_path: Path) -> None:
    first, _ = create_vault(tmp_path / "a", PASSPHRASE, FAST_TEST_PARAMS)
    second, _ = create_vault(tmp_path / "b", PASSPHRASE, FAST_TEST_PARAMS)
    first.close()
    second.close()
    doc_a = json.loads((tmp_path / "a" / "vault.json").read_text())
    doc_b = json.loads((tmp_path / "b" / "vault.json").read_text())
    doc_b["slots"] = doc_a["slots"]  # the GCM associated data binds a slot to its vault id
    forged = KeyFile.from_bytes(json.dumps(doc_b).encode())
    with pytest.raises(WrongPassphraseError):
        forged.unwrap("passphrase", PASSPHRASE.encode())


def test_vault_files_are_private(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    assert vault_dir.stat().st_mode & 0o077 == 0
    for name in ("vault.json", "casecoord.db"):
        assert (vault_dir / name).stat().st_mode & 0o077 == 0
