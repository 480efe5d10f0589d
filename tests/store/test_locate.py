"""Choosing the store: URL or team.toml profile, and the transport rules a team store is held to."""

from __future__ import annotations

from pathlib import Path

import pytest

from casecoord.domain.errors import StoreError
from casecoord.store.locate import checked_url, profile_path, resolve_store


def test_without_store_or_profile_the_vault_stays_the_default() -> None:
    assert resolve_store(None) is None


def test_a_network_url_gets_verified_tls_by_default() -> None:
    url = checked_url("postgresql://alice@db.example.org/casecoord")
    assert url.query["sslmode"] == "verify-full"


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer", "require", "verify-ca"])
def test_a_weaker_tls_mode_over_the_network_is_refused(mode: str) -> None:
    with pytest.raises(StoreError, match="verify-full"):
        checked_url(f"postgresql://alice@db.example.org/casecoord?sslmode={mode}")


def test_a_unix_socket_needs_no_tls() -> None:
    assert "sslmode" not in checked_url("postgresql://alice@/casecoord?host=/run/postgresql").query
    assert "sslmode" not in checked_url("postgresql:///casecoord").query


def test_a_password_in_the_url_is_refused() -> None:
    with pytest.raises(StoreError, match="pgpass"):
        checked_url("postgresql://alice:secret@/casecoord?host=/run/postgresql")


def test_other_databases_are_refused() -> None:
    with pytest.raises(StoreError, match="not a team store"):
        checked_url("sqlite:///x.db")
    with pytest.raises(StoreError, match="not a valid"):
        checked_url("not a url")


def _write_profiles(text: str) -> Path:
    path = profile_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_profiles_by_name_and_as_default(monkeypatch: pytest.MonkeyPatch) -> None:
    _write_profiles(
        'default = "office"\n'
        "[profiles.office]\n"
        'url = "postgresql://alice@db.example.org/casecoord"\n'
        "[profiles.lab]\n"
        'url = "postgresql://bob@/lab?host=/run/postgresql"\n'
    )
    default = resolve_store(None)
    assert default is not None and default.host == "db.example.org"
    named = resolve_store("lab")
    assert named is not None and named.username == "bob"
    assert resolve_store(None, vault_chosen=True) is None  # --vault wins over the default
    monkeypatch.setenv("CASECOORD_STORE", "lab")
    chosen = resolve_store(None, vault_chosen=True)
    assert chosen is not None and chosen.database == "lab"
    with pytest.raises(StoreError, match="no profile 'nope'"):
        resolve_store("nope")


def test_a_damaged_profile_file_is_one_clear_message() -> None:
    path = _write_profiles("default = [unclosed\n")
    with pytest.raises(StoreError, match=str(path)):
        resolve_store(None)
