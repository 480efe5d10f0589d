"""Alembic environment: always run on a connection handed in by casecoord (never a URL).

The SQLCipher key cannot travel in a URL or an ini file, so ``casecoord.vault.migrate`` opens the
keyed connection and passes it in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import casecoord.domain.authority  # noqa: F401  (the authority directory's table)
import casecoord.domain.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("casecoord migrations run only through casecoord.vault.migrate")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
