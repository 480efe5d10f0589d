"""One way to turn what an officer typed into a SQL ``LIKE`` pattern.

A filter is text, not a pattern language: ``%`` and ``_`` in a reference ("NL_2024") are the
characters themselves, so they and the escape character are escaped and every ``LIKE`` built
here says ``escape="\\"``. Lower-casing is the caller's (``func.lower`` on the column): SQLite's
``LIKE`` folds only ASCII and PostgreSQL's folds nothing, so both sides are lowered alike.
"""

from __future__ import annotations

ESCAPE = "\\"


def escaped(text: str) -> str:
    """``text`` with the LIKE wildcards and the escape character escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(text: str) -> str:
    """The pattern matching any value that contains ``text``."""
    return f"%{escaped(text)}%"
