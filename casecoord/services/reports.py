"""Figures across cases: what is open where, how fast counterparts answer, what is overdue.

A liaison officer reports upwards (the LURIS-style register of a central authority is the model):
how many requests are open per pair of states, kind and age; how long each counterpart state
takes to acknowledge and to execute; how many deadlines have slipped. The times come from the
audit chain's ``request.status`` entries, which record each move with its ``from``, ``to`` and the
moment ``at``: the chain is the one record of when a status really changed, and it cannot be
back-dated without breaking.

Definitions (so the figures can be checked by hand):

* open: a status from which the request's status machine still allows a move;
* age: whole days from the request's creation to ``now``, bucketed 0-30, 31-90, 91-180, 181-365,
  over 365;
* turnaround, per requested ("counterpart") state, over outgoing requests only: days from the
  first move to ``sent`` to the first later move to ``acknowledged``, and to the first later move
  to ``executed`` or ``partially-executed``; the median of those, with how many requests it rests
  on. Entries whose details were erased by a purge are skipped (their request is gone too);
* overdue: open deadlines whose due moment has passed.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from casecoord.domain.enums import DeadlineState, Direction, RequestStatus
from casecoord.domain.models import AuditEntry, Deadline
from casecoord.domain.status import is_open_request
from casecoord.store import Store, is_postgres
from casecoord.vault.files import atomic_write_bytes

AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    ("181-365", 181, 365),
    (">365", 366, None),
)
EXECUTED = frozenset({RequestStatus.EXECUTED.value, RequestStatus.PARTIALLY_EXECUTED.value})


def final_statuses() -> list[str]:
    """Statuses with no move left in any status machine they belong to."""
    return [
        s.value
        for s in RequestStatus
        if not (is_open_request(Direction.OUTGOING, s) or is_open_request(Direction.INCOMING, s))
    ]


@dataclass(frozen=True, slots=True)
class OpenCount:
    requesting_state: str
    requested_state: str
    kind: str
    age_bucket: str
    count: int


@dataclass(frozen=True, slots=True)
class Turnaround:
    """Medians in days for one counterpart state; ``None`` when no request got that far."""

    counterpart_state: str
    sent: int
    median_days_to_acknowledged: float | None
    acknowledged: int
    median_days_to_executed: float | None
    executed: int


@dataclass(frozen=True, slots=True)
class CaseworkReport:
    as_of: datetime
    open_requests: tuple[OpenCount, ...]
    open_total: int
    turnaround: tuple[Turnaround, ...]
    overdue_deadlines: int


@dataclass(frozen=True, slots=True)
class StatusMove:
    """One ``request.status`` entry of the audit chain."""

    request_ref: str
    at: datetime
    from_status: str
    to_status: str


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# -- open requests ----------------------------------------------------------------------------


def _bucket_sql(age: str) -> str:
    """The age bucket's index as SQL, from the age in whole days: the groups come back
    bucketed (a few hundred rows), not one per day of age (100,000 rows at 300,000 requests,
    each bucketed in Python: 0.4 s). An age below the first bucket's floor (a request dated in
    the future, clock skew) counts as new; nothing is above the open last bucket."""
    arms = " ".join(
        f"WHEN {age} <= {high} THEN {index}"
        for index, (_, _, high) in enumerate(AGE_BUCKETS)
        if high is not None
    )
    return f"CASE {arms} ELSE {len(AGE_BUCKETS) - 1} END"


def open_requests(session: Session, now: datetime) -> list[OpenCount]:
    """Open requests by pair, kind and age bucket, counted in SQL (fine for 300,000 requests)."""
    finals = final_statuses()
    placeholders = ", ".join(f":f{i}" for i in range(len(finals)))
    params: dict[str, object] = {f"f{i}": s for i, s in enumerate(finals)}
    if is_postgres(session):
        params["now"] = now.astimezone(UTC)
        age = "CAST(EXTRACT(DAY FROM (CAST(:now AS timestamptz) - created_at)) AS INTEGER)"
    else:
        params["now"] = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        age = "CAST(julianday(:now) - julianday(created_at) AS INTEGER)"
    bucket = _bucket_sql(age)
    rows = session.connection().execute(
        text(
            "SELECT requesting_state, requested_state, kind, bucket, count(*) "  # noqa: S608
            "FROM (SELECT requesting_state, requested_state, kind, "  # (placeholders only)
            f"{bucket} AS bucket "
            f"FROM request WHERE status NOT IN ({placeholders})) AS aged "
            "GROUP BY requesting_state, requested_state, kind, bucket"
        ),
        params,
    )
    found = [
        OpenCount(
            str(requesting), str(requested), str(kind), AGE_BUCKETS[int(bucket)][0], int(count)
        )
        for requesting, requested, kind, bucket, count in rows
    ]
    order = {label: i for i, (label, _, _) in enumerate(AGE_BUCKETS)}
    found.sort(
        key=lambda row: (
            row.requesting_state,
            row.requested_state,
            row.kind,
            order[row.age_bucket],
        )
    )
    return found


# -- turnaround -------------------------------------------------------------------------------


def status_moves(session: Session) -> list[StatusMove]:
    """Every request status move in the chain, in chain order; erased details are skipped."""
    moves = []
    for entry in session.exec(
        select(AuditEntry)
        .where(AuditEntry.action == "request.status")
        .order_by(col(AuditEntry.seq))
    ):
        payload = entry.payload or {}
        if "to" not in payload:
            continue
        moves.append(
            StatusMove(
                entry.entity_ref,
                _aware(entry.at),
                str(payload.get("from", "")),
                str(payload["to"]),
            )
        )
    return moves


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def turnaround(moves: Iterable[StatusMove], counterpart_of: Mapping[str, str]) -> list[Turnaround]:
    """Medians per counterpart state; ``counterpart_of`` maps an outgoing request's reference to
    its requested state (requests not in it are ignored). Pure, so it can be checked by hand."""
    sent_at: dict[str, datetime] = {}
    acknowledged_at: dict[str, datetime] = {}
    executed_at: dict[str, datetime] = {}
    for move in moves:
        ref = move.request_ref
        if ref not in counterpart_of:
            continue
        if move.to_status == RequestStatus.SENT.value:
            sent_at.setdefault(ref, move.at)
        elif ref in sent_at and move.to_status == RequestStatus.ACKNOWLEDGED.value:
            acknowledged_at.setdefault(ref, move.at)
        elif ref in sent_at and move.to_status in EXECUTED:
            executed_at.setdefault(ref, move.at)
    by_state: dict[str, dict[str, list[float]]] = defaultdict(
        lambda: {"sent": [], "ack": [], "exe": []}
    )
    for ref, start in sent_at.items():
        figures = by_state[counterpart_of[ref]]
        figures["sent"].append(0.0)
        if ref in acknowledged_at:
            figures["ack"].append(_days(start, acknowledged_at[ref]))
        if ref in executed_at:
            figures["exe"].append(_days(start, executed_at[ref]))
    return [
        Turnaround(
            counterpart_state=state,
            sent=len(figures["sent"]),
            median_days_to_acknowledged=statistics.median(figures["ack"])
            if figures["ack"]
            else None,
            acknowledged=len(figures["ack"]),
            median_days_to_executed=statistics.median(figures["exe"]) if figures["exe"] else None,
            executed=len(figures["exe"]),
        )
        for state, figures in sorted(by_state.items())
    ]


def _outgoing_counterparts(session: Session) -> dict[str, str]:
    """The requested state of each outgoing request that has moved status: only those can have a
    turnaround, so the read grows with the chain's status moves, not with every request (all
    40,000 outgoing requests of the 20,000-case bench vault took 120 ms to read, for none)."""
    rows = session.connection().execute(
        text(
            "SELECT DISTINCT r.reference, r.requested_state FROM audit_entry AS a "
            "JOIN request AS r ON r.reference = a.entity_ref "
            "WHERE a.action = 'request.status' AND r.direction = :outgoing"
        ),
        {"outgoing": Direction.OUTGOING.value},
    )
    return {str(ref): str(state) for ref, state in rows}


# -- deadlines --------------------------------------------------------------------------------


def overdue_deadlines(session: Session, now: datetime) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Deadline)
            .where(Deadline.state == DeadlineState.OPEN.value, col(Deadline.due_at) < now)
        ).one()
    )


# -- the whole report -------------------------------------------------------------------------


def build_report(vault: Store, now: datetime | None = None) -> CaseworkReport:
    """Every figure of the report, read in one session so they describe the same moment."""
    moment = _aware(now or datetime.now(UTC))
    with vault.session() as session:
        opened = open_requests(session, moment)
        return CaseworkReport(
            as_of=moment,
            open_requests=tuple(opened),
            open_total=sum(o.count for o in opened),
            turnaround=tuple(turnaround(status_moves(session), _outgoing_counterparts(session))),
            overdue_deadlines=overdue_deadlines(session, moment),
        )


CSV_COLUMNS = (
    "section",
    "requesting_state",
    "requested_state",
    "kind",
    "age_bucket",
    "counterpart_state",
    "measure",
    "value",
)


def write_csv(report: CaseworkReport, destination: Path, *, overwrite: bool = False) -> int:
    """The report as one long table (a spreadsheet pivots it); returns the number of rows."""
    rows: list[tuple[object, ...]] = []
    for o in report.open_requests:
        rows.append(
            (
                "open-requests",
                o.requesting_state,
                o.requested_state,
                o.kind,
                o.age_bucket,
                "",
                "count",
                o.count,
            )
        )
    for t in report.turnaround:
        for measure, value in (
            ("sent", t.sent),
            ("median_days_to_acknowledged", t.median_days_to_acknowledged),
            ("acknowledged", t.acknowledged),
            ("median_days_to_executed", t.median_days_to_executed),
            ("executed", t.executed),
        ):
            shown = (
                "" if value is None else (round(value, 2) if isinstance(value, float) else value)
            )
            rows.append(("turnaround", "", "", "", "", t.counterpart_state, measure, shown))
    rows.append(("deadlines", "", "", "", "", "", "overdue", report.overdue_deadlines))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    # private (0600), atomic, never through a symbolic link, never over a file unless asked
    atomic_write_bytes(destination, buffer.getvalue().encode("utf-8"), overwrite=overwrite)
    return len(rows)
