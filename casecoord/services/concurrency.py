"""Optimistic concurrency: an edit names the version of the record it was made on.

Cases, requests and deadlines carry a ``version`` that every saved change increments (SQLAlchemy's
version counter, which also guards two transactions racing on the same row). A form remembers
the version it loaded; if another officer (or another window) saved in between, the edit is
refused with this message and nothing is written, never a silent overwrite.
"""

from __future__ import annotations

from casecoord.domain.errors import ConflictError


def check_version(what: str, ref: str, current: int, expected: int | None) -> None:
    if expected is not None and current != expected:
        raise ConflictError(
            f"{what} {ref} was changed by someone else since you opened it (it is at version "
            f"{current}, you edited version {expected}); nothing was saved. Reload it and make "
            "your change again"
        )
