"""Two officers acting on the same deadline: an extension, a "met" or a waiver made on a row that
changed since it was read is a clear conflict and writes nothing, never a lost update. Runs on
the vault and on the team store (tests/services/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casecoord.domain.errors import ConflictError
from casecoord.services.audit_log import list_entries
from casecoord.services.cases import CaseInput, add_case
from casecoord.services.deadlines import (
    DeadlineQuery,
    DeadlineView,
    add_deadline,
    extend_deadline,
    list_deadlines,
    set_deadline_state,
)
from casecoord.services.requests import RequestInput, add_request, update_request
from casecoord.store import Store

CASE = "NL-D-1"


def _read(vault: Store, uid: str) -> DeadlineView:
    """The deadline as the agenda shows it (what an officer acts on)."""
    found = [v for v in list_deadlines(vault, DeadlineQuery(open_only=False)) if v.uid == uid]
    assert len(found) == 1
    return found[0]


@pytest.fixture
def deadline_uid(vault: Store) -> str:
    add_case(vault, CaseInput(reference=CASE, title="Harbour", countries=["NL", "CO"]))
    return add_deadline(vault, CASE, "Answer the supplementary questions", "2031-03-02 12:00").uid


def _audited(vault: Store, action: str) -> int:
    return sum(1 for e in list_entries(vault, CASE, limit=1000) if e.action == action)


def test_the_agenda_row_carries_the_version_an_action_expects(
    vault: Store, deadline_uid: str
) -> None:
    opened = _read(vault, deadline_uid)
    assert opened.version == 1
    extended = extend_deadline(
        vault, deadline_uid, "2031-03-09 12:00", "court asked", expected_version=opened.version
    )
    assert extended.version == 2 and _read(vault, deadline_uid).version == 2


def test_an_extension_on_a_deadline_extended_meanwhile_is_a_conflict(
    vault: Store, deadline_uid: str
) -> None:
    opened_by_a = _read(vault, deadline_uid).version
    opened_by_b = _read(vault, deadline_uid).version
    by_b = extend_deadline(
        vault, deadline_uid, "2031-03-09 12:00", "B: court asked", expected_version=opened_by_b
    )
    with pytest.raises(ConflictError, match="changed by someone else since you opened it") as err:
        extend_deadline(
            vault, deadline_uid, "2031-03-16 12:00", "A: my reason", expected_version=opened_by_a
        )
    assert f"'Answer the supplementary questions' ({CASE})" in err.value.message
    stored = _read(vault, deadline_uid)
    assert f"{stored.due_officer:%Y-%m-%d %H:%M}" == "2031-03-09 12:00"  # B's date stands
    assert stored.version == by_b.version
    assert "B: court asked" in stored.note and "A: my reason" not in stored.note
    assert _audited(vault, "deadline.extend") == 1
    # read again, A's extension goes on top of B's
    extend_deadline(
        vault, deadline_uid, "2031-03-16 12:00", "A: my reason", expected_version=stored.version
    )
    assert "A: my reason" in _read(vault, deadline_uid).note


@pytest.mark.parametrize(
    ("state", "reason"), [("met", ""), ("waived", "suspect released"), ("open", "")]
)
def test_a_state_change_on_a_deadline_changed_meanwhile_is_a_conflict(
    vault: Store, deadline_uid: str, state: str, reason: str
) -> None:
    stale = _read(vault, deadline_uid).version
    extend_deadline(vault, deadline_uid, "2031-03-09 12:00", "B: court asked")  # the other officer
    with pytest.raises(ConflictError):
        set_deadline_state(vault, deadline_uid, state, reason, expected_version=stale)
    stored = _read(vault, deadline_uid)
    assert stored.state == "open" and stored.version == stale + 1
    assert "suspect released" not in stored.note
    assert _audited(vault, "deadline.state") == 0


def test_marking_met_what_another_officer_marked_met_says_it_changed(
    vault: Store, deadline_uid: str
) -> None:
    """The conflict comes before "already met": the officer learns someone else acted on it."""
    stale = _read(vault, deadline_uid).version
    set_deadline_state(vault, deadline_uid, "met", expected_version=stale)
    with pytest.raises(ConflictError, match="changed by someone else"):
        set_deadline_state(vault, deadline_uid, "waived", "too late", expected_version=stale)
    stored = _read(vault, deadline_uid)
    assert stored.state == "met" and "too late" not in stored.note
    assert _audited(vault, "deadline.state") == 1


def test_without_an_expected_version_the_cli_behaviour_stays(
    vault: Store, deadline_uid: str
) -> None:
    extend_deadline(vault, deadline_uid, "2031-03-09 12:00", "first")
    extend_deadline(vault, deadline_uid, "2031-03-16 12:00", "second")  # no version: applies
    set_deadline_state(vault, deadline_uid, "met")
    stored = _read(vault, deadline_uid)
    assert stored.state == "met" and stored.version == 4


def test_a_deadline_moved_by_a_corrected_receipt_date_refuses_a_stale_extension(
    vault: Store,
) -> None:
    """The receipt recomputation is a change too (EIO Art. 12(3)): an extension typed against
    the old due date would otherwise be laid over the moved one."""
    add_case(vault, CaseInput(reference=CASE, title="Harbour", countries=["NL", "BE"]))
    add_request(
        vault,
        RequestInput(
            reference="BE-EIO-7", case_ref=CASE, kind="eio", direction="incoming",
            requesting_state="BE", requested_state="NL", received_at="2026-11-02 10:00",
        ),
    )  # fmt: skip
    views = list_deadlines(vault, DeadlineQuery(case_ref=CASE))
    recognition = next(v for v in views if v.rule_id == "eio-12-3")
    update_request(vault, "BE-EIO-7", {"received_at": "2026-11-10 16:00"})
    moved = _read(vault, recognition.uid)
    assert moved.due_at > recognition.due_at and moved.version > recognition.version
    with pytest.raises(ConflictError):
        extend_deadline(
            vault,
            recognition.uid,
            recognition.due_at + timedelta(days=9),
            "typed on the old date",
            expected_version=recognition.version,
        )
    assert _read(vault, recognition.uid).due_at == moved.due_at
