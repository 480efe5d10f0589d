"""Vault verbs: init, demo, passwd, unlock, backup, restore, check, audit, settings, search."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from casecoord.cli.output import info, print_fields, print_json, print_table
from casecoord.cli.secrets import SecretSource
from casecoord.domain.errors import CasecoordError, VaultError
from casecoord.store import Store
from casecoord.vault.kdf import creation_params
from casecoord.vault.location import ENV_VAR, VaultPaths, resolve_vault_dir
from casecoord.vault.vault import UnlockedVault

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

Common = Callable[[argparse.ArgumentParser], None]


def vault_dir(args: argparse.Namespace) -> Path:
    return resolve_vault_dir(getattr(args, "vault", None))


def secrets(args: argparse.Namespace) -> SecretSource:
    return SecretSource(getattr(args, "passphrase_file", None))


def resolve_team(args: argparse.Namespace) -> URL | None:
    """The team store these arguments name, or None for the local vault."""
    from casecoord.store.locate import resolve_store

    vault_chosen = bool(getattr(args, "vault", None) or os.environ.get(ENV_VAR))
    return resolve_store(getattr(args, "store", None), vault_chosen)


def unlock(args: argparse.Namespace, source: SecretSource | None = None) -> Store:
    """The store the verb works on: a team store when ``--store``, ``CASECOORD_STORE`` or a
    team.toml default names one, else the local vault (asking for its passphrase)."""
    team = resolve_team(args)
    if team is not None:
        from casecoord.store.connect import connect_team_store

        return connect_team_store(team, source or secrets(args))
    return unlock_vault(args, source)


def unlock_vault(args: argparse.Namespace, source: SecretSource | None = None) -> UnlockedVault:
    """The local vault (for verbs that only a vault has: passphrase, backup, restore)."""
    from casecoord.vault.vault import open_vault

    root = vault_dir(args)
    if not VaultPaths(root).exists():
        raise VaultError(f"no vault in {root}; create one with 'casecoord init --vault {root}'")
    src = source or secrets(args)
    return open_vault(root, src.ask("Passphrase: "))


def cmd_init(args: argparse.Namespace) -> int:
    from casecoord.vault.vault import create_vault

    root = vault_dir(args)
    if VaultPaths(root).exists():
        raise VaultError(f"{root} already holds a vault")
    source = secrets(args)
    if source.interactive:
        info("Choose a passphrase of at least 12 characters (a few unrelated words work well).")
    passphrase = source.ask("New passphrase: ", confirm=True)
    vault, recovery = create_vault(root, passphrase, creation_params())
    vault.close()
    print(f"Vault created in {root}")
    print()
    print("RECOVERY KEY (shown once; write it down and keep it apart from this laptop):")
    print(f"    {recovery}")
    print()
    print(
        "With it you can open the vault and set a new passphrase: casecoord unlock --recovery-key"
    )
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from casecoord.services.journal import record
    from casecoord.vault.vault import change_passphrase, open_vault

    root = vault_dir(args)
    source = secrets(args)
    old = source.ask("Current passphrase: ")
    new = source.ask("New passphrase: ", confirm=True)
    change_passphrase(root, old, new)
    with open_vault(root, new) as vault, vault.transaction() as session:
        record(session, "vault.passphrase-change", "vault", vault.keyfile.vault_id)
    print("Passphrase changed (the database was not re-encrypted; the recovery key is unchanged).")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from casecoord.services.journal import record
    from casecoord.vault.vault import recover_with_key

    if not args.recovery_key:
        raise CasecoordError("use 'casecoord unlock --recovery-key' to open with the recovery key")
    source = secrets(args)
    key = source.ask("Recovery key: ")
    new = source.ask("New passphrase: ", confirm=True)
    with recover_with_key(vault_dir(args), key, new) as vault, vault.transaction() as session:
        record(session, "vault.recovery-unlock", "vault", vault.keyfile.vault_id)
    print("Vault opened with the recovery key; the new passphrase is set.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from casecoord.services.demo import DEMO_PASSPHRASE, build_demo
    from casecoord.vault.location import default_vault_dir
    from casecoord.vault.vault import create_vault, open_vault

    root = (
        Path(args.vault).expanduser()
        if args.vault
        else (
            Path(os.environ["CASECOORD_VAULT"])
            if os.environ.get("CASECOORD_VAULT")
            else default_vault_dir().parent / "demo"
        )
    )
    source = secrets(args)
    interactive = source.interactive
    passphrase = DEMO_PASSPHRASE if interactive else source.ask("Passphrase: ")
    if VaultPaths(root).exists():
        vault = open_vault(root, passphrase)
        info(f"Reusing the demo vault in {root}")
    else:
        vault, _recovery = create_vault(root, passphrase, creation_params())
        info(f"Building a demo vault in {root} ({args.cases} cases)…")

        def progress(_what: str, done: int, total: int) -> None:
            if interactive and (done == total or done % max(1, total // 20) == 0):
                print(f"\r  {done}/{total} cases", end="", file=sys.stderr, flush=True)

        summary = build_demo(vault, cases=args.cases, progress=progress)
        if interactive:
            print(file=sys.stderr)
        info(
            f"Demo ready: {summary.cases} cases, {summary.requests} requests, "
            f"{summary.deadlines} deadlines, {summary.contacts} contacts."
        )
    if not interactive:
        vault.close()
        print(f"Demo vault ready in {root}")
        return 0
    info(f"Demo passphrase: {DEMO_PASSPHRASE}")
    from casecoord.tui.app import run_app

    return run_app(root, vault)


def cmd_backup(args: argparse.Namespace) -> int:
    from casecoord.services.backup import TEAM_STORE_REFUSAL, back_up_vault

    if resolve_team(args) is not None:
        raise CasecoordError(TEAM_STORE_REFUSAL)
    with unlock_vault(args) as vault:
        result = back_up_vault(vault, Path(args.file), overwrite=args.force)
    print(f"Encrypted backup written to {result.path} ({result.size:,} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from casecoord.services.journal import record
    from casecoord.vault.backup import restore_backup

    if not args.vault:
        raise CasecoordError("restore needs --vault DIR: the empty folder to restore into")
    root = Path(args.vault).expanduser()
    passphrase = secrets(args).ask("Passphrase of the backed-up vault: ")
    with restore_backup(Path(args.file), root, passphrase) as vault, vault.transaction() as session:
        record(
            session,
            "vault.restore",
            "vault",
            vault.keyfile.vault_id,
            {"file": Path(args.file).name},
        )
    print(f"Backup restored into {root}; the integrity and audit checks pass.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from casecoord.services.audit_log import verify
    from casecoord.vault.backup import check_vault

    with unlock(args) as store:
        if not isinstance(store, UnlockedVault):  # the server keeps its own pages (pg_amcheck)
            chain = verify(store)
            print(chain.describe())
            return 0 if chain.ok else 1
        report = check_vault(store)
    print(f"database integrity: {report.integrity}")
    print(report.chain.describe())
    if report.rows is not None:
        from casecoord.domain.text import shown

        print(shown(report.rows.describe(), one_line=True))
    return 0 if report.ok else 1


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from casecoord.services.audit_log import verify

    with unlock(args) as vault:
        report = verify(vault)
    print(report.describe())
    return 0 if report.ok else 1


def cmd_audit_show(args: argparse.Namespace) -> int:
    import json

    from casecoord.services.audit_log import describe, get_entry

    with unlock(args) as vault:
        entry = get_entry(vault, args.seq)
    if args.json:
        print_json(entry.model_dump(mode="json") | {"summary": describe(entry)})
        return 0
    print_fields(
        [
            ("entry", entry.seq),
            ("at", f"{entry.at:%Y-%m-%d %H:%M:%S} UTC"),
            ("actor", entry.actor),
            ("action", entry.action),
            ("subject", f"{entry.entity} {entry.entity_ref}"),
            ("case", entry.case_ref),
            ("summary", describe(entry)),
            ("entry hash", entry.entry_hash),
        ]
    )
    if entry.payload is None:
        print("details   erased by a retention purge (their digest stays in the chain)")
    else:
        print("details")
        print(json.dumps(entry.payload, indent=2, ensure_ascii=False, sort_keys=True))
    return 0


def cmd_audit_list(args: argparse.Namespace) -> int:
    from casecoord.services.audit_log import describe, list_entries

    with unlock(args) as vault:
        entries = list_entries(vault, case_ref=args.case, limit=args.limit)
    if args.json:
        print_json(
            [
                e.model_dump(mode="json", exclude={"payload"}) | {"summary": describe(e)}
                for e in entries
            ]
        )
        return 0
    print_table(
        ["seq", "at (UTC)", "actor", "action", "subject", "case", "what"],
        [
            (
                e.seq,
                e.at.strftime("%Y-%m-%d %H:%M:%S"),
                e.actor,
                e.action,
                e.entity_ref,
                e.case_ref,
                describe(e),
            )
            for e in entries
        ],
    )
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from casecoord.services.settings import all_settings, set_setting

    with unlock(args) as vault:
        if args.key and args.value is not None:
            set_setting(vault, args.key, args.value)
        values = all_settings(vault)
    if args.json:
        print_json(values)
    else:
        print_table(["setting", "value"], sorted(values.items()))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from casecoord.services.search import search

    with unlock(args) as vault:
        hits = search(vault, " ".join(args.words), limit=args.limit)
    if args.json:
        print_json(hits)
    else:
        print_table(
            ["kind", "ref", "case", "match"], [(h.kind, h.ref, h.case_ref, h.snippet) for h in hits]
        )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text, description=help_text)
        common(parser)
        parser.set_defaults(handler=handler)
        return parser

    add("init", cmd_init, "create a vault (asks the passphrase twice, shows the recovery key once)")
    demo = add("demo", cmd_demo, "create or reuse a demo vault of fictional cases and open it")
    demo.add_argument(
        "--cases", type=int, default=40, help="number of cases (100000 for benchmarks)"
    )
    add(
        "passwd",
        cmd_passwd,
        "change the passphrase (re-wraps the key; the database is not re-encrypted)",
    )
    unlock_parser = add("unlock", cmd_unlock, "open with the recovery key and set a new passphrase")
    unlock_parser.add_argument("--recovery-key", action="store_true", help="use the recovery key")
    backup = add("backup", cmd_backup, "write an encrypted, self-contained backup")
    backup.add_argument("file")
    backup.add_argument("--force", action="store_true", help="replace an existing file")
    restore = add("restore", cmd_restore, "restore a backup into an empty folder and check it")
    restore.add_argument("file")
    add("check", cmd_check, "run the database integrity check and the audit-chain check")
    settings = add("settings", cmd_settings, "show settings, or set one: settings KEY VALUE")
    settings.add_argument("key", nargs="?")
    settings.add_argument("value", nargs="?")
    settings.add_argument("--json", action="store_true")
    search = add(
        "search", cmd_search, "full-text search over cases, notes, request facts and persons"
    )
    search.add_argument("words", nargs="+")
    search.add_argument("--limit", type=int, default=50)
    search.add_argument("--json", action="store_true")

    audit = sub.add_parser(
        "audit", help="the tamper-evident audit chain", description="the tamper-evident audit chain"
    )
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify", help="walk the hash chain and name the first broken link"
    )
    common(verify)
    verify.set_defaults(handler=cmd_audit_verify)
    listing = audit_sub.add_parser("list", help="who changed what and when")
    common(listing)
    listing.add_argument("--case", metavar="REF")
    listing.add_argument("--limit", type=int, default=200)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_audit_list)
    showing = audit_sub.add_parser(
        "show", help="one entry with its recorded details (release reasons, bundle digests)"
    )
    common(showing)
    showing.add_argument("seq", type=int, help="the entry's number (audit list shows them)")
    showing.add_argument("--json", action="store_true")
    showing.set_defaults(handler=cmd_audit_show)
