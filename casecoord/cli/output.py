"""Printing for the CLI: JSON for scripts, aligned text for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


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
    cells = [[str(c) if c is not None else "" for c in row] for row in rows]
    widths = [len(h) for h in headers]
    last = len(headers) - 1
    for row in cells:
        for i, cell in enumerate(row):
            # the last column is free text (a reason, a title): never cut it
            widths[i] = (
                max(widths[i], len(cell)) if i == last else min(max(widths[i], len(cell)), 60)
            )
    line = "  ".join(h.upper().ljust(widths[i]) for i, h in enumerate(headers))
    print(line.rstrip())
    for row in cells:
        print("  ".join(cell[: widths[i]].ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def print_fields(pairs: Sequence[tuple[str, Any]]) -> None:
    width = max(len(k) for k, _ in pairs) if pairs else 0
    for key, value in pairs:
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        print(f"{key.ljust(width)}  {'' if value is None else value}")


def info(message: str) -> None:
    print(message, file=sys.stderr)
