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


# -- PostgreSQL (team store) ------------------------------------------------------------------
# One throw-away cluster per test session (tests/pgcluster.py); every test that wants a team
# store gets its own database, copied from a migrated template (a copy takes milliseconds).


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    from tests.pgcluster import Unavailable, start_cluster

    try:
        cluster = start_cluster()
    except Unavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: object) -> str:
    """A database migrated to the newest schema, used as the template of each test's database."""
    import psycopg

    from casecoord.store.postgres import open_team_store
    from tests.pgcluster import Cluster

    assert isinstance(pg_cluster, Cluster)
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE casecoord_template")
    open_team_store(pg_cluster.url("casecoord_template"), upgrade=True).close()
    return "casecoord_template"


_pg_counter = iter(range(1, 1_000_000))


@pytest.fixture
def pg_database(pg_cluster: object, pg_template: str) -> Iterator[str]:
    """A fresh database (its name) holding an empty casecoord schema; dropped afterwards."""
    import psycopg

    from tests.pgcluster import Cluster

    assert isinstance(pg_cluster, Cluster)
    name = f"casecoord_test_{next(_pg_counter)}"
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    try:
        yield name
    finally:
        with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def team_store(pg_cluster: object, pg_database: str) -> Iterator[object]:
    from casecoord.store.postgres import open_team_store
    from tests.pgcluster import Cluster

    assert isinstance(pg_cluster, Cluster)
    store = open_team_store(pg_cluster.url(pg_database))
    try:
        yield store
    finally:
        store.close()
