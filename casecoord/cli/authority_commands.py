"""Verbs on the competent-authority directory: import a CSV, list, suggest who receives a request."""

from __future__ import annotations

import argparse

from casecoord.cli.output import print_json, print_table
from casecoord.cli.vault_commands import Common, unlock
from casecoord.cli.verbs import Subparsers, verb


def cmd_authority_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casecoord.services.authorities import import_csv

    with unlock(args) as vault:
        result = import_csv(vault, Path(args.file))
    print(
        f"{result.rows} authorit{'y' if result.rows == 1 else 'ies'} imported from {args.file}: "
        f"{result.added} added, {result.updated} updated."
    )
    return 0


def cmd_authority_list(args: argparse.Namespace) -> int:
    from casecoord.services.authorities import list_authorities

    with unlock(args) as vault:
        rows = list_authorities(vault, args.country)
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["country", "kinds", "role", "verified", "status", "name"],
        [
            (
                a.country,
                ",".join(a.kinds) or "all",
                a.role,
                a.last_verified.isoformat() if a.last_verified else "never",
                a.status,
                a.name,
            )
            for a in rows
        ],
    )
    return 0


def cmd_authority_suggest(args: argparse.Namespace) -> int:
    from casecoord.domain.enums import RequestKind
    from casecoord.domain.values import country_code
    from casecoord.services.authorities import suggest_addressee
    from casecoord.services.cases import enum_value

    country = country_code(args.to, "to")
    kind = enum_value(RequestKind, args.kind, "kind")
    with unlock(args) as vault:
        found = suggest_addressee(vault, country, kind)
    if args.json:
        print_json(found)
        return 0 if found is not None else 1
    if found is None:
        print(
            f"No authority for {kind} requests to {country} in the directory; check the EJN "
            "Fiches Belges and add it (casecoord authority import)."
        )
        return 1
    verified = found.last_verified.isoformat() if found.last_verified else "never"
    print(f"{found.name} ({found.role}, {found.country}); last verified {verified}")
    if found.note:
        print(f"  {found.note}")
    return 0


def register(sub: Subparsers, common: Common) -> None:
    authority = sub.add_parser(
        "authority",
        help="the competent-authority directory",
        description="the competent-authority directory (central authorities and who receives "
        "which kind of request, each with the date it was last verified)",
    )
    verbs = authority.add_subparsers(dest="authority_command", metavar="ACTION", required=True)
    p = verb(
        verbs,
        "import",
        cmd_authority_import,
        "add or replace authorities from a CSV (columns: country, name, last_verified; optional "
        "kinds, role, address, email, phone, languages, status, note, source); all or nothing",
        common,
    )
    p.add_argument("file", metavar="FILE.csv")
    p = verb(verbs, "list", cmd_authority_list, "list the directory", common)
    p.add_argument("--country", metavar="CC")
    p.add_argument("--json", action="store_true")
    p = verb(
        verbs,
        "suggest",
        cmd_authority_suggest,
        "who should receive a request of a kind in a state",
        common,
    )
    p.add_argument("--to", required=True, metavar="CC", help="requested state")
    p.add_argument("--kind", required=True)
    p.add_argument("--json", action="store_true")
