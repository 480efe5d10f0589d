"""Team verbs: init, add-officer, join, grant-purge, revoke-purge, assign, unassign, name, list,
import, export, verify-import.

They work on the team store named by ``--store`` (or ``CASECOORD_STORE`` / team.toml). ``init``,
``add-officer``, ``join`` and the purge right need the administrator's role (the database owner,
with CREATEROLE); the others work for any officer, within what the server lets her see.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from casecoord.cli.output import info, print_json, print_table
from casecoord.cli.vault_commands import Common, resolve_team, secrets, unlock
from casecoord.domain.errors import CasecoordError, StoreError

if TYPE_CHECKING:
    from casecoord.store.postgres import TeamStore


def _team_store(args: argparse.Namespace, upgrade: bool = False) -> TeamStore:
    url = resolve_team(args)
    if url is None:
        raise StoreError(
            "team verbs need a team store: --store postgresql://… (or CASECOORD_STORE, or a "
            "team.toml profile)"
        )
    if upgrade:
        from casecoord.store.connect import connect_team_store

        return connect_team_store(url, secrets(args), upgrade=True)
    from casecoord.store.postgres import TeamStore

    store = unlock(args)
    assert isinstance(store, TeamStore)
    return store


def cmd_init(args: argparse.Namespace) -> int:
    from casecoord.services.team import init_store

    with _team_store(args, upgrade=True) as store:
        report = init_store(store)
    print(
        f"Team store ready: database {report.database}, schema {report.schema} at "
        f"{report.revision}; officers get their rights through the role {report.group}."
    )
    return 0


def cmd_add_officer(args: argparse.Namespace) -> int:
    from casecoord.services.team import add_officer

    source = secrets(args)
    with _team_store(args) as store:
        if source.interactive:
            info(f"Choose a password for {args.name} (at least 12 characters).")
        password = source.ask(f"Password for {args.name}: ", confirm=True)
        name = add_officer(store, args.name, password, args.team or [])
    teams = f" in team(s) {', '.join(args.team)}" if args.team else ""
    print(f"Officer {name} created (a database login role, SCRAM-SHA-256){teams}.")
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    from casecoord.services.team import join_team

    with _team_store(args) as store:
        join_team(store, args.officer, args.team)
    print(f"{args.officer} is now in team {args.team}.")
    return 0


def cmd_purge_right(args: argparse.Namespace) -> int:
    from casecoord.services.team import PURGER_GROUP, set_purge_right

    allowed: bool = args.allowed
    with _team_store(args) as store:
        changed = set_purge_right(store, args.officer, allowed)
    if not changed:
        had = "could already" if allowed else "could not"
        print(f"{args.officer} {had} purge; nothing changed.")
    elif allowed:
        print(
            f"{args.officer} may now purge cases past their retention date (role {PURGER_GROUP})."
        )
    else:
        print(f"{args.officer} may no longer purge cases.")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from casecoord.services.team import assign_case

    with _team_store(args) as store:
        assign_case(store, args.case, args.team)
    print(f"Case {args.case} is assigned to team {args.team}.")
    return 0


def cmd_unassign(args: argparse.Namespace) -> int:
    from casecoord.services.team import unassign_case

    with _team_store(args) as store:
        removed = unassign_case(store, args.case, args.team)
    print(
        f"Case {args.case} is no longer assigned to team {args.team}."
        if removed
        else f"Case {args.case} was not assigned to team {args.team}; nothing changed."
    )
    return 0


def cmd_name(args: argparse.Namespace) -> int:
    from casecoord.services.team import name_officer

    with _team_store(args) as store:
        entity = name_officer(store, args.ref, args.officer)
    print(f"{args.officer} is named on {entity} {args.ref} (she sees it even when restricted).")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from casecoord.services.team import list_teams

    with _team_store(args) as store:
        teams = list_teams(store)
    if args.json:
        print_json(teams)
    else:
        print_table(
            ["team", "officers", "cases"], [(t.name, ", ".join(t.members), t.cases) for t in teams]
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from casecoord.services.transfer import IDENTITY_STAYS, import_vault
    from casecoord.vault.location import VaultPaths
    from casecoord.vault.vault import open_vault

    root = Path(args.vault_dir).expanduser()
    if not VaultPaths(root).exists():
        raise CasecoordError(f"no vault in {root}")
    source = secrets(args)
    with _team_store(args) as store:
        passphrase = source.ask(f"Passphrase of the vault in {root}: ")
        with open_vault(root, passphrase) as vault:
            report = import_vault(vault, store, vault.keyfile.vault_id)
    print(f"Imported into the team store: {report.describe()}.")
    print("The retention default stays the team's; your other settings were brought where unset.")
    print(f"Not imported: {IDENTITY_STAYS}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from casecoord.services.transfer import IDENTITY_STAYS, export_cases
    from casecoord.vault.kdf import creation_params
    from casecoord.vault.location import VaultPaths
    from casecoord.vault.vault import create_vault

    root = Path(args.dir).expanduser()
    if VaultPaths(root).exists() or (root.exists() and any(root.iterdir())):
        raise CasecoordError(f"{root} is not empty; export writes a new vault into an empty folder")
    source = secrets(args)
    with _team_store(args) as store:
        if source.interactive:
            info("Choose a passphrase for the new laptop vault (at least 12 characters).")
        passphrase = source.ask("New passphrase: ", confirm=True)
        created = not root.exists()
        vault, recovery = create_vault(root, passphrase, creation_params())
        try:
            with vault:
                report = export_cases(store, vault, args.case, store.label)
        except BaseException:
            # the new vault is incomplete: it goes, so nothing half-exported is left behind
            if created:
                shutil.rmtree(root, ignore_errors=True)
            else:
                for path in root.iterdir():
                    path.unlink()
            raise
    print(f"Laptop vault written to {root}: {report.describe()}.")
    print(f"Not exported: {IDENTITY_STAYS}.")
    print()
    print("RECOVERY KEY of the new vault (shown once; keep it apart from the laptop):")
    print(f"    {recovery}")
    return 0


def cmd_verify_import(args: argparse.Namespace) -> int:
    from casecoord.services.transfer import verify_segment

    with _team_store(args) as store:
        report = verify_segment(store, args.segment)
    print("imported segment: " + report.describe())
    return 0 if report.ok else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    team = sub.add_parser(
        "team",
        help="a team store on PostgreSQL: officers, teams, assignments, moving cases",
        description="administer and use a team store (see README: Running casecoord for a team)",
    )
    team_sub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        parser = team_sub.add_parser(name, help=help_text, description=help_text)
        common(parser)
        parser.set_defaults(handler=handler)
        return parser

    add("init", cmd_init, "create or upgrade the schema, its policies and the officers' rights")
    officer = add(
        "add-officer", cmd_add_officer, "create an officer's login role (asks the password)"
    )
    officer.add_argument("name")
    officer.add_argument("--team", action="append", help="put her in this team (repeatable)")
    join = add("join", cmd_join, "put an officer in a team")
    join.add_argument("officer")
    join.add_argument("team")
    grant = add(
        "grant-purge",
        cmd_purge_right,
        "let an officer run retention purges (casecoord purge; the TUI's purge command)",
    )
    grant.add_argument("officer")
    grant.set_defaults(allowed=True)
    revoke = add("revoke-purge", cmd_purge_right, "take the purge right back from an officer")
    revoke.add_argument("officer")
    revoke.set_defaults(allowed=False)
    assign = add("assign", cmd_assign, "assign a case to a team: its officers then see it")
    assign.add_argument("case")
    assign.add_argument("team")
    unassign = add("unassign", cmd_unassign, "take a case away from a team")
    unassign.add_argument("case")
    unassign.add_argument("team")
    name = add("name", cmd_name, "name an officer on a case or request (needed for TLP:RED / H3)")
    name.add_argument("ref")
    name.add_argument("officer")
    listing = add("list", cmd_list, "teams, their officers and how many cases each holds")
    listing.add_argument("--json", action="store_true")
    imp = add(
        "import",
        cmd_import,
        "bring a local vault's cases (and its audit chain) into the team store",
    )
    imp.add_argument("vault_dir")
    exp = add("export", cmd_export, "write the chosen cases into a new laptop vault")
    exp.add_argument("--case", action="append", required=True, help="a case reference (repeatable)")
    exp.add_argument("dir", help="an empty folder for the new vault")
    verify = add("verify-import", cmd_verify_import, "check an imported vault's audit segment")
    verify.add_argument("segment", help="the vault id shown in the team.import audit entry")
