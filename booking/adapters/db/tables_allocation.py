"""Tables of the season allocation round (tidsfördelning). They join the one `metadata` of `tables_base.py`."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, enum_type, id_column, metadata, tenant_column
from booking.adapters.db.types import JSONType, UTCDateTime
from booking.domain.premises.allocation import ApplicationStatus, RoundState

# The municipality's default priority rules, copied into each new round (and editable there).
allocation_rule_sets = sa.Table(
    "allocation_rule_sets", metadata,
    sa.Column("municipality_id", sa.Uuid(), sa.ForeignKey("municipalities.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("rules", JSONType, nullable=False),
    *audit_columns(),
)

allocation_rounds = sa.Table(
    "allocation_rounds", metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("first_day", sa.Date(), nullable=False),
    sa.Column("last_day", sa.Date(), nullable=False),
    sa.Column("deadline", UTCDateTime(), nullable=False),
    sa.Column("rules", JSONType, nullable=False),
    sa.Column("state", enum_type(RoundState, "allocation_round_state"), nullable=False),
    sa.Column("proposal", JSONType, nullable=True),
    sa.Column("score", sa.Float(), nullable=True),
    sa.Column("allocated_at", UTCDateTime(), nullable=True),
    sa.Column("published_at", UTCDateTime(), nullable=True),
    sa.Column("report", JSONType, nullable=True),
    *audit_columns(),
    sa.CheckConstraint("last_day >= first_day", name="season"),
)

allocation_applications = sa.Table(
    "allocation_applications", metadata,
    id_column(),
    tenant_column(),
    sa.Column("round_id", sa.Uuid(), sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("association_id", sa.Uuid(), sa.ForeignKey("associations.id", ondelete="RESTRICT"), nullable=False,
              index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("age_band", sa.String(8), nullable=False),
    sa.Column("participants", sa.Integer(), nullable=False),
    sa.Column("duration_minutes", sa.Integer(), nullable=False),
    sa.Column("flex_minutes", sa.Integer(), nullable=False),
    sa.Column("preferences", JSONType, nullable=False),
    sa.Column("submitted_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="RESTRICT"), nullable=False),
    sa.Column("submitted_at", UTCDateTime(), nullable=False),
    sa.Column("status", enum_type(ApplicationStatus, "allocation_application_status"), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    *audit_columns(),
    sa.CheckConstraint("participants > 0", name="participants"),
    sa.CheckConstraint("duration_minutes > 0", name="duration"),
)
