"""The service tests run against both stores: the local SQLCipher vault and a team store on
PostgreSQL. Every test here that takes ``vault`` runs twice, once per backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from casecoord.store import Store
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.vault import create_vault
from tests.conftest import PASSPHRASE


@pytest.fixture(params=["vault", "postgresql"])
def vault(request: pytest.FixtureRequest, vault_dir: Path) -> Iterator[Store]:
    if request.param == "postgresql":
        yield request.getfixturevalue("team_store")
        return
    unlocked, _recovery = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    try:
        yield unlocked
    finally:
        unlocked.close()
