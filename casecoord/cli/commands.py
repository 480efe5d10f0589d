"""Registry of every verb; the TUI is what runs when no verb is given.

``COMMANDS`` names the top-level verbs with their one-line help, so that ``casecoord --help``
lists them without importing the command modules (and with them SQLAlchemy and the vault):
``register`` imports those only when a verb is actually used. A test keeps the list in step
with what the modules register.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casecoord.cli.vault_commands import Common

COMMANDS: tuple[tuple[str, str], ...] = (
    ("init", "create a vault (asks the passphrase twice, shows the recovery key once)"),
    ("demo", "create or reuse a demo vault of fictional cases and open it"),
    ("passwd", "change the passphrase (re-wraps the key; the database is not re-encrypted)"),
    ("unlock", "open with the recovery key and set a new passphrase"),
    ("backup", "write an encrypted, self-contained backup"),
    ("restore", "restore a backup into an empty folder and check it"),
    ("check", "run the database integrity check and the audit-chain check"),
    ("settings", "show settings, or set one: settings KEY VALUE"),
    ("search", "full-text search over cases, notes, request facts and persons"),
    ("audit", "the tamper-evident audit chain"),
    ("case", "case files"),
    ("purge", "erase closed cases kept past their retention date (no trace left in the vault)"),
    ("request", "MLA, extradition and other requests"),
    ("contact", "the counterpart directory"),
    ("deadlines", "open deadlines; --ics FILE exports them to a calendar"),
    ("deadline", "add, close or extend one deadline"),
    ("basis", "which legal bases apply between two states for a kind of request, and why"),
    ("rules", "the statutory time-limit rules of the treaty catalogue"),
    ("attachment", "evidence files kept encrypted inside the vault"),
    ("authority", "the competent-authority directory"),
    ("report", "figures across cases: open requests, counterparts' turnaround, overdue deadlines"),
    ("identity", "your own signing identity (key and certificate, kept in the vault)"),
    ("export", "write a request as a signed bundle (.asice / .p7m)"),
    ("verify", "check a bundle: signature, signer, digests, schema"),
    ("import", "verify a bundle and create the incoming request"),
    ("receipt", "signed acknowledgments of bundles, sent back to the sender"),
    ("team", "a team store on PostgreSQL: officers, teams, assignments, moving cases"),
    ("tui", "open the terminal interface (the default)"),
)
NAMES = frozenset(name for name, _ in COMMANDS)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    """Every verb with its own options (imports the command modules)."""
    from casecoord.cli import (
        attachment_commands,
        authority_commands,
        case_commands,
        contact_commands,
        deadline_commands,
        exchange_commands,
        report_commands,
        request_commands,
        team_commands,
        treaty_commands,
        vault_commands,
    )

    for module in (
        vault_commands,
        case_commands,
        request_commands,
        contact_commands,
        deadline_commands,
        treaty_commands,
        attachment_commands,
        authority_commands,
        report_commands,
        exchange_commands,
        team_commands,
    ):
        module.register(sub, common)
    register_tui(sub, common)


def register_tui(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    tui = sub.add_parser(
        "tui",
        help="open the terminal interface (the default)",
        description="open the terminal interface (what plain 'casecoord' does)",
    )
    common(tui)
    tui.set_defaults(handler=run_tui)


def register_names(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The verbs by name and help only: enough for ``casecoord --help``."""
    for name, help_text in COMMANDS:
        sub.add_parser(name, help=help_text, add_help=False)


def run_tui(args: argparse.Namespace) -> int:
    """The TUI on the local vault (unlocked on its own screen), or on the team store that
    ``--store``, ``CASECOORD_STORE`` or a team.toml default names (connected here, asking for
    the password on the terminal when libpq has none, before the screens start)."""
    from casecoord.cli.vault_commands import resolve_team, secrets, vault_dir
    from casecoord.tui.app import run_app

    debug = bool(getattr(args, "debug", False))
    team = resolve_team(args)
    if team is None:
        return run_app(vault_dir(args), None, debug=debug)
    from casecoord.store.connect import connect_team_store

    store = connect_team_store(team, secrets(args))
    return run_app(vault_dir(args), store, debug=debug)
