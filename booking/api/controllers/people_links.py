"""Invitations (staff invite a person with roles) and passwords chosen through a one-time link:
the first one of an invited person, or a new one after "forgot your password"."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, post
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import PUBLIC, guarded, roles
from booking.api.controllers.people import to_account
from booking.api.schemas import people as sp
from booking.api.schemas import people_links as s
from booking.api.sign_in_throttle import count_password_reset
from booking.config import Settings
from booking.domain.people import invitations, password_reset
from booking.domain.people.roles import STAFF_ROLES, Actor, Grant
from booking.domain.shared.clock import Clock
from booking.domain.shared.ports import PasswordHasher

RESET_ACCEPTED = ("If the address has an account, a link to choose a new password is on its way; it is valid "
                  "for one hour.")


class InvitationController(Controller):
    path = "/api/accounts/invitations"
    tags = ["accounts"]

    @post("/", operation_id="inviteAccount", status_code=HTTP_201_CREATED,
          **guarded(roles(*STAFF_ROLES), idempotent=True))
    async def invite(self, data: s.Invitation, uow: SqlUnitOfWork, actor: Actor, clock: Clock,
                     settings: Settings) -> Response[sp.Account]:
        """Invites a person by e-mail: an account with these roles and no password, and an e-mail with a
        link (7 days, used once) to choose one. Admins give any role; a staff member gives only a staff role
        they hold, and only at the sites it covers (a grant narrowed to a site invites to that site)."""
        account = await invitations.invite(invitations.Invite(
            email=data.email, display_name=data.display_name, locale=data.locale,
            grants=tuple(Grant(g.role, g.scope_id) for g in data.roles),
        ), uow, actor, clock, settings.base_url)
        return Response(to_account(account), status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/accounts/{account.id}"})


class PasswordController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/password-reset", operation_id="requestPasswordReset", status_code=HTTP_202_ACCEPTED,
          **guarded(PUBLIC, problems=(429,)))
    async def request_reset(self, data: s.PasswordResetRequest, uow: SqlUnitOfWork, auth_store: AuthStore,
                            clock: Clock, settings: Settings) -> Response[s.PasswordResetAccepted]:
        """Asks for a link to choose a new password. The answer is the same whether or not the address
        has an account (only an account's own mailbox learns that it exists); an address can ask a few
        times per window."""
        attempt = await count_password_reset(settings, auth_store, data.email, clock)
        try:
            await password_reset.request_reset(data.email, uow, clock, settings.base_url)
        except BaseException:
            await auth_store.forget(attempt)  # refused input is no request
            raise
        return Response(s.PasswordResetAccepted(RESET_ACCEPTED), status_code=HTTP_202_ACCEPTED,
                        headers={"Cache-Control": "no-store"})

    @post("/password", operation_id="setPassword", status_code=HTTP_204_NO_CONTENT, **guarded(PUBLIC))
    async def set_password(self, data: s.PasswordSet, uow: SqlUnitOfWork, hasher: PasswordHasher,
                           auth_store: AuthStore, clock: Clock) -> Response[None]:
        """Chooses a password through the link of an invitation or a reset (its token, used once). Signs
        nothing in (sign in afterwards); every session of the account ends."""
        account = await password_reset.set_password(data.token, data.password, uow, hasher, clock)
        await auth_store.revoke_all(account.id, clock.now())
        return Response(None, status_code=HTTP_204_NO_CONTENT)


HANDLERS: list[Any] = [InvitationController, PasswordController]
