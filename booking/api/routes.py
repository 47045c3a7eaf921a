"""Every API route of the app, one list per context: add a controller to its context's HANDLERS."""

from __future__ import annotations

from typing import Any

from booking.api.controllers import (
    activities,
    activities_feeds,
    activities_follow_up,
    activities_registrations,
    activities_sessions,
    allocation,
    auth,
    booking_occasions,
    bookings,
    check_in_link,
    circulation,
    feeds,
    lending,
    municipalities,
    people,
    places,
    premises_calendars,
    premises_fees,
)

API_HANDLERS: list[Any] = [
    *auth.HANDLERS,
    *municipalities.HANDLERS,
    *places.HANDLERS,
    *people.HANDLERS,
    *bookings.HANDLERS,
    *premises_calendars.HANDLERS,
    *booking_occasions.HANDLERS,
    *premises_fees.HANDLERS,
    *feeds.HANDLERS,
    *allocation.HANDLERS,
    *lending.HANDLERS,
    *circulation.HANDLERS,
    *activities.HANDLERS,
    *activities_sessions.HANDLERS,
    *activities_registrations.HANDLERS,
    *activities_feeds.HANDLERS,
    *activities_follow_up.HANDLERS,
    *check_in_link.HANDLERS,
]
