"""The report verb: figures across cases (open requests, turnaround, overdue deadlines)."""

from __future__ import annotations

import argparse

from casecoord.cli.output import info, print_json, print_table
from casecoord.cli.vault_commands import Common, unlock
from casecoord.cli.verbs import Subparsers


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


def register(sub: Subparsers, common: Common) -> None:
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
