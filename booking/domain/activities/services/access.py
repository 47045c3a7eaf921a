"""Loading what an actor acts on, refused as the scope rules say (404 when unknown to the actor,
403 outside a staff grant narrowed to other sites)."""

from __future__ import annotations

from uuid import UUID

from booking.domain.activities import scope
from booking.domain.activities.model import Activity, ActivitySession, Registration
from booking.domain.activities.ports import ActivitiesUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import NotFound, expect


async def activity_to_edit(uow: ActivitiesUnitOfWork, actor: Actor, activity_id: UUID,
                           staff_only: bool = False) -> tuple[Activity, bool]:
    """The activity, if the actor may change it, and whether they act as its staff (at its site)
    rather than as its association's representative."""
    found = await uow.activities.get(activity_id)
    site_id = await scope.site_of(uow, found) if found is not None else None
    activity = scope.require_editor(actor, found, site_id, "Activity", activity_id)
    staff = scope.acts_as_staff(actor, activity, site_id)
    if staff_only and not staff:
        actor.require_site(site_id, scope.STAFF)
    return activity, staff


async def session_for_staff(uow: ActivitiesUnitOfWork, actor: Actor, session_id: UUID,
                            lock: bool = False) -> tuple[ActivitySession, Activity]:
    """The session and its activity, if the actor may act on it (its staff at its site, or its
    association's representative)."""
    session = await uow.activities.get_session(session_id, lock=lock)
    activity = await uow.activities.get(session.activity_id) if session else None
    if session is None or activity is None:
        raise NotFound("Session", session_id)
    scope.require_editor(actor, activity, await scope.site_of(uow, activity, session), "Session", session_id)
    return session, activity


async def registration_for(uow: ActivitiesUnitOfWork, actor: Actor, registration_id: UUID) -> Registration:
    """The registration, for its own account or the staff of its session's site."""
    found = await uow.activities.registration(registration_id)
    site_id = await _site_of_registration(uow, found) if found is not None and (
        found.account_id != actor.account_id) else None
    return scope.require_registration(actor, found, site_id, registration_id)


async def _site_of_registration(uow: ActivitiesUnitOfWork, registration: Registration) -> UUID | None:
    session = await uow.activities.get_session(registration.session_id)
    activity = await uow.activities.get(registration.activity_id)
    return await scope.site_of(uow, activity, session) if activity is not None else None


async def session_and_activity(uow: ActivitiesUnitOfWork, registration: Registration
                               ) -> tuple[ActivitySession, Activity]:
    """A registration's session (locked: its places may change) and activity, which its rows say exist."""
    session = expect(await uow.activities.get_session(registration.session_id, lock=True), "registration's session")
    activity = expect(await uow.activities.get(registration.activity_id), "registration's activity")
    return session, activity
