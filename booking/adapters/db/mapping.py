"""Imperative mapping of the domain classes onto the tables: the domain never imports the ORM."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import registry, relationship

from booking.adapters.db import (
    mapping_activities,
    mapping_allocation,
    mapping_circulation,
    mapping_draw,
    mapping_lending,
    mapping_people,
    schema,
)
from booking.adapters.db import tables as t
from booking.adapters.db.tables_draw import postcode_areas
from booking.domain.municipalities.model import Area, Municipality, PostcodeArea
from booking.domain.people.model import Account, Association, ContactPerson, RoleGrant
from booking.domain.premises.attendance import Attendance
from booking.domain.premises.bookings import Booking, BookingSeries
from booking.domain.premises.model import Site, Space
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.notifications import Message

mapper_registry = registry(metadata=schema.metadata)
_mapped = False


def _ref(target: type) -> Any:
    """A many-to-one the domain never uses: it only tells the unit of work to insert the
    referenced row first (foreign-key order). Loading it raises, so it cannot cost a query."""
    return relationship(target, lazy="raise", viewonly=False)


def start_mappers() -> None:
    global _mapped
    if _mapped:
        return
    _mapped = True
    mapper_registry.map_imperatively(Municipality, t.municipalities)
    mapper_registry.map_imperatively(Area, t.areas, properties={"_municipality": _ref(Municipality)})
    mapper_registry.map_imperatively(PostcodeArea, postcode_areas, properties={
        "_municipality": _ref(Municipality), "_area": _ref(Area)})
    mapper_registry.map_imperatively(Site, t.sites, properties={
        "_municipality": _ref(Municipality), "_area": _ref(Area)})
    mapper_registry.map_imperatively(Space, t.spaces, properties={
        "_municipality": _ref(Municipality), "_site": _ref(Site)})
    mapper_registry.map_imperatively(RoleGrant, t.role_grants)
    mapper_registry.map_imperatively(
        Account, t.accounts,
        properties={
            "_municipality": _ref(Municipality),
            "grants": relationship(RoleGrant, lazy="selectin", cascade="all, delete-orphan",
                                   order_by=t.role_grants.c.created_at),
        },
    )
    mapper_registry.map_imperatively(ContactPerson, t.association_contacts)
    mapper_registry.map_imperatively(
        Association, t.associations,
        properties={
            "_municipality": _ref(Municipality),
            "_area": _ref(Area),
            "_verifier": _ref(Account),
            "contacts": relationship(ContactPerson, lazy="selectin", cascade="all, delete-orphan",
                                     order_by=t.association_contacts.c.name),
        },
    )
    mapper_registry.map_imperatively(AuditEntry, t.audit_log)
    mapper_registry.map_imperatively(Message, t.outbox)
    for part in (mapping_allocation, mapping_lending, mapping_circulation, mapping_activities, mapping_people,
                 mapping_draw):
        part.map_all(mapper_registry, _ref)
    mapper_registry.map_imperatively(Attendance, t.attendance, properties={
        "_municipality": _ref(Municipality), "_booking": _ref(Booking),
        "_recorder": relationship(Account, lazy="raise", foreign_keys=[t.attendance.c.recorded_by])})
    mapper_registry.map_imperatively(BookingSeries, t.booking_series, properties={
        "_municipality": _ref(Municipality), "_space": _ref(Space)})
    mapper_registry.map_imperatively(Booking, t.bookings, properties={
        "_municipality": _ref(Municipality), "_series": _ref(BookingSeries), "_association": _ref(Association),
        "_space": relationship(Space, lazy="raise", foreign_keys=[t.bookings.c.space_id]),
        "_booker": relationship(Account, lazy="raise", foreign_keys=[t.bookings.c.booked_by]),
        "_decider": relationship(Account, lazy="raise", foreign_keys=[t.bookings.c.decided_by]),
    })
