"""One-time links: an invitation to set a first password, or a reset of a forgotten one.

A link carries a random token (256 bits) that is shown once, in the e-mail; only its SHA-256 is
stored, so a copy of the database opens no account. A link is used once and expires (an
invitation after 7 days, a reset after 1 hour); a used, expired or unknown link is refused
naming `token`, and using one ends every other open link of the account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from booking.domain.shared.errors import ValidationError
from booking.domain.shared.ids import new_id

TOKEN_BYTES = 32
MAX_TOKEN = 200  # longer than any token we make; longer input is refused before it is hashed


class LinkKind(StrEnum):
    INVITE = "invite"
    RESET = "reset"


LIFETIMES = {LinkKind.INVITE: timedelta(days=7), LinkKind.RESET: timedelta(hours=1)}


def link_token_hash(token: str) -> str:
    """What is stored of a link's token, and what a presented token is looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_token(token: str) -> str:
    """A presented token, refused (naming `token`) when it cannot be one of ours."""
    token = token.strip()
    if not token or len(token) > MAX_TOKEN or not token.isascii() or not token.isprintable():
        raise ValidationError("token", "This link is not valid; ask for a new one.", "unknown")
    return token


@dataclass(eq=False)
class OneTimeLink:
    municipality_id: UUID
    account_id: UUID
    kind: LinkKind
    token_hash: str
    expires_at: datetime
    used_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def issue(cls, municipality_id: UUID, account_id: UUID, kind: LinkKind, now: datetime) -> tuple[OneTimeLink, str]:
        """A new link and its token (returned once, for the e-mail)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        link = cls(municipality_id, account_id, LinkKind(kind), link_token_hash(token), now + LIFETIMES[kind])
        return link, token

    def is_open(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at

    def use(self, now: datetime) -> None:
        """Spend the link; a used or expired one is refused naming `token`."""
        if self.used_at is not None:
            raise ValidationError("token", "This link has already been used; ask for a new one.", "used")
        if now >= self.expires_at:
            raise ValidationError("token", "This link has expired; ask for a new one.", "expired")
        self.used_at = now

    def close(self, now: datetime) -> None:
        """End an open link unused (another link of the account was used)."""
        if self.used_at is None:
            self.used_at = now


def unknown_link() -> ValidationError:
    return ValidationError("token", "This link is not valid; ask for a new one.", "unknown")
