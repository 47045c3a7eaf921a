"""Premises read paths: columns and indexes that make feeds and free-time queries cheap.

- bookings.was_approved: the public feeds show approved bookings and those cancelled after
  approval; the flag replaces an EXISTS over occupancy (backfilled from it).
- ix_bookings_space_starts covers the feeds' window, count and last change;
  ix_occupancy_unit_time covers the clash and busy-time queries.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 21:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("was_approved", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE bookings SET was_approved = (status = 'approved' OR EXISTS "
               "(SELECT 1 FROM occupancy WHERE occupancy.booking_id = bookings.id))")
    op.drop_index("ix_bookings_space_starts", table_name="bookings")
    op.create_index("ix_bookings_space_starts", "bookings",
                    ["space_id", "starts_at", "was_approved", "ends_at", "updated_at"])
    op.drop_index("ix_occupancy_unit_time", table_name="occupancy")
    op.create_index("ix_occupancy_unit_time", "occupancy", ["unit_id", "starts_at", "ends_at", "active", "booking_id"])


def downgrade() -> None:
    op.drop_index("ix_occupancy_unit_time", table_name="occupancy")
    op.create_index("ix_occupancy_unit_time", "occupancy", ["unit_id", "starts_at", "ends_at"])
    op.drop_index("ix_bookings_space_starts", table_name="bookings")
    op.create_index("ix_bookings_space_starts", "bookings", ["space_id", "starts_at"])
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("was_approved")
