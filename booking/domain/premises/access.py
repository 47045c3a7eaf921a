"""Getting in: a door code valid for the booked time (with a margin), or key pick-up text, shown
only to the association that booked; and a check-in code for the door, as a QR code.

Codes are derived from the booking with a keyed hash (HMAC), so they need no storage, cannot be
guessed from the booking id, and change when the secret key changes."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from booking.domain.premises.bookings import ACCESS_MARGIN, Booking


@dataclass(frozen=True)
class Access:
    mode: str
    instructions: str | None
    door_code: str | None
    valid_from: datetime
    valid_to: datetime
    check_in_code: str


def _digest(secret: str, purpose: str, booking_id: UUID) -> bytes:
    return hmac.new(secret.encode(), f"{purpose}:{booking_id}".encode(), hashlib.sha256).digest()


def door_code(secret: str, booking_id: UUID) -> str:
    return f"{int.from_bytes(_digest(secret, 'door', booking_id)[:8], 'big') % 1_000_000:06d}"


def check_in_code(secret: str, booking_id: UUID) -> str:
    """`{booking_id}.{16 hex}`: the booking and a 64-bit proof that the code was issued by us."""
    return f"{booking_id.hex}.{_digest(secret, 'check-in', booking_id)[:8].hex()}"


def booking_of_check_in_code(secret: str, code: str) -> UUID | None:
    ident, _, proof = code.strip().partition(".")
    try:
        booking_id = UUID(hex=ident)
    except ValueError:
        return None
    expected = check_in_code(secret, booking_id).partition(".")[2]
    return booking_id if hmac.compare_digest(expected, proof.lower()) else None


def access_for(booking: Booking, mode: str, instructions: str | None, secret: str) -> Access:
    return Access(mode=mode, instructions=instructions,
                  door_code=door_code(secret, booking.id) if mode == "door_code" else None,
                  valid_from=booking.starts_at - ACCESS_MARGIN, valid_to=booking.ends_at + ACCESS_MARGIN,
                  check_in_code=check_in_code(secret, booking.id))
