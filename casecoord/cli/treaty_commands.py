"""Treaty verbs: which legal basis applies between two states, and the deadline rules."""

from __future__ import annotations

import argparse
from datetime import date

from casecoord.cli.output import print_json, print_table
from casecoord.cli.vault_commands import Common
from casecoord.domain.values import country_code, iso_date


def cmd_basis(args: argparse.Namespace) -> int:
    from casecoord.domain.enums import RequestKind
    from casecoord.services.cases import enum_value
    from casecoord.treaties.resolver import resolve_basis

    requesting = country_code(args.requesting, "from")
    requested = country_code(args.requested, "to")
    kind = enum_value(RequestKind, args.kind, "kind")
    on = iso_date(args.on, "on") or date.today()
    offences = [o.strip() for value in args.offence or [] for o in value.split(",") if o.strip()]
    resolution = resolve_basis(requesting, requested, kind, on, offences or None)
    if args.json:
        print_json(resolution)
        return 0
    print(
        f"Legal bases for {kind} {requesting} → {requested} on {on.isoformat()}, most specific first:"
    )
    if not resolution.bases:
        print("  none: no instrument binds this pair for this kind on that date")
    for index, basis in enumerate(resolution.bases, 1):
        articles = ", ".join(basis.articles) or "-"
        channels = ", ".join(str(c) for c in basis.channels) or "-"
        flag = "" if basis.certainty == "confirmed" else f"  [{basis.certainty}]"
        print(f"{index}. {basis.title} ({basis.short_name}){flag}")
        print(f"   articles: {articles}   channel: {channels}   language: {basis.language}")
        print(f"   why: {basis.why}")
        for caveat in basis.caveats:
            print(f"   note: {caveat}")
    if resolution.rejected:
        print("\nConsidered and not applicable:")
        print_table(
            ["instrument", "status", "why not"],
            [(r.instrument_id, r.status, r.reason) for r in resolution.rejected],
        )
    for note in resolution.notes:
        print(f"\nNote: {note}")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from casecoord.treaties.deadlines import list_rules

    rules = list_rules()
    if args.json:
        print_json(list(rules))
        return 0
    print_table(
        ["rule", "article", "limit", "starts at", "status"],
        [
            (
                r.id,
                r.article,
                f"{r.amount} {r.counting}",
                r.event or ("extends " + ", ".join(r.extends)),
                r.status,
            )
            for r in rules
        ],
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    text = "which legal bases apply between two states for a kind of request, and why"
    p = sub.add_parser("basis", help=text, description=text)
    common(p)
    p.set_defaults(handler=cmd_basis)
    p.add_argument("requesting", metavar="FROM", help="requesting state (ISO alpha-2)")
    p.add_argument("requested", metavar="TO", help="requested state (ISO alpha-2)")
    p.add_argument(
        "--kind",
        required=True,
        help="mla, extradition, provisional-arrest, eio, eaw, freezing, confiscation, "
        "transfer-of-proceedings, jit",
    )
    p.add_argument("--on", metavar="YYYY-MM-DD", help="the date that counts (default today)")
    p.add_argument(
        "--offence",
        action="append",
        help="offence keys (drugs, organised-crime, corruption, money-laundering or EU "
        "list offences) to decide the UN conventions' scope",
    )
    p.add_argument("--json", action="store_true")
    text = "the statutory time-limit rules of the treaty catalogue"
    p = sub.add_parser("rules", help=text, description=text)
    common(p)
    p.set_defaults(handler=cmd_rules)
    p.add_argument("--json", action="store_true")
