"""Locate the JSON Schemas shipped with casecoord.

The schemas live in the repository's ``schemas/`` folder (where reviewers and counterparts find
them) and are copied into the wheel as ``casecoord/_schemas``; this finds them in either place so
an editable install and an installed wheel behave the same.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE_DIR / "_schemas", _PACKAGE_DIR.parent / "schemas")


def schema_path(name: str) -> Path:
    """Return the path of schema ``name`` (e.g. ``"request.schema.json"``)."""
    for folder in _CANDIDATES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"schema {name} is not installed with casecoord")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Parse and cache schema ``name``; schemas are immutable for the life of the process."""
    loaded: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return loaded
