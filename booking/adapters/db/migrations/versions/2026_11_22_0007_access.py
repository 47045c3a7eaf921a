"""Access and use: how a space is entered (door code, key, open), check-in and no-shows of bookings.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 20:31:57.509828
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("no_show", sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("access_mode", sa.String(length=16), server_default="key", nullable=False))
        batch_op.add_column(sa.Column("access_instructions", sa.Text(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.drop_column("access_instructions")
        batch_op.drop_column("access_mode")

    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("no_show")
        batch_op.drop_column("checked_in_at")
