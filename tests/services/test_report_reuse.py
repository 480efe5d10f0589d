"""A report or dashboard shown again is read again only when something it reads, or its minute,
moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casecoord.services import cases, deadlines
from casecoord.services.reports import build_report
from casecoord.services.tui_queries import dashboard, read_if_changed
from casecoord.store import Store

NOW = datetime(2026, 12, 4, 9, 30, 15, tzinfo=UTC)


def test_the_same_minute_with_nothing_changed_keeps_the_report(vault: Store) -> None:
    cases.add_case(vault, cases.CaseInput(reference="NL-2026-0300", title="Quay", countries=["NL"]))
    first = read_if_changed(vault, NOW, None, build_report)
    assert first is not None and first.value.overdue_deadlines == 0
    assert read_if_changed(vault, NOW + timedelta(seconds=40), first, build_report) is None

    # a change anywhere (here a deadline already due) moves the chain: computed again, and
    # the new figure is in it
    deadlines.add_deadline(vault, "NL-2026-0300", "Chase the bank", NOW - timedelta(hours=1))
    second = read_if_changed(vault, NOW + timedelta(seconds=41), first, build_report)
    assert second is not None and second.mark > first.mark
    assert second.value.overdue_deadlines == 1

    # the next minute: ages and overdue deadlines move with the clock, so computed again
    third = read_if_changed(vault, NOW + timedelta(seconds=44), second, build_report)  # 09:30:59
    assert third is None
    later = read_if_changed(vault, NOW + timedelta(minutes=1), second, build_report)
    assert later is not None and later.value.as_of == NOW + timedelta(minutes=1)


def test_the_dashboard_shown_again_reads_again_only_after_a_change(vault: Store) -> None:
    cases.add_case(vault, cases.CaseInput(reference="NL-2026-0301", title="Quay", countries=["NL"]))
    first = read_if_changed(vault, NOW, None, dashboard)
    assert first is not None and first.value.overdue_total.total == 0
    assert read_if_changed(vault, NOW + timedelta(seconds=30), first, dashboard) is None
    deadlines.add_deadline(vault, "NL-2026-0301", "Chase the bank", NOW - timedelta(hours=2))
    second = read_if_changed(vault, NOW + timedelta(seconds=31), first, dashboard)
    assert second is not None and second.value.overdue_total.total == 1
