"""Run the real ``casecoord`` program in a subprocess, feeding secrets on stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSPHRASE


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    def _run(
        *args: str, stdin: str | None = PASSPHRASE + "\n", env: dict[str, str] | None = None
    ) -> Result:
        environment = {**os.environ, **(env or {})}
        completed = subprocess.run(
            [sys.executable, "-m", "casecoord.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return _run


@pytest.fixture
def cli_vault(run: Run, tmp_path: Path) -> Path:
    root = tmp_path / "cli-vault"
    result = run("init", "--vault", str(root))
    assert result.code == 0, result.err
    return root
