"""Open a team store for the officer: libpq's own password sources first, then a prompt."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.engine import URL

from casecoord.domain.errors import WrongPassphraseError
from casecoord.store.postgres import TeamStore, open_team_store, redacted


class Secrets(Protocol):
    def ask(self, prompt: str, confirm: bool = False) -> str: ...


def connect_team_store(url: URL, secrets: Secrets, upgrade: bool = False) -> TeamStore:
    """Connect with what libpq finds (``~/.pgpass``, ``PGPASSFILE``, ``PGPASSWORD``, a client
    certificate); when the server wants a password that libpq has not got, ask once."""
    try:
        return open_team_store(url, upgrade=upgrade)
    except WrongPassphraseError as exc:
        if "a password is needed" not in exc.message:
            raise
    password = secrets.ask(f"Password for {url.username or 'officer'} on {redacted(url)}: ")
    return open_team_store(url.set(password=password), upgrade=upgrade)
