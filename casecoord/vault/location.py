"""Where a vault lives: ``--vault DIR``, else ``CASECOORD_VAULT``, else the user data directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_VAR = "CASECOORD_VAULT"
KEYFILE_NAME = "vault.json"
DATABASE_NAME = "casecoord.db"


def default_vault_dir() -> Path:
    return Path(platformdirs.user_data_dir("casecoord", appauthor=False)) / "vault"


def resolve_vault_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_vault_dir()


@dataclass(frozen=True)
class VaultPaths:
    root: Path

    @property
    def keyfile(self) -> Path:
        return self.root / KEYFILE_NAME

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def pending_database(self) -> Path:
        """A database being created by ``init``; renamed into place once vault.json is written."""
        return self.root / (DATABASE_NAME + ".init")

    def exists(self) -> bool:
        return self.keyfile.exists()
