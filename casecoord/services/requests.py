"""MLA, extradition and other requests: capture, look up, list, move through their statuses.

A request's status only moves along its direction's status machine; each move is written to the
audit chain with its reason. Creating a request and recording a legal event create the statutory
deadlines of its legal basis (``casecoord.services.deadlines``). An incoming request's deadlines
run from its receipt date (``received_at``: typed in, or now), which may be days before it is
entered; correcting that date later recomputes them, each move audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, func, or_, select

from casecoord.domain.enums import (
    Channel,
    Direction,
    HandlingCode,
    RequestKind,
    RequestStatus,
    Tlp,
    TranslationState,
    Urgency,
)
from casecoord.domain.errors import DuplicateError, NotFoundError, ValidationError
from casecoord.domain.models import (
    DECISION_KINDS,
    DOCUMENT_TEXT_FIELDS,
    Case,
    Contact,
    Person,
    Request,
    RequestPerson,
    utcnow,
)
from casecoord.domain.status import (
    allowed_request_moves,
    check_request_move,
    initial_request_status,
    is_open_request,
)
from casecoord.domain.values import (
    aware_datetime,
    country_code,
    language_code,
    penalty_years,
    reference,
    row_count,
)
from casecoord.services import like
from casecoord.services.cases import enum_value, require_case
from casecoord.services.concurrency import check_version
from casecoord.services.journal import record
from casecoord.services.settings import read_setting
from casecoord.store import Store

if TYPE_CHECKING:
    from casecoord.treaties.resolver import Resolution

RELATIONS = ("supplementary", "execution-return", "follow-up")


@dataclass
class RequestInput:
    reference: str
    case_ref: str
    kind: str
    direction: str
    requesting_state: str
    requested_state: str
    facts: str = ""
    legal_qualification: str = ""
    measures: Sequence[str] = ()
    channel: str = Channel.CENTRAL_AUTHORITY.value
    urgency: str = Urgency.NORMAL.value
    language: str | None = None
    translation_state: str = TranslationState.NOT_NEEDED.value
    basis_instrument_id: str | None = None
    basis_title: str | None = None
    basis_articles: str | None = None
    basis_override_reason: str | None = None
    counterpart: str | None = None
    counterpart_reference: str | None = None
    parent_ref: str | None = None
    relation: str | None = None
    person_ids: Sequence[int] = ()
    tlp: str = Tlp.AMBER.value
    handling_code: str = HandlingCode.H1.value
    status: str | None = None
    # incoming only: when it reached us ("YYYY-MM-DD HH:MM" in the officer's zone); default now
    received_at: str | datetime | None = None
    provisional_measures: bool = False
    # offence scope the conventions ask about (UNTOC Arts. 2(a), 2(b), 3(1)); None: not answered
    organised_group: bool | str | None = None  # or "yes" / "no" / "unknown" as typed
    max_penalty_years: str | float | None = None
    document: dict[str, str | None] = field(default_factory=dict)
    """The document fields (``DOCUMENT_TEXT_FIELDS``, ``decision_kind``, ``decision_date`` as
    ISO text): what the instrument's form needs beyond facts and qualification."""


@dataclass(frozen=True)
class RequestRow:
    id: int
    reference: str
    case_ref: str
    kind: str
    direction: str
    requesting_state: str
    requested_state: str
    status: str
    urgency: str
    updated_at: datetime


@dataclass
class RequestDetail:
    request: Request
    case_ref: str
    counterpart: Contact | None
    persons: list[Person] = field(default_factory=list)
    parent_ref: str | None = None
    children: list[RequestRow] = field(default_factory=list)
    allowed_moves: list[str] = field(default_factory=list)
    basis_flags: list[BasisFlag] = field(default_factory=list)
    # the resolver's answer for the request today, with its stored scope answers
    basis_answer: Resolution | None = None


def find_request(session: Session, ref: str) -> Request | None:
    return session.exec(select(Request).where(Request.reference == ref.strip())).first()


def require_request(session: Session, ref: str) -> Request:
    found = find_request(session, ref)
    if found is None:
        raise NotFoundError(f"no request with reference {ref}")
    return found


def find_contact(session: Session, handle: str) -> Contact | None:
    return session.exec(select(Contact).where(Contact.handle == handle.strip())).first()


