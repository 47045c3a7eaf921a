"""The booking use cases other contexts call (activities reserve, move and free rooms through
these), in one place. Each lives in a module of its own:

- booking_requests: request a booking, once or weekly (series: the dates a rule gives)
- approval: staff approve or reject pending requests
- changes: move a booking (an association's move of an approved booking waits for staff)
- cancellation: cancel one occurrence, this and the following, or a whole series
- calendar_services: opening hours, the day plan, closed periods and days, prices
- free_slots: the free-slot search; occasions: access, check-in, no-shows, attendance
"""

from __future__ import annotations

from booking.domain.premises.approval import decide, series_booking_ids
from booking.domain.premises.booking_common import space_buffer
from booking.domain.premises.booking_requests import RequestBooking, request_booking
from booking.domain.premises.calendar_services import (
    CloseTime,
    availability_plan,
    close_time,
    override_holiday,
    set_opening_hours,
)
from booking.domain.premises.cancellation import CancelScope, cancel_booking
from booking.domain.premises.changes import MoveBooking, move_booking
from booking.domain.premises.request_rules import Outcome
from booking.domain.premises.series import Recurrence

__all__ = [
    "CancelScope", "CloseTime", "MoveBooking", "Outcome", "Recurrence", "RequestBooking", "availability_plan",
    "cancel_booking", "close_time", "decide", "move_booking", "override_holiday", "request_booking",
    "series_booking_ids", "set_opening_hours", "space_buffer",
]
