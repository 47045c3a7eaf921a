"""Inviting a person: an account with roles and no password, and an e-mail with a link to choose one.

Who may invite with which roles (`check_may_grant`): an admin gives any role; a staff member gives
only a staff role they hold themselves, and only as far as it reaches: a grant narrowed to a site
invites to that site only, never municipality-wide or to another site. The scopes are checked like
an admin's grants (`services._check_grants`: a site or association of the same municipality).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from booking.domain.people.link_messages import invitation_message, set_password_link
from booking.domain.people.links import LinkKind, OneTimeLink
from booking.domain.people.model import Account
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.people.roles import STAFF_ROLES, Actor, Grant
from booking.domain.people.services import _check_grants
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, Forbidden
from booking.domain.shared.tenancy import of_municipality


@dataclass(frozen=True)
class Invite:
    email: str
    display_name: str
    locale: str = "sv"
    grants: tuple[Grant, ...] = ()


def check_may_grant(actor: Actor, grants: Sequence[Grant]) -> None:
    """Refuse (403) a grant the actor may not give: see the module's docstring."""
    if actor.is_admin:
        return
    for grant in grants:
        if grant.role not in STAFF_ROLES:
            raise Forbidden(f"Only a municipality admin gives the role {grant.role}.")
        if not actor.acts_at(grant.scope_id, grant.role):
            raise Forbidden("You can only invite to your own role, at the sites your role covers.")


async def invite(cmd: Invite, uow: PeopleUnitOfWork, actor: Actor, clock: Clock, base_url: str) -> Account:
    """An account of the actor's municipality with the roles given and no password, and the e-mail
    with its invitation link (7 days, used once). An address that has an account is a conflict."""
    check_may_grant(actor, cmd.grants)
    async with uow:
        municipality = of_municipality(await uow.municipalities.get(actor.municipality_id), actor.municipality_id,
                                       "municipality", actor.municipality_id)
        account = Account(municipality_id=actor.municipality_id, email=cmd.email, display_name=cmd.display_name,
                          locale=cmd.locale)
        if await uow.accounts.by_email(account.email) is not None:
            raise Conflict("An account with this e-mail address already exists.", [{"field": "email"}])
        await _check_grants(uow, actor.municipality_id, cmd.grants)
        account.set_grants(list(cmd.grants))
        add_invited(account, municipality.name, actor.account_id, uow, clock, base_url)
        await uow.commit()
        return account


def add_invited(account: Account, municipality_name: str, by: UUID | None, uow: PeopleUnitOfWork, clock: Clock,
                base_url: str) -> None:
    """In the caller's transaction: the invited account (no password), its one-time link (7 days, used
    once), the audit entry (`by` the inviting account; None for the installation's operator) and the
    e-mail with the link."""
    uow.accounts.add(account)
    link, token = OneTimeLink.issue(account.municipality_id, account.id, LinkKind.INVITE, clock.now())
    uow.links.add(link)
    uow.audit(AuditEntry(account.municipality_id, by, "account.invited", "account", account.id,
                         {"roles": account.grant_labels()}))
    uow.notify(invitation_message(account, municipality_name, set_password_link(base_url, token)))
