"""Sessions in a room, with fakes: the room is booked, moved and freed through premises in the same
transaction as the session. These need the premises fakes of bookings and calendars; until those
implement their repositories the module is skipped (it enables itself when they do)."""

from __future__ import annotations

from datetime import date, time

import pytest

from booking.domain.activities import services as act
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import Category, SessionStatus
from booking.domain.premises import booking_services as premises
from booking.domain.premises.calendar import OpeningHours, Window
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.premises.ports import BookingRepository, CalendarRepository
from booking.domain.shared.errors import Conflict
from tests.unit.activities_world import DAY, LINKS, World, new_world
from tests.unit.fakes.premises import FakeBookings, FakeCalendars


def _implements(fake: type, protocol: type) -> bool:
    return all(hasattr(fake, name) for name in dir(protocol) if not name.startswith("_"))


pytestmark = pytest.mark.skipif(
    not (_implements(FakeBookings, BookingRepository) and _implements(FakeCalendars, CalendarRepository)),
    reason="the premises fakes of bookings and calendars are not complete yet")

EVENINGS = [OpeningHours(tuple(Window(d, time(8, 0), time(18, 0)) for d in range(5)))]  # Mon-Fri 08-18


@pytest.fixture
async def w() -> World:
    return await new_world()


async def room(w: World) -> Space:
    site = Site(w.town.id, "Fritidsgården", "Vägen 2", "85350", "Sundsvall")
    space = Space(w.town.id, site.id, "Stora salen", SpaceKind.HALL, 60)
    w.uow.sites.add(site)
    w.uow.spaces.add(space)
    await w.uow.commit()
    await premises.set_opening_hours(space.id, EVENINGS, w.uow, w.staff)  # type: ignore[arg-type]
    return space


def activity_in(w: World, space: Space) -> act.ActivityDraft:
    return act.ActivityDraft(title="Parkour", category=Category.SPORT, organiser="Fritid", age_min=6, age_max=15,
                             space_id=space.id)


async def test_a_session_in_a_room_books_it(w: World) -> None:
    space = await room(w)
    activity = await act.create_activity(activity_in(w, space), w.uow, w.staff)
    outcome = await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=DAY), w.uow, w.staff,
                                     w.clock)
    session = outcome.sessions[0]
    assert session.booking_id is not None and session.space_id == space.id
    booking = await w.uow.bookings.get(session.booking_id)
    assert booking is not None and booking.space_id == space.id


async def test_a_holiday_repeat_skips_the_days_the_room_is_closed(w: World) -> None:
    space = await room(w)
    period = await act.set_period(LovKind.PASKLOV, 2027, date(2027, 3, 29), date(2027, 4, 4), w.uow, w.staff)
    activity = await act.create_activity(activity_in(w, space), w.uow, w.staff)
    outcome = await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), period_id=period.id),
                                     w.uow, w.staff, w.clock)
    booked = {s.starts_at.date() for s in outcome.sessions}
    assert date(2027, 4, 3) not in booked and date(2027, 4, 4) not in booked  # the weekend: closed
    assert {i["date"] for i in outcome.skipped} >= {"2027-04-03", "2027-04-04"}


async def test_a_taken_room_refuses_the_session(w: World) -> None:
    space = await room(w)
    first = await act.create_activity(activity_in(w, space), w.uow, w.staff)
    await act.add_sessions(act.NewSessions(first.id, time(10), time(12), day=DAY), w.uow, w.staff, w.clock)
    second = await act.create_activity(activity_in(w, space), w.uow, w.staff)
    with pytest.raises(Conflict):
        await act.add_sessions(act.NewSessions(second.id, time(11), time(13), day=DAY), w.uow, w.staff, w.clock)
    assert await w.uow.activities.sessions_of(second.id) == []


async def test_cancelling_the_session_frees_the_room(w: World) -> None:
    space = await room(w)
    activity = await act.create_activity(activity_in(w, space), w.uow, w.staff)
    outcome = await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=DAY), w.uow, w.staff,
                                     w.clock)
    session = outcome.sessions[0]
    await act.cancel_session(session.id, "Sjuk ledare", w.uow, w.staff, w.clock, LINKS)
    assert session.status is SessionStatus.CANCELLED
    other = await act.create_activity(activity_in(w, space), w.uow, w.staff)
    again = await act.add_sessions(act.NewSessions(other.id, time(10), time(12), day=DAY), w.uow, w.staff, w.clock)
    assert again.sessions[0].booking_id is not None


async def test_moving_the_session_moves_the_room(w: World) -> None:
    space = await room(w)
    activity = await act.create_activity(activity_in(w, space), w.uow, w.staff)
    session = (await act.add_sessions(act.NewSessions(activity.id, time(10), time(12), day=DAY), w.uow, w.staff,
                                      w.clock)).sessions[0]
    await act.move_session(act.MoveSession(session.id, date(2027, 3, 11), time(13), time(15)), w.uow, w.staff,
                           w.clock, LINKS)
    booking = await w.uow.bookings.get(session.booking_id)  # type: ignore[arg-type]
    assert booking is not None and booking.starts_at == session.starts_at
