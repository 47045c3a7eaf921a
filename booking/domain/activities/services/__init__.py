"""Use cases of holiday activities, one module per concern:

- `periods`: holiday periods (lov);
- `activities`: creating, editing, publishing, sending back and cancelling activities;
- `sessions`: adding, resizing, cancelling and moving sessions;
- `sign_ups`: sign-ups with the waiting list, cancellation with promotion, the private feed token;
- `attendance`: check-in, attendance lists, drop-in visitors;
- `follow_up`: reminders and retention;
- the wish phase and draw of a period (`draw_settings`, `draw_wishes`, `draw_overview`, `draw_run`,
  `draw_publish`, with `draw_loading`, `draw_inputs` and `draw_preview`);
- and their helpers: `access` (loading what an actor may act on), `notices` (audit and messages),
  `rooms` (the premises bookings of sessions), `links` (tokens and links in messages).

The rules themselves live in the model (`ActivitySession.admit/withdraw/resize`, `Activity.publish`)
and in `sign_up_rules`; a service loads, asks them, stores and tells.
"""

from __future__ import annotations

from booking.domain.activities.scope import is_staff
from booking.domain.activities.services import (
    draw_overview,
    draw_publish,
    draw_run,
    draw_settings,
    draw_wishes,
)
from booking.domain.activities.services.activities import (
    EDITABLE,
    ActivityDraft,
    cancel_activity,
    create_activity,
    publish_activity,
    send_back_activity,
    update_activity,
)
from booking.domain.activities.services.attendance import check_in, mark_attendance, record_visitors, ticket_code_of
from booking.domain.activities.services.follow_up import (
    REMIND_FROM_HOUR,
    anonymise_old_registrations,
    send_reminders,
)
from booking.domain.activities.services.links import Links, new_token, token_hash
from booking.domain.activities.services.periods import delete_period, generate_periods, set_period
from booking.domain.activities.services.sessions import (
    MoveSession,
    NewSessions,
    SessionsOutcome,
    add_sessions,
    cancel_session,
    change_capacity,
    move_session,
)
from booking.domain.activities.services.sign_ups import (
    SignedUp,
    SignUp,
    cancel_registration,
    rotate_feed_token,
    sign_up,
)
from booking.domain.activities.sign_up_rules import MAX_CHILDREN, Child

__all__ = [
    "EDITABLE", "MAX_CHILDREN", "REMIND_FROM_HOUR", "ActivityDraft", "Child", "Links", "MoveSession", "NewSessions",
    "SessionsOutcome", "SignUp", "SignedUp", "add_sessions", "anonymise_old_registrations", "cancel_activity",
    "cancel_registration", "cancel_session", "change_capacity", "check_in", "create_activity", "delete_period",
    "draw_overview", "draw_publish", "draw_run", "draw_settings", "draw_wishes",
    "generate_periods", "is_staff", "mark_attendance", "move_session", "new_token", "publish_activity",
    "record_visitors", "rotate_feed_token", "send_back_activity", "send_reminders", "set_period", "sign_up",
    "ticket_code_of", "token_hash", "update_activity",
]
