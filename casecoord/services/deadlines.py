"""Deadlines: statutory ones created from legal events, manual ones, and the views over them.

A statutory deadline is computed by the treaty deadline engine (``casecoord.treaties``) from the
request's legal basis and the event that starts the clock (receipt, arrest, consent, decision);
it keeps the rule and article so the officer can check it. Every deadline is stored in UTC and
shown in the officer's zone and the counterpart's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import case as sql_case
from sqlalchemy import func, union_all
from sqlmodel import Session, col, select

from casecoord.domain.enums import (
    DeadlineOrigin,
    DeadlineState,
    Direction,
    LegalEvent,
    RequestStatus,
)
from casecoord.domain.errors import NotFoundError, ValidationError
from casecoord.domain.models import Case, Contact, Deadline, Request, utcnow
from casecoord.domain.values import aware_datetime, required_text, row_count, time_zone
from casecoord.domain.zones import country_zone
from casecoord.services import like
from casecoord.services.cases import enum_value, require_case
from casecoord.services.concurrency import check_version
from casecoord.services.journal import record
from casecoord.services.settings import read_setting
from casecoord.store import Store

if TYPE_CHECKING:
    from casecoord.treaties.deadlines import ComputedDeadline, DeadlinePlan


@dataclass(frozen=True)
class DeadlineView:
    id: int
    uid: str
    title: str
    due_at: datetime
    case_ref: str
    request_ref: str | None
    origin: str
    rule_id: str | None
    article: str | None
    state: str
    note: str
    counterpart_zone: str
    officer_zone: str
    sequence: int
    updated_at: datetime
    #: the row's optimistic version (``services.concurrency``): what an action on it expects
    version: int = 1

    @property
    def due_officer(self) -> datetime:
        return self.due_at.astimezone(ZoneInfo(self.officer_zone))

    @property
    def due_counterpart(self) -> datetime:
        return self.due_at.astimezone(ZoneInfo(self.counterpart_zone))

    def overdue(self, now: datetime) -> bool:
        return self.state == DeadlineState.OPEN.value and self.due_at < now


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _counterpart_zone(session: Session, request: Request | None) -> str | None:
    """The counterpart's zone: the contact's own, else the other state's main zone; None for a
    case-level deadline with no counterpart (shown in the officer's zone)."""
    if request is None:
        return None
    if request.counterpart_id is not None:
        contact = session.get(Contact, request.counterpart_id)
        if contact is not None:
            return contact.time_zone
    other = (
        request.requested_state
        if request.direction == Direction.OUTGOING.value
        else request.requesting_state
    )
    return country_zone(other)


# -- statutory deadlines ------------------------------------------------------------------


def regime_date(request: Request) -> date | None:
    """The day that decides which instruments govern the request: its receipt, for an incoming
    one (EAW FD Art. 32 keeps a request received before the EAW applied under the old
    instruments), in the requested state's zone; None for an outgoing request (each event's own
    date decides)."""
    if request.direction != Direction.INCOMING.value or request.received_at is None:
        return None
    return (
        _aware(request.received_at)
        .astimezone(ZoneInfo(country_zone(request.requested_state)))
        .date()
    )


def request_conditions(request: Request) -> frozenset[str]:
    """What the request asks for that decides whether a rule runs (EIO Art. 32)."""
    return frozenset({"provisional-measures"}) if request.provisional_measures else frozenset()


def instrument_ids_on(request: Request, on: date) -> list[str]:
    """The request's own basis first, then every other basis that applies to its pair and kind
    on ``on``: protocols and supplementing agreements (CETS 209 beside ETS 024, a bilateral
    treaty beside EU-US) add their own limits."""
    from casecoord.treaties.resolver import RECIPROCITY_ID, resolve_basis

    ids = list(
        resolve_basis(
            request.requesting_state, request.requested_state, request.kind, on
        ).instrument_ids()
    )
    chosen = request.basis_instrument_id
    if chosen and chosen != RECIPROCITY_ID:
        ids = [chosen, *(i for i in ids if i != chosen)]
    return ids


def plan_for_event(request: Request, event: LegalEvent, occurred_at: datetime) -> DeadlinePlan:
    """What ``event`` starts for ``request`` under the law, and what it does not and why."""
    from casecoord.treaties import deadlines as deadline_engine  # deferred: loads the catalogue

    regime = regime_date(request) or occurred_at.astimezone(UTC).date()
    return deadline_engine.plan_deadlines(
        request.kind,
        instrument_ids_on(request, regime),
        event,
        occurred_at,
        request.requesting_state,
        request.requested_state,
        conditions=request_conditions(request),
        regime_on=regime,
    )


def _deadline_note(item: ComputedDeadline) -> str:
    note = item.note or ""
    if str(item.certainty) != "confirmed":
        note = (f"[{item.certainty}] " + note).strip()
    return note


def _create(
    session: Session,
    request: Request,
    case_ref: str,
    event: LegalEvent,
    computed: Sequence[ComputedDeadline],
) -> list[Deadline]:
    assert request.id is not None
    zone = _counterpart_zone(session, request)
    created: list[Deadline] = []
    for item in computed:
        duplicate = session.exec(
            select(Deadline).where(
                Deadline.request_id == request.id,
                Deadline.rule_id == item.rule_id,
                Deadline.state == DeadlineState.OPEN.value,
            )
        ).first()
        if duplicate is not None:
            continue
        deadline = Deadline(
            case_id=request.case_id,
            request_id=request.id,
            title=item.title,
            due_at=item.due_at,
            origin=DeadlineOrigin.STATUTORY.value,
            rule_id=item.rule_id,
            article=item.article,
            counting=str(item.counting),
            counting_country=item.counting_country,
            counterpart_time_zone=zone,
            note=_deadline_note(item),
        )
        session.add(deadline)
        session.flush()
        record(
            session,
            "deadline.create",
            "deadline",
            deadline.uid,
            {
                "title": deadline.title,
                "due_at": deadline.due_at.isoformat(),
                "rule": item.rule_id,
                "article": item.article,
                "event": event.value,
                "occurred_at": item.occurred_at.isoformat(),
                "counting": item.counting.value,
                "counting_basis": item.counting_basis,
                "request": request.reference,
            },
            case_ref,
        )
        created.append(deadline)
    return created


def _statutory(
    session: Session, request: Request, case_ref: str, event: LegalEvent, occurred_at: datetime
) -> list[Deadline]:
    plan = plan_for_event(request, event, occurred_at)
    return _create(session, request, case_ref, event, plan.started)


def create_for_request_event(
    session: Session, request: Request, case_ref: str, at: datetime | None = None
) -> list[Deadline]:
    """Deadlines that start when a request is registered: an incoming request's receipt, at its
    receipt date (``received_at``), not at the moment it was typed in."""
    if request.direction == Direction.INCOMING.value:
        moment = at or (
            _aware(request.received_at) if request.received_at is not None else datetime.now(UTC)
        )
        return _statutory(session, request, case_ref, LegalEvent.RECEIPT, moment)
    return []


@dataclass(frozen=True)
class Recomputed:
    """What a change of the receipt date (or of provisional measures) did to the deadlines."""

    moved: list[Deadline]
    created: list[Deadline]
    closed: list[Deadline]
    # left as they are: deadlines the officer added by hand, and statutory ones another event
    # (arrest, decision) started
    manual: list[Deadline] = field(default_factory=list)
    other_events: list[Deadline] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What the recomputation did, one line each, for the officer."""
        out = [
            f"moved: {d.title} now due {_aware(d.due_at):%Y-%m-%d %H:%M} UTC" for d in self.moved
        ]
        out += [
            f"started: {d.title} due {_aware(d.due_at):%Y-%m-%d %H:%M} UTC" for d in self.created
        ]
        out += [f"closed: {d.title} (its rule no longer runs)" for d in self.closed]
        if self.manual:
            out.append(
                f"left alone: {len(self.manual)} deadline(s) added by hand ("
                + ", ".join(d.title for d in self.manual)
                + "); correct them yourself if they depended on the receipt"
            )
        if self.other_events:
            out.append(
                f"left alone: {len(self.other_events)} statutory deadline(s) started by another "
                "event, which keep their own date"
            )
        if not out:
            out.append("no deadline runs from the receipt of this request")
        return out


def _receipt_rule_ids() -> frozenset[str]:
    from casecoord.treaties.catalogue import default_catalogue

    return frozenset(
        rule.id for rule in default_catalogue().rules if rule.event is LegalEvent.RECEIPT
    )


def recompute_receipt_deadlines(
    session: Session,
    request: Request,
    case_ref: str,
    cause: str,
    previous_received: datetime | None = None,
) -> Recomputed:
    """Bring the open receipt deadlines of an incoming request in line with its receipt date
    and what it asks for; every move, new deadline and closure is audited with ``cause``.

    A deadline whose rule no longer runs (the receipt now falls before its instrument applied,
    provisional measures no longer asked) is waived with the reason, never deleted. A deadline
    the officer extended (EIO Art. 12(5)) keeps its extension: it moves by the same amount as
    the receipt, not back to the unextended limit (``previous_received`` is the receipt moment
    it was computed from). Deadlines added by hand are never touched, and the result says so.
    """
    result = Recomputed([], [], [])
    if request.direction != Direction.INCOMING.value or request.received_at is None:
        return result
    plan = plan_for_event(request, LegalEvent.RECEIPT, _aware(request.received_at))
    wanted = {item.rule_id: item for item in plan.started}
    before: dict[str, datetime] = {}
    if previous_received is not None:
        earlier = plan_for_event(request, LegalEvent.RECEIPT, _aware(previous_received))
        before = {item.rule_id: item.due_at for item in earlier.started}
    result.manual.extend(
        session.exec(
            select(Deadline).where(
                Deadline.request_id == request.id,
                Deadline.origin == DeadlineOrigin.MANUAL.value,
                Deadline.state == DeadlineState.OPEN.value,
            )
        ).all()
    )
    reasons = {w.rule_id: w.reason for w in plan.withheld}
    receipt_rules = _receipt_rule_ids()
    existing = session.exec(
        select(Deadline).where(
            Deadline.request_id == request.id,
            Deadline.origin == DeadlineOrigin.STATUTORY.value,
            Deadline.state == DeadlineState.OPEN.value,
        )
    ).all()
    for deadline in existing:
        if deadline.rule_id not in receipt_rules:
            result.other_events.append(deadline)
            continue  # started by another event (arrest, decision): its own date stands
        item = wanted.pop(deadline.rule_id or "", None)
        if item is None:
            why = reasons.get(deadline.rule_id or "", "its rule no longer applies to this request")
            deadline.state = DeadlineState.WAIVED.value
            deadline.note = (deadline.note + f" (closed: {cause}; {why})").strip()
            deadline.sequence += 1
            deadline.updated_at = utcnow()
            session.add(deadline)
            record(
                session,
                "deadline.state",
                "deadline",
                deadline.uid,
                {
                    "from": DeadlineState.OPEN.value,
                    "to": deadline.state,
                    "reason": f"{cause}; {why}",
                },
                case_ref,
            )
            result.closed.append(deadline)
            continue
        old = _aware(deadline.due_at)
        # an extension the officer recorded: how far past the limit computed from the old receipt
        planned = before.get(deadline.rule_id or "")
        extension = old - planned if planned is not None and old > planned else timedelta(0)
        due = item.due_at + extension
        if old == due:
            continue
        deadline.due_at = due
        kept = deadline.note[deadline.note.find("Extended:") :] if extension else ""
        deadline.note = (_deadline_note(item) + " " + kept).strip()
        deadline.sequence += 1
        deadline.updated_at = utcnow()
        session.add(deadline)
        record(
            session,
            "deadline.recompute",
            "deadline",
            deadline.uid,
            {
                "from": old.isoformat(),
                "to": due.isoformat(),
                "rule": item.rule_id,
                "article": item.article,
                "occurred_at": item.occurred_at.isoformat(),
                "cause": cause,
                **({"extension_kept": str(extension)} if extension else {}),
            },
            case_ref,
        )
        result.moved.append(deadline)
    result.created.extend(
        _create(session, request, case_ref, LegalEvent.RECEIPT, list(wanted.values()))
    )
    return result


_STATUS_EVENTS = {
    RequestStatus.SENT: LegalEvent.SENT,
}


def on_status_change(
    session: Session, request: Request, case_ref: str, target: RequestStatus, at: datetime | None
) -> None:
    """Close what a final status ends and start what a status begins."""
    event = _STATUS_EVENTS.get(target)
    if event is not None:
        _statutory(session, request, case_ref, event, at or datetime.now(UTC))
    if target in {
        RequestStatus.WITHDRAWN,
        RequestStatus.EXECUTED,
        RequestStatus.COMPLETED,
        RequestStatus.PARTIALLY_EXECUTED,
        RequestStatus.REFUSED,
    }:
        for deadline in session.exec(
            select(Deadline).where(
                Deadline.request_id == request.id, Deadline.state == DeadlineState.OPEN.value
            )
        ):
            deadline.state = (
                DeadlineState.MET.value
                if target
                in {
                    RequestStatus.EXECUTED,
                    RequestStatus.COMPLETED,
                    RequestStatus.PARTIALLY_EXECUTED,
                }
                else DeadlineState.WAIVED.value
            )
            deadline.note = (deadline.note + f" (closed: request {target.value})").strip()
            deadline.updated_at = utcnow()
            deadline.sequence += 1
            session.add(deadline)
            # its own entry, which also records the row as it now is (``check`` compares it)
            record(
                session,
                "deadline.state",
                "deadline",
                deadline.uid,
                {
                    "from": DeadlineState.OPEN.value,
                    "to": deadline.state,
                    "reason": f"request {request.reference} {target.value}",
                },
                case_ref,
            )


def record_event(
    vault: Store, request_ref: str, event: str, at: str | datetime | None = None
) -> list[Deadline]:
    """Record a legal event (arrest, consent, decision…) and create the deadlines it starts."""
    legal_event = LegalEvent(enum_value(LegalEvent, event, "event"))
    with vault.transaction() as session:
        request = session.exec(
            select(Request).where(Request.reference == request_ref.strip())
        ).first()
        if request is None:
            raise NotFoundError(f"no request with reference {request_ref}")
        zone = read_setting(session, "officer.time_zone")
        occurred = aware_datetime(at, "event time", zone) if at else datetime.now(UTC)
        if occurred > datetime.now(UTC) + timedelta(minutes=5):
            raise ValidationError(
                "event time", "is in the future; record an event once it happened"
            )
        case = session.get(Case, request.case_id)
        case_ref = case.reference if case else ""
        record(
            session,
            "request.event",
            "request",
            request.reference,
            {"event": legal_event.value, "at": occurred.isoformat()},
            case_ref,
        )
        if legal_event is LegalEvent.RECEIPT and request.direction == Direction.INCOMING.value:
            # the receipt of an incoming request is its receipt date: record it there, so the
            # request and its deadlines tell the same story
            previous = _aware(request.received_at) if request.received_at else None
            request.received_at = occurred
            request.updated_at = utcnow()
            session.add(request)
            record(
                session,
                "request.update",
                "request",
                request.reference,
                {
                    "received_at": {
                        "from": previous.isoformat() if previous else None,
                        "to": occurred.isoformat(),
                    }
                },
                case_ref,
            )
            done = recompute_receipt_deadlines(
                session,
                request,
                case_ref,
                f"receipt recorded at {occurred.isoformat()}",
            )
            return done.moved + done.created
        return _statutory(session, request, case_ref, legal_event, occurred)


# -- manual deadlines and states ----------------------------------------------------------


def add_deadline(
    vault: Store,
    case_ref: str,
    title: str,
    due: str | datetime,
    request_ref: str | None = None,
    note: str = "",
) -> Deadline:
    with vault.transaction() as session:
        case = require_case(session, case_ref)
        assert case.id is not None
        zone = read_setting(session, "officer.time_zone")
        due_at = aware_datetime(due, "due", zone)
        request = None
        if request_ref:
            request = session.exec(
                select(Request).where(Request.reference == request_ref.strip())
            ).first()
            if request is None or request.case_id != case.id:
                raise ValidationError(
                    "request", f"{request_ref} is not a request of case {case.reference}"
                )
        deadline = Deadline(
            case_id=case.id,
            request_id=request.id if request else None,
            title=required_text(title, "title", 200),
            due_at=due_at,
            origin=DeadlineOrigin.MANUAL.value,
            counterpart_time_zone=_counterpart_zone(session, request),
            note=note.strip(),
        )
        session.add(deadline)
        session.flush()
        record(
            session,
            "deadline.create",
            "deadline",
            deadline.uid,
            {"title": deadline.title, "due_at": due_at.isoformat(), "request": request_ref},
            case.reference,
        )
        return deadline


def _find_deadline(session: Session, key: str) -> Deadline:
    statement = select(Deadline).where(Deadline.uid == key)
    if key.isdigit():
        statement = select(Deadline).where(Deadline.id == int(key))
    found = session.exec(statement).first()
    if found is None:
        raise NotFoundError(f"no deadline {key}")
    return found


def _check_deadline_version(session: Session, deadline: Deadline, expected: int | None) -> None:
    """Refuse (ConflictError, nothing written) when the deadline moved on since the officer read
    it at version ``expected``: someone else extended it, marked it or the receipt moved it."""
    if expected is None or deadline.version == expected:
        return
    case = session.get(Case, deadline.case_id)
    where = f" ({case.reference})" if case is not None else ""
    check_version("deadline", f"'{deadline.title}'{where}", deadline.version, expected)


def set_deadline_state(
    vault: Store, key: str, state: str, reason: str = "", *, expected_version: int | None = None
) -> Deadline:
    """Mark the deadline met, waive it (with a reason) or open it again.

    ``expected_version`` is the version of the row the officer acted on (the agenda's): a
    deadline changed since is a ConflictError and nothing is written (``services.concurrency``).
    The CLI names the deadline itself and passes none."""
    target = DeadlineState(enum_value(DeadlineState, state, "state"))
    with vault.transaction() as session:
        deadline = _find_deadline(session, key)
        _check_deadline_version(session, deadline, expected_version)
        if deadline.state != DeadlineState.OPEN.value and target is not DeadlineState.OPEN:
            raise ValidationError("state", f"the deadline is already {deadline.state}")
        if target is DeadlineState.WAIVED and not reason.strip():
            raise ValidationError("reason", "say why the deadline is waived")
        previous = deadline.state
        deadline.state = target.value
        deadline.updated_at = utcnow()
        deadline.sequence += 1
        if reason.strip():
            deadline.note = (deadline.note + " " + reason.strip()).strip()
        session.add(deadline)
        case = session.get(Case, deadline.case_id)
        record(
            session,
            "deadline.state",
            "deadline",
            deadline.uid,
            {"from": previous, "to": target.value, "reason": reason.strip()},
            case.reference if case else None,
        )
        return deadline


def extend_deadline(
    vault: Store,
    key: str,
    new_due: str | datetime,
    reason: str,
    *,
    expected_version: int | None = None,
) -> Deadline:
    """Give the deadline a later due date, with the reason (EIO Art. 12(5) and the like).

    ``expected_version`` as for :func:`set_deadline_state`: an extension made on a deadline
    someone else changed meanwhile is refused, never laid over theirs."""
    with vault.transaction() as session:
        deadline = _find_deadline(session, key)
        _check_deadline_version(session, deadline, expected_version)
        zone = read_setting(session, "officer.time_zone")
        due_at = aware_datetime(new_due, "new due", zone)
        if due_at <= _aware(deadline.due_at):
            raise ValidationError("new due", "an extension must come after the current due date")
        reason_text = required_text(reason, "reason", 500)
        old = deadline.due_at
        deadline.due_at = due_at
        deadline.sequence += 1
        deadline.updated_at = utcnow()
        deadline.note = (deadline.note + f" Extended: {reason_text}").strip()
        session.add(deadline)
        case = session.get(Case, deadline.case_id)
        record(
            session,
            "deadline.extend",
            "deadline",
            deadline.uid,
            {"from": _aware(old).isoformat(), "to": due_at.isoformat(), "reason": reason_text},
            case.reference if case else None,
        )
        return deadline


# -- views --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineQuery:
    within: timedelta | None = None
    overdue_only: bool = False
    open_only: bool = True
    case_ref: str | None = None
    country: str | None = None
    #: part of the case reference, any case (the agenda's filter-as-you-type)
    case_text: str | None = None
    #: only deadlines due from now on (the dashboard's "upcoming")
    from_now: bool = False


@dataclass(frozen=True)
class DeadlineCount:
    """A capped count of the deadlines a query matches, with how many are open and overdue."""

    total: int
    open: int
    overdue: int

    @classmethod
    def of(cls, views: Sequence[DeadlineView], now: datetime) -> DeadlineCount:
        """The count of a list read whole (a short first page): the same figures, no query."""
        return cls(
            len(views),
            sum(1 for v in views if v.state == DeadlineState.OPEN.value),
            sum(1 for v in views if v.overdue(now)),
        )


def _deadline_filter(statement: Any, session: Session, q: DeadlineQuery, moment: datetime) -> Any:
    """The query's filters as SQL WHERE terms on ``deadline`` alone (migration 0013).

    The state and due date go through ``ix_deadline_open``. The case and country filters
    are sets of ids, each read once from an index (``ix_case_file_reference``, the two request
    state indexes), never a case or request row per deadline: a join read a whole row per
    deadline, 600 ms at 10,000 deadlines. ``+ 0`` keeps SQLite walking the agenda's order and
    probing the set, instead of fetching the set's deadlines and sorting them all.
    """
    if q.open_only or q.overdue_only:
        statement = statement.where(Deadline.state == DeadlineState.OPEN.value)
    if q.overdue_only:
        statement = statement.where(col(Deadline.due_at) < moment)
    if q.within is not None:
        statement = statement.where(col(Deadline.due_at) <= moment + q.within)
    if q.from_now:
        statement = statement.where(col(Deadline.due_at) >= moment)
    if q.case_ref:
        case = require_case(session, q.case_ref)
        statement = statement.where(Deadline.case_id == case.id)
    if q.case_text and q.case_text.strip():
        pattern = like.contains(q.case_text.strip().lower())
        cases = select(col(Case.id)).where(
            func.lower(col(Case.reference)).like(pattern, escape=like.ESCAPE)
        )
        statement = statement.where((col(Deadline.case_id) + 0).in_(cases))
    if q.country:
        cc = q.country.upper()
        requests = union_all(
            select(col(Request.id)).where(col(Request.requesting_state) == cc),
            select(col(Request.id)).where(col(Request.requested_state) == cc),
        )
        statement = statement.where((col(Deadline.request_id) + 0).in_(requests))
    return statement


#: Deadlines a filtered first page tests through their joined rows before it builds id sets.
PROBE_FIRST = 1000


def _joined_filter(statement: Any, q: DeadlineQuery) -> Any:
    """The case and country filters on a statement joined to case_file and request."""
    if q.case_text and q.case_text.strip():
        pattern = like.contains(q.case_text.strip().lower())
        statement = statement.where(
            func.lower(col(Case.reference)).like(pattern, escape=like.ESCAPE)
        )
    if q.country:
        cc = q.country.upper()
        statement = statement.where(
            (col(Request.requesting_state) == cc) | (col(Request.requested_state) == cc)
        )
    return statement


def count_deadlines(
    vault: Store, query: DeadlineQuery | None = None, cap: int = 10_000, now: datetime | None = None
) -> DeadlineCount:
    """How many deadlines match (counting stops at ``cap``), how many open, how many overdue."""
    q = query or DeadlineQuery()
    moment = now or datetime.now(UTC)
    with vault.session() as session:
        inner: Any = select(
            col(Deadline.state).label("state"), col(Deadline.due_at).label("due_at")
        )
        inner = _deadline_filter(inner, session, q, moment).limit(row_count(cap)).subquery()
        is_open = inner.c.state == DeadlineState.OPEN.value
        counted = select(
            func.count(),
            func.coalesce(func.sum(sql_case((is_open, 1), else_=0)), 0),
            func.coalesce(func.sum(sql_case((is_open & (inner.c.due_at < moment), 1), else_=0)), 0),
        ).select_from(inner)
        total, open_count, overdue = session.exec(counted).one()
        return DeadlineCount(int(total), int(open_count), int(overdue))


def list_deadlines(
    vault: Store,
    query: DeadlineQuery | None = None,
    now: datetime | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[DeadlineView]:
    """The deadlines a query matches by due date, ``limit`` of them from ``offset``.

    The page's ids are found first, in the index's order (``ix_deadline_open`` for open
    ones, ``ix_deadline_due`` with met and waived), and only those rows are read and joined to
    their case and request: a deep page skips index entries, not joined rows.
    """
    q = query or DeadlineQuery()
    moment = now or datetime.now(UTC)
    order = (col(Deadline.due_at), col(Deadline.id))
    with vault.session() as session:
        officer_zone = read_setting(session, "officer.time_zone")
        joined = (
            select(Deadline, Case.reference, Request.reference)
            .join(Case, col(Case.id) == col(Deadline.case_id))
            .join(Request, col(Request.id) == col(Deadline.request_id), isouter=True)
        )
        rows: Sequence[Any] = []
        if offset == 0 and (q.case_text or q.country):
            # A broad filter's first page is among the first few hundred deadlines: test those
            # on their case and request and stop, rather than build the whole id set (100,000
            # references). The candidates come from the index (no deadline row is read to test
            # one), and only the page's rows are read whole. Complete when they fill a page.
            unfiltered = replace(q, case_text=None, country=None)
            first = _deadline_filter(
                select(
                    col(Deadline.id).label("id"),
                    col(Deadline.due_at).label("due_at"),
                    col(Deadline.case_id).label("case_id"),
                    col(Deadline.request_id).label("request_id"),
                ),
                session,
                unfiltered,
                moment,
            )
            first = first.order_by(*order).limit(PROBE_FIRST).subquery()
            probe = select(first.c.id).join(Case, col(Case.id) == first.c.case_id)
            if q.country:  # a country is a request's: a deadline without one does not match
                probe = probe.join(Request, col(Request.id) == first.c.request_id)
            probe = _joined_filter(probe, q).order_by(first.c.due_at, first.c.id)
            page = session.exec(probe.limit(row_count(limit))).all()
            if len(page) == limit:
                statement = joined.where(col(Deadline.id).in_(page)).order_by(*order)
                rows = session.exec(statement).all()
        if len(rows) < limit:
            ids = _deadline_filter(select(col(Deadline.id)), session, q, moment)
            ids = ids.order_by(*order).offset(row_count(offset)).limit(row_count(limit))
            statement = joined.where(col(Deadline.id).in_(ids.scalar_subquery())).order_by(*order)
            rows = session.exec(statement).all()
        views = []
        for deadline, case_ref, request_ref in rows:
            assert deadline.id is not None
            views.append(
                DeadlineView(
                    id=deadline.id,
                    uid=deadline.uid,
                    title=deadline.title,
                    due_at=_aware(deadline.due_at),
                    case_ref=str(case_ref),
                    request_ref=str(request_ref) if request_ref else None,
                    origin=deadline.origin,
                    rule_id=deadline.rule_id,
                    article=deadline.article,
                    state=deadline.state,
                    note=deadline.note,
                    counterpart_zone=deadline.counterpart_time_zone or officer_zone,
                    officer_zone=officer_zone,
                    sequence=deadline.sequence,
                    updated_at=_aware(deadline.updated_at),
                    version=deadline.version,
                )
            )
        return views


def weekly_open_load(vault: Store, now: datetime, weeks: int = 8) -> list[int]:
    """Open deadlines per week from now on, counted over every one of them in SQL, by comparing
    each due date with the weeks' ends (``ix_deadline_open``): a page of views undercounts a
    large vault, and reading every due date back took 60 ms at 50,000 open deadlines."""
    ends = [now + timedelta(days=7 * (week + 1)) for week in range(weeks)]
    week = sql_case(*((col(Deadline.due_at) < end, index) for index, end in enumerate(ends)))
    with vault.session() as session:
        rows = session.exec(
            select(week, func.count())
            .where(
                Deadline.state == DeadlineState.OPEN.value,
                col(Deadline.due_at) >= now,
                col(Deadline.due_at) < ends[-1],
            )
            .group_by(week)
        ).all()
    counts = [0] * weeks
    for index, count in rows:
        counts[int(index)] += int(count)
    return counts


def parse_within(text: str) -> timedelta:
    """``14d``, ``2w``, ``48h`` → a timedelta (at most ten years: longer is a typing slip)."""
    value = text.strip().lower()
    units = {"d": 1, "w": 7}
    problem = f"'{text}' is not a period such as 14d, 2w or 48h"
    try:
        if value.endswith("h"):
            period = timedelta(hours=int(value[:-1]))
        elif value[-1:] in units:
            period = timedelta(days=int(value[:-1]) * units[value[-1]])
        else:
            period = timedelta(days=int(value))
    except (ValueError, OverflowError):
        raise ValidationError("within", problem) from None
    if not timedelta(0) <= period <= timedelta(days=3660):
        raise ValidationError("within", problem + " (between 0 and 10 years)")
    return period


def officer_zone(vault: Store) -> ZoneInfo:
    with vault.session() as session:
        return time_zone(read_setting(session, "officer.time_zone"))
