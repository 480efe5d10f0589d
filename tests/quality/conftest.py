"""The CLI fixtures (a real ``casecoord`` in a subprocess) for the quality verbs' tests."""

from __future__ import annotations

from tests.cli.conftest import Result, Run, cli_vault, run

__all__ = ["Result", "Run", "cli_vault", "run"]
