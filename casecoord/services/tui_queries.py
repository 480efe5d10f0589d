"""Read models the terminal interface needs that the other services do not offer as such.

The TUI may not open a database session (layering rule), yet the virtual case list needs a page
of rows and a count separately, each in one short read session; the dashboard wants several
views gathered in one worker call. These are thin compositions of the existing services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from casecoord.domain.models import Attachment, AuditEntry, Contact
from casecoord.services import audit_log
from casecoord.services.attachments import (
    AttachmentInfo,
    attachments_of_request,
    list_attachments,
)
from casecoord.services.cases import (
    CaseDetail,
    CaseQuery,
    CaseRow,
    count_cases,
    get_case,
    page_cases,
    recent_cases,
)
from casecoord.services.contacts import count_contacts, list_contacts
from casecoord.services.deadlines import (
    DeadlineCount,
    DeadlineQuery,
    DeadlineView,
    count_deadlines,
    list_deadlines,
    officer_zone,
    weekly_open_load,
)
from casecoord.services.families import RequestFamily, family
from casecoord.services.identity_store import NoIdentityError, show_identity
from casecoord.services.requests import (
    RequestDetail,
    RequestQuery,
    RequestRow,
    get_request,
    list_requests,
    open_request_groups,
)
from casecoord.services.settings import DEFAULTS, get_setting
from casecoord.store import Store

T = TypeVar("T")


def case_count(vault: Store, query: CaseQuery, cap: int | None = None) -> int:
    """How many cases match ``query`` (no further than ``cap``): the virtual list's height."""
    with vault.session() as session:
        return count_cases(session, query, cap)


