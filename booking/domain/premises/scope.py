"""Where premises staff may act: a staff grant narrowed to a site covers that site's spaces only.

The one rule lives on the actor (`Actor.sites_for / acts_at / require_site`); this module applies
it to the things of premises: a booking is at its space's site, a closed period at its space's or
site's (or, closing every site, at none: only a municipality-wide grant covers it). Out of scope,
a staff member is refused (403) on single things and does not see them in lists.
"""

from __future__ import annotations

from uuid import UUID

from booking.domain.people.roles import Actor, Role
from booking.domain.premises.bookings import Booking
from booking.domain.premises.model import Space
from booking.domain.premises.ports import PremisesUnitOfWork
from booking.domain.shared.errors import NotFound
from booking.domain.shared.tenancy import belongs, of_municipality

STAFF = Role.PREMISES_STAFF


def staff_sites(actor: Actor) -> frozenset[UUID] | None:
    """The sites where the actor acts as premises staff: None for every site of its municipality."""
    return actor.sites_for(STAFF)


def staff_at(actor: Actor, site_id: UUID | None) -> bool:
    """Premises staff (or an admin) whose grant covers the site."""
    return actor.acts_at(site_id, STAFF)


def require_staff_at(actor: Actor, site_id: UUID | None) -> None:
    """Refuse (403) premises staff whose grants are narrowed to other sites. Who holds the role at
    all is the route's guard (services are also called for other contexts, e.g. activities)."""
    if actor.has(STAFF):
        actor.require_site(site_id, STAFF)


def is_party(actor: Actor, booking: Booking) -> bool:
    """The booker, or a representative of the booking's association."""
    return booking.booked_by == actor.account_id or (
        booking.association_id is not None and actor.represents(booking.association_id))


def may_handle(actor: Actor, booking: Booking, site_id: UUID | None) -> bool:
    """Staff of the booking's site, the booker, and the representatives of its association."""
    if not belongs(booking, actor.municipality_id):
        return False
    return staff_at(actor, site_id) or is_party(actor, booking)


def check_handles(actor: Actor, booking: Booking, site_id: UUID | None) -> None:
    """404 for strangers and other municipalities; 403 for premises staff narrowed to another site."""
    of_municipality(booking, actor.municipality_id, "booking", booking.id)
    if is_party(actor, booking) or staff_at(actor, site_id):
        return
    if actor.has(STAFF):
        require_staff_at(actor, site_id)
    raise NotFound("Booking", booking.id)


async def space_of(uow: PremisesUnitOfWork, actor: Actor, space_id: UUID, field_name: str | None = None) -> Space:
    return of_municipality(await uow.spaces.get(space_id), actor.municipality_id, "space", space_id, field_name)


async def booking_to_handle(uow: PremisesUnitOfWork, actor: Actor, booking_id: UUID) -> tuple[Booking, Space]:
    """The booking and its space, for its parties or the staff of its site (see check_handles)."""
    booking = of_municipality(await uow.bookings.get(booking_id), actor.municipality_id, "booking", booking_id)
    space = await space_of(uow, actor, booking.space_id)
    check_handles(actor, booking, space.site_id)
    return booking, space


async def booking_for_staff(uow: PremisesUnitOfWork, actor: Actor, booking_id: UUID) -> tuple[Booking, Space]:
    """A booking a staff decision is about: 404 outside the municipality, 403 at another site."""
    booking = of_municipality(await uow.bookings.get(booking_id), actor.municipality_id, "booking", booking_id)
    space = await space_of(uow, actor, booking.space_id)
    require_staff_at(actor, space.site_id)
    return booking, space


def attendance_sites(actor: Actor, association_id: UUID, association_municipality: UUID | None
                     ) -> frozenset[UUID] | None:
    """Whose attendance report the actor may read, and where: the association's representatives all
    of it; premises staff of its municipality the occasions at their sites. Anyone else, and every
    other municipality, finds no such association (404)."""
    if association_municipality != actor.municipality_id:
        raise NotFound("Association", association_id)
    if actor.represents(association_id):
        return None
    if actor.has(STAFF):
        return staff_sites(actor)
    raise NotFound("Association", association_id)
