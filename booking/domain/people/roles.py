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
# (a staff grant may also be narrowed to one site).
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

    def require_tenant(self, municipality_id: UUID) -> None:
        """Objects of another municipality are invisible: callers answer 404, not 403."""
        if municipality_id != self.municipality_id:
            raise Forbidden("This belongs to another municipality.")
