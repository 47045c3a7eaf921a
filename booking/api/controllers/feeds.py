"""iCalendar feeds and their JSON twins: per site and per space (public), per association
(private, rotatable token). A feed lists exactly what its JSON counterpart lists.

HTTP: text/calendar; charset=utf-8, ETag and Last-Modified from the occurrences' last change,
304 for a matching If-None-Match (answered from a count and a max, without rendering)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from email.utils import format_datetime
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlparse
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get, post
from litestar.params import Parameter

from booking.adapters.db.queries import FeedHead, FeedWindow, PublicOccurrence, Queries, SiteView, SpaceView
from booking.adapters.db.uow import SqlUnitOfWork
from booking.adapters.ical import FeedEvent, render_calendar
from booking.api.access import PUBLIC, SIGNED_IN, guarded
from booking.api.schemas import calendar as s
from booking.config import Settings
from booking.domain.people import associations
from booking.domain.people.model import feed_token_hash
from booking.domain.people.roles import Actor
from booking.domain.premises.bookings import Booking, BookingStatus
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import NotFound, ValidationError, expect
from booking.domain.shared.localtime import check_day, local_instant

PAST_DAYS, FUTURE_DAYS, MAX_DAYS = 30, 365, 400
ICAL = "text/calendar"  # Litestar appends "; charset=utf-8"
_STATUS = {BookingStatus.APPROVED: "CONFIRMED", BookingStatus.PENDING: "TENTATIVE",
           BookingStatus.CANCELLED: "CANCELLED", BookingStatus.REJECTED: "CANCELLED"}


def feed_window(clock: Clock, zone: ZoneInfo, first: dt.date | None = None,
                last: dt.date | None = None) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    today = clock.now().astimezone(zone).date()
    if first is not None:
        check_day(first, "from")
    if last is not None:
        check_day(last, "to")
    first = first or today - dt.timedelta(days=PAST_DAYS)
    last = last or today + dt.timedelta(days=FUTURE_DAYS)
    if last < first:
        raise ValidationError("to", "The end date is before the start date.", "range")
    if (last - first).days > MAX_DAYS:
        raise ValidationError("to", f"At most {MAX_DAYS} days at a time.", "range")
    return first, last, local_instant(first, dt.time(0), zone), local_instant(last + dt.timedelta(days=1),
                                                                             dt.time(0), zone)


@lru_cache(maxsize=8)
def _uid_host(base_url: str) -> str:
    return urlparse(base_url).hostname or "booking"


def uid_for(booking_id: UUID, settings: Settings) -> str:
    return f"{booking_id}@{_uid_host(settings.base_url)}"


def _etag(*parts: object) -> str:
    return '"' + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32] + '"'


def _not_modified(request: Request[Any, Any, Any], etag: str) -> bool:
    presented = request.headers.get("if-none-match", "")
    return any(tag.strip() in (etag, "*", "W/" + etag) for tag in presented.split(","))


def _feed_response(body: bytes | None, etag: str, last: dt.datetime | None, private: bool) -> Response[bytes]:
    headers = {"ETag": etag, "Cache-Control": ("private" if private else "public") + ", max-age=300"}
    if last is not None:
        headers["Last-Modified"] = format_datetime(last.astimezone(dt.UTC), usegmt=True)
    if body is None:
        return Response(b"", status_code=304, headers=headers, media_type=ICAL)
    return Response(body, media_type=ICAL, headers={**headers, "Content-Disposition": "inline; filename=feed.ics"})


def _public_event(o: PublicOccurrence, settings: Settings) -> FeedEvent:
    return FeedEvent(uid=uid_for(o.id, settings), starts_at=o.starts_at, ends_at=o.ends_at, summary=o.label,
                     status="CANCELLED" if o.cancelled else "CONFIRMED", sequence=o.sequence,
                     last_modified=o.updated_at, location=f"{o.space_name}, {o.site_name}")


def _public_json(o: PublicOccurrence, settings: Settings) -> s.PublicOccurrence:
    return s.PublicOccurrence(id=o.id, uid=uid_for(o.id, settings), space_id=o.space_id, space_name=o.space_name,
                              starts_at=o.starts_at, ends_at=o.ends_at,
                              status="cancelled" if o.cancelled else "confirmed", label=o.label, sequence=o.sequence)


async def _zone_of(queries: Queries, municipality_id: UUID) -> ZoneInfo:
    """The time zone of the municipality a site, space or association belongs to."""
    return expect(await queries.municipality(municipality_id), "the municipality of a stored object").zone


async def _zone_of_site(queries: Queries, site_id: UUID) -> tuple[SiteView, ZoneInfo]:
    view = await queries.site(site_id)
    if view is None:
        raise NotFound("Site", site_id)
    return view, await _zone_of(queries, view.site.municipality_id)


async def _zone_of_space(queries: Queries, space_id: UUID) -> tuple[SpaceView, ZoneInfo]:
    view = await queries.space(space_id)
    if view is None:
        raise NotFound("Space", space_id)
    return view, await _zone_of(queries, view.space.municipality_id)


FromQ = Annotated[dt.date | None, Parameter(query="from", description="First local date (default: 30 days ago).")]
ToQ = Annotated[dt.date | None, Parameter(query="to", description="Last local date (default: a year ahead).")]


def _feed_id(name: str) -> UUID:
    if not name.endswith(".ics"):
        raise NotFound("Feed", name)
    try:
        return UUID(name.removesuffix(".ics"))
    except ValueError:
        raise NotFound("Feed", name) from None


class PublicCalendarController(Controller):
    path = "/api"
    tags = ["calendars"]

    @get("/sites/{site_id:uuid}/calendar", operation_id="getSiteCalendar", **guarded(PUBLIC))
    async def site_calendar(self, site_id: UUID, queries: Queries, clock: Clock, settings: Settings,
                            first: FromQ = None, last: ToQ = None) -> s.PublicCalendar:
        """What the site's public feed shows: booked times ("Bokad"), with the association's name only
        where it chose to be public."""
        _, zone = await _zone_of_site(queries, site_id)
        d0, d1, start, end = feed_window(clock, zone, first, last)
        items = await queries.public_occurrences(site_id=site_id, starts_from=start, starts_to=end)
        return s.PublicCalendar(d0, d1, zone.key, [_public_json(o, settings) for o in items])

    @get("/spaces/{space_id:uuid}/calendar", operation_id="getSpaceCalendar", **guarded(PUBLIC))
    async def space_calendar(self, space_id: UUID, queries: Queries, clock: Clock, settings: Settings,
                             first: FromQ = None, last: ToQ = None) -> s.PublicCalendar:
        """What the space's public feed shows: whatever takes the space, so a divisible hall lists the
        bookings of its parts, and a part those of the whole hall."""
        _, zone = await _zone_of_space(queries, space_id)
        d0, d1, start, end = feed_window(clock, zone, first, last)
        items = await queries.public_occurrences(space_id=space_id, starts_from=start, starts_to=end)
        return s.PublicCalendar(d0, d1, zone.key, [_public_json(o, settings) for o in items])

    @post("/associations/{association_id:uuid}/feed-token", operation_id="rotateAssociationFeed", status_code=201,
          **guarded(SIGNED_IN))
    async def rotate(self, association_id: UUID, uow: SqlUnitOfWork, actor: Actor,
                     settings: Settings) -> s.FeedLink:
        """A new private feed link for the association's bookings; the previous link stops working."""
        token = await associations.rotate_feed_token(association_id, uow, actor)
        return s.FeedLink(url=f"{settings.base_url}/feeds/associations/{token}.ics")


