"""Record a change in the audit chain, in the same transaction as the change itself.

The actor is the officer's name from the settings (set by ``identity new`` or the TUI), falling
back to the operating-system account, so a shared laptop still says who did what. (On a team
store the server records the database role instead, whatever the client says.)

The settings are read and written here too, because the actor is one of them. A vault has one
row per key. A team store (migration 0014) has the officer's own rows, which only she sees, and
the team's ``retention.*`` rows (owner empty), which every officer sees and only the
administrator writes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from casecoord.domain.models import AuditEntry, Setting
from casecoord.store import is_postgres
from casecoord.vault import audit

OFFICER_SETTING = "officer.name"
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
    row = (
        session.connection()
        .execute(
            text(
                "SELECT NOT r.rolsuper AND EXISTS (SELECT 1 FROM pg_auth_members AS m "
                "JOIN pg_roles AS g ON g.oid = m.roleid WHERE m.member = r.oid "
                "AND g.rolname = 'casecoord_officer') FROM pg_roles AS r "
                "WHERE r.rolname = session_user"
            )
        )
        .first()
    )
    return bool(row and row[0])


def current_actor(session: Session) -> str:
    return stored_setting(session, OFFICER_SETTING) or audit.default_actor()


def record(
    session: Session,
    action: str,
    entity: str,
    entity_ref: str,
    payload: dict[str, Any] | None = None,
    case_ref: str | None = None,
) -> AuditEntry:
    # a team store's server records the database role itself: no need to read her name
    actor = None if is_postgres(session) else current_actor(session)
    return audit.append(session, action, entity, entity_ref, payload, case_ref, actor=actor)
