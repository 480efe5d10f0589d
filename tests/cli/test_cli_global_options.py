"""Global options before or after the verb; --help and --version stay light."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from casecoord.cli import build_parser, command_word
from casecoord.cli.commands import COMMANDS
from tests.cli.conftest import Run

HEAVY = ("sqlalchemy", "sqlmodel", "sqlcipher3", "textual", "casecoord.vault.vault")


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_import_neither_the_database_nor_textual(option: str) -> None:
    probe = (
        "import sys\n"
        "from casecoord.cli import main\n"
        "try:\n"
        f"    main([{option!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "print('loaded:' + ','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "loaded:"


def test_the_light_verb_list_is_the_one_the_modules_register() -> None:
    full = build_parser()
    (sub,) = [a for a in full._actions if isinstance(a, argparse._SubParsersAction)]
    registered = [(choice.dest, choice.help) for choice in sub._choices_actions]
    assert registered == list(COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [["--vault", "/v", "tui"], ["tui", "--vault", "/v"], ["--vault", "/v", "--debug", "tui"]],
)
def test_vault_before_or_after_the_verb_is_the_same(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.vault == "/v"
    assert command_word(argv) == "tui"


def test_no_verb_means_the_tui_with_the_options_given() -> None:
    assert command_word(["--vault", "/v", "--debug"]) is None
    args = build_parser(full=False).parse_args(["--vault", "/v", "--debug"])
    assert args.vault == "/v" and args.debug


def test_vault_before_the_verb_reaches_the_command(run: Run, cli_vault: Path) -> None:
    before = run("--vault", str(cli_vault), "settings")
    after = run("settings", "--vault", str(cli_vault))
    assert before.code == 0, before.err
    assert before.out == after.out and "officer.country" in before.out
