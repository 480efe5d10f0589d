"""A team's shared store on PostgreSQL (SQLAlchemy over psycopg 3).

The officer connects as her own database role, so everything the server enforces (row-level
security, privileges, the audit trigger) applies to her whatever the client does. The engine
serialises JSON canonically (sorted keys, no spaces): the server computes each audit payload's
SHA-256 over exactly the text the client sent, and the Python verifier recomputes the same digest.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from casecoord.domain.errors import (
    CasecoordError,
    ConflictError,
    StoreError,
    WrongPassphraseError,
)
from casecoord.vault import migrate
from casecoord.vault.audit import canonical_json

DRIVER = "postgresql+psycopg"


def _json_text(value: Any) -> str:
    return canonical_json(value).decode("utf-8")


def engine_url(url: str | URL) -> URL:
    """``postgresql://…`` (libpq's spelling) with SQLAlchemy's psycopg 3 driver named."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(f"'{parsed.drivername}' is not a PostgreSQL store URL")
    return parsed.set(drivername=DRIVER)


def redacted(url: str | URL) -> str:
    """The URL as it may be shown: never with a password."""
    return engine_url(url).render_as_string(hide_password=True).replace(DRIVER, "postgresql", 1)


def build_engine(url: str | URL, pool_size: int = 5) -> Engine:
    return create_engine(
        engine_url(url),
        json_serializer=_json_text,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
    )


def translate_error(exc: DBAPIError, where: str) -> CasecoordError:
    """A driver error as one line for the officer; never the SQL or the row values."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or ""
    message = str(orig).strip().splitlines()[0] if orig is not None else str(exc)
    if sqlstate == "28P01" or "password authentication failed" in message:
        return WrongPassphraseError(f"{where}: the password is wrong for this officer")
    if "no password supplied" in message:
        return WrongPassphraseError(f"{where}: a password is needed (PGPASSWORD or ~/.pgpass)")
    if sqlstate == "42501" or "row-level security" in message:
        return StoreError(f"{where}: not permitted for this officer ({message})")
    if sqlstate in ("40001", "40P01"):
        return ConflictError(
            "another officer changed the same records at the same moment; nothing was saved, retry"
        )
    if isinstance(exc, OperationalError) or sqlstate.startswith("08"):
        return StoreError(f"cannot reach the team store {where}: {message}")
    return StoreError(f"the team store {where} refused the operation: {message}")


@dataclass
class TeamStore:
    """An open team store: the services' :class:`~casecoord.store.Store` on PostgreSQL."""

    url: URL
    engine: Engine = field(repr=False)
    officer: str = ""

    @property
    def label(self) -> str:
        return redacted(self.url)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            except DBAPIError as exc:
                raise translate_error(exc, self.label) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except StaleDataError:
                session.rollback()
                raise ConflictError(
                    "another officer saved this record after you opened it; nothing was saved. "
                    "Reload it and make your change again"
                ) from None
            except DBAPIError as exc:
                session.rollback()
                raise translate_error(exc, self.label) from exc
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> TeamStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_team_store(url: str | URL, upgrade: bool = False, pool_size: int = 5) -> TeamStore:
    """Connect, check the schema is the one this casecoord expects, and return the store.

    ``upgrade`` runs the migrations first (for the administrator's ``team init`` and the tests);
    an officer's role has no right to change the schema, so she is told to ask for it instead.
    """
    target = engine_url(url)
    label = redacted(target)
    engine = build_engine(target, pool_size)
    try:
        if upgrade:
            migrate.upgrade(engine)
        with engine.connect() as connection:
            officer = str(connection.execute(text("SELECT session_user")).scalar_one())
        revision = migrate.current_revision(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise translate_error(exc, label) from None
    if revision is None:
        engine.dispose()
        raise StoreError(
            f"{label} holds no casecoord schema; the administrator creates it with "
            "'casecoord team init'"
        )
    if revision != migrate.SCHEMA_HEAD:
        engine.dispose()
        raise StoreError(
            f"{label} has schema {revision}, this casecoord needs {migrate.SCHEMA_HEAD}; the "
            "administrator upgrades it with 'casecoord team init'"
        )
    return TeamStore(target, engine, officer)
