"""Public calendars of sites and spaces (what the public feeds show, as JSON)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from msgspec import Struct


class PublicOccurrence(Struct):
    id: UUID
    uid: str
    space_id: UUID
    space_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str  # confirmed | cancelled
    label: str  # "Bokad", or the association's name when it chose to be shown
    sequence: int


class PublicCalendar(Struct):
    """Approved bookings (and cancelled ones that were approved) between `from` and `to`."""

    first: dt.date
    last: dt.date
    timezone: str
    items: list[PublicOccurrence]


class FeedLink(Struct):
    url: str
