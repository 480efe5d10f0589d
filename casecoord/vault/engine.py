"""The SQLCipher engine, built only after the data key has been unwrapped.

Every new DB-API connection is keyed with the raw data key before anything else touches the file,
then gets the pragmas docs/ARCHITECTURE.md lists: WAL with synchronous=FULL (an acknowledged commit
survives a power cut), foreign keys, secure_delete (erased rows are overwritten), temp_store in
memory (no plaintext spills into temp files) and SQLCipher's own stderr logging off (it would tear
the TUI).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError

from casecoord.domain.errors import StorageFullError, VaultError

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "casecoord_write"
# Everything but the key: shared with the plain-SQLite reference of the benchmarks, so the
# measured SQLCipher overhead compares like with like.
TUNING_PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
)


def key_pragma(data_key: bytes) -> str:
    return f"PRAGMA key = \"x'{data_key.hex()}'\""


def configure_connection(dbapi_connection: Any, data_key: bytes, page_size: int) -> None:
    """Key and tune one raw sqlcipher3 connection (also used by backup and restore)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(key_pragma(data_key))
        cursor.execute(f"PRAGMA cipher_page_size = {int(page_size)}")
        for pragma in TUNING_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def build_engine(db_path: Path, data_key: bytes, page_size: int = 4096) -> Engine:
    """An engine over ``db_path``; raises VaultError if the key does not open the file."""
    engine = create_engine(
        f"sqlite:///{db_path}",
        module=sqlcipher3.dbapi2,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's implicit transactions break SAVEPOINT and BEGIN IMMEDIATE; we emit BEGIN.
        dbapi_connection.isolation_level = None
        configure_connection(dbapi_connection, data_key, page_size)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front so they wait (busy_timeout) instead of failing
        # half-way; readers stay deferred and never block each other in WAL mode.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        message = str(exc.orig) if exc.orig is not None else str(exc)
        if "not a database" in message:
            raise VaultError(
                f"{db_path} cannot be opened with this vault's key: the file is damaged or "
                "belongs to another vault. Restore it from a backup (casecoord restore)"
            ) from None
        if "locked" in message or "busy" in message:
            raise VaultError(
                f"{db_path} is locked by another casecoord; close it and retry"
            ) from None
        if "disk i/o" in message.lower() and shutil.disk_usage(db_path.parent).free < 64 * 1024:
            raise StorageFullError(
                f"cannot open {db_path}: the disk is full. Free some space and retry"
            ) from None
        raise VaultError(f"cannot open {db_path}: {message}") from None
    return engine
