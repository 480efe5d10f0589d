"""The Alembic revisions build a team store on PostgreSQL that matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from casecoord.store.postgres import TeamStore
from casecoord.vault import migrate

_SERVER_TABLES = (
    "search_index",
    "case_filter",
    "team",
    "team_member",
    "case_team",
    "need_to_know",
    "imported_audit",
    "audit_pending",
    "audit_tx",
)


def test_models_and_migrations_do_not_drift_on_postgresql(admin_store: TeamStore) -> None:
    with admin_store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = [
            d
            for d in compare_metadata(context, SQLModel.metadata)
            # the search tables (0002), team mode's tables and columns (0009) and the audit
            # chain's staging tables (0014) are the server's, not the models'
            if not (
                (d[0] == "remove_table" and d[1].name in _SERVER_TABLES)
                or (d[0] == "remove_index" and d[1].table.name in _SERVER_TABLES)
                or (d[0] == "remove_column" and d[3].name in ("created_by", "owner"))
            )
        ]
    assert diff == []


def test_migrations_go_down_to_nothing_and_up_again(admin_store: TeamStore) -> None:
    migrate.downgrade(admin_store.engine, "base")
    with admin_store.engine.connect() as connection:
        tables = connection.execute(
            text(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )
        ).scalar_one()
    assert tables == 0
    migrate.upgrade(admin_store.engine)
    assert migrate.current_revision(admin_store.engine) == migrate.SCHEMA_HEAD


def test_search_folds_accents_and_prefixes_on_the_server(team_store: TeamStore) -> None:
    with team_store.engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT to_tsvector('casecoord', 'Señora Quiñones') @@ "
                "to_tsquery('casecoord', 'quinon:*')"
            )
        ).scalar_one()
    assert found is True
