"""The CLI runner of tests/cli, for the team-store verbs."""

from tests.cli.conftest import run  # noqa: F401  (a fixture)
