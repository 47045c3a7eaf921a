"""Self-service sessions on the phone: a borrower signs in with card number and PIN and gets a short-lived
signed token (no account, no cookie; the page keeps it in sessionStorage and sends it as the
`X-Borrower-Token` header, so there is nothing for a cross-site request to ride on).

The token is `<payload>.<mac>`: payload = base64url(borrower id, card id, expiry), mac = HMAC-SHA256
over the payload *and the borrower's current PIN hash* with the server's secret key (256 bits).
Stateless, yet revocable: a new PIN invalidates every token, and each use re-reads the borrower and card,
so a blocked borrower, a blocked card or an anonymised borrower is refused at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from booking.domain.shared.errors import ValidationError

HEADER = "X-Borrower-Token"
LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Claims:
    borrower_id: UUID
    card_id: UUID
    expires_at: datetime


def _mac(secret: str, payload: str, pin_hash: str) -> str:
    digest = hmac.new(secret.encode(), b"borrower-session:" + payload.encode() + b":" + pin_hash.encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue(secret: str, borrower_id: UUID, card_id: UUID, pin_hash: str, now: datetime) -> tuple[str, datetime]:
    expires = (now + LIFETIME).astimezone(UTC).replace(microsecond=0)
    raw = borrower_id.bytes + card_id.bytes + int(expires.timestamp()).to_bytes(8, "big")
    payload = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return f"{payload}.{_mac(secret, payload, pin_hash)}", expires


def _refused(code: str = "invalid") -> ValidationError:
    message = "Your session has ended; sign in again with your card." if code == "expired" else \
        "Sign in with your card number and PIN."
    return ValidationError(HEADER, message, code)


def read(token: str | None, now: datetime) -> tuple[Claims, str]:
    """The claims of a well-formed, unexpired token, and its payload (to verify with `verify`)."""
    if not token or not token.strip():
        raise _refused("required")
    payload, _, _mac_part = token.strip().partition(".")
    if len(payload) > 100 or not _mac_part:
        raise _refused()
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (ValueError, TypeError) as exc:
        raise _refused() from exc
    if len(raw) != 40:
        raise _refused()
    expires = datetime.fromtimestamp(int.from_bytes(raw[32:], "big"), UTC)
    if expires <= now:
        raise _refused("expired")
    return Claims(UUID(bytes=raw[:16]), UUID(bytes=raw[16:32]), expires), payload


def verify(secret: str, token: str, payload: str, pin_hash: str | None) -> None:
    if pin_hash is None:
        raise _refused()
    mac = token.strip().partition(".")[2]
    if not hmac.compare_digest(mac, _mac(secret, payload, pin_hash)):
        raise _refused()
