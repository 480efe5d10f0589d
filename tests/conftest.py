"""Shared fixtures: real SQLCipher vaults on disk in tmp_path, with a cheap Argon2id cost.

The cost is lowered explicitly (``FAST_TEST_PARAMS`` / ``CASECOORD_KDF_PROFILE=test``) so the
suite stays fast; ``tests/vault/test_keyfile.py`` pins the production default separately.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
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


@pytest.fixture(autouse=True)
def _collectable_after_the_test() -> Iterator[None]:
    """An app freezes what is alive once its area screens are up (``freeze_long_lived``):
    right for the one app of an officer's process, a leak for a test process that runs
    hundreds of apps. After each test the frozen objects are handed back to the collector."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()


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


# Officers of the template's teams (roles belong to the cluster, so they are made once): alpha
# has ada and cy, bravo has bo. The service tests run as ada, under row-level security.
OFFICERS = {"ada": ["alpha"], "bo": ["bravo"], "cy": ["alpha"]}
OFFICER_PASSWORD = "officer password 2026"


@pytest.fixture(scope="session")
def pg_template(pg_cluster: object) -> str:
    """A team store at the newest schema with its privileges and officers, used as the template
    of each test's database."""
    import psycopg

    from casecoord.services.team import add_officer, init_store
    from casecoord.store.postgres import open_team_store
    from tests.pgcluster import Cluster

    assert isinstance(pg_cluster, Cluster)
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE casecoord_template")
    with open_team_store(pg_cluster.url("casecoord_template"), upgrade=True) as admin:
        init_store(admin)
        for officer, teams in OFFICERS.items():
            add_officer(admin, officer, OFFICER_PASSWORD, teams)
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
def officer_store(pg_cluster: object, pg_database: str) -> Iterator[Callable[[str], object]]:
    """Open the test's team store as one of OFFICERS (each call a new connection pool)."""
    from casecoord.store.postgres import open_team_store
    from tests.pgcluster import Cluster

    assert isinstance(pg_cluster, Cluster)
    opened: list[object] = []

    def _open(officer: str) -> object:
        store = open_team_store(pg_cluster.url(pg_database, officer, OFFICER_PASSWORD))
        opened.append(store)
        return store

    try:
        yield _open
    finally:
        for store in opened:
            store.close()  # type: ignore[attr-defined]


@pytest.fixture
def team_store(officer_store: Callable[[str], object]) -> object:
    """The test's team store, as officer ada of team alpha."""
    return officer_store("ada")


@pytest.fixture
def admin_store(pg_cluster: object, pg_database: str) -> Iterator[object]:
    """The test's team store as its owner (the administrator: no row-level security)."""
    from casecoord.store.postgres import open_team_store
    from tests.pgcluster import Cluster

    assert isinstance(pg_cluster, Cluster)
    store = open_team_store(pg_cluster.url(pg_database))
    try:
        yield store
    finally:
        store.close()