def case_page(vault: Store, query: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
    """One page of the case list (``limit`` rows from ``offset``), whatever the vault's size."""
    with vault.session() as session:
        return page_cases(session, query, offset, limit)


def deadline_count(vault: Store, query: DeadlineQuery, cap: int) -> DeadlineCount:
    """The agenda's height (capped at ``cap``) with its open and overdue figures."""
    return count_deadlines(vault, query, cap)


def deadline_page(
    vault: Store, query: DeadlineQuery, offset: int, limit: int
) -> list[DeadlineView]:
    """One page of the agenda by due date, whatever the number of deadlines."""
    return list_deadlines(vault, query, limit=limit, offset=offset)


def contact_count(vault: Store, text: str, cap: int) -> int:
    """The directory's height for a filter (capped at ``cap``)."""
    return count_contacts(vault, text, cap)


def contact_page(vault: Store, text: str, offset: int, limit: int) -> list[Contact]:
    """One page of the directory by country and name."""
    return list_contacts(vault, text, limit=limit, offset=offset)


@dataclass(frozen=True)
class UiPreferences:
    theme: str
    idle_minutes: float


@dataclass(frozen=True)
class Marked(Generic[T]):
    """A read model with the audit chain's last entry and the moment it was read for."""

    value: T
    mark: int
    as_of: datetime


def read_if_changed(
    vault: Store,
    now: datetime,
    previous: Marked[T] | None,
    read: Callable[[Store, datetime], T],
) -> Marked[T] | None:
    """``read(vault, now)``, or None when ``previous`` still holds it: the chain has not moved
    since (every change the services make writes an entry, so nothing it reads changed) and
    ``now`` is in the minute it was read for (what is overdue or how old moves with the
    clock). A screen shown again keeps what it shows instead of reading a large register
    again. The mark is read first, so a change made during the read is read again next time."""
    mark = audit_log.last_seq(vault)
    if previous is not None and previous.mark == mark and _minute(previous.as_of) == _minute(now):
        return None
    return Marked(read(vault, now), mark, now)


def _minute(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def ui_preferences(vault: Store) -> UiPreferences:
    """Theme and idle-lock delay, read once after unlock; a bad value falls back to the default."""
    theme = get_setting(vault, "ui.theme") or DEFAULTS["ui.theme"]
    raw = get_setting(vault, "lock.idle_minutes")
    try:
        minutes = float(raw)
    except ValueError:
        minutes = float(DEFAULTS["lock.idle_minutes"])
    return UiPreferences(theme=theme, idle_minutes=minutes if minutes > 0 else 5.0)


#: Rows of each deadline table on the dashboard: the earliest; the Deadlines screen has them all.
DASHBOARD_ROWS = 100


@dataclass
class DashboardData:
    now: datetime
    overdue: list[DeadlineView] = field(default_factory=list)
    upcoming: list[DeadlineView] = field(default_factory=list)
    requests_by_status: dict[str, int] = field(default_factory=dict)
    requests_by_pair: list[tuple[str, str, int]] = field(default_factory=list)
    recent: list[CaseRow] = field(default_factory=list)
    weekly: list[int] = field(default_factory=list)
    overdue_total: DeadlineCount = field(default_factory=lambda: DeadlineCount(0, 0, 0))
    upcoming_total: DeadlineCount = field(default_factory=lambda: DeadlineCount(0, 0, 0))


def dashboard(vault: Store, now: datetime, horizon_days: int = 14) -> DashboardData:
    """Everything the dashboard shows, gathered in one call so one worker fetches it.

    Each deadline table holds the earliest ``DASHBOARD_ROWS`` with a capped count beside them,
    and the weekly load counts every open deadline: reading "the next 56 days" as one page of
    500 left "upcoming" empty and the weeks short once more than 500 were overdue.
    """
    overdue = DeadlineQuery(overdue_only=True)
    upcoming = DeadlineQuery(within=timedelta(days=horizon_days), from_now=True)
    groups = open_request_groups(vault)
    return DashboardData(
        now=now,
        overdue=list_deadlines(vault, overdue, now=now, limit=DASHBOARD_ROWS),
        upcoming=list_deadlines(vault, upcoming, now=now, limit=DASHBOARD_ROWS),
        requests_by_status=groups.by_status(),
        requests_by_pair=groups.by_pair(limit=8),
        recent=recent_cases(vault, limit=8),
        weekly=weekly_open_load(vault, now, weeks=8),
        overdue_total=count_deadlines(vault, overdue, now=now),
        upcoming_total=count_deadlines(vault, upcoming, now=now),
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


@dataclass
class RequestEditorData:
    """What the request editor shows, read in one worker call before anything is drawn."""

    case: CaseDetail
    contacts: list[Contact]
    case_requests: list[RequestRow]
    officer_country: str
    zone_name: str
    sender: str | None
    detail: RequestDetail | None = None
    attachments: list[Attachment] = field(default_factory=list)
    deadlines: list[DeadlineView] = field(default_factory=list)
    family: RequestFamily | None = None

    def next_reference(self) -> str:
        """The first free ``<case>-Rnn`` reference, for a new request."""
        case_ref = self.case.case.reference
        taken = {r.reference for r in self.case_requests}
        number = len(self.case_requests) + 1
        while f"{case_ref}-R{number:02d}" in taken:
            number += 1
        return f"{case_ref}-R{number:02d}"


def sender_name(vault: Store) -> str | None:
    """Who sends, as the completeness check names it: the setting, else the signing identity."""
    name = get_setting(vault, "officer.name").strip()
    if name:
        return name
    try:
        identity = show_identity(vault)
    except NoIdentityError:
        return None
    return f"{identity.name}, {identity.organisation}".strip(", ")


def request_deadlines(vault: Store, case_ref: str, request_ref: str) -> list[DeadlineView]:
    """Every deadline of one request, whatever its state."""
    views = list_deadlines(vault, DeadlineQuery(case_ref=case_ref, open_only=False))
    return [v for v in views if v.request_ref == request_ref]


def request_editor_data(vault: Store, case_ref: str, request_ref: str | None) -> RequestEditorData:
    """The case, its contacts and requests, and (for an existing request) its detail, files,
    deadlines and family."""
    data = RequestEditorData(
        case=get_case(vault, case_ref),
        contacts=list_contacts(vault),
        case_requests=list_requests(vault, RequestQuery(case_ref=case_ref)),
        officer_country=get_setting(vault, "officer.country") or DEFAULTS["officer.country"],
        zone_name=str(officer_zone(vault)),
        sender=sender_name(vault),
    )
    if request_ref is None:
        return data
    data.detail = get_request(vault, request_ref)
    request_id = data.detail.request.id
    data.attachments = attachments_of_request(vault, request_id) if request_id else []
    data.deadlines = request_deadlines(vault, case_ref, request_ref)
    data.family = family(vault, request_ref)
    return data


@dataclass(frozen=True)
class SettingsView:
    """The officer's profile settings and whether a signing identity exists yet."""

    values: dict[str, str]
    identity: str | None
    guessed_zone: str


def settings_view(vault: Store) -> SettingsView:
    from casecoord.services.settings import PROFILE_KEYS, guess_time_zone

    values = {key: get_setting(vault, key) for key in PROFILE_KEYS}
    try:
        identity = show_identity(vault)
    except NoIdentityError:
        label = None
    else:
        label = f"{identity.name}, {identity.organisation} ({identity.country})"
    return SettingsView(values, label, guess_time_zone())
