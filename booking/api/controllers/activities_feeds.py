"""iCalendar feeds of activities: the public listing per municipality, and a guardian's private feed."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlparse
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get

from booking.adapters.db.queries import Queries
from booking.adapters.db.queries_activities import (
    ActivityQueries,
    SessionView,
    account_of_feed_token,
)
from booking.adapters.ical import FeedEvent, render_calendar
from booking.api.access import PUBLIC, guarded
from booking.api.controllers.activities_views import (
    ICAL,
    AgeQ,
    AreaQ,
    CategoryQ,
    FreeQ,
    FromQ,
    PeriodQ,
    ToQ,
    session_filter,
)
from booking.config import Settings
from booking.domain.activities import services
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError


def _uid(session_id: UUID, settings: Settings) -> str:
    return f"activity-{session_id}@{urlparse(settings.base_url).hostname or 'booking'}"


def _event(v: SessionView, settings: Settings) -> FeedEvent:
    a = v.activity
    description = f"{a.description}\n\n{settings.base_url.rstrip('/')}/activity.html?id={a.id}".strip()
    return FeedEvent(uid=_uid(v.session.id, settings), starts_at=v.session.starts_at, ends_at=v.session.ends_at,
                     summary=a.title, status="CANCELLED" if v.cancelled else "CONFIRMED",
                     sequence=v.session.sequence + (1 if v.cancelled and v.session.sequence == 0 else 0),
                     last_modified=v.last_modified, location=v.place_name, description=description)


def _feed(request: Request[Any, Any, Any], name: str, views: list[SessionView], zone: ZoneInfo, settings: Settings,
          private: bool, *extra: object) -> Response[bytes]:
    last = max((v.last_modified for v in views), default=None)
    etag = '"' + hashlib.sha256("|".join([name, str(len(views)), str(last), *map(str, extra)]).encode()
                                ).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": ("private" if private else "public") + ", max-age=300"}
    if last is not None:
        headers["Last-Modified"] = format_datetime(last.astimezone(dt.UTC), usegmt=True)
    presented = request.headers.get("if-none-match", "")
    if any(tag.strip() in (etag, "W/" + etag) for tag in presented.split(",")):
        return Response(b"", status_code=304, headers=headers, media_type=ICAL)
    body = render_calendar(name, [_event(v, settings) for v in views], zone)
    return Response(body, media_type=ICAL, headers={**headers, "Content-Disposition": "inline; filename=feed.ics"})


def _ics_name(feed: str, field: str) -> str:
    if not feed.endswith(".ics") or len(feed) > 200 or not all(c.isalnum() or c in "-_." for c in feed):
        raise ValidationError(field, "A feed address ends in .ics.", "format")
    return feed[: -len(".ics")]


class ActivityFeedController(Controller):
    path = "/feeds"
    tags = ["activities"]

    @get("/activities/{feed:str}", operation_id="getActivitiesFeed", media_type=ICAL, cache_control=None,
         **guarded(PUBLIC))
    async def public_feed(self, feed: str, request: Request[Any, Any, Any],
                          activity_queries: ActivityQueries, queries: Queries,
                          clock: Clock, settings: Settings, period_id: PeriodQ = None, first: FromQ = None,
                          last: ToQ = None, age: AgeQ = None, area_id: AreaQ = None, category: CategoryQ = None,
                          free: FreeQ = False) -> Response[bytes]:
        """`/feeds/activities/{municipality slug}.ics`, with the listing's filters: every session the
        listing shows (no participants); a cancelled session stays, STATUS:CANCELLED."""
        municipality_id = await queries.municipality_id_by_slug(_ics_name(feed, "feed"))
        if municipality_id is None:
            raise NotFound("Feed", feed)
        aq = activity_queries
        zone = await aq.zone(municipality_id)
        f = await session_filter(aq, municipality_id, zone, clock, period_id, first, last, age, area_id, category, free)
        views, _ = await aq.sessions(f, zone)
        return _feed(request, "Lovaktiviteter", views, zone, settings, False, f)

    @get("/activity-registrations/{feed:str}", operation_id="getRegistrationsFeed", media_type=ICAL,
         cache_control=None, **guarded(PUBLIC))
    async def private_feed(self, feed: str, request: Request[Any, Any, Any],
                           activity_queries: ActivityQueries,
                           settings: Settings) -> Response[bytes]:
        """A guardian's private feed (unguessable token): the sessions of their active registrations."""
        token = _ics_name(feed, "feed")
        found = await account_of_feed_token(activity_queries.db, services.token_hash(token))
        if found is None:
            raise NotFound("Feed", "for this link")
        account_id, municipality_id = found
        aq = activity_queries
        zone = await aq.zone(municipality_id)
        views = []
        seen: set[UUID] = set()
        for r in await aq.registrations_of_account(account_id):
            if r.registration.active and r.session.id not in seen:
                seen.add(r.session.id)
                view = await aq.session_view(r.session.id)
                if view is not None:
                    views.append(view)
        return _feed(request, "Mina lovaktiviteter", views, zone, settings, True, account_id)



HANDLERS: list[Any] = [ActivityFeedController]
