"""Make the repository root importable when pytest runs without an installed casecoord.

pyproject.toml sets no ``pythonpath`` yet and these tests have no ``__init__.py``; once the project
adds ``pythonpath = ["."]`` (or installs the package in the venv) this shim is a no-op.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
