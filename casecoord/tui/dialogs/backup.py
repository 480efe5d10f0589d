"""Backing up the vault from the TUI: choose a file, write it off the UI thread, say where.

The same service as ``casecoord backup FILE`` (:func:`casecoord.services.backup.back_up_vault`):
the same encrypted file, the same audit entry, restorable with ``casecoord restore``. An existing
file is never replaced unasked: the screen's :meth:`AreaScreen.offer_replace` names it and only
"Replace" writes over it (atomically, ``0600``); "Keep it" leaves it byte for byte. A refusal (a
read-only or full disk, a folder that is not there) is one line in an error dialog, and nothing
is written.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from casecoord.domain.errors import CasecoordError
from casecoord.domain.text import shown
from casecoord.tui.dialogs.file_picker import FilePickerDialog

if TYPE_CHECKING:
    from casecoord.tui.screens.base import AreaScreen
    from casecoord.vault.backup import BackupInfo

BACKUP_SUFFIX = ".ccbak"


def default_backup_name(today: date | None = None) -> str:
    return f"casecoord-backup-{(today or date.today()).isoformat()}{BACKUP_SUFFIX}"


def backup_flow(screen: AreaScreen) -> None:
    """Ask where to write the backup (a save dialog), then write it from ``screen``."""
    screen.app.push_screen(
        FilePickerDialog(
            "Back up the vault (encrypted; restore with 'casecoord restore')",
            save=True,
            default_name=default_backup_name(),
            suffixes=(BACKUP_SUFFIX,),
        ),
        lambda chosen: write_backup_to(screen, chosen) if chosen is not None else None,
    )


def write_backup_to(screen: AreaScreen, destination: Path, *, overwrite: bool = False) -> None:
    """Write the backup in a worker; an existing file is replaced only after a yes."""
    from casecoord.services.backup import back_up_vault

    vault = screen.vault

    def done(info: BackupInfo) -> None:
        screen.notify(
            f"Encrypted backup written to {shown(info.path, one_line=True)} ({info.size:,} bytes)",
            title="Backup",
            markup=False,
        )

    def failed(error: CasecoordError) -> None:
        retry = partial(write_backup_to, screen, destination, overwrite=True)
        if not overwrite and screen.offer_replace(error, retry):
            return
        screen.show_error(error, "Backup not written")

    screen.work(
        lambda: back_up_vault(vault, destination, overwrite=overwrite),
        done,
        failed,
        group="backup",
        description="back up the vault",
    )
