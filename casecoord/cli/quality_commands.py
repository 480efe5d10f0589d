"""Verbs for the quality of the record: completeness, follow-ups, families, retention, authorities,
reports.

``request check``, ``request follow-up`` and ``request family`` join the existing ``request`` verb
group (registered by :mod:`casecoord.cli.record_commands`, which must run first); ``purge``,
``authority`` and ``report`` are verbs of their own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from casecoord.cli.output import print_json
from casecoord.cli.vault_commands import Common, unlock

Handler = Callable[[argparse.Namespace], int]


# -- request check --------------------------------------------------------------------------


def cmd_request_check(args: argparse.Namespace) -> int:
    from casecoord.services.completeness import check_request

    with unlock(args) as vault:
        report = check_request(vault, args.ref)
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
            }
        )
        return 0 if report.complete else 1
    basis = report.instrument_title or "no legal basis"
    print(f"Request {report.request_ref} ({report.kind}) under {basis}")
    for title, items, mark in (
        ("Missing (blocks 'ready')", report.missing, "✗"),
        ("Advice", report.advice, "!"),
        ("Present", report.satisfied, "✓"),
    ):
        if not items:
            continue
        print(f"\n{title}")
        for item in items:
            print(f"  {mark} {item.describe()}")
    print()
    print(report.summary() + ".")
    return 0 if report.complete else 1


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
