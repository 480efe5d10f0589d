"""Dutch counting per the Algemene termijnenwet (Atw), from sourced data beside the holidays package.

Atw Art. 3(1): 5 May is a recognised holiday every year; Art. 3(2): Good Friday is assimilated;
Art. 3(3): other days by royal decree (Besluit gelijkstelling … 2026 … 2028); Art. 1(1): a term
ending on a Saturday, Sunday or recognised holiday runs to the next day that is none of these;
Art. 2: a term of three days or more holds at least two such days; Art. 4: not for terms in hours
or over 90 days. Sources: ``calendars.json`` (ATW-TEXT, ATW-SCOPE, KB-2026-2028).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import jsonschema
import pytest

from casecoord.schemas import load_schema
from casecoord.treaties.calendars import (
    CALENDARS_PATH,
    CalendarDataError,
    WorkingCalendar,
    calendar_data,
    counting_law,
    counting_law_due,
    parse_calendar_data,
)
from casecoord.treaties.deadlines import statutory_deadlines

AMS = ZoneInfo("Europe/Amsterdam")
NL = WorkingCalendar("NL")


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CALENDARS_PATH.read_text(encoding="utf-8"))
    return loaded


def test_calendar_data_validates_and_every_fact_has_a_known_source() -> None:
    validator = jsonschema.Draft202012Validator(load_schema("working-calendars.schema.json"))
    assert [e.message for e in validator.iter_errors(_document())] == []
    data = calendar_data()
    for entry in data.countries.values():
        for day in entry.extra_days:
            assert day.article.startswith("Atw Art. 3")
            assert all(code in data.sources for code in day.sources)


def test_malformed_calendar_data_fails_loudly() -> None:
    doc = copy.deepcopy(_document())
    doc["calendars"][0]["extra_days"][0]["sources"] = ["NOWHERE"]
    with pytest.raises(CalendarDataError, match="NOWHERE"):
        parse_calendar_data(doc)
    doc = copy.deepcopy(_document())
    del doc["calendars"][0]["extra_days"][0]["month_day"]
    with pytest.raises(CalendarDataError, match="month_day"):
        parse_calendar_data(doc)


@pytest.mark.parametrize("year", [2026, 2027, 2029, 2031])
def test_5_may_is_a_dutch_holiday_every_year(year: int) -> None:
    day = date(year, 5, 5)
    assert not NL.is_working_day(day) or day.weekday() >= 5
    assert NL.holiday_name(day) is not None


def test_the_holidays_package_alone_lacks_5_may_2026() -> None:
    # Why the data exists: the package keeps Liberation Day only in lustrum years.
    assert date(2026, 5, 5) not in holidays.country_holidays("NL", years=2026)
    assert "Atw Art. 3(1)" in (NL.holiday_name(date(2026, 5, 5)) or "")


def test_good_friday_is_assimilated() -> None:
    assert not NL.is_working_day(date(2026, 4, 3))
    assert not NL.is_working_day(date(2027, 3, 26))


@pytest.mark.parametrize(
    "day", [date(2026, 1, 2), date(2026, 5, 15), date(2027, 5, 7), date(2028, 4, 28)]
)
def test_days_assimilated_by_royal_decree(day: date) -> None:
    assert not NL.is_working_day(day)
    assert "Atw Art. 3(3)" in (NL.holiday_name(day) or "")


def test_atw_article_1_moves_a_last_day_off_a_holiday() -> None:
    law = counting_law("NL")
    assert law is not None and law.title == "Algemene termijnenwet"
    # ends on Tuesday 5 May 2026 -> Wednesday 6 May
    assert counting_law_due(law, NL, date(2026, 4, 25), date(2026, 5, 5)) == date(2026, 5, 6)


def test_atw_article_2_keeps_two_working_days_in_a_short_term() -> None:
    law = counting_law("NL")
    assert law is not None
    # three days from Thursday 2 April 2026: Fri 3 (Good Friday), Sat, Sun -> Mon 6 Easter
    # Monday; Art. 1 gives Tue 7, Art. 2 then wants two working days: Tue 7 and Wed 8.
    assert counting_law_due(law, NL, date(2026, 4, 2), date(2026, 4, 5)) == date(2026, 4, 8)


def test_a_dutch_deadline_on_5_may_offers_the_atw_date_beside_the_plain_count() -> None:
    at = datetime(2026, 4, 25, 10, tzinfo=AMS)  # + 10 days = Tuesday 5 May 2026
    (d,) = statutory_deadlines("eaw", ["eaw-fd"], "final-decision", at, "BE", "NL")
    assert d.due_local.date() == date(2026, 5, 5)  # the law's own count is not moved
    assert "5 May" in d.note
    labels = [label for label, _ in d.alternatives]
    assert any("Algemene termijnenwet" in label for label in labels)
    atw = next(due for label, due in d.alternatives if "Algemene termijnenwet" in label)
    assert atw.astimezone(AMS).date() == date(2026, 5, 6)


def test_the_atw_does_not_touch_hours_or_long_terms() -> None:
    at = datetime(2026, 5, 4, 10, tzinfo=AMS)
    found = statutory_deadlines(
        "eio",
        ["eio-directive"],
        "receipt",
        at,
        "BE",
        "NL",
        conditions=frozenset({"provisional-measures"}),
    )
    art32 = next(d for d in found if d.rule_id == "eio-32")
    assert art32.due_at == datetime(2026, 5, 5, 8, 0, tzinfo=UTC)  # on 5 May, not moved
    assert "Art. 4" in art32.note
    decided = datetime(2026, 2, 4, 10, tzinfo=AMS)  # + 90 days: Atw applies up to 90
    (execute,) = statutory_deadlines(
        "eio", ["eio-directive"], "recognition-decision", decided, "BE", "NL"
    )
    assert execute.amount == 90


def test_a_date_beyond_the_known_decrees_says_so() -> None:
    at = datetime(2029, 3, 1, 10, tzinfo=AMS)
    (d,) = statutory_deadlines("eaw", ["eaw-fd"], "consent", at, "BE", "NL")
    assert "by decree after 2028-12-31" in d.note
