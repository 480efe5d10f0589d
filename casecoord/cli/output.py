"""Printing for the CLI: JSON for scripts, aligned text for people.

Everything printed may quote stored or received text (a counterpart's case title, a signer's
certificate name, a refusal reason). Two layers keep it data: :func:`escaped_output` wraps
stdout and stderr for the whole command so that no control character, bidi override or lone
surrogate reaches the terminal whatever a command prints (the domain's :func:`shown`, whose
``\\u001b``-style escapes leave JSON output parsing to the same value), and the table and field printers
also show line breaks inside a value as ``\\n`` (or indent them), so that a value cannot forge a
line of its own such as ``ok   signer: trusted`` or ``VERIFIED``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any, TextIO

from pydantic import BaseModel

from casecoord.domain.text import shown


class _EscapingStream:
    """A text stream that writes ``shown(text)``: controls become visible escapes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(shown(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """stdout and stderr escaped for the duration of one command (not for the TUI, which owns
    the terminal and escapes in its widgets)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = _EscapingStream(out)
    sys.stderr = _EscapingStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def line(value: object) -> str:
    """A value for one line of output: controls and line breaks shown as escapes."""
    return shown(value, one_line=True)


def jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump(mode="json"))
    if is_dataclass(value) and not isinstance(value, type):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def print_json(value: Any) -> None:
    json.dump(jsonable(value), sys.stdout, indent=2, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[line(c) if c is not None else "" for c in row] for row in rows]
    widths = [len(h) for h in headers]
    last = len(headers) - 1
    for row in cells:
        for i, cell in enumerate(row):
            # the last column is free text (a reason, a title): never cut it
            widths[i] = (
                max(widths[i], len(cell)) if i == last else min(max(widths[i], len(cell)), 60)
            )
    header = "  ".join(h.upper().ljust(widths[i]) for i, h in enumerate(headers))
    print(header.rstrip())
    for row in cells:
        print("  ".join(cell[: widths[i]].ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def print_fields(pairs: Sequence[tuple[str, Any]]) -> None:
    width = max(len(k) for k, _ in pairs) if pairs else 0
    for key, value in pairs:
        if isinstance(value, list | tuple):
            value = ", ".join(line(v) for v in value)
        # a multi-line value (facts, a summary) stays readable but indented, so none of its
        # lines can pass for a field or a verdict of its own
        text = shown("" if value is None else value).replace("\n", "\n" + " " * (width + 2))
        print(f"{key.ljust(width)}  {text}")


def info(message: str) -> None:
    print(message, file=sys.stderr)