def parse_received(session: Session, value: str | datetime | None, direction: str) -> datetime:
    """The receipt moment of an incoming request, in UTC: typed text is read in the officer's
    zone; none means now. Outgoing requests have no receipt date, and a receipt cannot lie in
    the future."""
    if direction != Direction.INCOMING.value:
        raise ValidationError(
            "received", "only an incoming request has a receipt date (this one is outgoing)"
        )
    now = datetime.now(UTC)
    if value is None or (isinstance(value, str) and not value.strip()):
        return now
    moment = aware_datetime(value, "received", read_setting(session, "officer.time_zone"))
    if moment > now + timedelta(minutes=5):
        raise ValidationError("received", "is in the future; give the day it actually arrived")
    if moment.year < 1950:
        raise ValidationError("received", f"{moment:%Y-%m-%d} is not a plausible receipt date")
    return moment


def _validated(session: Session, data: RequestInput) -> tuple[Request, list[int]]:
    direction = Direction(enum_value(Direction, data.direction, "direction"))
    requesting = country_code(data.requesting_state, "requesting state")
    requested = country_code(data.requested_state, "requested state")
    if requesting == requested:
        raise ValidationError("requested state", "must differ from the requesting state")
    case = require_case(session, data.case_ref)
    assert case.id is not None
    status = initial_request_status(direction)
    if data.status:
        wanted = RequestStatus(enum_value(RequestStatus, data.status, "status"))
        # an imported incoming request may be registered at once; nothing else skips ahead
        starts = {status, RequestStatus.REGISTERED} if direction is Direction.INCOMING else {status}
        if wanted not in starts:
            raise ValidationError(
                "status", f"a new {direction.value} request starts as {status.value}"
            )
        status = wanted
    counterpart_id = None
    if data.counterpart:
        contact = find_contact(session, data.counterpart)
        if contact is None:
            raise ValidationError("counterpart", f"no contact '{data.counterpart}'; add it first")
        counterpart_id = contact.id
    parent_id = None
    relation = None
    if data.parent_ref:
        parent = require_request(session, data.parent_ref)
        if parent.case_id != case.id:
            raise ValidationError(
                "parent", "a request can only belong to a request of the same case"
            )
        parent_id = parent.id
        relation = data.relation or "supplementary"
        if relation not in RELATIONS:
            raise ValidationError("relation", f"'{relation}' is not one of: {', '.join(RELATIONS)}")
    override = (data.basis_override_reason or "").strip() or None
    measures = [m.strip() for m in data.measures if m.strip()]
    received_at = None
    if direction is Direction.INCOMING:
        received_at = parse_received(session, data.received_at, direction.value)
    elif data.received_at:
        parse_received(session, data.received_at, direction.value)  # says why it is refused
    request = Request(
        reference=reference(data.reference),
        case_id=case.id,
        kind=enum_value(RequestKind, data.kind, "kind"),
        direction=direction.value,
        requesting_state=requesting,
        requested_state=requested,
        status=status.value,
        basis_instrument_id=data.basis_instrument_id or None,
        basis_title=data.basis_title or None,
        basis_articles=data.basis_articles or None,
        basis_override_reason=override,
        channel=enum_value(Channel, data.channel, "channel"),
        measures=measures,
        facts=(data.facts or "").strip(),
        legal_qualification=(data.legal_qualification or "").strip(),
        urgency=enum_value(Urgency, data.urgency, "urgency"),
        language=language_code(data.language, "language") if data.language else "en",
        translation_state=enum_value(TranslationState, data.translation_state, "translation"),
        counterpart_id=counterpart_id,
        counterpart_reference=(data.counterpart_reference or "").strip() or None,
        parent_id=parent_id,
        relation=relation,
        tlp=enum_value(Tlp, data.tlp, "tlp"),
        handling_code=enum_value(HandlingCode, data.handling_code, "handling code"),
        received_at=received_at,
        provisional_measures=bool(data.provisional_measures),
        organised_group=_scope_answer(data.organised_group),
        max_penalty_years=penalty_years(data.max_penalty_years),
    )
    for name, value in document_values(data.document).items():
        setattr(request, name, value)
    person_ids = list(dict.fromkeys(data.person_ids))
    for pid in person_ids:
        person = session.get(Person, pid)
        if person is None or person.case_id != case.id:
            raise ValidationError("persons", f"person {pid} is not part of case {case.reference}")
    return request, person_ids


