"""Create, open and re-key a vault.

An :class:`UnlockedVault` is the only holder of the SQLCipher engine. It exists only after the
passphrase (or recovery key) has unwrapped the data key; nothing builds an engine at import time.
A wrong passphrase fails in the key file, before the database is touched, so it changes nothing
on disk.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from casecoord.domain.errors import ConflictError, StorageFullError, VaultError
from casecoord.vault import migrate
from casecoord.vault.audit import ANCHOR_KEY_INFO, audit_anchor_key
from casecoord.vault.engine import WRITE_OPTION, build_engine
from casecoord.vault.files import PRIVATE_FILE, make_private_dir, raise_for_os_error
from casecoord.vault.kdf import DEFAULT_PARAMS, KEY_BYTES, Argon2Params
from casecoord.vault.keyfile import PASSPHRASE_SLOT, RECOVERY_SLOT, KeyFile
from casecoord.vault.location import VaultPaths
from casecoord.vault.passphrase import check_passphrase, new_recovery_key, normalise_recovery_key


@dataclass
class UnlockedVault:
    paths: VaultPaths
    keyfile: KeyFile
    engine: Engine
    data_key: bytes = field(repr=False)
    _write_engine: Engine | None = field(default=None, repr=False)

    @property
    def audit_key(self) -> bytes:
        """The key of the audit chain's anchor MAC, derived from (never equal to) the data key."""
        return audit_anchor_key(self.data_key)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read session; nothing it does is committed. Database failures (a damaged page,
        a busy file) come out as VaultError naming the file, never as a driver exception."""
        with Session(self.engine, expire_on_commit=False) as session:
            session.info[ANCHOR_KEY_INFO] = self.audit_key
            try:
                yield session
            except DBAPIError as exc:
                raise translate_db_error(exc, self.paths.database) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction holding SQLite's write lock from the start; commits on success."""
        if self._write_engine is None:
            self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        with Session(self._write_engine, expire_on_commit=False) as session:
            session.info[ANCHOR_KEY_INFO] = self.audit_key
            try:
                yield session
                session.commit()
            except StaleDataError:
                session.rollback()
                raise ConflictError(
                    "this record was saved by someone else after it was read; nothing was "
                    "saved. Reload it and make the change again"
                ) from None
            except DBAPIError as exc:
                session.rollback()
                raise translate_db_error(exc, self.paths.database) from exc
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        """Dispose of the engine and forget the key, so nothing holding this object can read
        the vault again (Python cannot wipe the key bytes from memory; see SECURITY.md)."""
        self.data_key = b""
        self.engine.dispose()
        if self._write_engine is not None:
            self._write_engine.dispose()

    def __enter__(self) -> UnlockedVault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


_DAMAGE_SIGNS = (
    "malformed",
    "not a database",
    "hmac",
    "corrupt",
    "disk i/o error",
    "vtable constructor failed",
)


def translate_db_error(exc: DBAPIError, database: Path | None = None) -> VaultError:
    message = str(exc.orig) if exc.orig is not None else str(exc)
    name = str(database) if database is not None else "casecoord.db"
    if any(sign in message.lower() for sign in _DAMAGE_SIGNS):
        return VaultError(
            f"{name} is damaged ({message}); run 'casecoord check' and restore the vault from a "
            "backup (casecoord restore)"
        )
    if "full" in message:
        return StorageFullError(
            "the disk is full: the change was rolled back and nothing saved before was lost. "
            "Free some space and retry"
        )
    if "locked" in message or "busy" in message:
        return VaultError("the vault is busy in another casecoord process; retry in a moment")
    return VaultError(f"{name} could not complete the operation: {message}")


