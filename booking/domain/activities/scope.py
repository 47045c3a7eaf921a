"""Where an activity happens, and who may act on it there.

A session's site is the site of its room; a session without a room of its own takes its activity's
room (sessions copy it when they are added), and an activity in no room is at no site. A leisure
staff grant narrowed to sites (`roles: [{"role": "activities_staff", "scope_id": <site>}]`) covers
only what happens at those sites; something at no site needs a municipality-wide grant. That is
the one rule of `Actor.acts_at` / `require_site`; this module only says where things are.

Out of scope: writes, rosters and registrations answer 403 (`Forbidden`); lists leave the other
sites out (`staff_sites`).
"""

from __future__ import annotations

from uuid import UUID

from booking.domain.activities.model import Activity, ActivitySession, Registration
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.errors import NotFound
from booking.domain.shared.tenancy import belongs, of_municipality

STAFF = Role.ACTIVITIES_STAFF


def is_staff(actor: Actor) -> bool:
    """Holds the leisure staff role (anywhere): an admin, or a grant wide or narrowed."""
    return actor.has(STAFF)


def staff_sites(actor: Actor) -> frozenset[UUID] | None:
    """None: every site of the municipality; else the sites the actor's staff grants name."""
    return actor.sites_for(STAFF)


async def site_of(uow: ActivitiesUnitOfWork, activity: Activity, session: ActivitySession | None = None) -> UUID | None:
    space_id = session.space_id if session is not None and session.space_id is not None else activity.space_id
    if space_id is None:
        return None
    space = await uow.spaces.get(space_id)
    return space.site_id if space is not None else None


def acts_as_staff(actor: Actor, activity: Activity, site_id: UUID | None) -> bool:
    return belongs(activity, actor.municipality_id) and actor.acts_at(site_id, STAFF)


def may_edit(actor: Actor, activity: Activity, site_id: UUID | None) -> bool:
    """The activity's staff (at its site), or a representative of its association."""
    if not belongs(activity, actor.municipality_id):
        return False
    return actor.acts_at(site_id, STAFF) or (
        activity.association_id is not None and actor.represents(activity.association_id))


def require_editor(actor: Actor, found: Activity | None, site_id: UUID | None, what: str, ident: UUID) -> Activity:
    """The activity, if the actor may change it. 404 for what the actor may not know of (another
    municipality, another association's activity); 403 for a leisure staff member whose grant is
    narrowed to other sites."""
    activity = of_municipality(found, actor.municipality_id, what, ident)
    if may_edit(actor, activity, site_id):
        return activity
    if is_staff(actor):
        actor.require_site(site_id, STAFF)
    raise NotFound(what, ident)


def may_see_registration(actor: Actor, registration: Registration, site_id: UUID | None) -> bool:
    """The registering account, or the leisure staff of the session's site."""
    return belongs(registration, actor.municipality_id) and (
        registration.account_id == actor.account_id or actor.acts_at(site_id, STAFF))


def require_registration(actor: Actor, found: Registration | None, site_id: UUID | None,
                         ident: UUID) -> Registration:
    registration = of_municipality(found, actor.municipality_id, "registration", ident)
    if may_see_registration(actor, registration, site_id):
        return registration
    if is_staff(actor):
        actor.require_site(site_id, STAFF)
    raise NotFound("Registration", ident)
