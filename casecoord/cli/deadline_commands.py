"""Verbs on deadlines: the open list (and its calendar export), add, close, extend one."""

from __future__ import annotations

import argparse
from pathlib import Path

from casecoord.cli.output import print_json, print_table
from casecoord.cli.text_input import add_text_option, read_text
from casecoord.cli.vault_commands import Common, unlock
from casecoord.cli.verbs import Subparsers, group, verb


def cmd_deadlines(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import DeadlineQuery, list_deadlines, parse_within

    query = DeadlineQuery(
        within=parse_within(args.within) if args.within else None,
        overdue_only=args.overdue,
        open_only=not args.all,
        case_ref=args.case,
        country=args.country,
    )
    with unlock(args) as vault:
        views = list_deadlines(vault, query)
    if args.ics:
        from casecoord.services.calendar_export import write_ics

        count = write_ics(views, Path(args.ics), overwrite=args.force)
        print(f"{count} open deadline(s) written to {args.ics}")
        return 0
    if args.json:
        print_json(
            [
                v.__dict__
                | {
                    "due_officer": v.due_officer.isoformat(),
                    "due_counterpart": v.due_counterpart.isoformat(),
                }
                for v in views
            ]
        )
        return 0
    print_table(
        ["id", "due (officer)", "due (counterpart)", "case", "request", "title", "rule", "state"],
        [
            (
                v.id,
                v.due_officer.strftime("%Y-%m-%d %H:%M %Z"),
                v.due_counterpart.strftime("%Y-%m-%d %H:%M %Z"),
                v.case_ref,
                v.request_ref or "",
                v.title,
                v.article or v.origin,
                v.state,
            )
            for v in views
        ],
    )
    return 0


def cmd_deadline_add(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import add_deadline

    note = read_text(args, "note") or ""
    with unlock(args) as vault:
        deadline = add_deadline(
            vault, args.case, args.title, args.due, request_ref=args.request, note=note
        )
    print(f"Deadline {deadline.id} added, due {deadline.due_at:%Y-%m-%d %H:%M} UTC.")
    return 0


def cmd_deadline_state(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import set_deadline_state

    with unlock(args) as vault:
        deadline = set_deadline_state(vault, args.id, args.state, reason=args.reason or "")
    print(f"Deadline {deadline.id} is now {deadline.state}.")
    return 0


def cmd_deadline_extend(args: argparse.Namespace) -> int:
    from casecoord.services.deadlines import extend_deadline

    with unlock(args) as vault:
        deadline = extend_deadline(vault, args.id, args.due, args.reason)
    print(f"Deadline {deadline.id} now due {deadline.due_at:%Y-%m-%d %H:%M} UTC.")
    return 0


def register(sub: Subparsers, common: Common) -> None:

    p = sub.add_parser(
        "deadlines",
        help="open deadlines; --ics FILE exports them to a calendar",
        description="open deadlines in the officer's and the counterpart's time; --ics FILE exports "
        "them to an iCalendar file (met and waived ones as cancelled events)",
    )
    common(p)
    p.set_defaults(handler=cmd_deadlines)
    p.add_argument("--within", help="only those due within, e.g. 14d, 2w, 48h")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--all", action="store_true", help="include met and waived deadlines")
    p.add_argument("--case")
    p.add_argument("--country")
    p.add_argument("--ics", metavar="FILE", help="write an iCalendar file (RFC 5545)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--json", action="store_true")

    deadline = group(sub, "deadline", "add, close or extend one deadline")
    p = verb(deadline, "add", cmd_deadline_add, "add a manual deadline", common)
    p.add_argument("--case", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--due", required=True, help="YYYY-MM-DD [HH:MM] in the officer's zone")
    p.add_argument("--request")
    add_text_option(p, "--note", "a note on the deadline")
    for state, help_text in (
        ("met", "mark a deadline met"),
        ("waived", "waive a deadline (give a reason)"),
    ):
        p = verb(deadline, state, cmd_deadline_state, help_text, common)
        p.add_argument("id")
        p.add_argument("--reason")
        p.set_defaults(state=state)
    p = verb(deadline, "extend", cmd_deadline_extend, "extend a deadline (give a reason)", common)
    p.add_argument("id")
    p.add_argument("--due", required=True)
    p.add_argument("--reason", required=True)
