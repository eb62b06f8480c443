"""Working days on Kazakhstan's calendar: public holidays from the `holidays` package, with the
observed days it already knows, plus the days moved by decree that an administrator enters.

Terms run as the Administrative Procedural Code counts them: an appeal received on a day off
counts from the next working day, and "N working days" ends on the N-th working day after that.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.core.cache import cache

from tamyr.appeals.models import CalendarDay

MOVED_DAYS_KEY = "tamyr:calendar:moved-days"


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KZ", years=year))


class WorkingCalendar:
    """Answer working-day questions; the moved days are read once per calendar object."""

    def __init__(self, moved: dict[date, bool] | None = None):
        if moved is None:
            moved = moved_days()
        self.moved = moved

    def is_working(self, day: date) -> bool:
        if day in self.moved:
            return self.moved[day]
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def first_working_from(self, day: date) -> date:
        """Return the day itself if it is a working day, otherwise the next working day."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """Return the day on which `days` working days after `start` have passed."""
        day = start
        left = days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Return how many working days fall after `start`, up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working(day)
        return count


def moved_days() -> dict[date, bool]:
    """Return the days moved by decree, from the shared cache (every list page asks)."""
    moved = cache.get(MOVED_DAYS_KEY)
    if moved is None:
        moved = dict(CalendarDay.objects.values_list("day", "is_working"))
        # Changes delete the key; the timeout only bounds a cache that is not shared.
        cache.set(MOVED_DAYS_KEY, moved, 300)
    return moved


def forget_moved_days() -> None:
    cache.delete(MOVED_DAYS_KEY)
