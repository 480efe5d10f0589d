"""Which store to open: a team store named by URL or profile, else the local vault.

``--store`` (or ``CASECOORD_STORE``) takes a ``postgresql://`` URL or the name of a profile in
``team.toml`` (in the user config folder)::

    default = "office"

    [profiles.office]
    url = "postgresql://alice@db.office.example/casecoord?sslmode=verify-full&sslrootcert=/etc/casecoord/ca.pem"

Without ``--store``, ``CASECOORD_STORE``, ``--vault`` or ``CASECOORD_VAULT``, the profile named by
``default`` is opened; without a ``team.toml`` the local vault stays the default.

A team store is reached over a Unix socket on the same machine or over TLS with the server's
certificate verified (``sslmode=verify-full``, which is also what a URL without ``sslmode`` gets):
a weaker ``sslmode`` over the network is refused. A URL never carries the password (argv and
config files are readable by others); libpq finds it in ``~/.pgpass`` or ``PGPASSWORD``, or the
officer is asked for it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from casecoord.domain.errors import StoreError

TeamStoreURL = URL
"""The address of a team store (no password in it): what the TUI reconnects to on unlock."""

ENV_VAR = "CASECOORD_STORE"
PROFILE_FILE = "team.toml"
VERIFIED = "verify-full"


def profile_path() -> Path:
    return Path(platformdirs.user_config_dir("casecoord", appauthor=False)) / PROFILE_FILE


def _read_profiles(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"{path} cannot be read: {exc}") from None


def _profile_url(name: str, data: dict[str, object], path: Path) -> str:
    profiles = data.get("profiles")
    entry = profiles.get(name) if isinstance(profiles, dict) else None
    url = entry.get("url") if isinstance(entry, dict) else None
    if not isinstance(url, str):
        raise StoreError(f"no profile '{name}' with a url in {path}")
    return url


def resolve_store(explicit: str | None, vault_chosen: bool = False) -> URL | None:
    """The team store to open, or None for the local vault (see the module docstring)."""
    value = explicit or os.environ.get(ENV_VAR)
    path = profile_path()
    if not value:
        if vault_chosen:
            return None
        data = _read_profiles(path)
        default = data.get("default")
        if not isinstance(default, str):
            return None
        value = _profile_url(default, data, path)
    elif "://" not in value:
        value = _profile_url(value, _read_profiles(path), path)
    return checked_url(value)


def checked_url(value: str) -> URL:
    """Parse a store URL and hold it to the transport rules of the module docstring."""
    try:
        url = make_url(value)
    except ArgumentError:
        raise StoreError("the store is not a valid postgresql:// URL") from None
    if url.get_backend_name() != "postgresql":
        raise StoreError(f"'{url.drivername}://' is not a team store; use postgresql://")
    if url.password is not None:
        raise StoreError(
            "the store URL must not hold the password (others can read command lines and "
            "config files); put it in ~/.pgpass, or type it when asked"
        )
    query_host = url.query.get("host")
    host = url.host or (query_host if isinstance(query_host, str) else None)
    if host is None or host.startswith("/"):
        return url  # a Unix socket on this machine: no network to protect
    mode = url.query.get("sslmode")
    if mode is None:
        return url.update_query_dict({"sslmode": VERIFIED})
    if mode != VERIFIED:
        raise StoreError(
            f"the team store must be reached over TLS with its certificate verified: use "
            f"sslmode={VERIFIED}, not sslmode={mode}"
        )
    return url
