"""Interest requests (intresseanmälan) over HTTP: send one (public; signed-in; staff at the counter), the
association's list, its answer and its pause, and the staff's list of requests left unanswered."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries_requests import RequestQueries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, SIGNED_IN, guarded, roles
from booking.api.schemas import matching_requests as s
from booking.api.sign_in_throttle import client_address
from booking.config import Settings
from booking.domain.matching import services
from booking.domain.matching.follow_up import UNANSWERED_DAYS, unanswered_before
from booking.domain.matching.requests import Contact, InterestRequest, RateLimits, sender_hash
from booking.domain.people.roles import Actor, Role
from booking.domain.shared.clock import Clock

STAFF = roles(Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF, Role.LENDING_STAFF)
COUNTER_LIMITS = RateLimits(per_sender_hour=60, per_sender_day=300, per_association_day=50)
DaysQ = Annotated[int, Parameter(query="days", ge=1, le=365, description="Sent at least this many days ago.")]


def _refs(ids: list[UUID], names: dict[UUID, tuple[str, str]]) -> list[s.InterestRef]:
    return [s.InterestRef(i, *names.get(i, ("?", "?"))) for i in ids]


def to_request(q: InterestRequest, names: dict[UUID, tuple[str, str]]) -> s.InterestRequest:
    return s.InterestRequest(
        q.id, q.association_id, q.status.value, q.created_at or dt.datetime.now(dt.UTC), _refs(q.interests, names),
        q.age, q.gender, list(q.days), q.message, q.contact_name, q.contact_email, q.contact_phone, q.consent,
        q.guardian_consent, q.via_counter, q.answer, q.answered_at, q.anonymised_at is not None)


class InterestRequestsController(Controller):
    path = "/api"
    tags = ["föreningsmatchning"]

    @post("/interest-requests", operation_id="sendInterestRequest", status_code=HTTP_201_CREATED,
          **guarded(PUBLIC, problems=(403, 429)))
    async def send(self, data: s.InterestRequestCreate, request: Request[Any, Any, Any], uow: SqlUnitOfWork,
                   maybe_actor: Actor | None, clock: Clock, settings: Settings) -> s.InterestRequestCreated:
        """Send an interest request to an association's contact person (by e-mail, with a link to answer).
        Contact details go to the association only with `consent`; under 13 a guardian must consent too
        (`guardian_consent`, else 422). Without consent the request carries no contact details: contact the
        club yourself. Rate-limited per sender and per association (429 with Retry-After); 409 when the
        association has paused requests or has no published profile. `via_counter`: staff at the desk."""
        now = clock.now()
        contact = Contact(data.contact.name, data.contact.email, data.contact.phone) if data.contact else None
        sender = sender_hash(settings.secret_key, maybe_actor.account_id if maybe_actor else None,
                             client_address(request, settings), now.date().isoformat())
        made = await services.send_request(services.SendRequest(
            data.association_id, list(data.interests), data.age, sender, data.consent, data.guardian_consent,
            data.gender, data.home_area_id, list(data.days), data.message, contact, data.via_counter),
            uow, maybe_actor, now, settings.base_url, COUNTER_LIMITS if data.via_counter else services.DEFAULT_LIMITS)
        return s.InterestRequestCreated(made.id, made.status.value, made.has_contact)

    @get("/interest-requests/unanswered", operation_id="listUnansweredInterestRequests", **guarded(STAFF))
    async def unanswered(self, request_queries: RequestQueries, actor: Actor, clock: Clock,
                         days: DaysQ = UNANSWERED_DAYS) -> s.UnansweredList:
        """Requests with no answer within `days` (default 14), oldest first: which associations do not answer.
        No contact details. The municipality's requests span every site: a grant narrowed to sites is refused."""
        actor.require_site(None, Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF, Role.LENDING_STAFF)
        now = clock.now()
        rows = await request_queries.unanswered(actor.municipality_id, unanswered_before(now, days))
        names = await request_queries.category_names(actor.municipality_id)
        return s.UnansweredList(days, [s.Unanswered(
            r.id, r.association_id, r.association_name, r.created_at, (now - r.created_at).days,
            _refs(r.interests, names), r.age, r.via_counter) for r in rows])

    @post("/interest-requests/{request_id:uuid}/answer", operation_id="answerInterestRequest", status_code=200,
          **guarded(SIGNED_IN))
    async def answer(self, request_id: UUID, data: s.AnswerIn, uow: SqlUnitOfWork, actor: Actor,
                     clock: Clock) -> s.InterestRequest:
        """The association answers (its representatives): the young person, or the guardian, gets the answer by
        e-mail when they gave an address with consent. Once; a second answer is 409."""
        made = await services.answer_request(request_id, data.text, uow, actor, clock.now())
        async with uow:
            names = await uow.interest_requests.category_names(made.municipality_id)
        return to_request(made, names)

    @get("/associations/{association_id:uuid}/interest-requests", operation_id="listInterestRequests",
         **guarded(SIGNED_IN))
    async def of_association(self, association_id: UUID, read_uow: SqlUnitOfWork, actor: Actor
                             ) -> s.InterestRequestList:
        """The association's interest requests, newest first (its representatives and staff); contact
        details only where the sender consented."""
        paused, items, names = await services.requests_of(association_id, read_uow, actor)
        return s.InterestRequestList(association_id, paused, [to_request(q, names) for q in items])

    @put("/associations/{association_id:uuid}/interest-request-pause", operation_id="pauseInterestRequests",
         **guarded(SIGNED_IN))
    async def pause(self, association_id: UUID, data: s.PauseIn, uow: SqlUnitOfWork, actor: Actor,
                    clock: Clock) -> s.PauseState:
        """Pause (or resume) interest requests to the association (its representatives): while paused, sending
        one answers 409 and the public profile says so."""
        paused = await services.pause(association_id, data.paused, uow, actor, clock.now())
        return s.PauseState(association_id, paused)


HANDLERS: list[Any] = [InterestRequestsController]
