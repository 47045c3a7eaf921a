"""What people are told about their bookings, in their language (Swedish by default)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from booking.domain.premises.bookings import Booking

_TEXT: dict[str, dict[str, Any]] = {
    "sv": {
        "booking.requested": ("Vi har tagit emot din bokningsförfrågan: {title}",
                              "Din förfrågan om {space} är mottagen och väntar på beslut.\n\n{times}"),
        "booking.requested_approved": ("Bokning bekräftad: {title}", "Din bokning av {space} är bekräftad.\n\n{times}"),
        "booking.approved": ("Bokning godkänd: {title}", "Din bokning av {space} är godkänd.\n\n{times}"),
        "booking.rejected": ("Bokning avslagen: {title}",
                             "Din förfrågan om {space} har avslagits.\nSkäl: {reason}\n\n{times}"),
        "booking.cancelled": ("Bokning avbokad: {title}", "Följande tider i {space} är avbokade.\n\n{times}"),
        "booking.moved": ("Bokning ändrad: {title}", "Din bokning av {space} har flyttats till:\n\n{times}"),
        "booking.move_requested": ("Ändring väntar på beslut: {title}",
                                   "Du har bett att få flytta bokningen till {space}:\n\n{times}\n\n"
                                   "Ändringen väntar på beslut. Tills dess gäller den bokade tiden."),
        "booking.move_approved": ("Ändring godkänd: {title}",
                                  "Din bokning är flyttad. Den nya tiden i {space}:\n\n{times}"),
        "booking.move_refused": ("Ändring avslagen: {title}",
                                 "Din begäran om att flytta bokningen har avslagits.\nSkäl: {reason}\n\n"
                                 "Bokningen i {space} gäller som förut:\n\n{times}"),
        "more": "... och {n} tillfällen till",
    },
    "en": {
        "booking.requested": ("We have received your booking request: {title}",
                              "Your request for {space} is received and awaits a decision.\n\n{times}"),
        "booking.requested_approved": ("Booking confirmed: {title}",
                                       "Your booking of {space} is confirmed.\n\n{times}"),
        "booking.approved": ("Booking approved: {title}", "Your booking of {space} is approved.\n\n{times}"),
        "booking.rejected": ("Booking rejected: {title}",
                             "Your request for {space} was rejected.\nReason: {reason}\n\n{times}"),
        "booking.cancelled": ("Booking cancelled: {title}", "These times in {space} are cancelled.\n\n{times}"),
        "booking.moved": ("Booking changed: {title}", "Your booking of {space} has moved to:\n\n{times}"),
        "booking.move_requested": ("Change awaiting a decision: {title}",
                                   "You asked to move the booking to {space}:\n\n{times}\n\n"
                                   "The change awaits a decision. Until then the booked time stands."),
        "booking.move_approved": ("Change approved: {title}",
                                  "Your booking has moved. The new time in {space}:\n\n{times}"),
        "booking.move_refused": ("Change refused: {title}",
                                 "Your request to move the booking was refused.\nReason: {reason}\n\n"
                                 "The booking in {space} stands as before:\n\n{times}"),
        "more": "... and {n} more",
    },
}
SHOWN = 12


def render(kind: str, locale: str, bookings: Sequence[Booking], space_name: str, zone: ZoneInfo,
           reason: str | None = None, proposed: bool = False) -> tuple[str, str]:
    """The subject and body; `proposed`: the times a waiting change asks for instead of the booked ones."""
    text = _TEXT.get(locale, _TEXT["sv"])
    spans = sorted(((b.proposed_span if proposed and b.proposed_span else b.span) for b in bookings),
                   key=lambda s: s.start)
    ordered = sorted(bookings, key=lambda b: b.starts_at)
    lines = [f"{s.start.astimezone(zone):%Y-%m-%d %H:%M}-{s.end.astimezone(zone):%H:%M}" for s in spans[:SHOWN]]
    if len(ordered) > SHOWN:
        lines.append(str(text["more"]).format(n=len(ordered) - SHOWN))
    subject, body = text[kind]
    values = {"title": ordered[0].title if ordered else "", "space": space_name, "times": "\n".join(lines),
              "reason": reason or "-"}
    return subject.format(**values), body.format(**values)
