"""The season allocation round (tidsfördelning).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _audit() -> list[sa.Column[object]]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False)]


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                   name=op.f(f"fk_{table}_municipality_id_municipalities"), ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "allocation_rule_sets",
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("rules", _JSON, nullable=False),
        *_audit(),
        _tenant_fk("allocation_rule_sets"),
        sa.PrimaryKeyConstraint("municipality_id", name=op.f("pk_allocation_rule_sets")),
    )
    op.create_table(
        "allocation_rounds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rules", _JSON, nullable=False),
        sa.Column("state", sa.Enum("draft", "open", "allocated", "published", "closed",
                                   name="allocation_round_state", native_enum=False, create_constraint=True,
                                   length=32), nullable=False),
        sa.Column("proposal", _JSON, nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("report", _JSON, nullable=True),
        *_audit(),
        sa.CheckConstraint("last_day >= first_day", name=op.f("ck_allocation_rounds_season")),
        _tenant_fk("allocation_rounds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_rounds")),
    )
    with op.batch_alter_table("allocation_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocation_rounds_municipality_id"), ["municipality_id"], unique=False)
    op.create_table(
        "allocation_applications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("association_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("flex_minutes", sa.Integer(), nullable=False),
        sa.Column("preferences", _JSON, nullable=False),
        sa.Column("submitted_by", sa.Uuid(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Enum("submitted", "withdrawn", name="allocation_application_status",
                                    native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_audit(),
        sa.CheckConstraint("participants > 0", name=op.f("ck_allocation_applications_participants")),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_allocation_applications_duration")),
        _tenant_fk("allocation_applications"),
        sa.ForeignKeyConstraint(["round_id"], ["allocation_rounds.id"],
                                name=op.f("fk_allocation_applications_round_id_allocation_rounds"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["association_id"], ["associations.id"],
                                name=op.f("fk_allocation_applications_association_id_associations"),
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["submitted_by"], ["accounts.id"],
                                name=op.f("fk_allocation_applications_submitted_by_accounts"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_applications")),
    )
    with op.batch_alter_table("allocation_applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocation_applications_municipality_id"), ["municipality_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_allocation_applications_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocation_applications_association_id"), ["association_id"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("allocation_applications")
    op.drop_table("allocation_rounds")
    op.drop_table("allocation_rule_sets")
