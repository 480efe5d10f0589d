"""How a command module declares its verbs: a noun's group, a verb with the common options.

Every noun module (case, request, contact, deadline, authority, report, …) registers its own
group through these, so the groups look alike in ``--help`` and no module has to find another
module's parser again. ``Subparsers`` names argparse's sub-command action once: argparse does
not export that type publicly.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from casecoord.domain.values import comma_separated

if TYPE_CHECKING:
    from casecoord.cli.vault_commands import Common

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler = Callable[[argparse.Namespace], int]


def group(sub: Subparsers, name: str, help_text: str, description: str | None = None) -> Subparsers:
    """The verb group ``casecoord NAME ACTION``; an ACTION is required."""
    parser = sub.add_parser(name, help=help_text, description=description or help_text)
    return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


def verb(
    parent: Subparsers, name: str, handler: Handler, help_text: str, common: Common
) -> argparse.ArgumentParser:
    """One verb of a group, with the options every verb takes (vault, store, debug …)."""
    parser = parent.add_parser(name, help=help_text, description=help_text)
    common(parser)
    parser.set_defaults(handler=handler)
    return parser


def add_handling(parser: argparse.ArgumentParser) -> None:
    """The handling marking of a new record: TLP 2.0 and the SIENA handling code."""
    parser.add_argument(
        "--tlp", default="AMBER", help="TLP 2.0: CLEAR, GREEN, AMBER, AMBER+STRICT, RED"
    )
    parser.add_argument("--handling", default="H1", help="SIENA handling code H0-H3")


def split_values(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated values of one option, as one list (``--country NL,CO``)."""
    return comma_separated(*(values or []))