DOCUMENT_FIELDS = (*DOCUMENT_TEXT_FIELDS, "decision_kind", "decision_date")


def _scope_answer(value: object) -> bool | None:
    """Yes, no, or not answered (``None`` or empty text) to "is an organised group involved?"."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    answers = {"": None, "yes": True, "true": True, "no": False, "false": False, "unknown": None}
    if text not in answers:
        raise ValidationError("organised group", f"'{value}' is not yes, no or unknown")
    return answers[text]


def _decision_kind(value: object) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if text not in DECISION_KINDS:
        raise ValidationError(
            "decision kind", f"'{text}' is not one of: {', '.join(DECISION_KINDS)}"
        )
    return text


def document_values(values: dict[str, Any]) -> dict[str, Any]:
    """Checked values of the document fields (unknown names refused, text stripped)."""
    from casecoord.domain.values import iso_date

    unknown = set(values) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError(", ".join(sorted(unknown)), "is not a request document field")
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "decision_kind":
            out[name] = _decision_kind(value)
        elif name == "decision_date":
            out[name] = iso_date(value, "decision date") if value else None
        else:
            text = str(value or "").strip()
            if len(text) > 100_000:
                raise ValidationError(name.replace("_", " "), "is longer than 100,000 characters")
            out[name] = text
    return out


def request_payload(request: Request) -> dict[str, Any]:
    return request.model_dump(mode="json", exclude={"id"})


def add_request(vault: Store, data: RequestInput) -> Request:
    """Create a request; fill in the legal basis the resolver suggests when none is given."""
    with vault.transaction() as session:
        return create_request(session, data)


def create_request(session: Session, data: RequestInput, *, as_received: bool = False) -> Request:
    """:func:`add_request` inside the caller's transaction.

    An import writes a case, persons, the request and its attachments and must commit them
    together or not at all, hence a session-level variant. ``as_received`` keeps the legal basis
    exactly as the sending authority stated it: the requesting state chose its basis, and our
    resolver's suggestion must not veto (or silently rewrite) a request we received.
    """
    from casecoord.services import deadlines as deadline_service
    from casecoord.services import legal_basis

    request, person_ids = _validated(session, data)
    if find_request(session, request.reference) is not None:
        raise DuplicateError(f"a request with reference {request.reference} already exists")
    case = require_case(session, data.case_ref)
    if not as_received:
        legal_basis.complete_basis(
            request, explicit_language=data.language is not None, offences=case.offences
        )
    session.add(request)
    session.flush()
    assert request.id is not None
    for pid in person_ids:
        session.add(RequestPerson(request_id=request.id, person_id=pid))
    case.updated_at = utcnow()
    session.add(case)
    record(
        session,
        "request.create",
        "request",
        request.reference,
        {**request_payload(request), "persons": person_ids},
        case.reference,
    )
    deadline_service.create_for_request_event(session, request, case.reference)
    return request


def change_request_status(
    vault: Store,
    ref: str,
    wanted: str,
    reason: str = "",
    at: datetime | None = None,
    *,
    expected_version: int | None = None,
) -> Request:
    """Move a request along its status machine; illegal moves name the allowed ones.

    ``expected_version``, when given, is the version an open editor holds: the move is refused
    as a conflict if someone else saved the request since (``services.concurrency``)."""
    from casecoord.services import deadlines as deadline_service

    target = RequestStatus(enum_value(RequestStatus, wanted, "status"))
    with vault.transaction() as session:
        request = require_request(session, ref)
        check_version("request", request.reference, request.version, expected_version)
        direction = Direction(request.direction)
        current = RequestStatus(request.status)
        check_request_move(direction, current, target)
        if target is RequestStatus.READY:
            from casecoord.services import completeness  # deferred: it imports this module

            completeness.require_complete(session, request)
        request.status = target.value
        request.updated_at = utcnow()
        session.add(request)
        case_ref = _case_ref(session, request)
        record(
            session,
            "request.status",
            "request",
            request.reference,
            {"from": current.value, "to": target.value, "reason": reason.strip()},
            case_ref,
        )
        deadline_service.on_status_change(session, request, case_ref, target, at)
        return request


def update_request(
    vault: Store,
    ref: str,
    changes: dict[str, Any],
    *,
    expected_version: int | None = None,
    report: list[str] | None = None,
) -> Request:
    """Edit the content fields of a request that has not left the office yet (draft/ready).

    ``expected_version`` is the version the editor loaded: a request saved by someone else since
    is a ConflictError (see :mod:`casecoord.services.concurrency`). ``report``, when given,
    receives a line per deadline a changed receipt date moved, started or closed, and says which
    deadlines were left alone (added by hand, or started by another event)."""
    editable = {
        "facts",
        "legal_qualification",
        "measures",
        "channel",
        "urgency",
        "language",
        "translation_state",
        "basis_instrument_id",
        "basis_title",
        "basis_articles",
        "basis_override_reason",
        "counterpart_reference",
        "tlp",
        "handling_code",
        "received_at",
        "provisional_measures",
        "organised_group",
        "max_penalty_years",
        *DOCUMENT_FIELDS,
    }
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError(", ".join(sorted(unknown)), "cannot be edited this way")
    from casecoord.services import deadlines as deadline_service
    from casecoord.services import legal_basis

    with vault.transaction() as session:
        request = require_request(session, ref)
        check_version("request", request.reference, request.version, expected_version)
        previous_received = request.received_at
        if "received_at" in changes:
            changes = {
                **changes,
                "received_at": parse_received(session, changes["received_at"], request.direction),
            }
        if request.direction == Direction.OUTGOING.value and request.status not in (
            RequestStatus.DRAFT.value,
            RequestStatus.READY.value,
        ):
            raise ValidationError(
                "request", f"is {request.status}; once sent its content can no longer be edited"
            )
        checks: dict[str, Callable[[Any], Any]] = {
            "channel": lambda v: enum_value(Channel, v, "channel"),
            "urgency": lambda v: enum_value(Urgency, v, "urgency"),
            "translation_state": lambda v: enum_value(TranslationState, v, "translation"),
            "tlp": lambda v: enum_value(Tlp, v, "tlp"),
            "handling_code": lambda v: enum_value(HandlingCode, v, "handling code"),
            "language": lambda v: language_code(v),
            "measures": lambda v: [m.strip() for m in v if m.strip()],
            "provisional_measures": bool,
            "organised_group": _scope_answer,
            "max_penalty_years": penalty_years,
        }
        diff: dict[str, Any] = {}
        documents = document_values({k: v for k, v in changes.items() if k in DOCUMENT_FIELDS})
        for name, value in changes.items():
            if name in documents:
                new = documents[name]
            else:
                new = (
                    checks[name](value)
                    if name in checks
                    else (value.strip() if isinstance(value, str) else value)
                )
            if name in {"basis_instrument_id", "basis_override_reason"} and new == "":
                new = None
            old = getattr(request, name)
            if isinstance(old, datetime) and old.tzinfo is None:
                old = old.replace(tzinfo=UTC)
            if old != new:
                diff[name] = {
                    "from": old.isoformat() if isinstance(old, date) else old,
                    "to": new.isoformat() if isinstance(new, date) else new,
                }
                setattr(request, name, new)
        if "basis_instrument_id" in diff and request.basis_instrument_id:
            owner = session.get(Case, request.case_id)
            title, articles = legal_basis.describe_basis(
                request, request.basis_instrument_id, owner.offences if owner else None
            )
            request.basis_title = changes.get("basis_title") or title
            request.basis_articles = changes.get("basis_articles") or articles
        if request.basis_instrument_id and request.basis_override_reason is None:
            owner = session.get(Case, request.case_id)
            suggested = legal_basis.suggested_instrument_id(
                request, owner.offences if owner else None
            )
            if suggested is not None and suggested != request.basis_instrument_id:
                raise ValidationError(
                    "legal basis",
                    f"differs from the suggested {suggested}; give a reason for the override",
                )
        if diff:
            request.updated_at = utcnow()
            session.add(request)
            case_ref = _case_ref(session, request)
            record(session, "request.update", "request", request.reference, diff, case_ref)
            if {"received_at", "provisional_measures"} & set(diff):
                causes = []
                if "received_at" in diff:
                    moved = diff["received_at"]
                    causes.append(f"receipt date changed from {moved['from']} to {moved['to']}")
                if "provisional_measures" in diff:
                    asked = "now asks" if request.provisional_measures else "no longer asks"
                    causes.append(f"the request {asked} for provisional measures")
                recomputed = deadline_service.recompute_receipt_deadlines(
                    session, request, case_ref, "; ".join(causes), previous_received
                )
                if report is not None:
                    report.extend(recomputed.lines())
        return request


def link_persons(vault: Store, ref: str, person_ids: Sequence[int]) -> list[int]:
    """Set the persons a request concerns (persons of its own case only); audited."""
    with vault.transaction() as session:
        request = require_request(session, ref)
        assert request.id is not None
        wanted = list(dict.fromkeys(int(p) for p in person_ids))
        for pid in wanted:
            person = session.get(Person, pid)
            if person is None or person.case_id != request.case_id:
                raise ValidationError("persons", f"person {pid} is not part of this request's case")
        current = [
            link.person_id
            for link in session.exec(
                select(RequestPerson).where(RequestPerson.request_id == request.id)
            )
        ]
        if sorted(current) == sorted(wanted):
            return wanted
        for link in session.exec(
            select(RequestPerson).where(RequestPerson.request_id == request.id)
        ):
            session.delete(link)
        session.flush()
        for pid in wanted:
            session.add(RequestPerson(request_id=request.id, person_id=pid))
        request.updated_at = utcnow()
        session.add(request)
        record(
            session,
            "request.persons",
            "request",
            request.reference,
            {"from": sorted(current), "to": sorted(wanted)},
            _case_ref(session, request),
        )
        return wanted


def _case_ref(session: Session, request: Request) -> str:
    case = session.get(Case, request.case_id)
    return case.reference if case is not None else ""


def get_request(vault: Store, ref: str) -> RequestDetail:
    from casecoord.services import legal_basis

    with vault.session() as session:
        request = require_request(session, ref)
        counterpart = (
            session.get(Contact, request.counterpart_id) if request.counterpart_id else None
        )
        persons = list(
            session.exec(
                select(Person)
                .join(RequestPerson, col(RequestPerson.person_id) == col(Person.id))
                .where(RequestPerson.request_id == request.id)
            )
        )
        parent = session.get(Request, request.parent_id) if request.parent_id else None
        children = _rows(session, _with_case_ref().where(Request.parent_id == request.id))
        moves = sorted(
            m.value
            for m in allowed_request_moves(
                Direction(request.direction), RequestStatus(request.status)
            )
        )
        owner = session.get(Case, request.case_id)
        return RequestDetail(
            request=request,
            case_ref=_case_ref(session, request),
            counterpart=counterpart,
            persons=persons,
            parent_ref=parent.reference if parent else None,
            children=children,
            allowed_moves=moves,
            basis_flags=review_basis(request, owner.offences if owner else None),
            basis_answer=legal_basis.resolve_for(request, owner.offences if owner else None),
        )


def _with_case_ref() -> Any:
    """SELECT request, its case's reference: every list shows which case a request belongs to."""
    return select(Request, Case.reference).join(Case, col(Case.id) == col(Request.case_id))


