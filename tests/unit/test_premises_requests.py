"""Booking requests with fakes: single and weekly, the rules of the space, clashes, auto-approval."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest

from booking.domain.people.model import Association, AssociationCategory
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises import calendar_services
from booking.domain.premises.bookings import BookingStatus
from booking.domain.premises.calendar_services import CloseTime, close_time
from booking.domain.shared.errors import Conflict, Forbidden, ValidationError
from tests.unit.premises_world import NOW, World, build_world, local, other_town

WEDNESDAY = date(2027, 3, 10)


@pytest.fixture
async def world() -> World:
    return await build_world()


async def test_a_request_waits_for_staff_and_holds_no_time(world: World) -> None:
    [booking] = await world.book(world.gym, WEDNESDAY)
    assert booking.status is BookingStatus.PENDING
    assert (booking.starts_at, booking.ends_at) == (local(WEDNESDAY, time(18)), local(WEDNESDAY, time(20)))
    assert world.uow.bookings.held(booking) == []
    assert await world.uow.bookings.get(booking.id) is booking


async def test_a_request_is_told_to_the_booker_and_audited(world: World) -> None:
    [booking] = await world.book(world.gym, WEDNESDAY)
    assert [m.kind for m in world.uow.outbox] == ["booking.requested"]
    assert world.uow.outbox[0].recipient == world.rep_account.email
    assert [(e.action, e.entity_id) for e in world.uow.audit_log] == [("booking.requested", booking.id)]


async def test_staff_book_approved_at_once_and_hold_the_time(world: World) -> None:
    booking = await world.approved(world.gym, WEDNESDAY)
    assert booking.status is BookingStatus.APPROVED
    assert booking.was_approved
    assert [o.unit_id for o in world.uow.bookings.held(booking)] == [world.gym.id]
    assert [m.kind for m in world.uow.outbox] == ["booking.requested_approved"]


async def test_an_association_in_an_auto_approved_category_is_approved_at_once(world: World) -> None:
    world.gym.auto_approve_categories = [AssociationCategory.YOUTH.value]
    [booking] = await world.book(world.gym, WEDNESDAY)
    assert booking.status is BookingStatus.APPROVED
    assert ("space", world.gym.id) in world.uow.locks


async def test_auto_approval_is_per_space_and_per_category(world: World) -> None:
    world.gym.auto_approve_categories = [AssociationCategory.ADULT.value]
    world.hall.auto_approve_categories = [AssociationCategory.YOUTH.value]
    [in_gym] = await world.book(world.gym, WEDNESDAY)
    [in_hall] = await world.book(world.hall, WEDNESDAY)
    assert in_gym.status is BookingStatus.PENDING
    assert in_hall.status is BookingStatus.APPROVED


async def test_a_whole_hall_holds_each_of_its_parts(world: World) -> None:
    booking = await world.approved(world.hall, WEDNESDAY)
    assert sorted(o.unit_id for o in world.uow.bookings.held(booking)) == sorted([world.hall_a.id, world.hall_b.id])


async def test_a_clash_names_the_times_in_the_way(world: World) -> None:
    taken = await world.approved(world.gym, WEDNESDAY, time(17), time(19))
    with pytest.raises(Conflict) as caught:
        await world.book(world.gym, WEDNESDAY, time(18), time(20))
    [clash] = caught.value.conflicts
    assert clash["booking_id"] == str(taken.id)
    assert clash["starts_at"] == local(WEDNESDAY, time(17)).isoformat()
    assert clash["ends_at"] == local(WEDNESDAY, time(19)).isoformat()


async def test_a_refused_request_stores_and_tells_nothing(world: World) -> None:
    await world.approved(world.gym, WEDNESDAY)
    world.uow.outbox.clear()
    before = dict(world.uow.bookings.items)
    with pytest.raises(Conflict):
        await world.book(world.gym, WEDNESDAY)
    assert world.uow.bookings.items == before
    assert world.uow.outbox == []


async def test_the_clash_shows_the_association_only_to_its_own_and_staff(world: World) -> None:
    await world.approved(world.gym, WEDNESDAY)
    rivals = Association(world.town.id, "Sundsvalls BK", "802000-0009", AssociationCategory.ADULT)
    rivals.verify(uuid.uuid4(), NOW)
    world.uow.associations.add(rivals)
    rival = Actor(uuid.uuid4(), world.town.id, frozenset({Grant(Role.ASSOCIATION_REP, rivals.id)}))
    for actor, association, sees in ((world.rep, world.club.id, True), (world.staff, None, True),
                                     (rival, rivals.id, False)):
        with pytest.raises(Conflict) as caught:
            await world.book(world.gym, WEDNESDAY, by=actor, association_id=association)
        assert ("association_id" in caught.value.conflicts[0]) is sees


async def test_back_to_back_is_fine_without_a_changeover_buffer(world: World) -> None:
    await world.approved(world.gym, WEDNESDAY, time(16), time(18))
    [booking] = await world.book(world.gym, WEDNESDAY, time(18), time(20))
    assert booking.status is BookingStatus.PENDING


async def test_the_changeover_buffer_keeps_the_next_booking_away(world: World) -> None:
    world.gym.buffer_minutes = 30
    await world.approved(world.gym, WEDNESDAY, time(16), time(18))
    with pytest.raises(Conflict):
        await world.book(world.gym, WEDNESDAY, time(18), time(20))
    [later] = await world.book(world.gym, WEDNESDAY, time(18, 30), time(20))
    assert later.starts_at == local(WEDNESDAY, time(18, 30))


async def test_halves_do_not_clash_with_each_other_but_with_the_whole(world: World) -> None:
    await world.approved(world.hall_a, WEDNESDAY)
    other_half = await world.approved(world.hall_b, WEDNESDAY)
    assert other_half.status is BookingStatus.APPROVED
    with pytest.raises(Conflict):
        await world.book(world.hall, WEDNESDAY)


async def test_a_pending_request_does_not_block_another(world: World) -> None:
    await world.book(world.gym, WEDNESDAY)
    [second] = await world.book(world.gym, WEDNESDAY)
    assert second.status is BookingStatus.PENDING


@pytest.mark.parametrize(("start", "end", "rule", "field"), [
    (time(7), time(9), "opening-hours", "start"),
    (time(21), time(23), "opening-hours", "start"),
    (time(18), time(18, 15), "min-duration", "end"),
    (time(8), time(17), "max-duration", "end"),
])
async def test_a_time_that_breaks_a_rule_names_the_rule_and_field(world: World, start: time, end: time, rule: str,
                                                                  field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, WEDNESDAY, start, end)
    assert [(p.code, p.field) for p in caught.value.problems] == [(rule, field)]


async def test_an_end_before_the_start_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, WEDNESDAY, time(20), time(18))
    assert caught.value.problems[0].field == "end"


async def test_too_short_notice_and_the_past_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, date(2027, 3, 1), time(20), time(21))
    assert caught.value.problems[0].code == "notice"
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, date(2027, 3, 1), time(8), time(9))
    assert caught.value.problems[0].code == "past"


async def test_beyond_the_horizon_is_refused(world: World) -> None:
    world.gym.horizon_days = 30
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, date(2027, 5, 5))
    assert caught.value.problems[0].code == "horizon"


async def test_a_public_holiday_is_closed(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, date(2027, 3, 26))  # Långfredagen
    [problem] = caught.value.problems
    assert problem.code == "holiday"
    assert "Långfredagen" in problem.message


async def test_a_closed_period_of_the_site_closes_its_spaces(world: World) -> None:
    await close_time(CloseTime("Skolans vårfest", WEDNESDAY, WEDNESDAY, site_id=world.school.id),
                     world.uow, world.staff)
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, WEDNESDAY)
    assert caught.value.problems[0].code == "closed"
    assert "Skolans vårfest" in caught.value.problems[0].message


async def test_a_closed_whole_hall_closes_its_parts(world: World) -> None:
    await close_time(CloseTime("Golvslipning", WEDNESDAY, WEDNESDAY, space_id=world.hall.id),
                     world.uow, world.staff)
    with pytest.raises(ValidationError):
        await world.book(world.hall_a, WEDNESDAY)
    [gym] = await world.book(world.gym, WEDNESDAY)
    assert gym.status is BookingStatus.PENDING


async def test_a_holiday_opened_by_the_municipality_can_be_booked(world: World) -> None:
    await calendar_services.override_holiday(date(2027, 3, 26), False, None, world.uow, world.staff)
    [booking] = await world.book(world.gym, date(2027, 3, 26))
    assert booking.status is BookingStatus.PENDING


async def test_an_extra_closed_day_of_the_municipality_is_closed(world: World) -> None:
    await calendar_services.override_holiday(WEDNESDAY, True, "Kommunens dag", world.uow, world.staff)
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, WEDNESDAY)
    assert "Kommunens dag" in caught.value.problems[0].message


async def test_a_rep_books_only_for_their_own_association(world: World) -> None:
    other = Actor(world.rep.account_id, world.town.id, frozenset({Grant(Role.ASSOCIATION_REP, uuid.uuid4())}))
    with pytest.raises(Forbidden):
        await world.book(world.gym, WEDNESDAY, by=other)


async def test_an_unverified_association_may_not_book_yet(world: World) -> None:
    world.club.unverify()
    with pytest.raises(Forbidden):
        await world.book(world.gym, WEDNESDAY)


async def test_only_staff_book_without_an_association(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, WEDNESDAY, association_id=None)
    assert caught.value.problems[0].field == "association_id"
    [booking] = await world.book(world.gym, WEDNESDAY, by=world.staff, association_id=None)
    assert booking.association_id is None


async def test_another_municipalitys_space_does_not_exist(world: World) -> None:
    _, stranger = other_town(world.uow)
    with pytest.raises(ValidationError) as caught:
        await world.book(world.gym, WEDNESDAY, by=stranger, association_id=None)
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("space_id", "unknown")


async def test_staff_narrowed_to_another_site_only_request(world: World) -> None:
    narrowed = Actor(uuid.uuid4(), world.town.id, frozenset({Grant(Role.PREMISES_STAFF, uuid.uuid4())}))
    [booking] = await world.book(world.gym, WEDNESDAY, by=narrowed, association_id=None)
    assert booking.status is BookingStatus.PENDING
