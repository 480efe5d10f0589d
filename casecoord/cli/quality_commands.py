"""Verbs for the quality of the record: completeness, follow-ups, families, retention, authorities,
reports.

``request check``, ``request follow-up`` and ``request family`` join the existing ``request`` verb
group (registered by :mod:`casecoord.cli.record_commands`, which must run first); ``purge``,
``authority`` and ``report`` are verbs of their own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from casecoord.cli.output import info, print_json, print_table
from casecoord.cli.vault_commands import Common, unlock
from casecoord.domain.errors import CasecoordError
from casecoord.domain.text import shown

Handler = Callable[[argparse.Namespace], int]


# -- request check --------------------------------------------------------------------------


def cmd_request_check(args: argparse.Namespace) -> int:
    from casecoord.services.authorities import suggest_for_request
    from casecoord.services.completeness import check_request
    from casecoord.services.requests import basis_flags

    with unlock(args) as vault:
        report = check_request(vault, args.ref)
        addressee = suggest_for_request(vault, args.ref)
        flags = basis_flags(vault, args.ref)
    if args.json:
        print_json(
            {
                "request": report.request_ref,
                "kind": report.kind,
                "instrument_id": report.instrument_id,
                "instrument_title": report.instrument_title,
                "complete": report.complete,
                "missing": report.missing,
                "advice": report.advice,
                "satisfied": report.satisfied,
                "suggested_addressee": addressee,
                "basis_flags": flags,
            }
        )
        return 0 if report.complete else 1
    basis = report.instrument_title or "no legal basis"
    print(f"Request {report.request_ref} ({report.kind}) under {basis}")
    for flag in flags:
        print(f"! basis to review: {shown(flag.message, one_line=True)}")
    for title, items, mark in (
        ("Missing (blocks 'ready')", report.missing, "✗"),
        ("Advice", report.advice, "!"),
        ("Present", report.satisfied, "✓"),
    ):
        if not items:
            continue
        print(f"\n{title}")
        for item in items:
            print(f"  {'?' if item.unknown else mark} {item.describe()}")
    if addressee is not None:
        verified = addressee.last_verified.isoformat() if addressee.last_verified else "never"
        print(f"\nSuggested addressee: {addressee.name} (last verified {verified})")
    print()
    print(report.summary() + ".")
    return 0 if report.complete else 1


# -- request follow-up / family ---------------------------------------------------------------


def cmd_request_follow_up(args: argparse.Namespace) -> int:
    from casecoord.services.families import add_follow_up

    with unlock(args) as vault:
        deadline = add_follow_up(vault, args.ref, args.within, args.title)
    print(
        f"Follow-up '{deadline.title}' set for {deadline.due_at:%Y-%m-%d %H:%M} UTC "
        f"(deadline {deadline.id})."
    )
    return 0


def cmd_request_family(args: argparse.Namespace) -> int:
    from casecoord.services.families import family

    with unlock(args) as vault:
        found = family(vault, args.ref)
    if args.json:
        print_json(found)
        return 0
    print(f"Family of {found.focus_ref} (case {found.case_ref}), root {found.root_ref}:")
    print_table(
        ["request", "relation", "belongs to", "kind", "direction", "status", "created"],
        [
            (
                ("  " * m.depth) + m.reference + (" *" if m.reference == found.focus_ref else ""),
                m.relation or "root",
                m.parent_ref or "",
                m.kind,
                m.direction,
                m.status,
                m.created_at.strftime("%Y-%m-%d"),
            )
            for m in found.members
        ],
    )
    return 0


# -- purge ----------------------------------------------------------------------------------


def cmd_purge(args: argparse.Namespace) -> int:
    from casecoord.domain.values import iso_date
    from casecoord.services.retention import purge_expired

    if not args.expired:
        raise CasecoordError("say what to purge: 'casecoord purge --expired [--dry-run]'")
    with unlock(args) as vault:
        result = purge_expired(vault, iso_date(args.as_of, "as of"), dry_run=args.dry_run)
    if args.json:
        print_json(result)
        return 0
    verb = "would be erased" if result.dry_run else "erased"
    if result.purged:
        print(f"{len(result.purged)} case(s) {verb}: {', '.join(result.purged)}")
        counts = ", ".join(f"{n} {name}" for name, n in sorted(result.rows.items()) if n)
        print(f"  with {counts}")
    else:
        print("No case past its retention date can be erased.")
    for held in result.held:
        print(f"Kept {held.reference} (retention ended {held.retention_until}): {held.held}")
    if result.purged and not result.dry_run:
        info("Backups made before today still hold these cases until they are destroyed.")
    return 0


# -- authority directory -------------------------------------------------------------------


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


# -- report -----------------------------------------------------------------------------------


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casecoord.services.reports import build_report, write_csv

    with unlock(args) as vault:
        report = build_report(vault)
    if args.csv:
        rows = write_csv(report, Path(args.csv), overwrite=args.force)
        info(f"{rows} row(s) written to {args.csv}")
    if args.json:
        print_json(report)
        return 0
    if args.csv:
        return 0
    print(f"Report as of {report.as_of:%Y-%m-%d %H:%M} UTC")
    print(f"\nOpen requests: {report.open_total}")
    print_table(
        ["from", "to", "kind", "age (days)", "open"],
        [
            (o.requesting_state, o.requested_state, o.kind, o.age_bucket, o.count)
            for o in report.open_requests
        ],
    )
    print("\nTurnaround of outgoing requests (median days from sent)")
    print_table(
        ["counterpart", "sent", "to acknowledged", "n", "to executed", "n"],
        [
            (
                t.counterpart_state,
                t.sent,
                _days(t.median_days_to_acknowledged),
                t.acknowledged,
                _days(t.median_days_to_executed),
                t.executed,
            )
            for t in report.turnaround
        ],
    )
    print(f"\nOverdue deadlines: {report.overdue_deadlines}")
    return 0


# -- registration ---------------------------------------------------------------------------


def _subcommands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The verb group ``name`` registered elsewhere (``casecoord request …``)."""
    parser = sub.choices[name]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError(f"'{name}' has no sub-verbs to extend")  # pragma: no cover


