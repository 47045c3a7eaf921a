"""Dates that give a test the same answer on any day it runs.

Tests that cannot pin the clock (the browser tier runs a live server on the real clock) or that
count from today choose their dates here: days and runs of weeks that no Swedish public holiday
or de facto closed eve touches (booking.adapters.holidays_se, the list the application skips),
nor any extra closed day the caller names. A weekly series from such a day has all its dates,
whether the suite runs in June or across julafton and nyårsdagen."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from booking.adapters.holidays_se import swedish_closed_days

ZONE = ZoneInfo("Europe/Stockholm")
_SEARCH_DAYS = 400  # more than a year: some run of weeks is always free


def stockholm_today() -> date:
    """Today where the municipality is, whatever the machine's time zone."""
    return datetime.now(ZONE).date()


def is_closed(day: date, extra: Collection[date] = ()) -> bool:
    """A public holiday or an eve (julafton, nyårsafton, midsommarafton ...), or one of `extra`."""
    return day in swedish_closed_days(day.year) or day in extra


def quiet_run(after: date, days: int, *, weekday: int | None = None, extra: Collection[date] = ()) -> date:
    """The first day on or after `after` (on `weekday` when given, 0 = Monday) that starts `days`
    days in a row of which none is closed."""
    day = after
    for _ in range(_SEARCH_DAYS):
        if (weekday is None or day.weekday() == weekday) and not any(
                is_closed(day + timedelta(days=i), extra) for i in range(days)):
            return day
        day += timedelta(days=1)
    raise AssertionError(f"no {days} days in a row free of holidays within {_SEARCH_DAYS} days of {after}")


def quiet_weeks(after: date, weeks: int, *, weekday: int | None = None, extra: Collection[date] = ()) -> date:
    """The first day on or after `after` (on `weekday` when given) that starts `weeks` whole weeks
    no holiday, eve or `extra` day touches: a weekly series of `weeks` dates from it skips none."""
    return quiet_run(after, 7 * weeks, weekday=weekday, extra=extra)


def ordinary_day(after: date, *, weekday: int | None = None) -> date:
    """The first day on or after `after` (on `weekday` when given) that is no holiday or eve."""
    return quiet_run(after, 1, weekday=weekday)
