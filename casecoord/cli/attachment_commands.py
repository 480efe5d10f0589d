"""Attachment verbs: add a file to a case or request, list, export."""

from __future__ import annotations

import argparse
from pathlib import Path

from casecoord.cli.output import print_json, print_table
from casecoord.cli.vault_commands import Common, unlock


def cmd_add(args: argparse.Namespace) -> int:
    from casecoord.services.attachments import add_attachment

    with unlock(args) as vault:
        info = add_attachment(
            vault,
            args.case,
            Path(args.file),
            request_ref=args.request,
            tlp=args.tlp,
            handling_code=args.handling,
        )
    if args.json:
        print_json(info)
    else:
        print(
            f"Attachment {info.id} '{info.name}' added ({info.size:,} bytes, sha256 {info.sha256[:16]}…)."
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from casecoord.services.attachments import list_attachments

    with unlock(args) as vault:
        items = list_attachments(vault, args.case, args.request)
    if args.json:
        print_json(items)
        return 0
    print_table(
        ["id", "request", "size", "handling", "sha256", "name"],
        [
            (
                a.id,
                a.request_ref or "",
                f"{a.size:,}",
                f"TLP:{a.tlp} {a.handling_code}",
                a.sha256[:16],
                a.name,
            )
            for a in items
        ],
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from casecoord.services.attachments import export_attachment

    with unlock(args) as vault:
        target = export_attachment(
            vault, int(args.id), Path(args.destination), overwrite=args.force
        )
    print(f"Attachment written to {target} (outside the vault: it is no longer encrypted).")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    text = "evidence files kept encrypted inside the vault"
    group = sub.add_parser("attachment", help=text, description=text)
    verbs = group.add_subparsers(dest="attachment_command", metavar="ACTION", required=True)
    p = verbs.add_parser(
        "add",
        help="add a file to a case (and a request)",
        description="add a file to a case (and a request)",
    )
    common(p)
    p.set_defaults(handler=cmd_add)
    p.add_argument("case", metavar="CASE_REF")
    p.add_argument("file")
    p.add_argument("--request", metavar="REQUEST_REF")
    p.add_argument("--tlp", default="AMBER")
    p.add_argument("--handling", default="H1")
    p.add_argument("--json", action="store_true")
    p = verbs.add_parser(
        "list", help="list a case's attachments", description="list a case's attachments"
    )
    common(p)
    p.set_defaults(handler=cmd_list)
    p.add_argument("case", metavar="CASE_REF")
    p.add_argument("--request", metavar="REQUEST_REF")
    p.add_argument("--json", action="store_true")
    p = verbs.add_parser(
        "export",
        help="write an attachment to a file",
        description="write an attachment to a file (plaintext, outside the vault)",
    )
    common(p)
    p.set_defaults(handler=cmd_export)
    p.add_argument("id")
    p.add_argument("destination", help="a file name or a folder")
    p.add_argument("--force", action="store_true", help="replace an existing file")
