"""Fees: tariffs per category and space kind, the tariff category of an association, the
cancellation deadline of spaces and late cancellations of bookings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 20:20:30.043440
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "tariffs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("space_kind", sa.String(length=32), nullable=False),
        sa.Column("hourly", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("hourly >= 0", name=op.f("ck_tariffs_hourly")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_tariffs_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariffs")),
        sa.UniqueConstraint(
            "municipality_id", "category", "space_kind", name=op.f("uq_tariffs_municipality_id_category_space_kind")
        ),
    )
    with op.batch_alter_table("tariffs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariffs_municipality_id"), ["municipality_id"], unique=False)

    with op.batch_alter_table("associations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tariff_category", sa.String(length=16), nullable=True))

    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late_cancellation", sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_deadline_hours", sa.Integer(), server_default="48", nullable=False))


def downgrade() -> None:

    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.drop_column("cancel_deadline_hours")

    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_column("late_cancellation")

    with op.batch_alter_table("associations", schema=None) as batch_op:
        batch_op.drop_column("tariff_category")

    with op.batch_alter_table("tariffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tariffs_municipality_id"))

    op.drop_table("tariffs")
