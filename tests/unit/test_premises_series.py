"""Weekly series with fakes: the dates a rule gives, what it skips and why, and staff decisions."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest

from booking.domain.premises import approval, booking_requests, request_rules, series
from booking.domain.premises.bookings import BookingStatus
from booking.domain.premises.calendar_services import CloseTime, close_time
from booking.domain.shared.errors import Conflict, NotFound, ValidationError
from tests.unit.premises_world import World, build_world, local, other_town

FRIDAY = date(2027, 3, 19)  # the next Friday, 26 March, is Långfredagen


@pytest.fixture
async def world() -> World:
    return await build_world()


def weekly(*weekdays: int, count: int | None = None, until: date | None = None,
           exdates: tuple[date, ...] = ()) -> series.Recurrence:
    return series.Recurrence(weekdays, count=count, until=until, exdates=exdates)


async def request(world: World, day: date, recurrence: series.Recurrence, **kwargs: object) -> request_rules.Outcome:
    cmd = world.request(world.gym, day, recurrence=recurrence, **kwargs)
    return await booking_requests.request_booking(cmd, world.uow, world.rep, world.clock)


async def test_a_series_stores_its_rule_and_one_booking_per_date(world: World) -> None:
    outcome = await request(world, date(2027, 3, 10), weekly(2, count=3))
    assert outcome.series is not None
    assert [b.starts_at for b in outcome.bookings] == [local(date(2027, 3, d), time(18)) for d in (10, 17, 24)]
    assert {b.series_id for b in outcome.bookings} == {outcome.series.id}
    assert world.uow.bookings.series[outcome.series.id].weekdays == [2]
    assert outcome.skipped == []


async def test_a_series_skips_a_public_holiday_and_says_so(world: World) -> None:
    outcome = await request(world, FRIDAY, weekly(4, count=3))
    assert [b.starts_at.date() for b in outcome.bookings] == [date(2027, 3, 19), date(2027, 4, 2)]
    [skipped] = outcome.skipped
    assert (skipped["rule"], skipped["date"]) == ("holiday", "2027-03-26")


async def test_a_series_skips_a_closed_day(world: World) -> None:
    await close_time(CloseTime("Skolavslutning", date(2027, 3, 17), date(2027, 3, 17)),
                     world.uow, world.staff)
    outcome = await request(world, date(2027, 3, 10), weekly(2, count=3))
    assert [s["rule"] for s in outcome.skipped] == ["closed"]
    assert len(outcome.bookings) == 2


async def test_a_series_skips_a_taken_date_and_names_the_clash(world: World) -> None:
    taken = await world.approved(world.gym, date(2027, 3, 17))
    outcome = await request(world, date(2027, 3, 10), weekly(2, count=3))
    [skipped] = outcome.skipped
    assert (skipped["rule"], skipped["date"]) == ("conflict", "2027-03-17")
    assert skipped["conflicts"][0]["booking_id"] == str(taken.id)
    assert len(outcome.bookings) == 2


async def test_a_series_with_nothing_bookable_is_refused_and_stores_nothing(world: World) -> None:
    with pytest.raises(Conflict) as caught:
        await request(world, date(2027, 3, 26), weekly(4, count=1))
    assert caught.value.conflicts[0]["rule"] == "holiday"
    assert world.uow.bookings.items == {}
    assert world.uow.bookings.series == {}


async def test_a_rule_a_series_cannot_skip_refuses_the_whole_series(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        await request(world, date(2027, 3, 10), weekly(2, count=3), start=time(6), end=time(9))
    assert {p.code for p in caught.value.problems} == {"opening-hours"}
    assert len(caught.value.problems) == 3
    assert world.uow.bookings.items == {}


async def test_exception_dates_are_left_out(world: World) -> None:
    outcome = await request(world, date(2027, 3, 10), weekly(2, until=date(2027, 3, 31),
                                                            exdates=(date(2027, 3, 17),)))
    assert [b.starts_at.date() for b in outcome.bookings] == [date(2027, 3, d) for d in (10, 24, 31)]


async def test_two_weekdays_a_week(world: World) -> None:
    outcome = await request(world, date(2027, 3, 8), weekly(0, 2, count=4))
    assert [b.starts_at.date() for b in outcome.bookings] == [date(2027, 3, d) for d in (8, 10, 15, 17)]


async def test_local_wall_time_holds_across_the_change_to_summer_time(world: World) -> None:
    outcome = await request(world, date(2027, 3, 24), weekly(2, count=2))
    assert [b.starts_at.hour for b in outcome.bookings] == [17, 16]  # 18:00 in Stockholm, UTC+1 then UTC+2


async def test_staff_approve_a_series_date_by_date_and_tell_the_booker(world: World) -> None:
    outcome = await request(world, date(2027, 3, 10), weekly(2, count=3))
    ids = await approval.series_booking_ids(outcome.series.id, world.uow, world.staff)  # type: ignore[union-attr]
    world.uow.outbox.clear()
    decided = await approval.decide(ids, True, None, world.uow, world.staff, world.clock)
    assert [b.status for b in decided.bookings] == [BookingStatus.APPROVED] * 3
    assert all(world.uow.bookings.held(b) for b in decided.bookings)
    assert [m.kind for m in world.uow.outbox] == ["booking.approved"]


async def test_approving_a_series_rejects_the_dates_taken_meanwhile(world: World) -> None:
    outcome = await request(world, date(2027, 3, 10), weekly(2, count=3))
    taken = await world.approved(world.gym, date(2027, 3, 17))
    ids = [b.id for b in outcome.bookings]
    decided = await approval.decide(ids, True, None, world.uow, world.staff, world.clock)
    assert len(decided.bookings) == 2
    [skipped] = decided.skipped
    assert (skipped["date"], skipped["conflicts"][0]["booking_id"]) == ("2027-03-17", str(taken.id))
    lost = world.uow.bookings.items[outcome.bookings[1].id]
    assert (lost.status, lost.decision_reason) == (BookingStatus.REJECTED, "Tiden var redan bokad.")


async def test_approving_one_request_whose_time_was_taken_is_a_conflict(world: World) -> None:
    [pending] = await world.book(world.gym, date(2027, 3, 10))
    await world.approved(world.gym, date(2027, 3, 10))
    with pytest.raises(Conflict) as caught:
        await approval.decide([pending.id], True, None, world.uow, world.staff, world.clock)
    assert caught.value.conflicts
    assert world.uow.bookings.items[pending.id].status is BookingStatus.PENDING


async def test_rejecting_needs_a_reason_and_tells_it(world: World) -> None:
    [pending] = await world.book(world.gym, date(2027, 3, 10))
    with pytest.raises(ValidationError):
        await approval.decide([pending.id], False, None, world.uow, world.staff, world.clock)
    world.uow.outbox.clear()
    await approval.decide([pending.id], False, "Hallen renoveras", world.uow, world.staff, world.clock)
    assert pending.status is BookingStatus.REJECTED
    assert [m.kind for m in world.uow.outbox] == ["booking.rejected"]
    assert "Hallen renoveras" in world.uow.outbox[0].body


async def test_nothing_pending_to_decide_is_a_conflict(world: World) -> None:
    booking = await world.approved(world.gym, date(2027, 3, 10))
    with pytest.raises(Conflict):
        await approval.decide([booking.id], True, None, world.uow, world.staff, world.clock)


async def test_another_municipalitys_staff_find_no_such_booking(world: World) -> None:
    [pending] = await world.book(world.gym, date(2027, 3, 10))
    _, stranger = other_town(world.uow)
    with pytest.raises(NotFound):
        await approval.decide([pending.id], True, None, world.uow, stranger, world.clock)
    with pytest.raises(NotFound):
        await approval.series_booking_ids(uuid.uuid4(), world.uow, world.staff)
    assert pending.status is BookingStatus.PENDING
