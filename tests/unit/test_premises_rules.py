"""The pure rules of premises, without any storage: a request's dates, a series' expansion,
what a cancellation takes, and the season times publishing creates."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.allocation import AllocationRound
from booking.domain.premises.allocation_publish import season_spans
from booking.domain.premises.allocator import Slot
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.calendar import (
    Availability,
    DayPlan,
    OpeningHours,
    RuleBreach,
    Window,
    free_stretches,
)
from booking.domain.premises.cancellation import CancelScope, cancel_targets
from booking.domain.premises.ports import Clash
from booking.domain.premises.request_rules import Admission
from booking.domain.premises.series import Recurrence, expand
from booking.domain.shared.errors import Conflict
from booking.domain.shared.timespan import TimeSpan
from tests.unit.premises_world import EVERY_DAY_8_TO_22, NOW, STOCKHOLM, local

TOWN, SPACE, STAFF = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
STAFF_ACTOR = Actor(STAFF, TOWN, frozenset({Grant(Role.PREMISES_STAFF)}))


def booking(day: date, series: uuid.UUID | None = None, status: BookingStatus = BookingStatus.APPROVED) -> Booking:
    return Booking(TOWN, SPACE, local(day, time(18)), local(day, time(20)), STAFF, "Träning", series_id=series,
                   status=status)


def test_a_single_request_is_one_date_and_no_rule() -> None:
    assert expand(date(2027, 3, 10), None) == ([date(2027, 3, 10)], None)


def test_a_series_expands_to_its_weekdays_every_other_week() -> None:
    dates, rule = expand(date(2027, 3, 8), Recurrence((0, 3), interval=2, count=4))
    assert dates == [date(2027, 3, 8), date(2027, 3, 11), date(2027, 3, 22), date(2027, 3, 25)]
    assert rule is not None and rule.interval == 2


def test_a_series_skips_a_holiday_but_a_single_request_is_refused_by_it() -> None:
    holiday = [RuleBreach("holiday", date(2027, 3, 26), "Closed: Långfredagen.")]
    series, single = Admission(in_series=True), Admission(in_series=False)
    assert series.breaks_rules(holiday) and single.breaks_rules(holiday)
    assert ([s["rule"] for s in series.skipped], series.refusals) == (["holiday"], [])
    assert [p.code for p in single.refusals] == ["holiday"]


def test_opening_hours_refuse_a_series_too() -> None:
    admission = Admission(in_series=True)
    admission.breaks_rules([RuleBreach("opening-hours", date(2027, 3, 10), "Outside opening hours.")])
    assert [p.field for p in admission.refusals] == ["start"]


def test_a_clash_refuses_a_single_request_and_is_skipped_in_a_series() -> None:
    clash = [Clash(uuid.uuid4(), SPACE, local(date(2027, 3, 10), time(17)), local(date(2027, 3, 10), time(19)), None)]
    with pytest.raises(Conflict):
        Admission(in_series=False).is_taken(date(2027, 3, 10), clash, STAFF_ACTOR)
    series = Admission(in_series=True)
    assert series.is_taken(date(2027, 3, 10), clash, STAFF_ACTOR)
    assert series.skipped[0]["conflicts"][0]["booking_id"] == str(clash[0].booking_id)
    assert not series.is_taken(date(2027, 3, 17), [], STAFF_ACTOR)


def test_cancelling_the_following_takes_the_open_occurrences_from_this_one_on() -> None:
    series = uuid.uuid4()
    days = [booking(date(2027, 3, d), series) for d in (3, 10, 17, 24)]
    days[2].status = BookingStatus.CANCELLED
    assert cancel_targets(days[1], days, CancelScope.FOLLOWING, NOW) == [days[1], days[3]]
    assert cancel_targets(days[1], days, CancelScope.SERIES, NOW) == [days[0], days[1], days[3]]
    assert cancel_targets(days[1], days, CancelScope.ONE, NOW) == [days[1]]


def test_what_has_begun_is_not_cancelled_with_the_series() -> None:
    series = uuid.uuid4()
    days = [booking(date(2027, 3, d), series) for d in (3, 10)]
    later = days[0].starts_at + timedelta(minutes=1)
    assert cancel_targets(days[1], days, CancelScope.SERIES, later) == [days[1]]


def test_free_stretches_start_after_the_notice_and_are_long_enough() -> None:
    day = date(2027, 3, 10)
    plan = DayPlan(day, [], [TimeSpan(local(day, time(8)), local(day, time(10))),
                             TimeSpan(local(day, time(12)), local(day, time(16)))])
    earliest = local(day, time(13))
    assert free_stretches([plan], earliest, timedelta(hours=2)) == [TimeSpan(earliest, local(day, time(16)))]
    assert free_stretches([plan], earliest, timedelta(hours=4)) == []


def test_season_spans_leave_out_holidays_and_keep_wall_time_across_summer_time() -> None:
    round_ = AllocationRound(TOWN, "Vår", date(2027, 3, 22), date(2027, 4, 5), datetime(2027, 3, 1, tzinfo=UTC))
    holidays = {date(2027, 3, 29): "Annandag påsk"}
    availability = Availability(STOCKHOLM, EVERY_DAY_8_TO_22, holidays=holidays)
    spans, skipped = season_spans(round_, Slot(SPACE, 0, 18 * 60, 19 * 60 + 30), availability, NOW)
    assert [s.start for s in spans] == [local(date(2027, 3, 22), time(18)), local(date(2027, 4, 5), time(18))]
    assert [s.start.hour for s in spans] == [17, 16]
    assert [(s["date"], s["rule"]) for s in skipped] == [("2027-03-29", "holiday")]


def test_a_slot_to_midnight_past_closing_time_is_left_out_every_date() -> None:
    round_ = AllocationRound(TOWN, "Vår", date(2027, 3, 22), date(2027, 3, 28), datetime(2027, 3, 1, tzinfo=UTC))
    late = [OpeningHours(tuple(Window(d, time(20), time(23, 59)) for d in range(7)))]
    spans, skipped = season_spans(round_, Slot(SPACE, 0, 22 * 60, 24 * 60), Availability(STOCKHOLM, late), NOW)
    assert spans == []
    assert {s["rule"] for s in skipped} == {"opening-hours"} and len(skipped) == 1
