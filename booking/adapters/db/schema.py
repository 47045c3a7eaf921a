"""The whole schema: every table module, imported for its tables, and the one `metadata` they join.

Import this (not tables_base) where every table must be registered: the migrations' autogenerate
(migrations/env.py), the imperative mapping (its relationships name tables of several capabilities),
`Queries.table_counts`, and a `metadata.create_all` in a test. The table modules themselves import only
tables_base, so they stand side by side without an import circle."""

from __future__ import annotations

from booking.adapters.db import (
    tables,
    tables_activities,
    tables_allocation,
    tables_circulation,
    tables_draw,
    tables_jobs,
    tables_lending,
    tables_matching,
    tables_oidc,
    tables_people,
)
from booking.adapters.db.tables_base import metadata

TABLE_MODULES = (tables, tables_activities, tables_allocation, tables_circulation, tables_draw, tables_jobs,
                 tables_lending, tables_matching, tables_people, tables_oidc)

__all__ = ["TABLE_MODULES", "metadata"]
