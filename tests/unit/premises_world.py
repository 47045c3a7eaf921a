"""A small premises world for the service tests: one municipality, a school with a gym and a
divisible hall, an association, its representative and premises staff, and a clock pinned to
Monday 1 March 2027, 10:00 in Stockholm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

from booking.domain.municipalities.model import Municipality
from booking.domain.people.model import Account, Association, AssociationCategory
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises import booking_requests
from booking.domain.premises.bookings import Booking
from booking.domain.premises.calendar import OpeningHours, Window
from booking.domain.premises.model import Site, Space, SpaceKind
from booking.domain.shared.clock import FixedClock
from tests.unit.fakes import FakeUnitOfWork

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # Monday, 10:00 local
EVERY_DAY_8_TO_22 = [OpeningHours(tuple(Window(d, time(8), time(22)) for d in range(7)))]


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, STOCKHOLM).astimezone(UTC)


@dataclass
class World:
    uow: FakeUnitOfWork
    clock: FixedClock
    town: Municipality
    school: Site
    gym: Space
    hall: Space
    hall_a: Space
    hall_b: Space
    club: Association
    rep: Actor
    staff: Actor
    rep_account: Account

    def request(self, space: Space, day: date, start: time = time(18), end: time = time(20),
                **kwargs: object) -> booking_requests.RequestBooking:
        association = kwargs.pop("association_id", self.club.id)
        return booking_requests.RequestBooking(space.id, "Innebandy", day, start, end,
                                       association_id=association, **kwargs)  # type: ignore[arg-type]

    async def book(self, space: Space, day: date, start: time = time(18), end: time = time(20),
                   by: Actor | None = None, **kwargs: object) -> list[Booking]:
        """Requested by `by` (the representative by default)."""
        cmd = self.request(space, day, start, end, **kwargs)
        return (await booking_requests.request_booking(cmd, self.uow, by or self.rep, self.clock)).bookings

    async def approved(self, space: Space, day: date, start: time = time(18), end: time = time(20),
                       **kwargs: object) -> Booking:
        """Booked by staff: approved at once."""
        return (await self.book(space, day, start, end, by=self.staff, **kwargs))[0]


def person(uow: FakeUnitOfWork, town: Municipality, email: str, *grants: Grant) -> tuple[Account, Actor]:
    account = Account(town.id, email, email.split("@")[0].title())
    uow.accounts.add(account)
    return account, Actor(account.id, town.id, frozenset(grants))


async def build_world() -> World:
    uow = FakeUnitOfWork()
    town = Municipality("Sundsvalls kommun", "sundsvall")
    school = Site(town.id, "Nackstaskolan", "Skolvägen 1", "85653", "Sundsvall")
    gym = Space(town.id, school.id, "Gympasalen", SpaceKind.GYM, 30)
    hall = Space(town.id, school.id, "Sporthallen", SpaceKind.HALL, 100)
    hall_a = Space(town.id, school.id, "Sporthallen A", SpaceKind.HALL, 50, parent_id=hall.id)
    hall_b = Space(town.id, school.id, "Sporthallen B", SpaceKind.HALL, 50, parent_id=hall.id)
    club = Association(town.id, "IK Nacksta", "802479-4565", AssociationCategory.YOUTH)
    club.verify(UUID(int=1), NOW)
    uow.municipalities.add(town)
    uow.sites.add(school)
    for space in (gym, hall, hall_a, hall_b):
        uow.spaces.add(space)
        await uow.calendars.replace_opening_hours(space, EVERY_DAY_8_TO_22)
    uow.associations.add(club)
    rep_account, rep = person(uow, town, "kassor@iknacksta.se", Grant(Role.ASSOCIATION_REP, club.id))
    _, staff = person(uow, town, "lokaler@sundsvall.se", Grant(Role.PREMISES_STAFF))
    await uow.commit()
    uow.outbox.clear()
    return World(uow, FixedClock(NOW), town, school, gym, hall, hall_a, hall_b, club, rep, staff, rep_account)



def other_town(uow: FakeUnitOfWork) -> tuple[Municipality, Actor]:
    """A second municipality and its premises staff: the first one's things do not exist for them."""
    town = Municipality("Timrå kommun", "timra")
    uow.municipalities.add(town)
    return town, Actor(UUID(int=99), town.id, frozenset({Grant(Role.PREMISES_STAFF)}))
