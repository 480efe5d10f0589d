"""What the services need from a store, whichever database holds it.

Two stores implement :class:`Store`: the officer's local SQLCipher vault
(:class:`casecoord.vault.vault.UnlockedVault`, the default) and a team's shared PostgreSQL
database (:class:`casecoord.store.postgres.TeamStore`). The services only ever ask for a read
session or a write transaction, so they run unchanged on both. The few statements that differ
between SQLite and PostgreSQL (full-text search, the case-list filter, date arithmetic) ask
:func:`is_postgres` and keep both forms side by side.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol, Self

from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session


class Store(Protocol):
    """A store the services can read and write; closed when the officer is done."""

    def session(self) -> AbstractContextManager[Session]:
        """A read session; nothing it does is committed."""
        ...

    def transaction(self) -> AbstractContextManager[Session]:
        """A write transaction; commits on success, rolls back on any error."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *_exc: object) -> None: ...


def is_postgres(session: OrmSession) -> bool:
    """Whether ``session`` talks to PostgreSQL (a team store) rather than SQLite (a vault)."""
    return session.get_bind().dialect.name == "postgresql"
