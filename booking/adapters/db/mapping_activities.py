"""Imperative mapping of holiday activities (lovaktiviteter)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import registry

from booking.adapters.db import tables_activities as t
from booking.domain.activities.lov import HolidayPeriod
from booking.domain.activities.model import Activity, ActivitySession, Registration
from booking.domain.municipalities.model import Municipality


def map_all(mapper_registry: registry, ref: Callable[[type], Any]) -> None:
    """Called once from `mapping.start_mappers`; `ref` makes an insert-order-only many-to-one."""
    mapper_registry.map_imperatively(HolidayPeriod, t.holiday_periods, properties={
        "_municipality": ref(Municipality)})
    mapper_registry.map_imperatively(Activity, t.activities, properties={"_municipality": ref(Municipality)})
    mapper_registry.map_imperatively(ActivitySession, t.activity_sessions, properties={
        "_municipality": ref(Municipality), "_activity": ref(Activity)})
    mapper_registry.map_imperatively(Registration, t.registrations, properties={
        "_municipality": ref(Municipality), "_session": ref(ActivitySession), "_activity": ref(Activity)})
