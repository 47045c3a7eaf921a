"""A new municipality and its first administrator, invited by e-mail: what an installation's operator
does through `POST /api/municipalities` (no municipality's actor may; the route checks the operator key).

The municipality is built by the one service that builds one (`municipalities.services.add_municipality`,
which `booking admin create` uses too); the administrator gets an account with the admin role and no
password, and the invitation e-mail with its one-time link (`invitations.add_invited`, as staff invite),
all in one transaction: a taken slug or e-mail address leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass, replace

from booking.domain.municipalities.model import Municipality
from booking.domain.municipalities.services import CreateMunicipality, add_municipality
from booking.domain.people.invitations import add_invited
from booking.domain.people.model import Account
from booking.domain.people.ports import PeopleUnitOfWork
from booking.domain.people.roles import Grant, Role
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.clock import Clock
from booking.domain.shared.errors import Conflict, ValidationError


@dataclass(frozen=True)
class FirstAdmin:
    email: str
    display_name: str
    locale: str = "sv"


@dataclass(frozen=True)
class Founded:
    municipality: Municipality
    admin: Account


def _admin_account(municipality: Municipality, admin: FirstAdmin) -> Account:
    """The administrator's account; a fault names the request's field (`admin_email`, ...)."""
    try:
        return Account(municipality_id=municipality.id, email=admin.email, display_name=admin.display_name,
                       locale=admin.locale)
    except ValidationError as exc:
        raise ValidationError.many([replace(p, field=f"admin_{p.field}") for p in exc.problems]) from exc


async def found_municipality(cmd: CreateMunicipality, admin: FirstAdmin, uow: PeopleUnitOfWork, clock: Clock,
                             base_url: str) -> Founded:
    """The municipality, its administrator's account (admin role, no password) and the invitation in the
    outbox. The audit entries name no actor: the operator is no account of any municipality."""
    async with uow:
        municipality = await add_municipality(cmd, uow)
        account = _admin_account(municipality, admin)
        if await uow.accounts.by_email(account.email) is not None:
            raise Conflict("An account with this e-mail address already exists.", [{"field": "admin_email"}])
        account.set_grants([Grant(Role.ADMIN)])
        uow.audit(AuditEntry(municipality.id, None, "municipality.created", "municipality", municipality.id,
                             {"slug": municipality.slug, "by": "operator"}))
        add_invited(account, municipality.name, None, uow, clock, base_url)
        await uow.commit()
        return Founded(municipality, account)
