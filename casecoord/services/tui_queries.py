"""Read models the terminal interface needs that the other services do not offer as such.

The TUI may not open a database session (layering rule), yet the virtual case list needs a page
of rows and a count separately, each in one short read session; the dashboard wants several
views gathered in one worker call. These are thin compositions of the existing services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from casecoord.domain.models import AuditEntry
from casecoord.services import audit_log
from casecoord.services.attachments import AttachmentInfo, list_attachments
from casecoord.services.cases import (
    CaseDetail,
    CaseQuery,
    CaseRow,
    count_cases,
    get_case,
    page_cases,
    recent_cases,
)
from casecoord.services.deadlines import DeadlineQuery, DeadlineView, list_deadlines, weekly_load
from casecoord.services.requests import (
    RequestQuery,
    RequestRow,
    list_requests,
    open_requests_by_pair,
    open_requests_by_status,
)
from casecoord.services.settings import DEFAULTS, get_setting
from casecoord.store import Store


def case_count(vault: Store, query: CaseQuery) -> int:
    """How many cases match ``query``: the virtual list's height."""
    with vault.session() as session:
        return count_cases(session, query)


def case_page(vault: Store, query: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
    """One page of the case list (``limit`` rows from ``offset``), whatever the vault's size."""
    with vault.session() as session:
        return page_cases(session, query, offset, limit)


@dataclass(frozen=True)
class UiPreferences:
    theme: str
    idle_minutes: float


def ui_preferences(vault: Store) -> UiPreferences:
    """Theme and idle-lock delay, read once after unlock; a bad value falls back to the default."""
    theme = get_setting(vault, "ui.theme") or DEFAULTS["ui.theme"]
    raw = get_setting(vault, "lock.idle_minutes")
    try:
        minutes = float(raw)
    except ValueError:
        minutes = float(DEFAULTS["lock.idle_minutes"])
    return UiPreferences(theme=theme, idle_minutes=minutes if minutes > 0 else 5.0)


@dataclass
class DashboardData:
    now: datetime
    overdue: list[DeadlineView] = field(default_factory=list)
    upcoming: list[DeadlineView] = field(default_factory=list)
    requests_by_status: dict[str, int] = field(default_factory=dict)
    requests_by_pair: list[tuple[str, str, int]] = field(default_factory=list)
    recent: list[CaseRow] = field(default_factory=list)
    weekly: list[int] = field(default_factory=list)


def dashboard(vault: Store, now: datetime, horizon_days: int = 14) -> DashboardData:
    """Everything the dashboard shows, gathered in one call so one worker fetches it."""
    within = list_deadlines(vault, DeadlineQuery(within=timedelta(days=56)), now=now)
    horizon = now + timedelta(days=horizon_days)
    return DashboardData(
        now=now,
        overdue=[d for d in within if d.overdue(now)],
        upcoming=[d for d in within if not d.overdue(now) and d.due_at <= horizon],
        requests_by_status=open_requests_by_status(vault),
        requests_by_pair=open_requests_by_pair(vault, limit=8),
        recent=recent_cases(vault, limit=8),
        weekly=weekly_load(within, now, weeks=8),
    )


@dataclass
class CaseFileView:
    """A case with everything its detail tabs list, read in one worker call."""

    detail: CaseDetail
    requests: list[RequestRow]
    deadlines: list[DeadlineView]
    audit: list[tuple[AuditEntry, str]]
    attachments: list[AttachmentInfo] = field(default_factory=list)


def case_file(vault: Store, reference: str) -> CaseFileView:
    """The case ``reference`` with its requests, deadlines (all states) and audit timeline."""
    detail = get_case(vault, reference)
    requests = list_requests(vault, RequestQuery(case_ref=reference))
    deadlines = list_deadlines(vault, DeadlineQuery(case_ref=reference, open_only=False))
    entries = audit_log.list_entries(vault, case_ref=reference, limit=200)
    audit = [(e, audit_log.describe(e)) for e in entries]
    files = list_attachments(vault, reference)
    return CaseFileView(detail, requests, deadlines, audit, files)