class FeedController(Controller):
    path = "/feeds"
    tags = ["calendars"]

    @get("/sites/{feed:str}", operation_id="getSiteFeed", media_type=ICAL, cache_control=None, **guarded(PUBLIC))
    async def site_feed(self, feed: str, request: Request[Any, Any, Any], queries: Queries, clock: Clock,
                        settings: Settings) -> Response[bytes]:
        """The public iCalendar feed of a site: `/feeds/sites/{site_id}.ics`."""
        site_id = _feed_id(feed)
        head = await queries.public_feed_head(site_id=site_id, window=_window(clock))
        if head is None:
            raise NotFound("Site", site_id)
        return await _public_feed(request, queries, settings, head, ("site", site_id), site_id=site_id)

    @get("/spaces/{feed:str}", operation_id="getSpaceFeed", media_type=ICAL, cache_control=None, **guarded(PUBLIC))
    async def space_feed(self, feed: str, request: Request[Any, Any, Any], queries: Queries, clock: Clock,
                         settings: Settings) -> Response[bytes]:
        """The public iCalendar feed of a space: `/feeds/spaces/{space_id}.ics`. A divisible hall's feed
        shows the bookings of its parts too, and a part's feed those of the whole hall."""
        space_id = _feed_id(feed)
        head = await queries.public_feed_head(space_id=space_id, window=_window(clock))
        if head is None:
            raise NotFound("Space", space_id)
        return await _public_feed(request, queries, settings, head, ("space", space_id), space_id=space_id)

    @get("/associations/{feed:str}", operation_id="getAssociationFeed", media_type=ICAL, cache_control=None,
         **guarded(PUBLIC))
    async def association_feed(self, feed: str, request: Request[Any, Any, Any], queries: Queries, clock: Clock,
                               settings: Settings) -> Response[bytes]:
        """An association's private feed (`/feeds/associations/{token}.ics`): all its bookings, pending
        ones TENTATIVE, cancelled and rejected ones CANCELLED. The token is the credential."""
        if not feed.endswith(".ics") or len(feed) > 100:
            raise NotFound("Feed", "association")
        token_hash = feed_token_hash(feed.removesuffix(".ics"))
        association = await queries.association_by_feed_token(token_hash)
        if association is None:
            raise NotFound("Feed", "association")
        zone = await _zone_of(queries, association.municipality_id)
        d0, d1, start, end = feed_window(clock, zone)
        page = await queries.bookings(association.municipality_id, visible_associations=None, booked_by=None,
                                      space_id=None, association_id=association.id, status=None, starts_from=start,
                                      starts_to=end, limit=5000, offset=0)
        last = max((b.updated_at for b in page.items if b.updated_at), default=None)
        etag = _etag("association", association.id, token_hash, d0, d1, page.total, last)
        if _not_modified(request, etag):
            return _feed_response(None, etag, last, private=True)
        spaces = await queries.space_names({b.space_id for b in page.items})
        events = [_private_event(b, spaces.get(b.space_id), settings) for b in page.items]
        body = render_calendar(f"{association.name} – bokningar", events, zone)
        return _feed_response(body, etag, last, private=True)


