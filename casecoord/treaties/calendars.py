"""Working days of a country: weekends, public holidays, and the days its counting law adds.

Time limits count in the calendar of the state that counts them (usually the executing state);
a working-day limit or a next-working-day rollover must skip that state's holidays, not the
officer's. The ``holidays`` package supplies each country's public holidays; where a country's
counting law recognises more days than the package knows (the Dutch Algemene termijnenwet keeps
5 May every year, Good Friday and days assimilated by royal decree), those days come from
``calendars.json`` beside this module, each with its article and source, checked against
``schemas/working-calendars.schema.json`` at load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import holidays
import jsonschema
from dateutil.easter import easter

from casecoord.schemas import load_schema

CALENDARS_PATH = Path(__file__).resolve().parent / "calendars.json"
SCHEMA_NAME = "working-calendars.schema.json"

_DEFAULT_WEEKEND = frozenset({5, 6})  # Saturday, Sunday


class CalendarDataError(Exception):
    """``calendars.json`` is malformed; the message names the entry."""


@dataclass(frozen=True, slots=True)
class ExtraDay:
    """A non-working day the country's counting law adds to the holidays package's list."""

    rule: str  # "every-year", "easter" or "date"
    name: str
    article: str
    sources: tuple[str, ...]
    month_day: tuple[int, int] | None = None
    easter_offset: int | None = None
    on: date | None = None

    def in_year(self, year: int) -> date | None:
        """The day this entry falls on in ``year`` (None for a one-off day of another year)."""
        if self.rule == "every-year" and self.month_day is not None:
            return date(year, *self.month_day)
        if self.rule == "easter" and self.easter_offset is not None:
            sunday: date = easter(year)
            return sunday + timedelta(days=self.easter_offset)
        if self.on is not None and self.on.year == year:
            return self.on
        return None


@dataclass(frozen=True, slots=True)
class CountingLaw:
    """A country's general rules for moving a statutory deadline off non-working days.

    ``scope`` says, in the officer's words, which time limits the law governs; the engine offers
    its date beside the plain count, never instead of it, when the sources leave that open.
    """

    country: str
    title: str
    next_working_day_article: str
    minimum_working_days: int
    minimum_applies_from_days: int
    minimum_article: str
    excludes_hours: bool
    excludes_terms_over_days: int | None
    exclusions_article: str
    scope: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CountryCalendarData:
    """What ``calendars.json`` says about one country."""

    country: str
    law: str
    note: str | None
    sources: tuple[str, ...]
    extra_days: tuple[ExtraDay, ...]
    decrees_known_until: date | None
    counting_law: CountingLaw | None


@dataclass(frozen=True, slots=True)
class CalendarData:
    """The whole of ``calendars.json``: per-country data and the citations behind source codes."""

    facts_as_of: date
    sources: dict[str, str]
    countries: dict[str, CountryCalendarData]

    def source_text(self, code: str) -> str:
        """The citation behind a source code such as ``"ATW-TEXT"``."""
        return self.sources.get(code, code)


def parse_calendar_data(document: Any, origin: str = "calendars.json") -> CalendarData:
    """Validate ``document`` against its schema and build the frozen model."""
    validator = jsonschema.Draft202012Validator(load_schema(SCHEMA_NAME))
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.path])
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "(root)"
        raise CalendarDataError(f"{origin}: {where}: {errors[0].message}")
    sources = dict(document["sources"])
    countries: dict[str, CountryCalendarData] = {}
    for index, raw in enumerate(document["calendars"]):
        where = f"{origin}: calendars[{index}] ({raw['country']})"
        refs = [*raw["sources"]]
        extra: list[ExtraDay] = []
        for day in raw["extra_days"]:
            refs.extend(day["sources"])
            month_day = None
            if "month_day" in day:
                month, dom = (int(part) for part in day["month_day"].split("-"))
                month_day = (month, dom)
            try:
                on = date.fromisoformat(day["date"]) if "date" in day else None
                if month_day is not None:
                    date(2000, *month_day)  # a leap year: accepts 02-29, refuses 02-30
            except ValueError as exc:
                raise CalendarDataError(f"{where}: {day['name']!r}: {exc}") from None
            extra.append(
                ExtraDay(
                    rule=day["rule"],
                    name=day["name"],
                    article=day["article"],
                    sources=tuple(day["sources"]),
                    month_day=month_day,
                    easter_offset=day.get("easter_offset"),
                    on=on,
                )
            )
        law_raw = raw["counting_law"]
        law = None
        if law_raw is not None:
            refs.extend(law_raw["sources"])
            law = CountingLaw(
                country=raw["country"],
                title=law_raw["title"],
                next_working_day_article=law_raw["next_working_day_article"],
                minimum_working_days=int(law_raw["minimum_working_days"]),
                minimum_applies_from_days=int(law_raw["minimum_applies_from_days"]),
                minimum_article=law_raw["minimum_article"],
                excludes_hours=bool(law_raw["excludes_hours"]),
                excludes_terms_over_days=law_raw["excludes_terms_over_days"],
                exclusions_article=law_raw["exclusions_article"],
                scope=law_raw["scope"],
                sources=tuple(law_raw["sources"]),
            )
        unknown = sorted({code for code in refs if code not in sources})
        if unknown:
            raise CalendarDataError(f"{where}: unknown source code(s) {', '.join(unknown)}")
        until = raw["decrees_known_until"]
        countries[raw["country"]] = CountryCalendarData(
            country=raw["country"],
            law=raw["law"],
            note=raw["note"],
            sources=tuple(raw["sources"]),
            extra_days=tuple(extra),
            decrees_known_until=date.fromisoformat(until) if until else None,
            counting_law=law,
        )
    return CalendarData(date.fromisoformat(document["facts_as_of"]), sources, countries)


@cache
def calendar_data() -> CalendarData:
    """The packaged ``calendars.json``, loaded once."""
    return parse_calendar_data(json.loads(CALENDARS_PATH.read_text(encoding="utf-8")))


def counting_law(country: str) -> CountingLaw | None:
    """The general counting law of ``country`` when the data has one (e.g. NL: the Atw)."""
    entry = calendar_data().countries.get(country.upper())
    return entry.counting_law if entry is not None else None


@cache
def _weekend(country: str) -> tuple[frozenset[int], bool]:
    try:
        calendar = holidays.country_holidays(country)
    except NotImplementedError:
        return _DEFAULT_WEEKEND, country in calendar_data().countries
    return frozenset(getattr(calendar, "weekend", _DEFAULT_WEEKEND)), True


@cache
def _days(country: str, year: int) -> dict[date, str]:
    """Every non-working day of ``year`` but weekends, with its name (and article, if ours)."""
    found: dict[date, str] = {}
    try:
        for day, name in holidays.country_holidays(country, years=year).items():
            found[day] = str(name)
    except NotImplementedError:
        pass
    entry = calendar_data().countries.get(country)
    if entry is not None:
        for extra in entry.extra_days:
            extra_day = extra.in_year(year)
            if extra_day is not None and extra_day not in found:
                found[extra_day] = f"{extra.name}, {extra.article}"
    return found


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """One country's working days; ``known`` is False when no holiday list covers it."""

    country: str

    @property
    def known(self) -> bool:
        """Whether public holidays are known (else only weekends are skipped)."""
        return _weekend(self.country)[1]

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on ``day``, if any (for notes shown to the officer)."""
        return _days(self.country, day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        """Neither a weekend day nor a public holiday of the country."""
        weekend, _ = _weekend(self.country)
        return day.weekday() not in weekend and day not in _days(self.country, day.year)

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
        day, counted = start, 0
        while counted < count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def decrees_known_until(self) -> date | None:
        """The last day for which the data lists days assimilated by decree (None: no such list)."""
        entry = calendar_data().countries.get(self.country)
        return entry.decrees_known_until if entry is not None else None


def counting_law_due(law: CountingLaw, calendar: WorkingCalendar, start: date, end: date) -> date:
    """The last day of a ``start``→``end`` term of days under ``law`` (e.g. Atw Arts. 1 and 2).

    Art. 2-style rule first: a term of at least ``minimum_applies_from_days`` days is lengthened
    until it holds ``minimum_working_days`` working days; then an Art. 1-style rule moves a last
    day that is not a working day to the next working day. Exclusions (hours, long terms) are
    the caller's to check, as they depend on how the rule is expressed.
    """
    due = end
    if (end - start).days >= law.minimum_applies_from_days:
        while calendar.working_days_between(start, due) < law.minimum_working_days:
            due += timedelta(days=1)
    return calendar.next_working_day(due)
