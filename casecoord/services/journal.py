"""Record a change in the audit chain, in the same transaction as the change itself.

The actor is the officer's name from the settings (set by ``identity new`` or the TUI), falling
back to the operating-system account, so a shared laptop still says who did what. (On a team
store the server records the database role instead, whatever the client says.)
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from casecoord.domain.models import AuditEntry
from casecoord.services.setting_rows import stored_setting
from casecoord.store import is_postgres
from casecoord.vault import audit

OFFICER_SETTING = "officer.name"


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
