"""The settings rows of either store: read and write one key.

A vault has one row per key. A team store (migration 0014) has the officer's own rows, which only
she sees, and the team's ``retention.*`` rows (owner empty), which every officer sees and only the
administrator writes. The settings service checks the values; the audit journal reads the
officer's name through here; team import and export move rows with it.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from casecoord.domain.models import Setting
from casecoord.store import is_postgres

TEAM_SETTING_PREFIX = "retention."
"""On a team store, settings under this prefix are the team's, not one officer's."""


def is_team_setting(key: str) -> bool:
    return key.startswith(TEAM_SETTING_PREFIX)


def stored_setting(session: Session, key: str) -> str | None:
    """The stored value of ``key`` (on a team store: hers, else the team's), None if unset."""
    if is_postgres(session):
        row = (
            session.connection()
            .execute(
                text(
                    "SELECT value FROM setting WHERE key = :k AND owner IN (session_user, '') "
                    "ORDER BY owner DESC LIMIT 1"
                ),
                {"k": key},
            )
            .first()
        )
        return None if row is None else str(row[0])
    found = session.get(Setting, key)
    return found.value if found is not None else None


def store_setting(session: Session, key: str, value: str) -> None:
    """Write ``key`` (on a team store: as hers, or the team's for a team setting)."""
    if is_postgres(session):
        session.connection().execute(
            text(
                "INSERT INTO setting (owner, key, value) VALUES "
                "(CASE WHEN :team THEN '' ELSE session_user END, :k, :v) "
                "ON CONFLICT (owner, key) DO UPDATE SET value = excluded.value"
            ),
            {"team": is_team_setting(key), "k": key, "v": value},
        )
        return
    existing = session.get(Setting, key)
    if existing is None:
        session.add(Setting(key=key, value=value))
    else:
        existing.value = value
        session.add(existing)


def is_officer(session: Session) -> bool:
    """On a team store, whether the role connected is an officer (not the administrator)."""
    if not is_postgres(session):
        return False
    from casecoord.services.team import OFFICER_GROUP

    row = (
        session.connection()
        .execute(
            text(
                "SELECT NOT r.rolsuper AND EXISTS (SELECT 1 FROM pg_auth_members AS m "
                "JOIN pg_roles AS g ON g.oid = m.roleid WHERE m.member = r.oid "
                "AND g.rolname = :g) FROM pg_roles AS r WHERE r.rolname = session_user"
            ),
            {"g": OFFICER_GROUP},
        )
        .first()
    )
    return bool(row and row[0])
