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
    circulation_calendar,
    circulation_self_service,
    feeds,
    lending,
    lending_borrowers,
    lending_intake,
    lending_items,
    lending_labels,
    lending_stats,
    people,
    places,
)

API_HANDLERS: list[Any] = [
    *auth.HANDLERS,
    *places.HANDLERS,
    *people.HANDLERS,
    *bookings.HANDLERS,
    *feeds.HANDLERS,
    *allocation.HANDLERS,
    *lending.HANDLERS,
    *lending_items.HANDLERS,
    *lending_labels.HANDLERS,
    *lending_borrowers.HANDLERS,
    *lending_intake.HANDLERS,
    *lending_stats.HANDLERS,
    *circulation.HANDLERS,
    *circulation_calendar.HANDLERS,
    *circulation_self_service.HANDLERS,
    *activities.HANDLERS,
    *check_in_link.HANDLERS,
]
