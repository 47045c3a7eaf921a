"""Accounts (admin) and associations (representatives and staff)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED

from booking.adapters.db.queries import Queries
from booking.adapters.db.uow import SqlUnitOfWork
from booking.api.access import ADMIN_ONLY, SIGNED_IN, guarded, roles
from booking.api.controllers.params import LimitQ, OffsetQ, SearchQ, given
from booking.api.schemas import people as s
from booking.domain.people import associations
from booking.domain.people import model as pm
from booking.domain.people import services as people
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.fees import TariffCategory
from booking.domain.shared.clock import Clock
from booking.domain.shared.ports import PasswordHasher

STAFF = roles(Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF)


def to_account(a: pm.Account) -> s.Account:
    return s.Account(
        id=a.id, municipality_id=a.municipality_id, email=a.email, display_name=a.display_name, locale=a.locale,
        is_active=a.is_active, roles=[s.RoleGrant(role=g.role, scope_id=g.scope_id) for g in a.grants],
        last_login_at=a.last_login_at, created_at=a.created_at, updated_at=a.updated_at,  # type: ignore[arg-type]
    )


def to_association(a: pm.Association) -> s.Association:
    return s.Association(
        id=a.id, municipality_id=a.municipality_id, name=a.name, org_number=a.org_number, category=a.category,
        area_id=a.area_id, is_local=a.is_local, public_name=a.public_name, verified=a.is_verified,
        verified_at=a.verified_at,
        tariff_category=TariffCategory(a.tariff_category) if a.tariff_category else None,
        contacts=[s.ContactPerson(name=c.name, email=c.email, phone=c.phone, role=c.role) for c in a.contacts],
        created_at=a.created_at, updated_at=a.updated_at,  # type: ignore[arg-type]
    )


def _contacts(items: list[s.ContactPerson]) -> tuple[dict[str, Any], ...]:
    return tuple(msgspec.structs.asdict(c) for c in items)


class AccountController(Controller):
    path = "/api/accounts"
    tags = ["accounts"]

    @get("/", operation_id="listAccounts", **guarded(ADMIN_ONLY))
    async def list_accounts(
        self, queries: Queries, actor: Actor,
        role: Annotated[Role | None, Parameter(query="role")] = None,
        q: SearchQ = None,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.AccountPage:
        """Accounts of the admin's municipality."""
        page = await queries.accounts(actor.municipality_id, role=role, q=q, limit=limit, offset=offset)
        return s.AccountPage([to_account(a) for a in page.items], page.total, limit, offset)

    @get("/{account_id:uuid}", operation_id="getAccount", **guarded(ADMIN_ONLY))
    async def get_account(self, account_id: UUID, read_uow: SqlUnitOfWork, actor: Actor) -> s.Account:
        return to_account(await people.get_account(account_id, read_uow, actor))

    @post("/", operation_id="createAccount", status_code=HTTP_201_CREATED, **guarded(ADMIN_ONLY, idempotent=True))
    async def create_account(self, data: s.AccountCreate, uow: SqlUnitOfWork, actor: Actor,
                             hasher: PasswordHasher) -> Response[s.Account]:
        """Creates an account with roles (staff, representatives, ...)."""
        account = await people.create_account(people.CreateAccount(
            email=data.email, display_name=data.display_name, password=data.password, locale=data.locale,
            grants=tuple(Grant(g.role, g.scope_id) for g in data.roles),
        ), uow, hasher, actor.municipality_id, actor)
        return Response(to_account(account), status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/accounts/{account.id}"})

    @patch("/{account_id:uuid}", operation_id="updateAccount", **guarded(ADMIN_ONLY))
    async def update_account(self, account_id: UUID, data: s.AccountUpdate, uow: SqlUnitOfWork,
                             actor: Actor) -> s.Account:
        """Changes name, language, active flag or roles (roles replace the old set)."""
        changes = given(data, "display_name", "locale", "is_active")
        if data.roles is not msgspec.UNSET:
            changes["grants"] = [Grant(g.role, g.scope_id) for g in data.roles]
        return to_account(await people.update_account(people.UpdateAccount(account_id, changes), uow, actor))


class AssociationController(Controller):
    path = "/api/associations"
    tags = ["associations"]

    @get("/", operation_id="listAssociations", **guarded(SIGNED_IN))
    async def list_associations(
        self, queries: Queries, actor: Actor,
        verified: Annotated[bool | None, Parameter(query="verified")] = None,
        q: SearchQ = None,
        limit: LimitQ = 50, offset: OffsetQ = 0,
    ) -> s.AssociationPage:
        """Staff see every association of their municipality; a representative sees their own."""
        page = await queries.associations(actor.municipality_id, only_ids=pm.associations_visible_to(actor),
                                          verified=verified, q=q, limit=limit, offset=offset)
        return s.AssociationPage([to_association(a) for a in page.items], page.total, limit, offset)

    @get("/{association_id:uuid}", operation_id="getAssociation", **guarded(SIGNED_IN))
    async def get_association(self, association_id: UUID, read_uow: SqlUnitOfWork, actor: Actor) -> s.Association:
        return to_association(await associations.get_association(association_id, read_uow, actor))

    @post("/", operation_id="registerAssociation", status_code=HTTP_201_CREATED,
          **guarded(SIGNED_IN, idempotent=True))
    async def register_association(self, data: s.AssociationCreate, uow: SqlUnitOfWork,
                                   actor: Actor) -> Response[s.Association]:
        """Registers an association (förening); the caller becomes its representative. Staff verify it."""
        association = await associations.register_association(associations.RegisterAssociation(
            name=data.name, org_number=data.org_number, category=data.category, area_id=data.area_id,
            is_local=data.is_local, public_name=data.public_name, contacts=_contacts(data.contacts),
        ), uow, actor)
        return Response(to_association(association), status_code=HTTP_201_CREATED,
                        headers={"Location": f"/api/associations/{association.id}"})

    @patch("/{association_id:uuid}", operation_id="updateAssociation", **guarded(SIGNED_IN))
    async def update_association(self, association_id: UUID, data: s.AssociationUpdate, uow: SqlUnitOfWork,
                                 actor: Actor) -> s.Association:
        """Its representatives and staff change it; a new organisationsnummer needs verifying again."""
        changes = given(data, "name", "org_number", "category", "area_id", "is_local", "public_name",
                        "tariff_category")
        if data.contacts is not msgspec.UNSET:
            changes["contacts"] = _contacts(data.contacts)
        return to_association(await associations.update_association(
            associations.UpdateAssociation(association_id, changes), uow, actor))

    @post("/{association_id:uuid}/verification", operation_id="verifyAssociation", status_code=200,
          **guarded(roles(Role.PREMISES_STAFF)))
    async def verify_association(self, association_id: UUID, data: s.Verification, uow: SqlUnitOfWork,
                                 actor: Actor, clock: Clock) -> s.Association:
        """Staff mark an association verified (or not) after checking its papers."""
        verified = await associations.verify_association(association_id, data.verified, uow, actor, clock)
        return to_association(verified)


HANDLERS: list[Any] = [AccountController, AssociationController]
