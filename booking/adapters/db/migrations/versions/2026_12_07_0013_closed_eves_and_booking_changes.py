"""The eves a municipality closes, and changes of bookings waiting for staff.

- municipalities.closed_eves: the eves that close like public holidays (easter_eve,
  midsummer_eve, christmas_eve, new_years_eve; all four by default, påskafton included).
- bookings.change_id, proposed_space_id, proposed_starts_at, proposed_ends_at,
  change_requested_by, change_requested_at: a move an association asked for, waiting for staff
  (the booking keeps its time until approved; occurrences changed together share change_id).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ALL_EVES = "'[\"easter_eve\", \"midsummer_eve\", \"christmas_eve\", \"new_years_eve\"]'"


def upgrade() -> None:
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_eves", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                                      server_default=sa.text(ALL_EVES), nullable=False))
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("proposed_space_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("proposed_starts_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("proposed_ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("change_requested_by", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("change_requested_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_bookings_change_id", ["change_id"], unique=False)
        batch_op.create_foreign_key("fk_bookings_proposed_space_id_spaces", "spaces", ["proposed_space_id"], ["id"],
                                    ondelete="RESTRICT")
        batch_op.create_foreign_key("fk_bookings_change_requested_by_accounts", "accounts", ["change_requested_by"],
                                    ["id"], ondelete="SET NULL")
        batch_op.create_check_constraint(
            op.f("ck_bookings_proposal"),
            "(change_id IS NULL AND proposed_space_id IS NULL AND proposed_starts_at IS NULL "
            "AND proposed_ends_at IS NULL) OR (change_id IS NOT NULL AND proposed_space_id IS NOT NULL "
            "AND proposed_starts_at < proposed_ends_at)")


def downgrade() -> None:
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_bookings_proposal"), type_="check")
        batch_op.drop_constraint("fk_bookings_change_requested_by_accounts", type_="foreignkey")
        batch_op.drop_constraint("fk_bookings_proposed_space_id_spaces", type_="foreignkey")
        batch_op.drop_index("ix_bookings_change_id")
        for column in ("change_requested_at", "change_requested_by", "proposed_ends_at", "proposed_starts_at",
                       "proposed_space_id", "change_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_column("closed_eves")
