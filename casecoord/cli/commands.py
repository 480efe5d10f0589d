"""Registry of every verb; the TUI is what runs when no verb is given."""

from __future__ import annotations

import argparse

from casecoord.cli import (
    attachment_commands,
    exchange_commands,
    quality_commands,
    record_commands,
    team_commands,
    treaty_commands,
    vault_commands,
)
from casecoord.cli.vault_commands import Common, vault_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: Common) -> None:
    vault_commands.register(sub, common)
    record_commands.register(sub, common)
    treaty_commands.register(sub, common)
    attachment_commands.register(sub, common)
    quality_commands.register(sub, common)
    exchange_commands.register(sub, common)
    team_commands.register(sub, common)
    tui = sub.add_parser(
        "tui",
        help="open the terminal interface (the default)",
        description="open the terminal interface (what plain 'casecoord' does)",
    )
    common(tui)
    tui.set_defaults(handler=run_tui)


def run_tui(args: argparse.Namespace) -> int:
    from casecoord.cli.vault_commands import resolve_team
    from casecoord.domain.errors import StoreError
    from casecoord.tui.app import run_app

    if resolve_team(args) is not None:  # never open the laptop vault when a team store was named
        raise StoreError(
            "the terminal interface opens a local vault only, for now; use the casecoord verbs "
            "with --store for the team store"
        )

    return run_app(vault_dir(args), None)