def _window(clock: Clock) -> Callable[[ZoneInfo], FeedWindow]:
    return lambda zone: FeedWindow(*feed_window(clock, zone))


async def _public_feed(request: Request[Any, Any, Any], queries: Queries, settings: Settings, head: FeedHead,
                       identity: tuple[object, ...], *, site_id: UUID | None = None,
                       space_id: UUID | None = None) -> Response[bytes]:
    """A public feed: answered 304 from the head (a count and a max) when the caller has it, else rendered."""
    w = head.window
    etag = _etag(*identity, head.updated_at, head.zone.key, w.first, w.last, head.count, head.last_change)
    if _not_modified(request, etag):
        return _feed_response(None, etag, head.last_change, private=False)
    items = await queries.public_occurrences(site_id=site_id, space_id=space_id, starts_from=w.starts_from,
                                             starts_to=w.starts_to)
    body = render_calendar(f"{head.name} – bokningar", [_public_event(o, settings) for o in items], head.zone)
    return _feed_response(body, etag, head.last_change, private=False)


def _private_event(b: Booking, space_name: str | None, settings: Settings) -> FeedEvent:
    return FeedEvent(uid=uid_for(b.id, settings), starts_at=b.starts_at, ends_at=b.ends_at, summary=b.title,
                     status=_STATUS[b.status], sequence=b.sequence,
                     last_modified=b.updated_at or b.created_at or b.starts_at,
                     location=space_name, description=b.decision_reason)


HANDLERS: list[Any] = [PublicCalendarController, FeedController]
