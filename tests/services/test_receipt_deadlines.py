"""An incoming request's deadlines run from its receipt, and follow it when it is corrected.

EIO Directive Art. 12(3) [S6]: recognition "no later than 30 days after the receipt of the EIO";
Art. 16(1) acknowledgment [S9]; Art. 32 [S805]: 24 hours only when provisional measures are
asked. Real SQLCipher vaults on disk (``vault`` fixture).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from casecoord.domain.errors import ValidationError
from casecoord.domain.models import AuditEntry, Deadline
from casecoord.services.cases import CaseInput, add_case
from casecoord.services.deadlines import DeadlineQuery, list_deadlines, record_event
from casecoord.services.requests import (
    RequestInput,
    add_request,
    basis_flags,
    get_request,
    update_request,
)
from casecoord.vault.vault import UnlockedVault

AMS = ZoneInfo("Europe/Amsterdam")


def _case(vault: UnlockedVault, ref: str = "NL-RC-1") -> str:
    add_case(vault, CaseInput(reference=ref, title="harbour", countries=["NL", "BE"]))
    return ref


def _incoming_eio(vault: UnlockedVault, **extra: object) -> str:
    case_ref = _case(vault)
    data = RequestInput(
        reference="BE-EIO-7",
        case_ref=case_ref,
        kind="eio",
        direction="incoming",
        requesting_state="BE",
        requested_state="NL",
        **extra,  # type: ignore[arg-type]
    )
    return add_request(vault, data).reference


def _due(vault: UnlockedVault, *, open_only: bool = True) -> dict[str, tuple[datetime, str]]:
    views = list_deadlines(vault, DeadlineQuery(open_only=open_only, case_ref="NL-RC-1"))
    return {v.rule_id or v.title: (v.due_at.astimezone(AMS), v.state) for v in views}


def _audit(vault: UnlockedVault, action: str) -> list[AuditEntry]:
    with vault.session() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_request_entered_late_runs_from_its_receipt_date(vault: UnlockedVault) -> None:
    received = datetime.now(UTC) - timedelta(days=12)
    ref = _incoming_eio(vault, received_at=received)
    due = _due(vault)
    recognition, _ = due["eio-12-3"]
    # 30 days after the receipt, not after the typing-in: 18 days from now, not 30
    expected_day = (received.astimezone(AMS) + timedelta(days=30)).date()
    assert recognition.date() == expected_day
    assert "eio-32" not in due  # no provisional measures asked: Art. 32 does not run
    detail = get_request(vault, ref)
    assert detail.request.received_at is not None
    assert abs(detail.request.received_at - received) < timedelta(seconds=1)
    created = _audit(vault, "deadline.create")
    assert {e.payload["rule"] for e in created if e.payload} >= {"eio-12-3", "eio-16-1"}
    assert all(
        e.payload and e.payload["occurred_at"].startswith(received.date().isoformat())
        for e in created
    )


def test_the_receipt_date_defaults_to_now(vault: UnlockedVault) -> None:
    before = datetime.now(UTC)
    ref = _incoming_eio(vault)
    received = get_request(vault, ref).request.received_at
    assert received is not None and before - timedelta(seconds=1) <= received <= datetime.now(UTC)


def test_changing_the_receipt_date_recomputes_and_audits(vault: UnlockedVault) -> None:
    ref = _incoming_eio(vault, received_at="2026-11-20 09:30")
    first, _ = _due(vault)["eio-12-3"]
    assert first.date().isoformat() == "2026-12-20"
    update_request(vault, ref, {"received_at": "2026-11-10 16:00"})
    moved, state = _due(vault)["eio-12-3"]
    assert moved.date().isoformat() == "2026-12-10" and state == "open"
    recomputed = [e for e in _audit(vault, "deadline.recompute") if e.payload]
    rules = {e.payload["rule"]: e.payload for e in recomputed if e.payload}
    assert set(rules) == {"eio-12-3", "eio-16-1"}
    assert rules["eio-12-3"]["from"].startswith("2026-12-20")
    assert rules["eio-12-3"]["to"].startswith("2026-12-10")
    assert "receipt date changed" in rules["eio-12-3"]["cause"]
    update = [e for e in _audit(vault, "request.update") if e.payload]
    assert update[-1].payload is not None and "received_at" in update[-1].payload
    # the deadline row itself says it moved (sequence) so calendar exports update it
    with vault.session() as session:
        row = session.exec(select(Deadline).where(Deadline.rule_id == "eio-12-3")).one()
        assert row.sequence == 1


def test_provisional_measures_start_and_stop_article_32(vault: UnlockedVault) -> None:
    ref = _incoming_eio(vault, received_at="2026-11-20 09:30", provisional_measures=True)
    art32, _ = _due(vault)["eio-32"]
    assert art32 == datetime(2026, 11, 21, 9, 30, tzinfo=AMS)
    update_request(vault, ref, {"provisional_measures": False})
    everything = _due(vault, open_only=False)
    assert everything["eio-32"][1] == "waived"
    closed = [e for e in _audit(vault, "deadline.state") if e.payload]
    assert "provisional measures" in str(closed[-1].payload["reason"])  # type: ignore[index]


def test_recording_the_receipt_event_sets_the_receipt_date(vault: UnlockedVault) -> None:
    ref = _incoming_eio(vault)
    moved = record_event(vault, ref, "receipt", "2026-11-02 08:00")
    assert {d.rule_id for d in moved} >= {"eio-12-3"}
    assert get_request(vault, ref).request.received_at == datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
    assert _due(vault)["eio-12-3"][0].date().isoformat() == "2026-12-02"


@pytest.mark.parametrize(
    ("value", "message"),
    [("2099-01-01 10:00", "future"), ("soon", "not a date"), ("1900-01-01", "plausible")],
)
def test_a_bad_receipt_date_changes_nothing(vault: UnlockedVault, value: str, message: str) -> None:
    ref = _incoming_eio(vault, received_at="2026-11-20 09:30")
    before = _due(vault)
    with pytest.raises(ValidationError, match=message):
        update_request(vault, ref, {"received_at": value})
    assert _due(vault) == before


def test_an_outgoing_request_has_no_receipt_date(vault: UnlockedVault) -> None:
    case_ref = _case(vault)
    data = RequestInput(
        reference="NL-OUT-1",
        case_ref=case_ref,
        kind="eio",
        direction="outgoing",
        requesting_state="NL",
        requested_state="BE",
        received_at="2026-11-20 09:30",
    )
    with pytest.raises(ValidationError, match="only an incoming request"):
        add_request(vault, data)


def test_no_1957_convention_clock_on_an_incoming_arrest_between_eaw_states(
    vault: UnlockedVault,
) -> None:
    case_ref = _case(vault)
    data = RequestInput(
        reference="BE-PA-1",
        case_ref=case_ref,
        kind="provisional-arrest",
        direction="incoming",
        requesting_state="BE",
        requested_state="NL",
        basis_instrument_id="eaw-fd",
        basis_override_reason="EAW matter between Member States (FD Art. 31)",
    )
    ref = add_request(vault, data).reference
    created = record_event(vault, ref, "provisional-arrest", "2026-11-20 06:00")
    rules = {d.rule_id for d in created}
    assert not rules & {"ets-024-16-4-request", "ets-024-16-4-max", "cets-209-6"}
    assert "eaw-17-3-provisional-arrest" in rules


def test_a_draft_eu_mla_request_between_eio_states_is_flagged(vault: UnlockedVault) -> None:
    case_ref = _case(vault)
    data = RequestInput(
        reference="NL-MLA-9",
        case_ref=case_ref,
        kind="mla",
        direction="outgoing",
        requesting_state="NL",
        requested_state="BE",
        basis_instrument_id="eu-mla-2000",
        basis_override_reason="drafted before the EIO",
    )
    ref = add_request(vault, data).reference
    flags = basis_flags(vault, ref)
    assert flags, "an MLA request between EIO-bound states must be flagged"
    assert flags[0].suggested == "eio-directive" and flags[0].suggested_kind == "eio"
    assert "Art. 34" in flags[0].message
    assert get_request(vault, ref).basis_flags == flags


def test_an_mla_request_to_a_state_not_bound_by_the_eio_is_not_flagged(
    vault: UnlockedVault,
) -> None:
    # Ireland is not bound by the EIO Directive: MLA stays MLA.
    case_ref = _case(vault)
    data = RequestInput(
        reference="NL-MLA-IE",
        case_ref=case_ref,
        kind="mla",
        direction="outgoing",
        requesting_state="NL",
        requested_state="IE",
    )
    ref = add_request(vault, data).reference
    assert not [f for f in basis_flags(vault, ref) if f.suggested_kind == "eio"]


def test_a_corrected_receipt_moves_every_receipt_deadline_keeps_extensions_and_leaves_manual_ones(
    vault: UnlockedVault,
) -> None:
    """Every statutory deadline computed from the receipt (EIO Art. 12(3) [S6], Art. 16(1) [S9],
    Art. 32 [S805]) follows a corrected receipt date, each move audited; an Art. 12(5) extension
    the officer recorded moves with it instead of being lost; a deadline added by hand is left
    alone, and the report says so."""
    from casecoord.services.deadlines import add_deadline, extend_deadline

    ref = _incoming_eio(vault, received_at="2026-11-20 09:30", provisional_measures=True)
    before = _due(vault)
    assert set(before) >= {"eio-12-3", "eio-16-1", "eio-32"}
    views = list_deadlines(vault, DeadlineQuery(case_ref="NL-RC-1"))
    recognition = next(v for v in views if v.rule_id == "eio-12-3")
    extend_deadline(vault, recognition.uid, "2027-01-19 23:59", "Art. 12(5): delay notified")
    add_deadline(vault, "NL-RC-1", "call the prosecutor", "2026-12-01 10:00", request_ref=ref)

    report: list[str] = []
    update_request(vault, ref, {"received_at": "2026-11-10 09:30"}, report=report)
    after = _due(vault)
    for rule in ("eio-16-1", "eio-32"):
        assert after[rule][0] == before[rule][0] - timedelta(days=10), rule
    # the extension (to 19 Jan) moved back ten days with the receipt, not to the 30-day limit
    assert after["eio-12-3"][0].date().isoformat() == "2027-01-09"
    assert f"{after['call the prosecutor'][0]:%Y-%m-%d %H:%M}" == "2026-12-01 10:00"
    moves = {e.payload["rule"]: e.payload for e in _audit(vault, "deadline.recompute") if e.payload}
    assert set(moves) == {"eio-12-3", "eio-16-1", "eio-32"}
    assert "extension_kept" in moves["eio-12-3"] and "extension_kept" not in moves["eio-16-1"]
    assert sum(line.startswith("moved:") for line in report) == 3
    assert any("added by hand" in line and "call the prosecutor" in line for line in report)
