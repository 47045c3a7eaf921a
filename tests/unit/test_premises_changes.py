"""Moves and cancellations with fakes: staff move at once, an association's move waits for staff,
cancelling one, this and the following, or a whole series, and the late cancellation's fee."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from booking.domain.people.model import AssociationCategory
from booking.domain.premises import booking_requests, cancellation, changes, series
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.premises.cancellation import CancelScope
from booking.domain.premises.changes import MoveBooking
from booking.domain.shared.errors import Conflict, NotFound, ValidationError
from tests.unit.premises_world import World, build_world, local, other_town

WEDNESDAY = date(2027, 3, 10)
THURSDAY = date(2027, 3, 11)


@pytest.fixture
async def world() -> World:
    return await build_world()


async def approved_series(world: World, count: int = 4) -> list[Booking]:
    cmd = world.request(world.gym, WEDNESDAY, recurrence=series.Recurrence((2,), count=count))
    return (await booking_requests.request_booking(cmd, world.uow, world.staff, world.clock)).bookings


async def move(world: World, booking: Booking, day: date, start: time = time(18), end: time = time(20),
               by: str = "staff", space_id: object = None) -> Booking:
    actor = world.staff if by == "staff" else world.rep
    cmd = MoveBooking(booking.id, day, start, end, space_id)  # type: ignore[arg-type]
    return await changes.move_booking(cmd, world.uow, actor, world.clock)


# moves

async def test_staff_move_an_approved_booking_at_once(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    world.uow.outbox.clear()
    await move(world, booking, THURSDAY)
    assert booking.starts_at == local(THURSDAY, time(18))
    assert [o.starts_at for o in world.uow.bookings.held(booking)] == [local(THURSDAY, time(18))]
    assert booking.sequence == 2
    assert [m.kind for m in world.uow.outbox] == ["booking.moved"]


async def test_the_old_time_is_free_after_a_move(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await move(world, booking, THURSDAY)
    other = await world.approved(world.gym, WEDNESDAY)
    assert other.status is BookingStatus.APPROVED


async def test_staff_move_a_booking_to_another_space(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await move(world, booking, WEDNESDAY, space_id=world.hall_a.id)
    assert booking.space_id == world.hall_a.id
    assert [o.unit_id for o in world.uow.bookings.held(booking)] == [world.hall_a.id]


async def test_a_move_onto_a_taken_time_is_refused_and_changes_nothing(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    taken = await world.approved(world.gym, THURSDAY)
    with pytest.raises(Conflict) as caught:
        await move(world, booking, THURSDAY)
    assert caught.value.conflicts[0]["booking_id"] == str(taken.id)
    assert booking.starts_at == local(WEDNESDAY, time(18))
    assert world.uow.bookings.held(booking)


async def test_a_booking_may_move_within_its_own_time(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await move(world, booking, WEDNESDAY, time(19), time(21))
    assert booking.ends_at == local(WEDNESDAY, time(21))


async def test_a_move_outside_opening_hours_is_refused(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    with pytest.raises(ValidationError) as caught:
        await move(world, booking, WEDNESDAY, time(21), time(23))
    assert caught.value.problems[0].code == "opening-hours"


async def test_the_associations_move_of_an_approved_booking_waits_for_staff(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    world.uow.outbox.clear()
    await move(world, booking, THURSDAY, by="rep")
    assert booking.starts_at == local(WEDNESDAY, time(18))  # keeps its time meanwhile
    assert booking.proposed_span is not None and booking.proposed_span.start == local(THURSDAY, time(18))
    assert booking.change_id is not None
    assert [m.kind for m in world.uow.outbox] == ["booking.move_requested"]


async def test_the_associations_move_of_a_pending_request_is_done_at_once(world: World) -> None:
    [pending] = await world.book(world.gym, WEDNESDAY)
    await move(world, pending, THURSDAY, by="rep")
    assert pending.starts_at == local(THURSDAY, time(18))
    assert pending.change_id is None
    assert pending.status is BookingStatus.PENDING


async def test_an_auto_approvable_move_of_the_association_is_done_at_once(world: World) -> None:
    world.gym.auto_approve_categories = [AssociationCategory.YOUTH.value]
    booking = await world.approved(world.gym, WEDNESDAY)
    await move(world, booking, THURSDAY, by="rep")
    assert booking.starts_at == local(THURSDAY, time(18))
    assert booking.change_id is None


async def test_staff_approve_a_waiting_change(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await move(world, booking, THURSDAY, by="rep")
    assert booking.change_id is not None
    world.uow.outbox.clear()
    await changes.decide_change(booking.change_id, True, None, world.uow, world.staff, world.clock)
    assert booking.starts_at == local(THURSDAY, time(18))
    assert booking.change_id is None
    assert [o.starts_at for o in world.uow.bookings.held(booking)] == [local(THURSDAY, time(18))]
    assert {m.kind for m in world.uow.outbox} == {"booking.move_approved"}


async def test_staff_refuse_a_waiting_change_with_a_reason(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await move(world, booking, THURSDAY, by="rep")
    change = booking.change_id
    assert change is not None
    with pytest.raises(ValidationError):
        await changes.decide_change(change, False, None, world.uow, world.staff, world.clock)
    await changes.decide_change(change, False, "Hallen är upptagen", world.uow, world.staff, world.clock)
    assert booking.starts_at == local(WEDNESDAY, time(18))
    assert booking.change_id is None
    assert "Hallen är upptagen" in world.uow.outbox[-1].body


async def test_a_waiting_change_whose_time_was_taken_meanwhile_is_a_conflict(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await move(world, booking, THURSDAY, by="rep")
    await world.approved(world.gym, THURSDAY)
    with pytest.raises(Conflict):
        await changes.decide_change(booking.change_id, True, None,  # type: ignore[arg-type]
                                     world.uow, world.staff, world.clock)
    assert booking.starts_at == local(WEDNESDAY, time(18))
    assert booking.change_id is not None


async def test_a_cancelled_booking_cannot_be_moved(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await cancellation.cancel_booking(booking.id, None, world.uow, world.staff, world.clock)
    with pytest.raises(Conflict):
        await move(world, booking, THURSDAY)


# cancellations

async def test_cancelling_frees_the_time_and_tells_the_booker(world: World) -> None:
    [booking] = await world.book(world.gym, WEDNESDAY, by=world.staff)
    world.uow.outbox.clear()
    await cancellation.cancel_booking(booking.id, "Sjukdom", world.uow, world.staff, world.clock)
    assert booking.status is BookingStatus.CANCELLED
    assert world.uow.bookings.held(booking) == []
    assert [o.active for o in world.uow.bookings.occupancy.values()] == [False]  # the row stays, for feeds
    assert [m.kind for m in world.uow.outbox] == ["booking.cancelled"]
    assert (await world.approved(world.gym, WEDNESDAY)).status is BookingStatus.APPROVED


async def test_the_association_cancels_its_own_request(world: World) -> None:
    [pending] = await world.book(world.gym, WEDNESDAY)
    [cancelled] = await cancellation.cancel_booking(pending.id, None, world.uow, world.rep, world.clock)
    assert cancelled.status is BookingStatus.CANCELLED
    assert not cancelled.late_cancellation


async def test_a_late_cancellation_by_the_association_keeps_its_fee(world: World) -> None:
    booking = await world.approved(world.gym, date(2027, 3, 2))  # tomorrow: inside the 48-hour deadline
    await cancellation.cancel_booking(booking.id, None, world.uow, world.rep, world.clock)
    assert booking.late_cancellation


async def test_an_early_cancellation_costs_nothing(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await cancellation.cancel_booking(booking.id, None, world.uow, world.rep, world.clock)
    assert not booking.late_cancellation


async def test_staff_cancelling_late_never_costs_the_association(world: World) -> None:
    booking = await world.approved(world.gym, date(2027, 3, 2))
    await cancellation.cancel_booking(booking.id, None, world.uow, world.staff, world.clock)
    assert not booking.late_cancellation


async def test_cancelling_one_occurrence_leaves_the_rest(world: World) -> None:
    series = await approved_series(world)
    await cancellation.cancel_booking(series[1].id, None, world.uow, world.staff, world.clock)
    assert [b.status for b in series] == [BookingStatus.APPROVED, BookingStatus.CANCELLED,
                                          BookingStatus.APPROVED, BookingStatus.APPROVED]


async def test_cancelling_this_and_following(world: World) -> None:
    series = await approved_series(world)
    done = await cancellation.cancel_booking(series[2].id, None, world.uow, world.staff, world.clock,
                                         CancelScope.FOLLOWING)
    assert done == series[2:]
    assert [b.status for b in series[:2]] == [BookingStatus.APPROVED] * 2


async def test_cancelling_the_whole_series_leaves_what_has_begun(world: World) -> None:
    series = await approved_series(world)
    world.clock.move_to(series[1].starts_at + timedelta(minutes=30))
    done = await cancellation.cancel_booking(series[3].id, None, world.uow, world.staff, world.clock,
                                             CancelScope.SERIES)
    assert done == series[2:]
    assert [b.status for b in series[:2]] == [BookingStatus.APPROVED] * 2


async def test_cancelling_twice_is_a_conflict(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    await cancellation.cancel_booking(booking.id, None, world.uow, world.staff, world.clock)
    with pytest.raises(Conflict):
        await cancellation.cancel_booking(booking.id, None, world.uow, world.staff, world.clock)


async def test_a_stranger_finds_no_booking_to_cancel(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    _, stranger = other_town(world.uow)
    with pytest.raises(NotFound):
        await cancellation.cancel_booking(booking.id, None, world.uow, stranger, world.clock)
    assert booking.status is BookingStatus.APPROVED

