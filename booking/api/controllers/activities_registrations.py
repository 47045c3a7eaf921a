"""HTTP routes of registrations: my registrations with tickets, cancellation (in the account or by
the e-mailed link), the QR ticket and the private feed's token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries_activities import (
    ActivityQueries,
)
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.qr import qr_svg
from booking.api.access import PUBLIC, SIGNED_IN, guarded
from booking.api.controllers.activities_views import (
    links_of,
    to_registration,
)
from booking.api.schemas import activities as s
from booking.config import Settings
from booking.domain.activities import scope, services
from booking.domain.activities.model import Registration
from booking.domain.people.roles import Actor
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, expect


class RegistrationController(Controller):
    path = "/api"
    tags = ["activities"]

    @get("/registrations", operation_id="listMyRegistrations", **guarded(SIGNED_IN))
    async def mine(self, activity_queries: ActivityQueries, actor: Actor, settings: Settings) -> s.RegistrationList:
        """The registrations made from this account (my children's, or my own), with tickets."""
        aq = activity_queries
        zone = await aq.zone(actor.municipality_id)
        links = links_of(settings)
        return s.RegistrationList([to_registration(v, zone, links, True)
                                   for v in await aq.registrations_of_account(actor.account_id)])

    @post("/registrations/{registration_id:uuid}/cancellation", operation_id="cancelRegistration",
          status_code=200, **guarded(SIGNED_IN))
    async def cancel(self, registration_id: UUID, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     settings: Settings, activity_queries: ActivityQueries) -> s.CancelOutcome:
        """Cancel in the account (or the activity's staff): the place goes to the first waiting."""
        links = links_of(settings)
        registration, promoted = await services.cancel_registration(uow, clock, links, actor=actor,
                                                                    registration_id=registration_id)
        return await _cancel_out(activity_queries, registration, len(promoted), links)

    @post("/registration-cancellations", operation_id="cancelRegistrationByLink", status_code=200,
          **guarded(PUBLIC))
    async def cancel_by_link(self, data: s.TokenIn, uow: SqlUnitOfWork, clock: Clock, settings: Settings,
                             activity_queries: ActivityQueries) -> s.CancelOutcome:
        """Cancel with the link from the confirmation e-mail (its unguessable token)."""
        links = links_of(settings)
        registration, promoted = await services.cancel_registration(uow, clock, links, token=data.token)
        return await _cancel_out(activity_queries, registration, len(promoted), links, show_needs=False)

    @get("/registrations/{registration_id:uuid}/ticket.svg", operation_id="getRegistrationTicket",
         media_type="image/svg+xml", **guarded(SIGNED_IN))
    async def ticket(self, registration_id: UUID, activity_queries: ActivityQueries, actor: Actor,
                     settings: Settings) -> Response[bytes]:
        """The QR ticket: it encodes the ticket's unguessable URL, scanned at the door."""
        view = await activity_queries.registration(registration_id)
        if view is None:
            raise NotFound("Registration", registration_id)
        scope.require_registration(actor, view.registration, view.site_id, registration_id)
        return Response(qr_svg(links_of(settings).ticket(view.registration.ticket_code)), media_type="image/svg+xml",
                        headers={"Cache-Control": "private, max-age=3600"})

    @post("/registrations/feed-token", operation_id="rotateRegistrationFeedToken", status_code=HTTP_201_CREATED,
          **guarded(SIGNED_IN))
    async def rotate_feed(self, uow: SqlUnitOfWork, actor: Actor, settings: Settings) -> s.FeedToken:
        """A private calendar feed of my registrations' sessions; a new token ends the old link."""
        token = await services.rotate_feed_token(uow, actor)
        return s.FeedToken(f"{settings.base_url.rstrip('/')}/feeds/activity-registrations/{token}.ics")


async def _cancel_out(activity_queries: ActivityQueries, registration: Registration, promoted: int,
                      links: services.Links, show_needs: bool = True) -> s.CancelOutcome:
    aq = activity_queries
    view = expect(await aq.registration(registration.id), "registration just cancelled")
    return s.CancelOutcome(to_registration(view, await aq.zone(registration.municipality_id), links, show_needs),
                           promoted)



HANDLERS: list[Any] = [RegistrationController]
