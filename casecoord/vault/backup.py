"""Encrypted, self-contained backups and the vault health check.

A backup is a ZIP holding ``vault.json`` (the wrapped key, no secret in clear) and a consistent
snapshot of the database made with ``VACUUM INTO``, which SQLCipher writes encrypted under the
same key: nothing in the backup is readable without the passphrase or the recovery key, and it
can be restored and opened on another laptop. The ZIP is written to a temp file and renamed, so
a crash never leaves a half backup under the final name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from casecoord.domain.errors import VaultError
from casecoord.vault import audit
from casecoord.vault.files import (
    atomic_writer,
    make_private_dir,
    raise_for_os_error,
    refuse_existing,
)
from casecoord.vault.keyfile import KeyFile
from casecoord.vault.location import DATABASE_NAME, KEYFILE_NAME, VaultPaths
from casecoord.vault.vault import UnlockedVault, open_vault

MANIFEST_NAME = "backup.json"
FORMAT = "casecoord-backup"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    database_sha256: str


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_backup(vault: UnlockedVault, destination: Path, *, overwrite: bool = False) -> BackupInfo:
    """Write a backup to ``destination``; an existing file is replaced only with ``overwrite``."""
    destination = destination.expanduser().absolute()
    if destination.exists() and destination.is_dir():
        raise VaultError(f"{destination} is a folder; give a file name for the backup")
    folder = destination.parent
    if not folder.is_dir():
        raise VaultError(f"{folder} does not exist")
    if not overwrite:
        refuse_existing(destination)  # before the snapshot: the officer is asked at once
    try:
        staging = Path(tempfile.mkdtemp(prefix=".casecoord-backup-", dir=folder))
    except OSError as exc:  # a read-only or full disk, a folder not ours: one clear line
        raise_for_os_error(exc, str(destination))
    try:
        snapshot = staging / DATABASE_NAME
        raw = vault.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM INTO ?", (str(snapshot),))
            cursor.close()
        except sqlcipher3.dbapi2.Error as exc:
            if "full" in str(exc):
                raise VaultError("the disk is full: no backup was written") from None
            raise VaultError(f"the backup snapshot failed: {exc}") from None
        finally:
            raw.close()
        os.chmod(snapshot, 0o600)
        database_sha = _sha256_file(snapshot)
        manifest = {
            "format": FORMAT,
            "version": 1,
            "vault_id": vault.keyfile.vault_id,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database_sha256": database_sha,
        }
        try:
            with (
                atomic_writer(destination, overwrite=overwrite) as handle,
                zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive,
            ):
                archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2))
                archive.writestr(KEYFILE_NAME, vault.keyfile.to_bytes())
                archive.write(snapshot, DATABASE_NAME)
        except OSError as exc:
            raise_for_os_error(exc, str(destination))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BackupInfo(destination, destination.stat().st_size, database_sha)


def restore_backup(backup: Path, root: Path, passphrase: str) -> UnlockedVault:
    """Unpack a backup into an empty vault folder and prove it opens and checks out."""
    paths = VaultPaths(root)
    if paths.keyfile.exists() or paths.database.exists():
        raise VaultError(f"{root} already holds a vault; restore into an empty folder")
    try:
        archive = zipfile.ZipFile(backup)
    except FileNotFoundError:
        raise VaultError(f"{backup} does not exist") from None
    except (zipfile.BadZipFile, OSError):
        raise VaultError(f"{backup} is not a casecoord backup (not a readable archive)") from None
    with archive:
        names = set(archive.namelist())
        if names != {MANIFEST_NAME, KEYFILE_NAME, DATABASE_NAME}:
            raise VaultError(f"{backup} is not a casecoord backup (unexpected contents)")
        try:
            manifest = json.loads(archive.read(MANIFEST_NAME))
            if manifest.get("format") != FORMAT:
                raise ValueError
        except (ValueError, KeyError):
            raise VaultError(f"{backup} has a damaged manifest") from None
        keyfile = KeyFile.from_bytes(archive.read(KEYFILE_NAME), f"{backup}:{KEYFILE_NAME}")
        keyfile.unwrap(
            "passphrase", passphrase.encode("utf-8")
        )  # wrong passphrase: nothing written
        make_private_dir(root)
        # Unpacked and checked in a private staging folder first: a backup that fails its
        # checksum, its integrity check or its audit chain leaves nothing under the vault's
        # names that could be opened (and mistaken for a good restore).
        staging_root = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
        staged = VaultPaths(staging_root)
        try:
            try:
                with (
                    archive.open(DATABASE_NAME) as source,
                    atomic_writer(staged.database) as target,
                ):
                    shutil.copyfileobj(source, target, 1 << 20)
            except OSError as exc:
                raise_for_os_error(exc, str(staged.database))
            if _sha256_file(staged.database) != manifest.get("database_sha256"):
                raise VaultError(f"{backup} is damaged: the database does not match its checksum")
            keyfile.write(staged.keyfile)
            trial = open_vault(staging_root, passphrase)
            try:
                report = check_vault(trial)
            finally:
                trial.close()
            if not report.ok:
                raise VaultError(
                    f"the restored vault fails its check: {report.describe()}; nothing was restored"
                )
            # The pending name: if a crash comes after vault.json is written but before the
            # rename, the next open finishes the restore (as it finishes an interrupted init).
            os.replace(staged.database, paths.pending_database)
            keyfile.write(paths.keyfile)
            os.replace(paths.pending_database, paths.database)
        finally:
            shutil.rmtree(staging_root, ignore_errors=True)
    return open_vault(root, passphrase)


@dataclass(frozen=True)
class CheckReport:
    integrity: str
    chain: audit.ChainReport
    rows: audit.RowReport | None = None

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.chain.ok and (self.rows is None or self.rows.ok)

    def describe(self) -> str:
        rows = f"; {self.rows.describe()}" if self.rows is not None else ""
        return f"database integrity: {self.integrity}; {self.chain.describe()}{rows}"


def check_vault(vault: UnlockedVault) -> CheckReport:
    """SQLite's and SQLCipher's integrity checks, then the audit chain.

    A damaged page fails SQLCipher's per-page HMAC and may stop either check part-way; that is
    reported as the finding, never raised, so ``casecoord check`` always answers.
    """
    try:
        with vault.engine.connect() as connection:
            rows = connection.execute(text("PRAGMA integrity_check")).scalars().all()
            cipher_rows = connection.execute(text("PRAGMA cipher_integrity_check")).scalars().all()
        problems = [str(r) for r in rows if str(r) != "ok"] + [str(r) for r in cipher_rows]
        integrity = "ok" if not problems else "; ".join(problems[:5])
    except DBAPIError as exc:
        integrity = f"damaged: {exc.orig if exc.orig is not None else exc}"
    row_report: audit.RowReport | None = None
    try:
        with vault.session() as session:
            chain = audit.verify_chain(session)
            row_report = audit.verify_rows(session)
    except VaultError as exc:
        chain = audit.ChainReport(0, 0, f"the audit chain could not be read: {exc.message}")
    except DBAPIError as exc:
        chain = audit.ChainReport(0, 0, f"the rows could not be read: {exc.orig or exc}")
    return CheckReport(integrity, chain, row_report)
