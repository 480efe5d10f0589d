"""request.json: validation against the shipped schema and its canonical byte form.

The same bytes are hashed into the signed manifest, so they must not depend on dict order or
platform: keys sorted, no insignificant whitespace, UTF-8 without ``\\u`` escapes, no NaN.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from casecoord.bundle.errors import RequestDocumentError
from casecoord.schemas import load_schema

SCHEMA_NAME = "request.schema.json"
MAX_REQUEST_JSON_BYTES = 4 * 1024 * 1024
"""request.json larger than this is refused on reading: facts are text, evidence is attached."""


@cache
def _validator() -> Any:
    return Draft202012Validator(load_schema(SCHEMA_NAME), format_checker=FormatChecker())


def validate_request_doc(doc: object) -> None:
    """Raise :class:`RequestDocumentError` naming the first offending field, or return."""
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        said = first.message  # quotes the offending value, which a sender controls: keep it short
        if len(said) > 200:
            said = f"{said[:120]} … {said[-60:]}"
        raise RequestDocumentError(f"request.json is invalid at {where[:120]}: {said}{more}")


def canonical_json(doc: dict[str, Any]) -> bytes:
    """Deterministic UTF-8 JSON (sorted keys, compact) of ``doc``."""
    try:
        text = json.dumps(
            doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise RequestDocumentError(f"request document cannot be written as JSON: {exc}") from None
    return text.encode("utf-8")


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON allows a key twice and Python keeps the last; another tool may keep the first, so a
    signed document could say two things. Refused."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def parse_request_json(data: bytes) -> dict[str, Any]:
    """Parse and validate request.json bytes read from a bundle."""
    if len(data) > MAX_REQUEST_JSON_BYTES:
        raise RequestDocumentError("request.json is larger than any real request; refused")
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=_refuse_duplicate_keys)
    except _DuplicateKeyError as exc:
        raise RequestDocumentError(
            f"request.json names the field {exc.key[:60]!r} twice; refused (two readers could "
            "take different values)"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise RequestDocumentError("request.json is not valid UTF-8 JSON") from None
    if not isinstance(doc, dict):
        raise RequestDocumentError("request.json must hold a JSON object")
    validate_request_doc(doc)
    return doc
