"""Calendars with fakes: a space's day plan, the free-slot search, closed periods and attendance."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from booking.domain.premises import calendar_services, free_slots, occasions
from booking.domain.premises.calendar import OpeningHours, Window
from booking.domain.premises.calendar_services import CloseTime, availability_plan, close_time
from booking.domain.shared.errors import Conflict, NotFound, ValidationError
from booking.domain.shared.timespan import TimeSpan
from tests.unit.premises_world import World, build_world, local

WEDNESDAY = date(2027, 3, 10)


@pytest.fixture
async def world() -> World:
    return await build_world()


async def test_the_day_plan_shows_open_free_and_busy_times(world: World) -> None:
    await world.approved(world.gym, WEDNESDAY, time(18), time(20))
    _, _, days = await availability_plan(world.gym.id, WEDNESDAY, WEDNESDAY, world.uow)
    [(plan, busy)] = days
    assert plan.open == [TimeSpan(local(WEDNESDAY, time(8)), local(WEDNESDAY, time(22)))]
    assert plan.free == [TimeSpan(local(WEDNESDAY, time(8)), local(WEDNESDAY, time(18))),
                         TimeSpan(local(WEDNESDAY, time(20)), local(WEDNESDAY, time(22)))]
    assert busy == [TimeSpan(local(WEDNESDAY, time(18)), local(WEDNESDAY, time(20)))]


async def test_a_booked_half_makes_the_whole_hall_busy(world: World) -> None:
    await world.approved(world.hall_a, WEDNESDAY, time(18), time(20))
    _, _, [(plan, _)] = await availability_plan(world.hall.id, WEDNESDAY, WEDNESDAY, world.uow)
    assert TimeSpan(local(WEDNESDAY, time(18)), local(WEDNESDAY, time(20))) not in plan.free
    _, _, [(other_half, _)] = await availability_plan(world.hall_b.id, WEDNESDAY, WEDNESDAY, world.uow)
    assert other_half.free == other_half.open


async def test_a_holiday_has_no_free_time_and_says_why(world: World) -> None:
    _, _, [(plan, _)] = await availability_plan(world.gym.id, date(2027, 3, 26), date(2027, 3, 26), world.uow)
    assert plan.free == []
    assert plan.closed_reason == "Långfredagen"


async def test_a_summer_variation_replaces_the_general_hours(world: World) -> None:
    summer = OpeningHours((Window(2, time(10), time(14)),), date(2027, 3, 8), date(2027, 3, 14), "Sportlov")
    await calendar_services.set_opening_hours(world.gym.id, [*world_hours(), summer], world.uow, world.staff)
    _, _, [(plan, _)] = await availability_plan(world.gym.id, WEDNESDAY, WEDNESDAY, world.uow)
    assert plan.open == [TimeSpan(local(WEDNESDAY, time(10)), local(WEDNESDAY, time(14)))]


def world_hours() -> list[OpeningHours]:
    return [OpeningHours(tuple(Window(d, time(8), time(22)) for d in range(7)))]


async def test_a_variation_ending_before_it_starts_is_refused(world: World) -> None:
    wrong = OpeningHours((Window(2, time(10), time(14)),), date(2027, 3, 14), date(2027, 3, 8))
    with pytest.raises(ValidationError) as caught:
        await calendar_services.set_opening_hours(world.gym.id, [wrong], world.uow, world.staff)
    assert caught.value.problems[0].field == "variations[0].valid_to"


async def test_a_variation_without_windows_is_refused_not_dropped(world: World) -> None:
    """The hours are stored as windows: a period without any would vanish (closing is a closed period)."""
    empty = OpeningHours((), date(2027, 12, 20), date(2027, 12, 31), "Jullov")
    with pytest.raises(ValidationError) as caught:
        await calendar_services.set_opening_hours(world.gym.id, [*world_hours(), empty], world.uow, world.staff)
    assert caught.value.problems[0].field == "variations[0].windows"


async def test_the_free_slot_search_finds_long_enough_stretches(world: World) -> None:
    await world.approved(world.gym, WEDNESDAY, time(9), time(17))
    await world.approved(world.gym, WEDNESDAY, time(17), time(21))
    search = free_slots.FreeSlotSearch(world.town.id, WEDNESDAY, WEDNESDAY, timedelta(hours=2), kind="gym")
    _, slots = await free_slots.find_free_slots(search, world.uow, world.clock)
    assert slots == []
    search = free_slots.FreeSlotSearch(world.town.id, WEDNESDAY, WEDNESDAY, timedelta(hours=1), kind="gym")
    _, slots = await free_slots.find_free_slots(search, world.uow, world.clock)
    assert [(s.span.start, s.span.end) for s in slots] == [(local(WEDNESDAY, time(8)), local(WEDNESDAY, time(9))),
                                                           (local(WEDNESDAY, time(21)), local(WEDNESDAY, time(22)))]


async def test_a_closed_period_can_be_reopened(world: World) -> None:
    ident, _ = await close_time(CloseTime("Vattenskada", WEDNESDAY, WEDNESDAY,
                                          space_id=world.gym.id), world.uow, world.staff)
    await calendar_services.reopen(ident, world.uow, world.staff)
    [booking] = await world.book(world.gym, WEDNESDAY)
    assert booking.starts_at == local(WEDNESDAY, time(18))
    with pytest.raises(NotFound):
        await calendar_services.reopen(ident, world.uow, world.staff)


async def test_closing_with_a_space_and_a_site_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        await close_time(CloseTime("Fel", WEDNESDAY, WEDNESDAY, space_id=world.gym.id,
                                   site_id=world.school.id), world.uow, world.staff)
    assert caught.value.problems[0].field == "site_id"


async def test_the_municipalitys_closed_days_include_its_overrides(world: World) -> None:
    await calendar_services.override_holiday(date(2027, 12, 24), False, None, world.uow, world.staff)
    days = await calendar_services.closed_days(world.town.id, 2027, world.uow)
    assert date(2027, 12, 24) not in days
    assert days[date(2027, 12, 25)] == "Juldagen"


async def test_attendance_is_recorded_once_the_occasion_has_begun(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    cmd = occasions.RecordAttendance(booking.id, "Anna Ledare", 1990, ({"birth_year": 2014, "gender": "female",
                                                                         "count": 12},))
    with pytest.raises(ValidationError):
        await occasions.record_attendance(cmd, world.uow, world.rep, world.clock)
    world.clock.move_to(booking.starts_at + timedelta(minutes=5))
    record = await occasions.record_attendance(cmd, world.uow, world.rep, world.clock)
    assert record.total == 12
    assert await world.uow.bookings.attendance(booking.id) is record


async def test_attendance_of_a_pending_request_is_a_conflict(world: World) -> None:
    [pending] = await world.book(world.gym, WEDNESDAY)
    world.clock.move_to(pending.starts_at + timedelta(minutes=5))
    cmd = occasions.RecordAttendance(pending.id, "Anna Ledare", None, ())
    with pytest.raises(Conflict):
        await occasions.record_attendance(cmd, world.uow, world.rep, world.clock)


async def test_staff_mark_a_no_show_after_the_start(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    with pytest.raises(Conflict):
        await occasions.mark_no_show(booking.id, world.uow, world.staff, world.clock)
    world.clock.move_to(booking.starts_at + timedelta(minutes=20))
    await occasions.mark_no_show(booking.id, world.uow, world.staff, world.clock)
    assert booking.no_show
