"""Where passphrases come from: a terminal prompt, a file, or standard input — never argv.

On a terminal the officer is prompted (without echo). When standard input is not a terminal,
each secret is the next line of it, so scripts and tests drive every command the same way;
``--passphrase-file F`` reads the lines from a file instead (keep it on an encrypted volume).
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from casecoord.domain.errors import CasecoordError, ValidationError


class SecretSource:
    def __init__(self, passphrase_file: str | None = None, stream: TextIO | None = None) -> None:
        self._lines: Iterator[str] | None = None
        self._file = passphrase_file
        self._stream = stream if stream is not None else sys.stdin
        self.interactive = passphrase_file is None and self._stream.isatty()

    def _next_line(self, prompt: str) -> str:
        if self._lines is None:
            if self._file is not None:
                try:
                    text = Path(self._file).read_text(encoding="utf-8")
                except OSError as exc:
                    raise CasecoordError(
                        f"cannot read the passphrase file: {exc.strerror}"
                    ) from None
                self._lines = iter(text.splitlines())
            else:
                self._lines = (line.rstrip("\r\n") for line in self._stream)
        try:
            return next(self._lines)
        except StopIteration:
            source = "the passphrase file" if self._file else "standard input"
            raise CasecoordError(
                f"{source} ended before the {prompt.rstrip(': ').lower()} was given"
            ) from None

    def ask(self, prompt: str, confirm: bool = False) -> str:
        if not self.interactive:
            return self._next_line(prompt)
        first = getpass.getpass(prompt)
        if confirm:
            second = getpass.getpass("Repeat to confirm: ")
            if first != second:
                raise ValidationError("passphrase", "the two entries differ; nothing was changed")
        return first
