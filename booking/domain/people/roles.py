"""Roles and the actor that carries them through a use case."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from booking.domain.shared.errors import Forbidden


class Role(StrEnum):
    ADMIN = "admin"  # municipality admin
    PREMISES_STAFF = "premises_staff"  # bokningshandläggare
    ACTIVITIES_STAFF = "activities_staff"  # fritidsledare (holiday activities)
    LENDING_STAFF = "lending_staff"  # Fritidsbanken desk; scope: a lending site
    ASSOCIATION_REP = "association_rep"  # föreningsföreträdare; scope: an association
    GUARDIAN = "guardian"  # vårdnadshavare
    BORROWER = "borrower"  # låntagare


STAFF_ROLES = frozenset({Role.PREMISES_STAFF, Role.ACTIVITIES_STAFF, Role.LENDING_STAFF})
# Roles whose grant names the thing it is for; the others apply municipality-wide
# (a staff grant may also be narrowed to one site: Actor.sites_for / acts_at / require_site).
SCOPED_ROLES = frozenset({Role.ASSOCIATION_REP})


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    scope_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: an authenticated account of one municipality and its grants."""

    account_id: UUID
    municipality_id: UUID
    grants: frozenset[Grant]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def has(self, *roles: Role) -> bool:
        return self.is_admin or bool(self.roles & set(roles))

    def represents(self, association_id: UUID) -> bool:
        return Grant(Role.ASSOCIATION_REP, association_id) in self.grants

    def sites_for(self, *roles: Role) -> frozenset[UUID] | None:
        """Where the actor may act in one of `roles`: None means every site of its municipality (an
        admin, or a grant of one of the roles not narrowed to a site); otherwise the sites its narrowed
        grants name (empty: none, the actor holds none of the roles)."""
        if self.is_admin:
            return None
        sites: set[UUID] = set()
        for grant in self.grants:
            if grant.role in roles:
                if grant.scope_id is None:
                    return None
                sites.add(grant.scope_id)
        return frozenset(sites)

    def acts_at(self, site_id: UUID | None, *roles: Role) -> bool:
        """True when one of the actor's grants of `roles` covers the site. A thing at no site (None) is
        covered only by a municipality-wide grant."""
        sites = self.sites_for(*roles)
        return sites is None or (site_id is not None and site_id in sites)

    def require_site(self, site_id: UUID | None, *roles: Role) -> None:
        """Refuse (403) a staff member whose grant is narrowed to other sites."""
        if not self.acts_at(site_id, *roles):
            raise Forbidden("Your role is limited to another site.")