def _rows(session: Session, statement: Any) -> list[RequestRow]:
    result = []
    for request, case_ref in session.exec(statement).all():
        result.append(
            RequestRow(
                id=int(request.id),
                reference=request.reference,
                case_ref=str(case_ref),
                kind=request.kind,
                direction=request.direction,
                requesting_state=request.requesting_state,
                requested_state=request.requested_state,
                status=request.status,
                urgency=request.urgency,
                updated_at=request.updated_at,
            )
        )
    return result


@dataclass(frozen=True)
class RequestQuery:
    case_ref: str | None = None
    status: str | None = None
    direction: str | None = None
    kind: str | None = None
    country: str | None = None
    open_only: bool = False
    #: Words typed in a list's filter: each must be in the request's or its case's reference,
    #: or be its requested state or its status (the Exchange list's "NL-2024 CO sent").
    text: str = ""


def _request_filter(statement: Any, session: Session, q: RequestQuery) -> Any:
    """The query's conditions on ``request`` (joined to its case for the text filter)."""
    if q.case_ref:
        case = require_case(session, q.case_ref)
        statement = statement.where(Request.case_id == case.id)
    if q.status:
        statement = statement.where(Request.status == q.status)
    if q.direction:
        statement = statement.where(Request.direction == q.direction)
    if q.kind:
        statement = statement.where(Request.kind == q.kind)
    if q.country:
        cc = country_code(q.country)
        statement = statement.where(
            (col(Request.requesting_state) == cc) | (col(Request.requested_state) == cc)
        )
    if q.open_only:
        finals = [s.value for s in RequestStatus if not _is_open_any(s)]
        statement = statement.where(col(Request.status).not_in(finals))
    for word in q.text.lower().split():
        pattern = like.contains(word)
        # the case by a subquery, not the list's join: SQLite then reads the matching cases
        # once instead of looking up every request's case (ix_request_list holds case_id)
        cases = select(col(Case.id)).where(
            func.lower(col(Case.reference)).like(pattern, escape=like.ESCAPE)
        )
        statement = statement.where(
            or_(
                func.lower(col(Request.reference)).like(pattern, escape=like.ESCAPE),
                col(Request.case_id).in_(cases),
                col(Request.requested_state) == word.upper(),  # stored as ISO codes
                col(Request.status) == word,  # stored as the enum's lower-case values
            )
        )
    return statement