def create_vault(
    root: Path, passphrase: str, params: Argon2Params = DEFAULT_PARAMS
) -> tuple[UnlockedVault, str]:
    """Create a vault in ``root``; return it unlocked and the recovery key (to show once)."""
    paths = VaultPaths(root)
    check_passphrase(passphrase)
    if paths.keyfile.exists() or paths.database.exists():
        raise VaultError(f"{root} already holds a vault; open it, or choose another --vault")
    try:
        make_private_dir(root)
    except OSError as exc:
        raise_for_os_error(exc, f"the vault folder {root}")
    data_key = os.urandom(KEY_BYTES)
    recovery_key = new_recovery_key()
    keyfile = KeyFile.create(data_key, passphrase, normalise_recovery_key(recovery_key), params)
    wrote_keyfile = False
    try:
        paths.pending_database.unlink(missing_ok=True)
        _touch_private(paths.pending_database)
        engine = build_engine(paths.pending_database, data_key, keyfile.cipher_page_size)
        try:
            migrate.upgrade(engine, audit_key=audit_anchor_key(data_key))
        finally:
            engine.dispose()
        _remove_pending_journal(paths)
        keyfile.write(paths.keyfile)
        wrote_keyfile = True
        os.replace(paths.pending_database, paths.database)
    except BaseException as exc:
        # a full disk or a folder that refuses a file: leave no half-made vault behind, so the
        # next attempt starts clean (the pending database is encrypted, but it is no vault)
        paths.pending_database.unlink(missing_ok=True)
        _remove_pending_journal(paths)
        if wrote_keyfile:
            paths.keyfile.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise_for_os_error(exc, f"the new vault in {root}")
        if isinstance(exc, DBAPIError):
            raise translate_db_error(exc, paths.pending_database) from None
        raise
    return _open_engine(paths, keyfile, data_key), recovery_key


def _remove_pending_journal(paths: VaultPaths) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(paths.pending_database) + suffix).unlink(missing_ok=True)


def _touch_private(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)


def _open_engine(paths: VaultPaths, keyfile: KeyFile, data_key: bytes) -> UnlockedVault:
    if not paths.database.exists() and paths.pending_database.exists():
        os.replace(paths.pending_database, paths.database)  # finish an interrupted init
    if not paths.database.exists():
        raise VaultError(
            f"{paths.database} is missing; restore the vault from a backup (casecoord restore)"
        )
    engine = build_engine(paths.database, data_key, keyfile.cipher_page_size)
    try:
        if migrate.current_revision(engine) != migrate.SCHEMA_HEAD:
            migrate.upgrade(engine, audit_key=audit_anchor_key(data_key))
    except VaultError:
        engine.dispose()
        raise
    except (DBAPIError, sqlite3.Error, sqlcipher3.dbapi2.Error) as exc:
        engine.dispose()
        raise VaultError(f"{paths.database} could not be upgraded: {exc}") from None
    return UnlockedVault(paths, keyfile, engine, data_key)


def open_vault(root: Path, passphrase: str) -> UnlockedVault:
    paths = VaultPaths(root)
    keyfile = KeyFile.read(paths.keyfile)
    data_key = keyfile.unwrap(PASSPHRASE_SLOT, passphrase.encode("utf-8"))
    return _open_engine(paths, keyfile, data_key)


def change_passphrase(root: Path, old: str, new: str, params: Argon2Params | None = None) -> None:
    """Re-wrap the data key under a new passphrase; the database file is not touched."""
    paths = VaultPaths(root)
    keyfile = KeyFile.read(paths.keyfile)
    data_key = keyfile.unwrap(PASSPHRASE_SLOT, old.encode("utf-8"))
    check_passphrase(new)
    slot_params = params or keyfile.slot(PASSPHRASE_SLOT).params
    keyfile.rewrap(PASSPHRASE_SLOT, data_key, new.encode("utf-8"), slot_params).write(paths.keyfile)


def recover_with_key(
    root: Path, recovery_key: str, new_passphrase: str, params: Argon2Params | None = None
) -> UnlockedVault:
    """Open with the recovery key and set a new passphrase (the recovery key stays valid)."""
    paths = VaultPaths(root)
    keyfile = KeyFile.read(paths.keyfile)
    data_key = keyfile.unwrap(RECOVERY_SLOT, normalise_recovery_key(recovery_key))
    check_passphrase(new_passphrase)
    slot_params = params or keyfile.slot(RECOVERY_SLOT).params
    keyfile = keyfile.rewrap(PASSPHRASE_SLOT, data_key, new_passphrase.encode("utf-8"), slot_params)
    keyfile.write(paths.keyfile)
    return _open_engine(paths, keyfile, data_key)
