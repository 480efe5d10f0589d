"""Working days of a country: weekends and public holidays from the ``holidays`` package.

Time limits count in the calendar of the state that counts them (usually the executing state);
a working-day limit or a next-working-day rollover must skip that state's holidays, not the
officer's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

_DEFAULT_WEEKEND = frozenset({5, 6})  # Saturday, Sunday


@cache
def _weekend(country: str) -> tuple[frozenset[int], bool]:
    try:
        calendar = holidays.country_holidays(country)
    except NotImplementedError:
        return _DEFAULT_WEEKEND, False
    return frozenset(getattr(calendar, "weekend", _DEFAULT_WEEKEND)), True


@cache
def _holidays(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:
        return frozenset()


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """One country's working days; ``known`` is False when the holidays package lacks it."""

    country: str

    @property
    def known(self) -> bool:
        """Whether public holidays are known (else only weekends are skipped)."""
        return _weekend(self.country)[1]

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on ``day``, if any (for notes shown to the officer)."""
        if day not in _holidays(self.country, day.year):
            return None
        try:
            name = holidays.country_holidays(self.country, years=day.year).get(day)
        except NotImplementedError:
            return None
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        """Neither a weekend day nor a public holiday of the country."""
        weekend, _ = _weekend(self.country)
        return day.weekday() not in weekend and day not in _holidays(self.country, day.year)

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
