"""Shared fixtures: real SQLCipher vaults on disk in tmp_path, with a cheap Argon2id cost.

The cost is lowered explicitly (``FAST_TEST_PARAMS`` / ``CASECOORD_KDF_PROFILE=test``) so the
suite stays fast; ``tests/vault/test_keyfile.py`` pins the production default separately.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import UnlockedVault, create_vault

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _isolate_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the officer's real vault or config; vault creation stays cheap."""
    monkeypatch.setenv("CASECOORD_KDF_PROFILE", "test")
    monkeypatch.delenv("CASECOORD_VAULT", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    os.makedirs(tmp_path / "home", exist_ok=True)


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[UnlockedVault]:
    unlocked, _recovery = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    try:
        yield unlocked
    finally:
        unlocked.close()


@pytest.fixture(scope="session")
def demo_vault_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo vault per test session; tests copy it (see ``demo_vault``) rather than rebuild."""
    from casecoord.services.demo import build_demo

    root = tmp_path_factory.mktemp("demo-template") / "vault"
    unlocked, _ = create_vault(root, PASSPHRASE, FAST_TEST_PARAMS)
    try:
        build_demo(unlocked, cases=40)
    finally:
        unlocked.close()
    return root


@pytest.fixture
def demo_vault_dir(demo_vault_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "demo-vault"
    shutil.copytree(demo_vault_template, target)
    return target