#: The order of every request list: the latest change first (ix_request_direction_updated).
_LIST_ORDER = (col(Request.updated_at).desc(), col(Request.id).desc())


def list_requests(
    vault: Store, query: RequestQuery | None = None, offset: int = 0, limit: int = 200
) -> list[RequestRow]:
    """``limit`` requests matching ``query`` from ``offset``, the latest change first."""
    q = query or RequestQuery()
    with vault.session() as session:
        statement = (
            _request_filter(_with_case_ref(), session, q)
            .order_by(*_LIST_ORDER)
            .offset(row_count(offset))
            .limit(row_count(limit))
        )
        return _rows(session, statement)


def count_requests(vault: Store, query: RequestQuery | None = None, cap: int = 10_000) -> int:
    """How many requests match ``query``; counting stops at ``cap`` (a virtual list's height)."""
    q = query or RequestQuery()
    with vault.session() as session:
        inner = (
            _request_filter(select(col(Request.id)), session, q).limit(row_count(cap)).subquery()
        )
        return int(session.exec(select(func.count()).select_from(inner)).one())


def _is_open_any(status: RequestStatus) -> bool:
    return is_open_request(Direction.OUTGOING, status) or is_open_request(
        Direction.INCOMING, status
    )


@dataclass(frozen=True)
class OpenRequestGroups:
    """Open requests counted by pair and status in one read of ``ix_request_pair_status``: the
    dashboard's two views of them (it read the register twice: 80 ms at 300,000 requests)."""

    groups: tuple[tuple[str, str, str, int], ...]  # requesting, requested, status, count

    def by_status(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, _, status, count in self.groups:
            counts[status] = counts.get(status, 0) + count
        return dict(sorted(counts.items()))

    def by_pair(self, limit: int = 10) -> list[tuple[str, str, int]]:
        """The ``limit`` pairs with most open requests (then by pair, so ties keep one order)."""
        counts: dict[tuple[str, str], int] = {}
        for requesting, requested, _, count in self.groups:
            counts[(requesting, requested)] = counts.get((requesting, requested), 0) + count
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(a, b, n) for (a, b), n in ranked[:limit]]


