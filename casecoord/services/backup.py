"""Backing up the vault: the one path behind the CLI's ``backup`` and the TUI's "Back up vault…".

Both write the same file (``casecoord/vault/backup.py``: a ZIP of ``vault.json`` and a snapshot of
the database that SQLCipher keeps encrypted) and record the same ``vault.backup`` audit entry
(file name and the snapshot's SHA-256), so a backup made from either reads alike in the chain and
restores with ``casecoord restore``. An existing file is replaced only with ``overwrite`` (the
CLI's ``--force``, the TUI's "Replace" in its confirm dialog); every refusal is a
:class:`~casecoord.domain.errors.CasecoordError` written for the officer, and leaves nothing
behind.
"""

from __future__ import annotations

from pathlib import Path

from casecoord.domain.errors import CasecoordError
from casecoord.services.journal import record
from casecoord.store import Store
from casecoord.vault.backup import BackupInfo, write_backup
from casecoord.vault.vault import UnlockedVault

TEAM_STORE_REFUSAL = (
    "a team store is backed up on the server (pg_dump); backup writes a local vault's"
)


def back_up_vault(store: Store, destination: Path, *, overwrite: bool = False) -> BackupInfo:
    """Write an encrypted backup of the local vault ``store`` to ``destination`` and record it
    in the audit chain; a team store is refused (its server keeps the backups).

    The entry is written after the file, so the backup holds the chain as it stood before it.
    """
    if not isinstance(store, UnlockedVault):
        raise CasecoordError(TEAM_STORE_REFUSAL)
    vault = store
    info = write_backup(vault, destination, overwrite=overwrite)
    with vault.transaction() as session:
        record(
            session,
            "vault.backup",
            "vault",
            vault.keyfile.vault_id,
            {"file": info.path.name, "database_sha256": info.database_sha256},
        )
    return info
