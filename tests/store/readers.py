"""Shared by the readers'-keys tests: an officer's keys written out independently of the
server's ``casecoord_my_reader_keys`` (so the tests check the server, not repeat it), and the
set a statement reads as one store or another."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from casecoord.store.postgres import TeamStore

# The keys of the officer bound as :me: her own, and one per team she is in.
OFFICER_KEYS = (
    "(ARRAY['o:' || :me] || ARRAY(SELECT 't:' || team FROM team_member WHERE officer = :me))"
)


def read_set(store: TeamStore, statement: str, **params: Any) -> set[Any]:
    """The first column of every row ``statement`` gives ``store`` (an officer: under her
    row-level security; the administrator: everything)."""
    with store.session() as session:
        return set(session.connection().execute(text(statement), params).scalars())