def open_request_groups(vault: Store) -> OpenRequestGroups:
    finals = [s.value for s in RequestStatus if not _is_open_any(s)]
    with vault.session() as session:
        rows = session.exec(
            select(Request.requesting_state, Request.requested_state, Request.status, func.count())
            .where(col(Request.status).not_in(finals))
            .group_by(Request.requesting_state, Request.requested_state, Request.status)
        ).all()
        return OpenRequestGroups(tuple((str(a), str(b), str(s), int(n)) for a, b, s, n in rows))


# -- a basis the rules have changed ------------------------------------------------------------


@dataclass(frozen=True)
class BasisFlag:
    """The legal basis recorded on a request is not what the rules now give for it.

    ``suggested_kind`` is set when the request itself should be of another kind (an MLA request
    between states bound by the EIO should be an EIO); ``article`` names the rule that says so.
    """

    current: str | None
    suggested: str | None
    suggested_kind: str | None
    article: str | None
    message: str


# Between states both bound by the EU instrument, it replaces the older instruments for these
# kinds: EIO Directive 2014/41/EU Art. 34 (from 22 May 2017, evidence gathering) and EAW
# Framework Decision 2002/584/JHA Art. 31 (from 1 Jan 2004, extradition between Member States).


def _review_date(request: Request) -> date:
    """The day the rules are read for: today for a request not yet sent (it will leave under
    today's rules), else the day it was received or created (the rules it was made under)."""
    if request.status in (RequestStatus.DRAFT.value, RequestStatus.READY.value):
        return date.today()
    moment = request.received_at or request.created_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).date()


