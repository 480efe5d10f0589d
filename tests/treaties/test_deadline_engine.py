"""Deadlines land on the right day and minute, across month ends, leap days, holidays and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from casecoord.domain.enums import CountingMethod, LegalEvent, RequestKind
from casecoord.treaties.calendars import WorkingCalendar
from casecoord.treaties.catalogue import default_catalogue
from casecoord.treaties.deadlines import (
    ComputedDeadline,
    DeadlineError,
    compute_deadline,
    due_in_zone,
    extend_deadline,
    list_rules,
    statutory_deadlines,
)
from casecoord.treaties.model import CountingState, DeadlineRule, FactStatus, Rollover

AMS = ZoneInfo("Europe/Amsterdam")
BOG = ZoneInfo("America/Bogota")


def _one(kind: str, ids: list[str], event: str, at: datetime, a: str, b: str) -> ComputedDeadline:
    found = statutory_deadlines(kind, ids, event, at, a, b)
    assert len(found) == 1, [d.rule_id for d in found]
    return found[0]


def test_eaw_consent_gives_ten_days_in_the_executing_state() -> None:
    d = _one("eaw", ["eaw-fd"], "consent", datetime(2026, 3, 10, 10, 0, tzinfo=AMS), "BE", "NL")
    assert d.rule_id == "eaw-17-2"
    assert d.title == "EAW: final decision after consent"
    assert d.article == "FD 2002/584/JHA Art. 17(2)"
    assert d.instrument_id == "eaw-fd"
    assert d.counting is CountingMethod.CALENDAR_DAYS
    assert d.counting_country == "NL"
    assert d.certainty is FactStatus.CONFIRMED
    assert d.due_local == datetime(2026, 3, 20, 23, 59, tzinfo=AMS)
    assert d.due_at == datetime(2026, 3, 20, 22, 59, tzinfo=UTC)
    assert d.due_at.tzinfo is UTC
    assert d.extension_rule_ids == ("eaw-17-4",)


def test_bogota_sees_the_amsterdam_deadline_shift_across_eu_dst() -> None:
    before = _one("eaw", ["eaw-fd"], "consent", datetime(2026, 3, 10, 9, tzinfo=BOG), "BE", "NL")
    after = _one("eaw", ["eaw-fd"], "consent", datetime(2026, 3, 20, 9, tzinfo=BOG), "BE", "NL")
    # 20 March: CET (UTC+1); 30 March: CEST (UTC+2) since the change on 29 March 2026.
    assert before.local("America/Bogota") == datetime(2026, 3, 20, 17, 59, tzinfo=BOG)
    assert after.due_local == datetime(2026, 3, 30, 23, 59, tzinfo=AMS)
    assert after.due_at == datetime(2026, 3, 30, 21, 59, tzinfo=UTC)
    assert after.local("America/Bogota") == datetime(2026, 3, 30, 16, 59, tzinfo=BOG)


def test_event_date_is_read_in_the_counting_states_zone() -> None:
    # 21:00 in Bogotá on 24 March is already 25 March in Amsterdam: NL counts from the 25th.
    at = datetime(2026, 3, 24, 21, 0, tzinfo=BOG)
    d = _one("eaw", ["eaw-fd"], "consent", at, "CO", "NL")
    assert d.due_local.date() == date(2026, 4, 4)


def test_sixty_days_across_month_ends() -> None:
    d = _one("eaw", ["eaw-fd"], "arrest", datetime(2026, 1, 31, 8, tzinfo=AMS), "DE", "NL")
    assert d.rule_id == "eaw-17-3"
    assert d.due_local.date() == date(2026, 4, 1)


def test_thirty_days_reach_the_leap_day_2028() -> None:
    at = datetime(2028, 1, 30, 9, tzinfo=AMS)
    found = statutory_deadlines("eio", ["eio-directive"], "receipt", at, "BE", "DE")
    d = next(x for x in found if x.rule_id == "eio-12-3")
    assert d.counting_country == "DE"
    assert d.due_local.date() == date(2028, 2, 29)


def test_eio_receipt_starts_three_deadlines_in_order_with_provisional_measures() -> None:
    at = datetime(2026, 6, 1, 9, tzinfo=AMS)
    found = statutory_deadlines(
        "eio",
        ["eio-directive"],
        LegalEvent.RECEIPT,
        at,
        "BE",
        "NL",
        conditions=frozenset({"provisional-measures"}),
    )
    assert [d.rule_id for d in found] == ["eio-32", "eio-16-1", "eio-12-3"]
    art32, art16, _ = found
    assert art32.counting is CountingMethod.HOURS
    assert art32.due_at == datetime(2026, 6, 2, 7, 0, tzinfo=UTC)
    assert art16.certainty is FactStatus.UNCERTAIN
    assert "not confirmed" in art16.note


def test_hours_are_exact_across_the_october_dst_change() -> None:
    at = datetime(2026, 10, 24, 22, 0, tzinfo=AMS)  # CEST; clocks go back at 03:00 on the 25th
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
    assert art32.due_at - at == timedelta(hours=24)
    assert art32.due_local == datetime(2026, 10, 25, 21, 0, tzinfo=AMS)


def test_koningsdag_is_flagged_and_rollover_is_offered_not_imposed() -> None:
    at = datetime(2026, 4, 17, 11, tzinfo=AMS)  # Friday; +10 days = Monday 27 April, King's Day
    d = _one("eaw", ["eaw-fd"], "final-decision", at, "BE", "NL")
    assert d.rule_id == "eaw-23-2"
    assert d.rollover is Rollover.NONE
    assert d.due_local.date() == date(2026, 4, 27)
    assert d.rolled_over_due_at is not None
    assert due_in_zone(d.rolled_over_due_at, "Europe/Amsterdam").date() == date(2026, 4, 28)
    assert "King's Day" in d.note and "1182/71" in d.note


def test_rollover_override_moves_a_christmas_deadline_to_the_next_working_day() -> None:
    at = datetime(2026, 12, 16, 9, tzinfo=AMS)  # +10 = Saturday 26 December (2nd Christmas Day)
    found = statutory_deadlines(
        "eaw", ["eaw-fd"], "final-decision", at, "BE", "NL", rollover=Rollover.NEXT_WORKING_DAY
    )
    assert found[0].due_local.date() == date(2026, 12, 28)
    assert found[0].rolled_over_due_at is None
    assert "moved from 2026-12-26" in found[0].note


def test_a_working_day_deadline_skips_the_counting_states_holidays() -> None:
    rule = DeadlineRule(
        id="test-5-working-days",
        instruments=("eaw-fd",),
        domestic_law_of=None,
        title="test",
        article="test",
        kinds=frozenset({RequestKind.EAW}),
        event=LegalEvent.RECEIPT,
        amount=5,
        counting=CountingMethod.WORKING_DAYS,
        counting_state=CountingState.REQUESTED,
        extends=(),
        status=FactStatus.CONFIRMED,
        article_certain=True,
        sources=("S1",),
        note=None,
    )
    at = datetime(2026, 4, 23, 9, tzinfo=AMS)  # Thursday
    nl = compute_deadline(rule, at, "BE", "NL")
    # Fri 24 (1), Mon 27 King's Day skipped, Tue 28 (2), Wed 29 (3), Thu 30 (4), Fri 1 May (5)
    assert nl.due_local.date() == date(2026, 5, 1)
    # Belgium does not keep King's Day, but does keep 1 May: Fri 24, Mon 27, Tue 28, Wed 29, Thu 30
    be = compute_deadline(rule, at, "NL", "BE")
    assert be.due_local.date() == date(2026, 4, 30)


def test_working_calendar_knows_colombian_holidays() -> None:
    colombia = WorkingCalendar("CO")
    assert colombia.known
    assert not colombia.is_working_day(date(2026, 7, 20))  # Independence Day
    assert colombia.next_working_day(date(2026, 7, 18)) == date(2026, 7, 21)


def test_extension_of_the_eaw_decision_period() -> None:
    d = _one("eaw", ["eaw-fd"], "arrest", datetime(2026, 3, 1, 12, tzinfo=AMS), "FR", "NL")
    assert d.due_local.date() == date(2026, 4, 30)
    longer = extend_deadline(d)
    assert longer.rule_id == "eaw-17-4"
    assert longer.extends_rule_id == "eaw-17-3"
    assert longer.article == "FD 2002/584/JHA Art. 17(4)"
    assert longer.due_local == datetime(2026, 5, 30, 23, 59, tzinfo=AMS)
    assert "informs the issuing authority" in longer.note
    assert "Art. 17(3)" in longer.note


def test_extension_of_the_eio_recognition_period() -> None:
    found = statutory_deadlines(
        "eio", ["eio-directive"], "receipt", datetime(2026, 1, 15, tzinfo=UTC), "NL", "SI"
    )
    recognition = next(d for d in found if d.rule_id == "eio-12-3")
    assert recognition.counting_tz == "Europe/Ljubljana"
    assert recognition.due_local.date() == date(2026, 2, 14)
    assert extend_deadline(recognition).due_local.date() == date(2026, 3, 16)


def test_a_deadline_without_extension_rule_cannot_be_extended() -> None:
    d = _one("eaw", ["eaw-fd"], "final-decision", datetime(2026, 5, 4, tzinfo=UTC), "BE", "NL")
    with pytest.raises(DeadlineError, match="no extension rule"):
        extend_deadline(d)


def test_colombian_domestic_rule_applies_when_colombia_is_requested() -> None:
    at = datetime(2026, 3, 25, 2, 0, tzinfo=UTC)  # 24 March, 21:00 in Bogotá
    found = statutory_deadlines(
        "extradition", ["un-vienna-1988", "untoc"], "provisional-arrest", at, "NL", "CO"
    )
    assert [d.rule_id for d in found] == ["co-domestic-formalise"]
    co = found[0]
    assert co.instrument_id is None
    assert co.article == "Colombian domestic law: Ley 906 de 2004 Art. 511"
    assert co.certainty is FactStatus.CONFIRMED
    assert co.counting_country == "CO" and co.counting_tz == "America/Bogota"
    assert co.due_local == datetime(2026, 5, 23, 23, 59, tzinfo=BOG)
    assert co.due_at == datetime(2026, 5, 24, 4, 59, tzinfo=UTC)
    assert co.due_requesting_local == datetime(2026, 5, 24, 6, 59, tzinfo=AMS)
    assert "working days" in co.note  # the other reading of the count is shown beside it


def test_us_bilateral_period_is_shown_as_uncertain() -> None:
    at = datetime(2026, 9, 1, 15, tzinfo=UTC)
    found = statutory_deadlines(
        "provisional-arrest",
        ["us-nl-extradition-1980", "eu-us-extradition"],
        "provisional-arrest",
        at,
        "NL",
        "US",
    )
    assert [d.rule_id for d in found] == ["us-bilateral-provisional-arrest"]
    assert found[0].instrument_id == "us-nl-extradition-1980"
    assert found[0].certainty is FactStatus.UNCERTAIN
    assert found[0].due_local.date() == date(2026, 10, 31)
    assert found[0].counting_tz == "America/New_York"


def test_ets_024_provisional_arrest_periods_outside_the_eaw() -> None:
    # The EAW binds neither Colombia nor the US: between NL and a non-EU state the 1957
    # Convention's periods run (the engine is given the instruments; the pair only decides
    # whether the EAW displaces them).
    at = datetime(2026, 2, 10, 6, tzinfo=UTC)
    found = statutory_deadlines(
        "extradition", ["ets-024", "cets-209"], "provisional-arrest", at, "NL", "US"
    )
    by_rule = {d.rule_id: d.due_local.date() for d in found}
    assert by_rule == {
        "cets-209-6": date(2026, 2, 20),
        "ets-024-16-4-request": date(2026, 2, 28),
        "ets-024-16-4-max": date(2026, 3, 22),
    }


def test_urgent_freezing_runs_in_hours() -> None:
    received = datetime(2026, 5, 8, 16, 30, tzinfo=AMS)
    recognise = _one("freezing", ["reg-2018-1805"], "receipt", received, "DE", "NL")
    assert recognise.due_at - received == timedelta(hours=48)
    decided = datetime(2026, 5, 9, 10, 0, tzinfo=AMS)
    execute = _one("freezing", ["reg-2018-1805"], "recognition-decision", decided, "DE", "NL")
    assert execute.due_at - decided == timedelta(hours=48)
    assert "article number uncertain" in execute.note


def test_confiscation_recognition_45_days() -> None:
    d = _one(
        "confiscation", ["reg-2018-1805"], "receipt", datetime(2026, 11, 20, tzinfo=UTC), "NL", "ES"
    )
    assert d.due_local.date() == date(2027, 1, 4)


def test_no_rule_fires_without_its_instrument() -> None:
    at = datetime(2026, 3, 10, tzinfo=UTC)
    assert statutory_deadlines("eaw", ["untoc"], "consent", at, "BE", "NL") == []
    assert statutory_deadlines("eio", ["eaw-fd"], "receipt", at, "BE", "NL") == []


def test_naive_event_time_is_refused() -> None:
    with pytest.raises(DeadlineError, match="timezone-aware"):
        statutory_deadlines("eaw", ["eaw-fd"], "consent", datetime(2026, 3, 10), "BE", "NL")


def test_unknown_state_counts_in_utc_and_says_so() -> None:
    at = datetime(2026, 3, 10, 12, tzinfo=UTC)
    d = _one("eaw", ["eaw-fd"], "consent", at, "NL", "JP")
    assert d.counting_tz == "UTC"
    assert "counted in UTC" in d.note


def test_list_rules_carries_article_event_and_source_for_each_rule() -> None:
    rules = list_rules()
    assert len(rules) == len(default_catalogue().rules) >= 18
    for rule in rules:
        assert rule.article and rule.sources
        assert rule.event is not None or rule.is_extension


def test_due_in_zone_refuses_naive_times() -> None:
    assert due_in_zone(datetime(2026, 1, 1, 12, tzinfo=UTC), "America/Lima").hour == 7
    with pytest.raises(DeadlineError):
        due_in_zone(datetime(2026, 1, 1, 12), "America/Lima")
