"""The .ics export re-parses with icalendar and carries what Outlook/Thunderbird need."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from casecoord.services.ics import IcsDeadline, deadlines_to_ics, event_uid
from casecoord.treaties.deadlines import statutory_deadlines

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def _item(**overrides: object) -> IcsDeadline:
    fields: dict[str, object] = {
        "uid_key": "3f6a1c9e-0001",
        "title": "EAW: final decision after consent",
        "due_at": datetime(2026, 3, 20, 23, 59, tzinfo=ZoneInfo("Europe/Amsterdam")),
        "case_ref": "NL-2026-0042",
        "request_ref": "REQ-7",
        "article": "FD 2002/584/JHA Art. 17(2)",
        "description": "counted in NL",
    }
    fields.update(overrides)
    return IcsDeadline(**fields)  # type: ignore[arg-type]


def test_calendar_header_is_publishable() -> None:
    cal = _parse(deadlines_to_ics([_item()], NOW))
    assert str(cal["version"]) == "2.0"
    assert str(cal["method"]) == "PUBLISH"
    assert "casecoord" in str(cal["prodid"])


def test_one_event_per_deadline_with_stable_uid_and_utc_times() -> None:
    data = deadlines_to_ics([_item(), _item(uid_key="3f6a1c9e-0002", request_ref=None)], NOW)
    events = _parse(data).walk("VEVENT")
    assert len(events) == 2
    first = events[0]
    assert str(first["uid"]) == "3f6a1c9e-0001@casecoord" == event_uid("3f6a1c9e-0001")
    start = first.decoded("dtstart")
    assert start == datetime(2026, 3, 20, 22, 59, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)
    assert first.decoded("dtend") - start == timedelta(minutes=1)
    assert b"DTSTART:20260320T225900Z" in data
    assert str(first["summary"]) == "EAW: final decision after consent [NL-2026-0042 / REQ-7]"
    assert "Legal basis: FD 2002/584/JHA Art. 17(2)" in str(first["description"])
    assert str(events[1]["summary"]).endswith("[NL-2026-0042]")


def test_update_fields_let_a_reimport_replace_the_event() -> None:
    changed = datetime(2026, 2, 27, 8, 0, tzinfo=UTC)
    event = _parse(deadlines_to_ics([_item(revision=3, updated_at=changed)], NOW)).walk("VEVENT")[0]
    assert event.decoded("sequence") == 3
    assert event.decoded("dtstamp") == NOW
    assert event.decoded("last-modified") == changed
    again = _parse(deadlines_to_ics([_item(revision=3, updated_at=changed)], NOW)).walk("VEVENT")
    assert str(again[0]["uid"]) == str(event["uid"])


def test_alarms_three_days_and_one_day_before() -> None:
    event = _parse(deadlines_to_ics([_item()], NOW)).walk("VEVENT")[0]
    alarms = event.walk("VALARM")
    assert sorted(a.decoded("trigger") for a in alarms) == [timedelta(days=-3), timedelta(days=-1)]
    assert {str(a["action"]) for a in alarms} == {"DISPLAY"}


def test_cancelled_deadline_is_published_without_alarms() -> None:
    event = _parse(deadlines_to_ics([_item(cancelled=True)], NOW)).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"
    assert event.walk("VALARM") == []


def test_lines_are_folded_and_crlf_terminated() -> None:
    data = deadlines_to_ics([_item(description="x" * 300)], NOW)
    assert data.count(b"\r\n") > 10
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_computed_deadlines_round_trip_into_the_calendar() -> None:
    at = datetime(2026, 3, 20, 9, tzinfo=ZoneInfo("America/Bogota"))
    computed = statutory_deadlines("eaw", ["eaw-fd"], "consent", at, "BE", "NL")[0]
    item = IcsDeadline(
        uid_key="d-1",
        title=computed.title,
        due_at=computed.due_at,
        case_ref="C-1",
        article=computed.article,
    )
    event = _parse(deadlines_to_ics([item], NOW)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == computed.due_at == datetime(2026, 3, 30, 21, 59, tzinfo=UTC)


def test_empty_export_is_still_a_valid_calendar() -> None:
    cal = _parse(deadlines_to_ics([], NOW))
    assert cal.walk("VEVENT") == []
    assert str(cal["version"]) == "2.0"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadlines_to_ics([_item(due_at=datetime(2026, 3, 20, 12))], NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        deadlines_to_ics([], datetime(2026, 3, 1))
