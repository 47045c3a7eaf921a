"""Weekly rules and wall-clock conversion across daylight saving time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from booking.domain.premises.recurrence import WeeklyRule
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.localtime import local_instant

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_thursday_series_over_the_spring_change_stays_at_1800_local() -> None:
    rule = WeeklyRule(date(2027, 1, 14), frozenset({3}), until=date(2027, 6, 10))
    days = rule.dates()
    assert days[0] == date(2027, 1, 14) and days[-1] == date(2027, 6, 10)
    assert all(d.weekday() == 3 for d in days)
    starts = [local_instant(d, time(18, 0), STOCKHOLM) for d in days]
    assert all(s.astimezone(STOCKHOLM).time() == time(18, 0) for s in starts)
    before = [s for d, s in zip(days, starts, strict=True) if d < date(2027, 3, 28)]
    after = [s for d, s in zip(days, starts, strict=True) if d > date(2027, 3, 28)]
    assert {s.time() for s in before} == {time(17, 0)}  # UTC in winter
    assert {s.time() for s in after} == {time(16, 0)}  # UTC in summer
    assert len(days) == 22


def test_a_time_in_the_spring_gap_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        local_instant(date(2027, 3, 28), time(2, 30), STOCKHOLM)
    assert caught.value.problems[0].code == "nonexistent-local-time"
    assert "2027-03-28 02:30" in caught.value.detail


def test_an_ambiguous_autumn_time_is_its_first_occurrence() -> None:
    first = local_instant(date(2027, 10, 31), time(2, 30), STOCKHOLM)
    assert first == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST


def test_every_second_week_on_two_days_with_exceptions_and_a_count() -> None:
    rule = WeeklyRule(date(2027, 1, 12), frozenset({1, 3}), interval=2, count=6,
                      exdates=frozenset({date(2027, 1, 26)}))
    assert rule.dates() == [date(2027, 1, 12), date(2027, 1, 14), date(2027, 1, 28),
                            date(2027, 2, 9), date(2027, 2, 11)]
    assert rule.rrule(time(18, 0), STOCKHOLM) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6;WKST=MO"


@pytest.mark.parametrize("rule", [
    WeeklyRule(date(2027, 1, 14), frozenset({3}), until=date(2027, 6, 10)),
    WeeklyRule(date(2027, 1, 12), frozenset({0, 2, 4}), interval=3, count=17),
    WeeklyRule(date(2027, 2, 3), frozenset({5, 6}), interval=2, until=date(2027, 12, 19)),
])
def test_stored_dates_equal_what_the_exported_rrule_means(rule: WeeklyRule) -> None:
    """The one rule object drives storage and export: an independent RRULE parser agrees."""
    dtstart = datetime.combine(rule.start, time(18, 0), tzinfo=STOCKHOLM)
    parsed = rrulestr(rule.rrule(time(18, 0), STOCKHOLM), dtstart=dtstart)
    assert [d.date() for d in parsed] == rule.dates()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"weekdays": frozenset()}, "recurrence.weekdays"),
    ({"weekdays": frozenset({7})}, "recurrence.weekdays"),
    ({"interval": 0}, "recurrence.interval"),
    ({"until": None}, "recurrence"),
    ({"count": 5}, "recurrence"),
    ({"until": date(2026, 1, 1)}, "recurrence.until"),
])
def test_bad_rules_name_the_field(kwargs: dict[str, object], field: str) -> None:
    base: dict[str, object] = {"start": date(2027, 1, 14), "weekdays": frozenset({3}), "until": date(2027, 6, 10)}
    base.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        WeeklyRule(**base)  # type: ignore[arg-type]
    assert caught.value.problems[0].field == field


def test_a_series_has_a_ceiling() -> None:
    with pytest.raises(ValidationError) as caught:
        WeeklyRule(date(2027, 1, 1), frozenset(range(7)), until=date(2030, 1, 1)).dates()
    assert caught.value.problems[0].code == "too-many"
