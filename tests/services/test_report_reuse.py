"""A report shown again is computed again only when something it reads, or its minute, moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from casecoord.services import cases, deadlines
from casecoord.services.tui_queries import report_if_changed
from casecoord.store import Store

NOW = datetime(2026, 12, 4, 9, 30, 15, tzinfo=UTC)


def test_the_same_minute_with_nothing_changed_keeps_the_report(vault: Store) -> None:
    cases.add_case(vault, cases.CaseInput(reference="NL-2026-0300", title="Quay", countries=["NL"]))
    first = report_if_changed(vault, NOW, None)
    assert first is not None and first.report.overdue_deadlines == 0
    assert report_if_changed(vault, NOW + timedelta(seconds=40), first) is None

    # a change anywhere (here a deadline already due) moves the chain: computed again, and
    # the new figure is in it
    deadlines.add_deadline(vault, "NL-2026-0300", "Chase the bank", NOW - timedelta(hours=1))
    second = report_if_changed(vault, NOW + timedelta(seconds=41), first)
    assert second is not None and second.mark > first.mark
    assert second.report.overdue_deadlines == 1

    # the next minute: ages and overdue deadlines move with the clock, so computed again
    third = report_if_changed(vault, NOW + timedelta(seconds=44), second)  # 09:30:59
    assert third is None
    later = report_if_changed(vault, NOW + timedelta(minutes=1), second)
    assert later is not None and later.report.as_of == NOW + timedelta(minutes=1)
