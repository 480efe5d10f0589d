"""Schema changes go through Alembic; an old vault upgrades with its data intact."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from casecoord.services.cases import CaseQuery, list_cases
from casecoord.services.search import search
from casecoord.vault import migrate
from casecoord.vault.engine import build_engine
from casecoord.vault.kdf import FAST_TEST_PARAMS
from casecoord.vault.keyfile import KeyFile
from casecoord.vault.vault import create_vault, open_vault
from tests.conftest import PASSPHRASE


def test_first_migration_vault_upgrades_to_head_with_data(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    data_key = created.data_key
    created.close()
    database = vault_dir / "casecoord.db"
    database.unlink()
    engine = build_engine(database, data_key)
    migrate.upgrade(engine, "0001_initial")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO case_file (reference, title, summary, status, countries, offences, tlp, "
                "handling_code, created_at, updated_at) VALUES ('NL-OLD-1', 'Old harbour case', "
                "'containers', 'active', '[\"NL\"]', '[]', 'AMBER', 'H1', '2024-01-01 00:00:00', "
                "'2024-01-01 00:00:00')"
            )
        )
    assert migrate.current_revision(engine) == "0001_initial"
    engine.dispose()

    upgraded = open_vault(vault_dir, PASSPHRASE)  # opening upgrades to head
    try:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        total, rows = list_cases(upgraded, CaseQuery(text="harbour"))
        assert total == 1 and rows[0].reference == "NL-OLD-1"
        assert [hit.ref for hit in search(upgraded, "containers")] == ["NL-OLD-1"]
    finally:
        upgraded.close()


def test_models_and_migrations_do_not_drift(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    try:
        with created.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            diff = [
                d
                for d in compare_metadata(context, SQLModel.metadata)
                # FTS5 shadow tables belong to migration 0002, not to the models
                if not (
                    d[0] == "remove_table"
                    and (d[1].name.startswith(("search_index", "case_filter")))
                )
            ]
        assert diff == []
    finally:
        created.close()


def test_keyfile_records_cipher_page_size(vault_dir: Path) -> None:
    created, _ = create_vault(vault_dir, PASSPHRASE, FAST_TEST_PARAMS)
    created.close()
    assert KeyFile.read(vault_dir / "vault.json").cipher_page_size == 4096


def test_schema_head_constant_matches_alembic() -> None:
    assert migrate.SCHEMA_HEAD == migrate.head_revision()
