"""Request families and follow-up reminders.

A request rarely travels alone: supplementary requests, execution returns and follow-ups point at
the request they belong to (``Request.parent_id`` and ``relation``). The officer wants the whole
thread when she opens any one of them, so :func:`family` climbs to the root and returns every
descendant in the order they were made. :func:`add_follow_up` puts a reminder to chase the
counterpart on the dashboard and in the calendar, as an ordinary manual deadline linked to the
request, so it is met, waived or extended like any other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from casecoord.domain.errors import ValidationError
from casecoord.domain.models import Case, Deadline, Request
from casecoord.domain.values import required_text
from casecoord.services.deadlines import add_deadline, parse_within
from casecoord.services.requests import require_request
from casecoord.store import Store

FOLLOW_UP_NOTE = "follow-up reminder"


@dataclass(frozen=True, slots=True)
class FamilyMember:
    """One request of the thread; ``depth`` 0 is the root, ``parent_ref`` is None for it."""

    reference: str
    kind: str
    direction: str
    status: str
    relation: str | None
    parent_ref: str | None
    depth: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RequestFamily:
    """The whole thread of a request: ``members`` starts with the root, then by creation time."""

    case_ref: str
    root_ref: str
    focus_ref: str
    members: tuple[FamilyMember, ...]

    @property
    def size(self) -> int:
        return len(self.members)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def family_in_session(session: Session, ref: str) -> RequestFamily:
    """The family of ``ref``; only requests of its own case can be members (the service refuses
    a parent of another case, and the walk is limited to the case all the same)."""
    focus = require_request(session, ref)
    case = session.get(Case, focus.case_id)
    siblings = {
        r.id: r
        for r in session.exec(select(Request).where(Request.case_id == focus.case_id))
        if r.id is not None
    }
    root = focus
    seen: set[int] = set()
    while root.parent_id is not None and root.parent_id in siblings and root.id not in seen:
        assert root.id is not None
        seen.add(root.id)
        root = siblings[root.parent_id]
    children: dict[int, list[Request]] = defaultdict(list)
    for request in siblings.values():
        if request.parent_id is not None:
            children[request.parent_id].append(request)
    assert root.id is not None
    members: list[FamilyMember] = []
    visited: set[int] = set()
    frontier: list[tuple[Request, int]] = [(root, 0)]
    while frontier:
        request, depth = frontier.pop()
        assert request.id is not None
        if request.id in visited:  # a cycle in hand-edited data: never loop
            continue
        visited.add(request.id)
        parent = siblings.get(request.parent_id) if request.parent_id is not None else None
        members.append(
            FamilyMember(
                reference=request.reference,
                kind=request.kind,
                direction=request.direction,
                status=request.status,
                relation=request.relation if request is not root else None,
                parent_ref=parent.reference if parent is not None and request is not root else None,
                depth=depth,
                created_at=_aware(request.created_at),
            )
        )
        frontier.extend((child, depth + 1) for child in children.get(request.id, []))
    head, rest = members[0], members[1:]
    rest.sort(key=lambda m: (m.created_at, m.reference))
    return RequestFamily(
        case_ref=case.reference if case is not None else "",
        root_ref=root.reference,
        focus_ref=focus.reference,
        members=(head, *rest),
    )


def family(vault: Store, ref: str) -> RequestFamily:
    """The whole thread ``ref`` belongs to: its root and every descendant, oldest first."""
    with vault.session() as session:
        return family_in_session(session, ref)


def add_follow_up(
    vault: Store,
    ref: str,
    within: str | timedelta,
    title: str | None = None,
    now: datetime | None = None,
) -> Deadline:
    """A reminder to chase request ``ref`` in ``within`` (``14d``, ``2w``, ``48h``)."""
    delta = parse_within(within) if isinstance(within, str) else within
    if delta <= timedelta(0):
        raise ValidationError("in", "a follow-up lies in the future: give a period such as 14d")
    with vault.session() as session:
        request = require_request(session, ref)
        case = session.get(Case, request.case_id)
        case_ref = case.reference if case is not None else ""
    text = required_text(title, "title", 200) if title else f"Follow up on {request.reference}"
    due = (now or datetime.now(UTC)) + delta
    return add_deadline(
        vault, case_ref, text, due, request_ref=request.reference, note=FOLLOW_UP_NOTE
    )


def follow_ups(vault: Store, ref: str) -> list[Deadline]:
    """The follow-up reminders of request ``ref``, soonest first."""
    with vault.session() as session:
        request = require_request(session, ref)
        return list(
            session.exec(
                select(Deadline)
                .where(
                    Deadline.request_id == request.id, col(Deadline.note).startswith(FOLLOW_UP_NOTE)
                )
                .order_by(col(Deadline.due_at))
            )
        )
