"""Reports across cases: every figure equals the one computed directly from the stored rows."""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from casecoord.domain.enums import Direction, RequestStatus
from casecoord.domain.models import AuditEntry, Deadline, Request
from casecoord.domain.status import is_open_request
from casecoord.services import cases, deadlines, requests
from casecoord.services.reports import build_report, write_csv
from casecoord.services.settings import set_setting
from casecoord.vault import audit
from casecoord.vault.vault import UnlockedVault
from tests.quality.conftest import Run

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


class _Clock:
    """Pins the audit chain's clock so status moves happen on chosen days."""

    def __init__(self) -> None:
        self.moment = T0

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        clock = self

        class Frozen(datetime):
            @classmethod
            def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
                return clock.moment

        monkeypatch.setattr(audit, "datetime", Frozen)


def _request(vault: UnlockedVault, ref: str, to: str, kind: str = "mla", **extra: str) -> None:
    requests.add_request(
        vault,
        requests.RequestInput(
            reference=ref,
            case_ref="NL-REP-1",
            kind=kind,
            direction=extra.get("direction", "outgoing"),
            requesting_state=extra.get("requesting", "NL"),
            requested_state=to,
            facts="containers",
            legal_qualification="Art. 10 Opiumwet",
            measures=["bank records"],
            language="es" if to in {"CO", "PE"} else "en",
        ),
    )


def _move(vault: UnlockedVault, clock: _Clock, ref: str, day: float, *statuses: str) -> None:
    clock.moment = T0 + timedelta(days=day)
    for status in statuses:
        requests.change_request_status(vault, ref, status)


@pytest.fixture
def busy(vault: UnlockedVault, monkeypatch: pytest.MonkeyPatch) -> UnlockedVault:
    clock = _Clock()
    clock.install(monkeypatch)
    set_setting(vault, "officer.name", "Insp. L. de Groot")
    cases.add_case(vault, cases.CaseInput(reference="NL-REP-1", title="t", countries=["NL", "CO"]))
    for ref, to in (("R1", "CO"), ("R2", "CO"), ("R3", "CO"), ("R4", "PE"), ("R5", "PE")):
        _request(vault, ref, to)
    _request(vault, "R6", "CO", kind="extradition")
    _request(vault, "R7", "NL", direction="incoming", requesting="CO")
    _move(vault, clock, "R1", 0, "ready", "sent")
    _move(vault, clock, "R2", 0, "ready", "sent")
    _move(vault, clock, "R3", 1, "ready", "sent")
    _move(vault, clock, "R4", 0, "ready", "sent")
    _move(vault, clock, "R1", 2, "acknowledged")
    _move(vault, clock, "R2", 5, "acknowledged")
    _move(vault, clock, "R3", 10, "acknowledged")
    _move(vault, clock, "R4", 3.5, "in-execution")  # never acknowledged
    _move(vault, clock, "R1", 30, "in-execution", "executed")
    _move(vault, clock, "R2", 45, "in-execution", "partially-executed")
    _move(vault, clock, "R4", 12, "executed")
    _move(vault, clock, "R5", 3, "withdrawn")
    _move(vault, clock, "R7", 4, "registered")
    # ages: created on chosen days
    with vault.transaction() as session:
        for ref, days in (("R3", 10), ("R5", 400), ("R6", 100), ("R7", 200)):
            session.connection().execute(
                text("UPDATE request SET created_at = :at WHERE reference = :ref"),
                {
                    "at": (NOW - timedelta(days=days, hours=3)).strftime("%Y-%m-%d %H:%M:%S"),
                    "ref": ref,
                },
            )
    for title, due in (
        ("past", NOW - timedelta(days=3)),
        ("future", NOW + timedelta(days=3)),
        ("met", NOW - timedelta(days=9)),
    ):
        deadlines.add_deadline(vault, "NL-REP-1", title, due)
    met = [d for d in deadlines.list_deadlines(vault, now=NOW) if d.title == "met"][0]
    deadlines.set_deadline_state(vault, str(met.id), "met")
    return vault


def _bucket(days: int) -> str:
    if days <= 30:
        return "0-30"
    if days <= 90:
        return "31-90"
    if days <= 180:
        return "91-180"
    if days <= 365:
        return "181-365"
    return ">365"


