"""Treaty verbs: which legal basis applies between two states, and the deadline rules."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from casecoord.cli.output import jsonable, print_json, print_table
from casecoord.cli.vault_commands import Common
from casecoord.domain.errors import ValidationError
from casecoord.domain.values import comma_separated, country_code, iso_date, penalty_years

if TYPE_CHECKING:
    from casecoord.treaties.resolver import LegalBasis, Resolution


def _penalty(value: str | None) -> float | None:
    return penalty_years(value, "max-penalty-years")


def _basis_lines(basis: LegalBasis, indent: str) -> list[str]:
    lines = [
        f"{indent}articles: {', '.join(basis.articles) or '-'}",
        f"{indent}channel:  {', '.join(str(c) for c in basis.channels) or '-'}",
        f"{indent}language: {basis.language}",
        f"{indent}why:      {basis.why}",
    ]
    lines.extend(f"{indent}note:     {caveat}" for caveat in basis.caveats)
    return lines


# where `basis` takes each scope answer, by ScopeTopic value (the resolver's questions name no
# flag; keyed by value so `--help` need not import the resolver)
BASIS_ANSWER_FLAGS: dict[str, str] = {
    "offence": "--offence KEY",
    "organised-group": "--organised-group or --no-organised-group",
    "max-penalty": "--max-penalty-years",
}


def render_resolution(resolution: Resolution) -> str:
    """The answer as an officer reads it: the basis to use first, the rest folded below."""
    kind = resolution.kind.value
    out = [
        f"Legal basis for {kind} {resolution.requesting} → {resolution.requested} "
        f"on {resolution.on.isoformat()}"
    ]
    first = resolution.first
    if first is None:
        out.append("  Use: none that the catalogue can establish (see the notes below)")
    else:
        flag = "" if first.certainty == "confirmed" else f"  [{first.certainty}]"
        out.append(f"  Use: {first.title} ({first.short_name}){flag}")
        out.extend(_basis_lines(first, "    "))
    if resolution.questions:
        out.append("")
        out.append("  To settle the conventions' scope, answer:")
        out.extend(
            f"    - {question.text} → answer with {BASIS_ANSWER_FLAGS[question.topic]}"
            for question in resolution.questions
        )
    if len(resolution.bases) > 1:
        out.append("")
        out.append("  Also available, weaker or conditional:")
        for rank, basis in enumerate(resolution.bases[1:], 2):
            flag = "" if basis.certainty == "confirmed" else f" [{basis.certainty}]"
            articles = ", ".join(basis.articles) or "-"
            out.append(f"    {rank}. {basis.short_name}{flag}: {articles}")
            out.append(f"       why: {basis.why}")
            out.extend(f"       note: {caveat}" for caveat in basis.caveats)
    if resolution.unknown:
        out.append("")
        out.append("  Not settled by the catalogue (check before relying on it):")
        out.extend(f"    ? {u.instrument_id}: {u.reason}" for u in resolution.unknown)
    for note in resolution.notes:
        out.append("")
        out.append(f"  Note: {note}")
    return "\n".join(out)


def resolution_json(resolution: Resolution) -> dict[str, Any]:
    """The whole answer for scripts, with the basis to use first named as ``use``."""
    data: dict[str, Any] = jsonable(resolution)
    data["use"] = jsonable(resolution.first) if resolution.first is not None else None
    return data


def cmd_basis(args: argparse.Namespace) -> int:
    from casecoord.domain.enums import RequestKind
    from casecoord.services.cases import enum_value
    from casecoord.treaties.resolver import resolve_basis

    requesting = country_code(args.requesting, "from")
    requested = country_code(args.requested, "to")
    if requesting == requested:
        raise ValidationError("to", "the requesting and the requested state must differ")
    kind = enum_value(RequestKind, args.kind, "kind")
    on = iso_date(args.on, "on") or date.today()
    offences = comma_separated(*(args.offence or []))
    resolution = resolve_basis(
        requesting,
        requested,
        kind,
        on,
        offences or None,
        organised_group=args.organised_group,
        max_penalty_years=_penalty(args.max_penalty_years),
    )
    if args.json:
        print_json(resolution_json(resolution))
        return 0
    print(render_resolution(resolution))
    if resolution.rejected:
        print("\n  Considered and not applicable:")
        print_table(
            ["instrument", "status", "why not"],
            [(r.instrument_id, r.status, r.reason) for r in resolution.rejected],
        )
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
        help="offence keys (drugs, organised-crime, corruption, money-laundering, "
        "obstruction-of-justice, or EU list offences); laundering with drugs or corruption "
        "names the proceeds laundered",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--organised-group",
        dest="organised_group",
        action="store_true",
        default=None,
        help="an organised criminal group is involved (UNTOC Arts. 2(a), 3(1))",
    )
    group.add_argument(
        "--no-organised-group",
        dest="organised_group",
        action="store_false",
        help="no organised criminal group is involved",
    )
    p.add_argument(
        "--max-penalty-years",
        metavar="N",
        help="the offence's maximum penalty in years (UNTOC serious crime: at least 4)",
    )
    p.add_argument("--json", action="store_true")
    text = "the statutory time-limit rules of the treaty catalogue"
    p = sub.add_parser("rules", help=text, description=text)
    common(p)
    p.set_defaults(handler=cmd_rules)
    p.add_argument("--json", action="store_true")
