"""Record a change in the audit chain, in the same transaction as the change itself.

The actor is the officer's name from the settings (set by ``identity new`` or the TUI), falling
back to the operating-system account, so a shared laptop still says who did what.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from casecoord.domain.models import AuditEntry, Setting
from casecoord.vault import audit

OFFICER_SETTING = "officer.name"


def current_actor(session: Session) -> str:
    setting = session.get(Setting, OFFICER_SETTING)
    return setting.value if setting is not None else audit.default_actor()


def record(
    session: Session,
    action: str,
    entity: str,
    entity_ref: str,
    payload: dict[str, Any] | None = None,
    case_ref: str | None = None,
) -> AuditEntry:
    return audit.append(
        session, action, entity, entity_ref, payload, case_ref, actor=current_actor(session)
    )