def test_open_requests_match_the_rows(busy: UnlockedVault) -> None:
    report = build_report(busy, NOW)
    expected: Counter[tuple[str, str, str, str]] = Counter()
    with busy.session() as session:
        for r in session.exec(select(Request)):
            if is_open_request(Direction(r.direction), RequestStatus(r.status)):
                created = r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC)
                age = (NOW - created).days
                expected[(r.requesting_state, r.requested_state, r.kind, _bucket(age))] += 1
    got = {
        (o.requesting_state, o.requested_state, o.kind, o.age_bucket): o.count
        for o in report.open_requests
    }
    assert got == dict(expected)
    assert report.open_total == sum(expected.values()) == 3  # R1, R2, R4, R5 are final
    assert got[("NL", "CO", "extradition", "91-180")] == 1
    assert got[("CO", "NL", "mla", "181-365")] == 1


def test_turnaround_medians_match_the_audit_chain(busy: UnlockedVault) -> None:
    report = build_report(busy, NOW)
    by_state = {t.counterpart_state: t for t in report.turnaround}
    # computed directly from the chain's request.status entries
    with busy.session() as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == "request.status").order_by(AuditEntry.seq)  # type: ignore[arg-type]
        ).all()
        state_of = {r.reference: r.requested_state for r in session.exec(select(Request))}
    first: dict[tuple[str, str], datetime] = {}
    for e in entries:
        assert e.payload is not None
        to = "executed" if e.payload["to"] == "partially-executed" else e.payload["to"]
        first.setdefault((e.entity_ref, to), e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC))

    def median(state: str, to: str) -> float | None:
        spans = [
            (first[(ref, to)] - first[(ref, "sent")]).total_seconds() / 86400
            for (ref, status) in first
            if status == "sent" and state_of[ref] == state and (ref, to) in first
        ]
        return statistics.median(spans) if spans else None

    assert (
        by_state["CO"].median_days_to_acknowledged == median("CO", "acknowledged") == 5.0
    )  # 2, 5, 9 days
    assert by_state["CO"].acknowledged == 3 and by_state["CO"].sent == 3
    assert by_state["CO"].median_days_to_executed == median("CO", "executed") == 37.5
    assert by_state["PE"].median_days_to_acknowledged is None
    assert by_state["PE"].median_days_to_executed == median("PE", "executed") == 12.0
    assert "NL" not in by_state  # the incoming request is not a counterpart's turnaround


def test_overdue_deadlines_match_the_rows(busy: UnlockedVault) -> None:
    report = build_report(busy, NOW)
    with busy.session() as session:
        expected = sum(
            1
            for d in session.exec(select(Deadline))
            if d.state == "open"
            and (d.due_at if d.due_at.tzinfo else d.due_at.replace(tzinfo=UTC)) < NOW
        )
    assert report.overdue_deadlines == expected == 1


def test_csv_holds_the_same_figures(busy: UnlockedVault, tmp_path: Path) -> None:
    report = build_report(busy, NOW)
    path = tmp_path / "report.csv"
    rows = write_csv(report, path)
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == rows
    opened = sum(int(r["value"]) for r in table if r["section"] == "open-requests")
    assert opened == report.open_total
    co_ack = next(
        r
        for r in table
        if r["counterpart_state"] == "CO" and r["measure"] == "median_days_to_acknowledged"
    )
    assert float(co_ack["value"]) == 5.0
    assert [r["value"] for r in table if r["measure"] == "overdue"] == ["1"]


def test_cli_report(run: Run, cli_vault: Path, tmp_path: Path) -> None:
    v = ["--vault", str(cli_vault)]
    assert run("case", "add", *v, "--ref", "NL-1", "--title", "t").code == 0
    assert (
        run(
            "request",
            "add",
            *v,
            "--ref",
            "R-1",
            "--case",
            "NL-1",
            "--kind",
            "mla",
            "--from",
            "NL",
            "--to",
            "CO",
        ).code
        == 0
    )
    out = run("report", "--json", *v)
    assert out.code == 0, out.err
    assert out.json()["open_total"] == 1
    text_out = run("report", *v)
    assert "Open requests: 1" in text_out.out and "Overdue deadlines: 0" in text_out.out
    target = tmp_path / "r.csv"
    assert run("report", "--csv", str(target), *v).code == 0
    assert target.read_text(encoding="utf-8").startswith("section,")
