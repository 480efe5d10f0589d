"""The ``casecoord`` command: the TUI by default, and scriptable verbs for everything else.

The global options (``--vault DIR``, ``--passphrase-file F``, ``--debug``) work before or after the
verb (or ``CASECOORD_VAULT``). ``--help`` and ``--version`` import neither the database stack nor
Textual, so they answer at once. Secrets never come
from argv (see :mod:`casecoord.cli.secrets`). Expected failures print one line to stderr and exit
non-zero (2 for a wrong passphrase); a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from casecoord import __version__

Handler = Callable[[argparse.Namespace], int]

EXIT_UNEXPECTED = 70


GLOBAL_WITH_VALUE = frozenset({"--vault", "--passphrase-file"})


def _options(parser: argparse.ArgumentParser, *, root: bool) -> None:
    """The global options; on a verb they default to SUPPRESS, so that a value given before
    the verb is not overwritten by the verb's own default (argparse's subparser behaviour)."""
    unset: dict[str, object] = {} if root else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--vault",
        metavar="DIR",
        help="vault folder (default: $CASECOORD_VAULT or the user data folder)",
        **unset,  # type: ignore[arg-type]
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="F",
        help="read the passphrase (one per line) from F",
        **unset,  # type: ignore[arg-type]
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show tracebacks of unexpected errors",
        **unset,  # type: ignore[arg-type]
    )


def _common(parser: argparse.ArgumentParser) -> None:
    _options(parser, root=False)


def build_parser(*, full: bool = True) -> argparse.ArgumentParser:
    """The parser; ``full=False`` lists the verbs by name only (for --help, --version, no verb)."""
    from casecoord.cli import commands

    parser = argparse.ArgumentParser(
        prog="casecoord",
        description="Coordinate cross-border criminal cases, requests and deadlines, offline and encrypted.",
    )
    parser.add_argument("--version", action="version", version=f"casecoord {__version__}")
    _options(parser, root=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if full:
        commands.register(sub, _common)
    else:
        commands.register_names(sub)
    return parser


def command_word(args: Sequence[str]) -> str | None:
    """The verb of ``args`` (the first word that is no option nor an option's value)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--":
            return None
        if arg in GLOBAL_WITH_VALUE:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def one_line(message: str) -> str:
    """Messages may quote what the officer typed: never let a line break or an escape
    sequence from it reach the terminal."""
    from casecoord.domain.text import shown

    return shown(message, one_line=True)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(full=command_word(args_list) is not None)
    args = parser.parse_args(args_list)
    debug = bool(getattr(args, "debug", False)) or os.environ.get("CASECOORD_DEBUG") == "1"
    handler: Handler | None = getattr(args, "handler", None)
    from casecoord.cli.commands import run_tui

    if handler is None:
        handler = run_tui
    if handler is run_tui:
        return _run(handler, args, debug)
    from casecoord.cli.output import escaped_output

    with escaped_output():
        return _run(handler, args, debug)


def _run(handler: Handler, args: argparse.Namespace, debug: bool) -> int:
    from casecoord.domain.errors import CasecoordError

    try:
        return handler(args)
    except CasecoordError as exc:
        if debug:
            raise
        print(f"casecoord: {one_line(exc.message)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("casecoord: interrupted; nothing further was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: never a traceback for the officer
        if debug:
            raise
        print(
            f"casecoord: unexpected error ({type(exc).__name__}); nothing further was changed. "
            "Run again with --debug for details",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
