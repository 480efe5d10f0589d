"""Bring a vault's schema to the version this casecoord expects, through Alembic.

Migrations run inside the keyed SQLCipher connection (batch mode for SQLite's limited ALTER), so
an upgrade happens in the encrypted file itself and never through a plaintext copy. The same
revisions build a team store on PostgreSQL; where the two differ (full-text search), a revision
asks the connection's dialect.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# The newest revision this casecoord ships. Opening a vault compares its stamp with this
# constant by plain SQL, so Alembic (a noticeable import) loads only when an upgrade is due.
# tests/vault/test_migrations.py checks it against Alembic's own idea of the head.
SCHEMA_HEAD = "0018_request_list_index"


def revision_module(file_name: str) -> ModuleType:
    """An earlier revision's module, for a later one that builds on its SQL (Alembic loads the
    revisions by path, not as a package, so they cannot import one another)."""
    path = MIGRATIONS_DIR / "versions" / file_name
    spec = importlib.util.spec_from_file_location(f"_casecoord_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError):  # no table yet: an empty database
            return None


def upgrade(engine: Engine, revision: str = "head", *, audit_key: bytes | None = None) -> None:
    """``audit_key`` (the vault's audit-anchor key) lets a migration seal what it creates."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["audit_anchor_key"] = audit_key
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
