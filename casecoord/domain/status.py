"""Status machines of cases and requests.

The tables are data so the TUI can show only the buttons that apply and the CLI can name the
allowed moves when it refuses one. Outgoing and incoming requests follow different paths (docs/ARCHITECTURE.md,
"The domain"): an officer never "sends" a request she received.
"""

from __future__ import annotations

from collections.abc import Mapping

from casecoord.domain.enums import CaseStatus, Direction, RequestStatus
from casecoord.domain.errors import IllegalTransitionError

C = CaseStatus
R = RequestStatus

CASE_TRANSITIONS: Mapping[CaseStatus, frozenset[CaseStatus]] = {
    C.INTAKE: frozenset({C.ACTIVE, C.CLOSED}),
    C.ACTIVE: frozenset({C.DORMANT, C.CLOSED}),
    C.DORMANT: frozenset({C.ACTIVE, C.CLOSED}),
    C.CLOSED: frozenset({C.ACTIVE}),
}

OUTGOING_TRANSITIONS: Mapping[RequestStatus, frozenset[RequestStatus]] = {
    R.DRAFT: frozenset({R.READY, R.WITHDRAWN}),
    R.READY: frozenset({R.DRAFT, R.SENT, R.WITHDRAWN}),
    R.SENT: frozenset({R.ACKNOWLEDGED, R.IN_EXECUTION, R.REFUSED, R.WITHDRAWN}),
    R.ACKNOWLEDGED: frozenset({R.IN_EXECUTION, R.REFUSED, R.WITHDRAWN}),
    R.IN_EXECUTION: frozenset({R.EXECUTED, R.PARTIALLY_EXECUTED, R.REFUSED, R.WITHDRAWN}),
    R.EXECUTED: frozenset(),
    R.PARTIALLY_EXECUTED: frozenset(),
    R.REFUSED: frozenset(),
    R.WITHDRAWN: frozenset(),
}

INCOMING_TRANSITIONS: Mapping[RequestStatus, frozenset[RequestStatus]] = {
    R.RECEIVED: frozenset({R.REGISTERED, R.REFUSED}),
    R.REGISTERED: frozenset({R.IN_EXECUTION, R.REFUSED}),
    R.IN_EXECUTION: frozenset({R.COMPLETED, R.REFUSED}),
    R.COMPLETED: frozenset(),
    R.REFUSED: frozenset(),
}


def initial_request_status(direction: Direction) -> RequestStatus:
    return R.DRAFT if direction is Direction.OUTGOING else R.RECEIVED


def request_transitions(direction: Direction) -> Mapping[RequestStatus, frozenset[RequestStatus]]:
    return OUTGOING_TRANSITIONS if direction is Direction.OUTGOING else INCOMING_TRANSITIONS


def allowed_request_moves(direction: Direction, current: RequestStatus) -> frozenset[RequestStatus]:
    return request_transitions(direction).get(current, frozenset())


def check_request_move(direction: Direction, current: RequestStatus, wanted: RequestStatus) -> None:
    allowed = allowed_request_moves(direction, current)
    if wanted not in allowed:
        raise IllegalTransitionError(
            f"An {direction.value} request", current.value, wanted.value, (a.value for a in allowed)
        )


def check_case_move(current: CaseStatus, wanted: CaseStatus) -> None:
    allowed = CASE_TRANSITIONS[current]
    if wanted not in allowed:
        raise IllegalTransitionError(
            "A case", current.value, wanted.value, (a.value for a in allowed)
        )


def is_open_request(direction: Direction, status: RequestStatus) -> bool:
    """Open while any move remains (final statuses have none)."""
    return bool(allowed_request_moves(direction, status))
