"""What OpenID Connect sign-in needs from storage and from the identity provider (ports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.people.sign_in_config import SignInConfig


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the provider says signed in: its verified id_token's claims that matter here."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    values: tuple[str, ...]  # the values of the configured claim (groups, roles)


class SignInConfigs(Protocol):
    """The municipalities' sign-in settings and the accounts' links to the provider's subjects."""

    async def get(self, municipality_id: UUID) -> SignInConfig | None: ...

    async def save(self, config: SignInConfig) -> None: ...

    async def account_for(self, issuer: str, subject: str) -> UUID | None:
        """The account first signed in as this subject of this issuer."""
        ...

    async def link(self, municipality_id: UUID, issuer: str, subject: str, account_id: UUID) -> None: ...


class SignInUnitOfWork(PeopleUnitOfWork, Protocol):
    """The people's unit of work with the sign-in settings and subject links in the same transaction."""

    @property
    def sign_in_configs(self) -> SignInConfigs: ...


class IdentityProvider(Protocol):
    """The OpenID Connect protocol (authorization code flow with PKCE): the adapter speaks it."""

    async def authorization_url(self, config: SignInConfig, *, redirect_uri: str, state: str, nonce: str,
                                code_challenge: str) -> str: ...

    async def identify(self, config: SignInConfig, *, code: str, redirect_uri: str, code_verifier: str,
                       nonce: str, now: datetime) -> Identity:
        """Exchange the code and verify the id_token; raise SignInRefused when anything is wrong."""
        ...
