"""The stores the benchmarks run against, built once into ``bench/.stores/`` and reused.

The big store is made the way a user would make it — ``casecoord demo --cases 100000`` in a
subprocess, with the production Argon2id cost — so the unlock figures measure the real key file.
Its plaintext twin is made with SQLCipher's own ``sqlcipher_export`` into a database attached with
an empty key: the same schema, rows, indexes and FTS5 tables, so "SQLCipher against plain SQLite"
compares encryption and nothing else. Both are git-ignored (``bench/.stores/``); the plaintext
copy only ever holds the fictional demo data.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event

from casecoord.services.demo import DEMO_PASSPHRASE
from casecoord.vault.engine import (
    BUSY_TIMEOUT_MS,
    TUNING_PRAGMAS,
    WRITE_OPTION,
    configure_connection,
)
from casecoord.vault.migrate import MIGRATIONS_DIR
from casecoord.vault.vault import open_vault

STORES = Path(__file__).resolve().parent / ".stores"
PASSPHRASE = DEMO_PASSPHRASE


def schema_fingerprint() -> str:
    """A digest of the migration scripts: a store built under other ones is rebuilt, not reused.

    A migration edited in place (same revision id) would not be re-run on an old store, and the
    benchmarks would then time indexes the code no longer has.
    """
    digest = hashlib.sha256()
    for script in sorted(MIGRATIONS_DIR.glob("versions/*.py")):
        digest.update(script.name.encode() + b"\0" + script.read_bytes())
    return digest.hexdigest()


def demo_vault(store_dir: Path, cases: int) -> Path:
    """The demo vault of ``cases`` cases in ``store_dir``; built with the real CLI if absent."""
    root = store_dir / f"demo-{cases}"
    stamp = store_dir / f"demo-{cases}.schema"
    fingerprint = schema_fingerprint()
    complete = (root / "vault.json").exists() and (root / "casecoord.db").exists()
    if complete and stamp.exists() and stamp.read_text().strip() == fingerprint:
        return root
    shutil.rmtree(root, ignore_errors=True)
    Path(f"{root}-plain.db").unlink(missing_ok=True)
    store_dir.mkdir(parents=True, exist_ok=True)
    print(f"bench: building {root} ({cases:,} cases) with 'casecoord demo'…", file=sys.stderr)
    env = {k: v for k, v in os.environ.items() if k != "CASECOORD_KDF_PROFILE"}
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "casecoord.cli",
            "demo",
            "--cases",
            str(cases),
            "--vault",
            str(root),
        ],
        input=PASSPHRASE + "\n",
        text=True,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    print(f"bench: built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    stamp.write_text(fingerprint + "\n")
    return root


def plain_copy(vault_root: Path) -> Path:
    """A plaintext SQLite copy of the vault's database, rebuilt when the vault is newer."""
    target = vault_root.parent / f"{vault_root.name}-plain.db"
    source = vault_root / "casecoord.db"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    with open_vault(vault_root, PASSPHRASE) as vault:
        raw = sqlcipher3.dbapi2.connect(str(source), isolation_level=None)
        try:
            configure_connection(raw, vault.data_key, vault.keyfile.cipher_page_size)
            raw.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(target),))
            raw.execute("SELECT sqlcipher_export('plaintext')")
            raw.execute("DETACH DATABASE plaintext")
            encrypted = raw.execute("SELECT count(*) FROM case_file").fetchone()[0]
        finally:
            raw.close()
    check = sqlcipher3.dbapi2.connect(str(target))
    try:
        copied = check.execute("SELECT count(*) FROM case_file").fetchone()[0]
        check.execute("PRAGMA journal_mode = WAL")
    finally:
        check.close()
    if copied != encrypted:
        raise RuntimeError(f"plain copy holds {copied} cases, the vault {encrypted}")
    return target


def plain_engine(db_path: Path) -> Engine:
    """An engine over the plaintext copy, configured exactly like the vault's minus the key.

    It uses the same ``sqlcipher3`` module (the same SQLite build) and the same pragmas and
    transaction handling as :func:`casecoord.vault.engine.build_engine`.
    """
    engine = create_engine(
        f"sqlite:///{db_path}",
        module=sqlcipher3.dbapi2,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in TUNING_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
