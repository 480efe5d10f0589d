"""Deadlines as an RFC 5545 calendar the officer imports into Outlook or Thunderbird.

Pure: it turns deadline records into bytes and writes nothing. Re-importing an export must update
events rather than duplicate them, so each event's UID is derived from a stable key (the
deadline's database id) and carries SEQUENCE, DTSTAMP and LAST-MODIFIED; a deadline that is met
or waived is published as STATUS:CANCELLED so calendars drop it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

PRODID = "-//casecoord//casecoord deadlines//EN"
UID_DOMAIN = "casecoord"
ALARMS_BEFORE = (timedelta(days=3), timedelta(days=1))
_EVENT_LENGTH = timedelta(minutes=1)  # DTEND must follow DTSTART; a deadline is a moment


@dataclass(frozen=True, slots=True)
class IcsDeadline:
    """One deadline to publish. ``uid_key`` must stay the same for the life of the deadline."""

    uid_key: str
    title: str
    due_at: datetime  # aware
    case_ref: str
    request_ref: str | None = None
    article: str | None = None
    description: str = ""
    revision: int = 0  # bump when the deadline changes, so calendars take the update
    updated_at: datetime | None = None  # LAST-MODIFIED; defaults to ``now``
    cancelled: bool = False  # met or waived: published as cancelled


def event_uid(uid_key: str) -> str:
    """The stable iCalendar UID of a deadline."""
    return f"{uid_key}@{UID_DOMAIN}"


def deadlines_to_ics(items: Iterable[IcsDeadline], now: datetime) -> bytes:
    """Render ``items`` as a METHOD:PUBLISH calendar, one VEVENT per deadline, times in UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    stamp = now.astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "casecoord deadlines")
    for item in items:
        calendar.add_component(_event(item, stamp))
    return bytes(calendar.to_ical())


def _event(item: IcsDeadline, stamp: datetime) -> Event:
    if item.due_at.tzinfo is None:
        raise ValueError(f"deadline {item.uid_key}: due_at must be timezone-aware")
    due = item.due_at.astimezone(UTC)
    refs = " / ".join(ref for ref in (item.case_ref, item.request_ref) if ref)
    summary = f"{item.title} [{refs}]"
    lines = [f"Case: {item.case_ref}"]
    if item.request_ref:
        lines.append(f"Request: {item.request_ref}")
    if item.article:
        lines.append(f"Legal basis: {item.article}")
    lines.append(f"Due (UTC): {due:%Y-%m-%d %H:%M}")
    if item.description:
        lines.append(item.description)
    event = Event()
    event.add("uid", event_uid(item.uid_key))
    event.add("sequence", item.revision)
    event.add("dtstamp", stamp)
    event.add("last-modified", (item.updated_at or stamp).astimezone(UTC))
    event.add("summary", summary)
    event.add("description", "\n".join(lines))
    event.add("dtstart", due)
    event.add("dtend", due + _EVENT_LENGTH)
    event.add("transp", "TRANSPARENT")
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("categories", ["casecoord", "deadline"])
    if not item.cancelled:
        for before in ALARMS_BEFORE:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{summary} due in {before.days} day(s)")
            alarm.add("trigger", -before)
            event.add_component(alarm)
    return event
