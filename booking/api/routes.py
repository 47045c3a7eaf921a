"""Every API route of the app, one list per context: add a controller to its context's HANDLERS."""

from __future__ import annotations

from typing import Any

from booking.api.controllers import (
    activities,
    allocation,
    auth,
    bookings,
    check_in_link,
    circulation,
    feeds,
    lending,
    municipalities,
    people,
    places,
)

API_HANDLERS: list[Any] = [
    *auth.HANDLERS,
    *municipalities.HANDLERS,
    *places.HANDLERS,
    *people.HANDLERS,
    *bookings.HANDLERS,
    *feeds.HANDLERS,
    *allocation.HANDLERS,
    *lending.HANDLERS,
    *circulation.HANDLERS,
    *activities.HANDLERS,
    *check_in_link.HANDLERS,
]
