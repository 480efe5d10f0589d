"""Write open deadlines to an iCalendar file the officer imports into Outlook or Thunderbird.

Met and waived deadlines are written as cancelled events with the same UID, so a re-import
updates the calendar rather than duplicating or leaving stale alarms. This is a deliberate export out of the vault: the file is plaintext by nature (calendars cannot
read encrypted files), so it carries only the deadline, the case and request references and the
rule, never facts or names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from casecoord.domain.enums import DeadlineState
from casecoord.services.deadlines import DeadlineView
from casecoord.services.ics import IcsDeadline, deadlines_to_ics
from casecoord.vault.files import atomic_write_bytes


def to_ics_items(views: Sequence[DeadlineView]) -> list[IcsDeadline]:
    return [
        IcsDeadline(
            uid_key=view.uid,
            title=view.title,
            revision=view.sequence,
            updated_at=view.updated_at,
            due_at=view.due_at,
            case_ref=view.case_ref,
            request_ref=view.request_ref,
            article=view.article,
            description=f"Case {view.case_ref}"
            + (f", request {view.request_ref}" if view.request_ref else "")
            + (f". Rule: {view.article}" if view.article else "")
            + f". Counterpart local time: {view.due_counterpart:%Y-%m-%d %H:%M %Z}.",
            cancelled=view.state != DeadlineState.OPEN.value,
        )
        for view in views
    ]


def write_ics(
    views: Sequence[DeadlineView],
    path: Path,
    now: datetime | None = None,
    *,
    overwrite: bool = False,
) -> int:
    items = to_ics_items(views)
    atomic_write_bytes(path, deadlines_to_ics(items, now or datetime.now(UTC)), overwrite=overwrite)
    return len(items)
