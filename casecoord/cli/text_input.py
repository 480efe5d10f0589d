"""Free text from a file or standard input, so that facts and notes need not travel in argv.

Anything given on the command line is visible to every user of the machine in ``ps`` and stays in
the shell history; the facts of a criminal case do not belong there. Each free-text option
``--facts`` has a twin ``--facts-file F`` (``-`` reads standard input to its end, in which case
the passphrase comes from ``--passphrase-file`` or the terminal prompt).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casecoord.domain.errors import CasecoordError

MAX_TEXT_BYTES = 1 << 20


def add_text_option(
    parser: argparse.ArgumentParser, flag: str, help_text: str, *, required: bool = False
) -> None:
    """``--x TEXT`` and ``--x-file F|-``, mutually exclusive."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(flag, help=f"{help_text} (visible in ps and shell history: prefer -file)")
    group.add_argument(
        f"{flag}-file",
        metavar="F",
        help=f"read the {flag.lstrip('-')} from file F ('-' for standard input)",
    )


def read_text(args: argparse.Namespace, name: str) -> str | None:
    """The value of ``--name`` or the content of ``--name-file`` (None when neither is given)."""
    value: str | None = getattr(args, name, None)
    source: str | None = getattr(args, f"{name}_file", None)
    if source is None:
        return value
    if source == "-":
        if getattr(args, "passphrase_file", None) is None and not sys.stdin.isatty():
            raise CasecoordError(
                f"--{name.replace('_', '-')}-file - reads standard input, so the passphrase "
                "must come from --passphrase-file"
            )
        data = sys.stdin.read(MAX_TEXT_BYTES + 1)
    else:
        try:
            with Path(source).expanduser().open(encoding="utf-8") as handle:
                data = handle.read(MAX_TEXT_BYTES + 1)
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            raise CasecoordError(f"cannot read {source}: {reason}") from None
    if len(data) > MAX_TEXT_BYTES:
        raise CasecoordError(f"{source} holds more than {MAX_TEXT_BYTES:,} characters; refused")
    return data.rstrip("\n")
