"""An association's public profile, from the inside: its representatives write the draft, choose the
public training times and submit; staff verify (publish) or send back, unpublish, and see the queue."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.params import Parameter

from booking.adapters.db.queries_matching import MatchingQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import guarded, roles
from booking.api.controllers.matching_views import from_fields, profile_out, to_choice, to_times
from booking.api.controllers.params import LimitQ, OffsetQ
from booking.api.schemas import matching_profiles as s
from booking.domain.matching import profile_services as ps
from booking.domain.matching.states import ProfileStatus
from booking.domain.matching.training_times import TrainingTimes
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock

STAFF = roles(Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF)
REPS_AND_STAFF = roles(Role.ASSOCIATION_REP, Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF)
REPS = roles(Role.ASSOCIATION_REP)


class AssociationProfileController(Controller):
    path = "/api/associations/{association_id:uuid}"
    tags = ["associations in the open"]

    @get("/profile", operation_id="getAssociationProfile", **guarded(REPS_AND_STAFF))
    async def get_profile(self, association_id: UUID, read_uow: SqlUnitOfWork, actor: Actor,
                          matching_queries: MatchingQueries, clock: Clock) -> s.AssociationProfile:
        """The draft, the published version, the status and staff's note; the contact persons and the
        bookings the association may show as training times."""
        return await profile_out(await ps.get_profile(association_id, read_uow, actor), matching_queries, clock)

    @put("/profile", operation_id="putAssociationProfile", **guarded(REPS_AND_STAFF))
    async def put_profile(self, association_id: UUID, data: s.ProfileWrite, uow: SqlUnitOfWork, actor: Actor,
                          matching_queries: MatchingQueries, clock: Clock) -> s.AssociationProfile:
        """Saves the draft (status draft: submit it again); a published version stays public meanwhile."""
        state = await ps.save_draft(association_id, from_fields(data), data.contact_id, uow, actor)
        return await profile_out(state, matching_queries, clock)

    @post("/profile/submission", operation_id="submitAssociationProfile", status_code=200, **guarded(REPS))
    async def submit_profile(self, association_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                             matching_queries: MatchingQueries, clock: Clock) -> s.AssociationProfile:
        """Its representatives hand the draft to staff for verification (a contact person is required)."""
        return await profile_out(await ps.submit_profile(association_id, uow, actor), matching_queries, clock)

    @post("/profile/verification", operation_id="verifyAssociationProfile", status_code=200, **guarded(STAFF))
    async def verify_profile(self, association_id: UUID, data: s.ProfileVerification, uow: SqlUnitOfWork,
                             actor: Actor, matching_queries: MatchingQueries, clock: Clock) -> s.AssociationProfile:
        """Staff publish the submitted draft (`approve: true`), or send it back with a `note`."""
        state = await ps.verify_profile(association_id, data.approve, data.note, uow, actor, clock)
        return await profile_out(state, matching_queries, clock)

    @post("/profile/unpublication", operation_id="unpublishAssociationProfile", status_code=200,
          **guarded(STAFF))
    async def unpublish_profile(self, association_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                                matching_queries: MatchingQueries, clock: Clock) -> s.AssociationProfile:
        """Staff hide the published profile."""
        return await profile_out(await ps.unpublish_profile(association_id, uow, actor), matching_queries, clock)

    @put("/public-times", operation_id="setAssociationPublicTimes", **guarded(REPS))
    async def set_public_times(self, association_id: UUID, data: s.PublicTimes, uow: SqlUnitOfWork, actor: Actor,
                               matching_queries: MatchingQueries, clock: Clock) -> s.PublicTimesOut:
        """Exactly these approved bookings and series of the association show on its profile as training
        times; an id that is not one of them is a 422 naming `booking_ids[i]` or `series_ids[i]`."""
        await ps.set_public_times(association_id, data.booking_ids, data.series_ids, uow, actor, clock)
        state = await ps.get_profile(association_id, uow, actor)
        a, now = state.association, clock.now()
        choices = await matching_queries.time_choices(a.municipality_id, a.id, now)
        times = (await matching_queries.training_times(a.municipality_id, [a.id], now)).get(a.id, TrainingTimes())
        return s.PublicTimesOut([to_choice(c) for c in choices], to_times(times))


class ProfileQueueController(Controller):
    path = "/api/association-profiles"
    tags = ["associations in the open"]

    @get("/", operation_id="listAssociationProfiles", **guarded(STAFF))
    async def list_profiles(
        self, actor: Actor, matching_queries: MatchingQueries,
        status: Annotated[ProfileStatus | None, Parameter(query="status")] = None,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.ProfileQueue:
        """The municipality's association profiles, those awaiting verification first."""
        items, total = await matching_queries.queue(actor.municipality_id, status, limit, offset)
        return s.ProfileQueue([s.ProfileQueueEntry(e.association_id, e.name, e.status, e.published_at,
                                                   e.review_note, e.updated_at) for e in items],
                              total, limit, offset)


HANDLERS = [AssociationProfileController, ProfileQueueController]
