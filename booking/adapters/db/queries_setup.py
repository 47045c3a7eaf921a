"""Read model of the set-up checklist: one statement counts what a municipality has set up. Reads only;
what counts as done is `domain.municipalities.setup`."""

from __future__ import annotations

from dataclasses import fields
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from booking.adapters.db import tables as t
from booking.adapters.db import tables_activities as ta
from booking.adapters.db import tables_circulation as tc
from booking.adapters.db import tables_lending as tl
from booking.adapters.db.database import Database
from booking.domain.municipalities.setup import Step, Tally
from booking.domain.people.roles import STAFF_ROLES
from booking.domain.premises.model import Space

RULE_COLUMNS = ("buffer_minutes", "horizon_days", "min_notice_hours", "min_duration_minutes", "max_duration_minutes",
                "cancel_deadline_hours")


def _count(table: sa.Table, *where: sa.ColumnElement[bool]) -> sa.ScalarSelect[Any]:
    return sa.select(sa.func.count()).select_from(table).where(*where).scalar_subquery()


def _own_rules() -> sa.ColumnElement[bool]:
    """A space whose booking rules differ from the defaults a new space gets."""
    defaults = {f.name: f.default for f in fields(Space) if f.name in RULE_COLUMNS}
    return sa.or_(*(t.spaces.c[name] != value for name, value in defaults.items()),
                  sa.cast(t.spaces.c.auto_approve_categories, sa.Text()) != "[]")


def _statement(municipality_id: UUID) -> sa.Select[Any]:
    sp, oh, lh, items = t.spaces, t.opening_hours, tc.lending_site_hours, tl.lending_items
    mine = sp.c.municipality_id == municipality_id
    has_hours = sa.exists().where(oh.c.space_id == sp.c.id)
    lending_site = sa.exists().where(items.c.site_id == t.sites.c.id)
    has_days = sa.exists().where(lh.c.site_id == t.sites.c.id)
    staff = (sa.select(sa.func.count(sa.distinct(t.accounts.c.id)))
             .join(t.role_grants, t.role_grants.c.account_id == t.accounts.c.id)
             .where(t.accounts.c.municipality_id == municipality_id, t.accounts.c.is_active,
                    t.role_grants.c.role.in_(sorted(STAFF_ROLES))).scalar_subquery())
    return sa.select(
        _count(t.areas, t.areas.c.municipality_id == municipality_id),
        _count(t.areas, t.areas.c.municipality_id == municipality_id, t.areas.c.population_0_17.is_(None)),
        _count(t.sites, t.sites.c.municipality_id == municipality_id),
        _count(sp, mine),
        _count(sp, mine, has_hours),
        _count(sp, mine, ~has_hours),
        _count(sp, mine, _own_rules()),
        _count(t.tariffs, t.tariffs.c.municipality_id == municipality_id),
        staff,
        _count(lh, lh.c.municipality_id == municipality_id),
        _count(t.sites, t.sites.c.municipality_id == municipality_id, lending_site, ~has_days),
        _count(ta.holiday_periods, ta.holiday_periods.c.municipality_id == municipality_id),
    )


class SetupQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def tallies(self, municipality_id: UUID) -> dict[Step, Tally]:
        """What the municipality has of each set-up step, in one statement."""
        async with self.db.read_sessions() as s:
            row = (await s.execute(_statement(municipality_id))).one()
        (areas, no_population, sites, spaces, with_hours, without_hours, own_rules, prices, staff, lending_days,
         lending_without_days, periods) = (int(v) for v in row)
        return {
            Step.AREAS: Tally(areas, no_population),
            Step.SITES: Tally(sites),
            Step.SPACES: Tally(spaces),
            Step.OPENING_HOURS: Tally(with_hours, without_hours),
            Step.BOOKING_RULES: Tally(own_rules),
            Step.PRICES: Tally(prices),
            Step.STAFF: Tally(staff),
            Step.LENDING_HOURS: Tally(lending_days, lending_without_days),
            Step.HOLIDAY_PERIODS: Tally(periods),
        }
