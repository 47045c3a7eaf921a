"""The one `metadata` every table joins, and the columns most tables share.

Every tables*.py module imports this and nothing of its siblings: a table names another table only
through a ForeignKey string ("municipalities.id"), so the table modules stand side by side without an
import circle. What needs every table registered (migrations, mapping, the invariants) imports
`schema.py`, which imports them all."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.types import UTCDateTime, utcnow

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def audit_columns() -> list[sa.Column[object]]:
    """created_at/updated_at: every table has them."""
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
        sa.Column("updated_at", UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow),
    ]


def id_column() -> sa.Column[object]:
    return sa.Column("id", sa.Uuid(), primary_key=True)


def tenant_column() -> sa.Column[object]:
    """municipality_id: every tenant-owned row carries it."""
    return sa.Column(
        "municipality_id", sa.Uuid(), sa.ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=False,
        index=True,
    )


def enum_type(enum: type, name: str) -> sa.Enum:
    """A domain enum stored as its values in a short string column with a CHECK (no native enum type)."""
    return sa.Enum(enum, name=name, native_enum=False, create_constraint=True, length=32,
                   values_callable=lambda e: [m.value for m in e])
