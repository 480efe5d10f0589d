"""The layering of docs/ARCHITECTURE.md holds: import-linter contracts pass, and imports stay deferred."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout


def test_cli_start_imports_no_textual_engine_or_catalogue() -> None:
    """`casecoord --help` must start fast: no Textual, SQLAlchemy engine or catalogue at import."""
    code = (
        "import sys; import casecoord.cli; casecoord.cli.build_parser(); "
        "print(','.join(m for m in ('textual', 'casecoord.treaties.catalogue', 'casecoord.tui.app', "
        "'casecoord.bundle') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_no_sql_in_the_tui() -> None:
    offenders = []
    for path in (ROOT / "casecoord" / "tui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in (
            "sqlalchemy",
            "sqlmodel",
            "sqlcipher3",
            "sqlite3",
            "session.exec(",
            'text("SELECT',
        ):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []
