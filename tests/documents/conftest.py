"""The CLI fixtures (the real program in a subprocess) for the document tests."""

from tests.cli.conftest import cli_vault, run

__all__ = ["cli_vault", "run"]