def _verb(
    parent: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Handler,
    help_text: str,
    common: Common,
) -> argparse.ArgumentParser:
    parser = parent.add_parser(name, help=help_text, description=help_text)
    common(parser)
    parser.set_defaults(handler=handler)
    return parser


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    requests = _subcommands(sub, "request")
    p = _verb(
        requests,
        "check",
        cmd_request_check,
        "what the request still lacks for its legal basis (exit 1 while incomplete)",
        common,
    )
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p = _verb(
        requests,
        "follow-up",
        cmd_request_follow_up,
        "set a reminder to chase a request (a deadline linked to it)",
        common,
    )
    p.add_argument("ref")
    p.add_argument("--in", dest="within", required=True, metavar="PERIOD", help="e.g. 14d, 2w, 48h")
    p.add_argument("--title", help="default: 'Follow up on REF'")
    p = _verb(
        requests,
        "family",
        cmd_request_family,
        "the whole thread: the first request and its supplementary, return and follow-up requests",
        common,
    )
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "purge",
        help="erase closed cases kept past their retention date (no trace left in the vault)",
        description="erase closed cases kept past their retention date: their rows, index "
        "entries and audit details; the audit chain keeps only that a case was erased",
    )
    common(p)
    p.set_defaults(handler=cmd_purge)
    p.add_argument("--expired", action="store_true", help="cases whose retention has lapsed")
    p.add_argument(
        "--dry-run", action="store_true", help="list what would be erased; change nothing"
    )
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="judge expiry on this date (default today)"
    )
    p.add_argument("--json", action="store_true")

    authority = sub.add_parser(
        "authority",
        help="the competent-authority directory",
        description="the competent-authority directory (central authorities and who receives "
        "which kind of request, each with the date it was last verified)",
    )
    verbs = authority.add_subparsers(dest="authority_command", metavar="ACTION", required=True)
    p = _verb(
        verbs,
        "import",
        cmd_authority_import,
        "add or replace authorities from a CSV (columns: country, name, last_verified; optional "
        "kinds, role, address, email, phone, languages, status, note, source); all or nothing",
        common,
    )
    p.add_argument("file", metavar="FILE.csv")
    p = _verb(verbs, "list", cmd_authority_list, "list the directory", common)
    p.add_argument("--country", metavar="CC")
    p.add_argument("--json", action="store_true")
    p = _verb(
        verbs,
        "suggest",
        cmd_authority_suggest,
        "who should receive a request of a kind in a state",
        common,
    )
    p.add_argument("--to", required=True, metavar="CC", help="requested state")
    p.add_argument("--kind", required=True)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "report",
        help="figures across cases: open requests, counterparts' turnaround, overdue deadlines",
        description="figures across cases: open requests by pair of states, kind and age; "
        "median days from sent to acknowledged and to executed per counterpart state (from the "
        "audit chain); overdue deadlines",
    )
    common(p)
    p.set_defaults(handler=cmd_report)
    p.add_argument("--csv", metavar="FILE", help="also write the figures as one long CSV table")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--json", action="store_true")