def review_basis(
    request: Request, offences: Sequence[str] | None = None, on: date | None = None
) -> list[BasisFlag]:
    """Flags for a request whose basis would change because the rules changed; empty when the
    recorded basis is still the one the rules give (or the request is closed)."""
    from casecoord.treaties.catalogue import default_catalogue
    from casecoord.treaties.deadlines import binds_both
    from casecoord.treaties.resolver import RECIPROCITY_ID, resolve_basis

    direction = Direction(request.direction)
    if not is_open_request(direction, RequestStatus(request.status)):
        return []
    day = on or _review_date(request)
    a, b = request.requesting_state, request.requested_state
    cat = default_catalogue()
    flags: list[BasisFlag] = []
    from casecoord.services.legal_basis import kind_replacement

    replaced = kind_replacement(request.kind)
    if replaced is not None and request.basis_instrument_id != replaced[0]:
        instrument_id, rule = replaced
        kind, article = rule.as_kind.value, rule.article
        if binds_both(cat, instrument_id, a, b, day):
            name = cat.instrument(instrument_id).short_name
            was = request.basis_title or request.basis_instrument_id or "no basis"
            flags.append(
                BasisFlag(
                    current=request.basis_instrument_id,
                    suggested=instrument_id,
                    suggested_kind=kind,
                    article=article,
                    message=(
                        f"between {a} and {b}, both bound by the {name} on {day}, it replaces "
                        f"{was} ({article}): this {request.kind} request should be "
                        f"{'an' if kind[0] in 'aeiou' else 'a'} {kind.upper()}"
                        + (f" ({rule.note})" if rule.note else "")
                    ),
                )
            )
    resolution = resolve_basis(
        a,
        b,
        request.kind,
        day,
        list(offences) if offences else None,
        organised_group=request.organised_group,
        max_penalty_years=request.max_penalty_years,
    )
    first = resolution.bases[0] if resolution.bases else None
    current = request.basis_instrument_id
    if first is None or current is None or first.instrument_id == current:
        return flags
    if not flags:
        from casecoord.services.legal_basis import basis_change

        replaced_text = basis_change(request, offences, day)
        if replaced_text is not None:
            return [BasisFlag(current, first.instrument_id, None, None, replaced_text)]
    if any(flag.suggested == first.instrument_id for flag in flags):
        return flags
    applies = {basis.instrument_id for basis in resolution.bases}
    if current not in applies:
        reason = next(
            (r.reason for r in resolution.rejected if r.instrument_id == current),
            "the rules no longer list it for this pair and kind",
        )
        shown = "reciprocity" if current == RECIPROCITY_ID else current
        flags.append(
            BasisFlag(
                current=current,
                suggested=first.instrument_id,
                suggested_kind=None,
                article=None,
                message=(
                    f"{shown} no longer serves on {day} ({reason}); the rules now give "
                    f"{first.short_name}: {first.why}"
                ),
            )
        )
    elif not request.basis_override_reason:
        flags.append(
            BasisFlag(
                current=current,
                suggested=first.instrument_id,
                suggested_kind=None,
                article=None,
                message=(
                    f"the rules now rank {first.short_name} first on {day} ({first.why}); "
                    f"{current} still applies: keep it with a reason or change the basis"
                ),
            )
        )
    return flags


def basis_flags(vault: Store, ref: str) -> list[BasisFlag]:
    """:func:`review_basis` for request ``ref`` (read-only)."""
    with vault.session() as session:
        request = require_request(session, ref)
        owner = session.get(Case, request.case_id)
        return review_basis(request, owner.offences if owner else None)
