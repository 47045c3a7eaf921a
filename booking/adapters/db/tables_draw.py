"""Tables of the wish phase and draw of a holiday period (see booking/domain/activities/draw_model.py).

A period uses a draw when it has a `holiday_draws` row. Guardians' children wished for are
`draw_children` (a first name and birth year within the account, as on a registration, plus the home
area and the group code), each with ranked `draw_wishes` for sessions. The draw's result is kept on
the draw as JSON (`result`) until staff publish it; publishing turns the grants into registrations."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, enum_type, id_column, metadata, tenant_column
from booking.adapters.db.types import JSONType, UTCDateTime
from booking.domain.activities.draw_model import DrawStatus
from booking.domain.premises.attendance import Gender

holiday_draws = sa.Table(
    "holiday_draws", metadata,
    id_column(),
    tenant_column(),
    sa.Column("period_id", sa.Uuid(), sa.ForeignKey("holiday_periods.id", ondelete="CASCADE"), nullable=False,
              unique=True),
    sa.Column("wishes_close_at", UTCDateTime(), nullable=False),
    sa.Column("max_per_child", sa.Integer(), nullable=False),
    sa.Column("travel_minutes", sa.Integer(), nullable=False),
    sa.Column("weights", JSONType, nullable=False),
    sa.Column("priority_areas", JSONType, nullable=False),
    sa.Column("status", enum_type(DrawStatus, "draw_status"), nullable=False),
    sa.Column("seed", sa.String(64), nullable=True),
    sa.Column("result", JSONType, nullable=True),
    sa.Column("run_at", UTCDateTime(), nullable=True),
    sa.Column("published_at", UTCDateTime(), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
    *audit_columns(),
    sa.CheckConstraint("max_per_child >= 1 AND max_per_child <= 20", name="max_per_child"),
    sa.CheckConstraint("travel_minutes >= 0 AND travel_minutes <= 240", name="travel_minutes"),
)

draw_children = sa.Table(
    "draw_children", metadata,
    id_column(),
    tenant_column(),
    sa.Column("draw_id", sa.Uuid(), sa.ForeignKey("holiday_draws.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("first_name", sa.String(60), nullable=False),
    sa.Column("child_key", sa.String(60), nullable=False),
    sa.Column("birth_year", sa.Integer(), nullable=False),
    sa.Column("gender", enum_type(Gender, "draw_child_gender"), nullable=True),
    sa.Column("needs", sa.Text(), nullable=True),
    sa.Column("home_area_id", sa.Uuid(), sa.ForeignKey("areas.id", ondelete="SET NULL"), nullable=True),
    sa.Column("max_activities", sa.Integer(), nullable=False),
    sa.Column("group_code", sa.String(16), nullable=True),
    sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.UniqueConstraint("draw_id", "account_id", "child_key", "birth_year"),
    sa.CheckConstraint("max_activities >= 1 AND max_activities <= 20", name="max_activities"),
    sa.Index("ix_draw_children_draw_group", "draw_id", "group_code"),
)

draw_wishes = sa.Table(
    "draw_wishes", metadata,
    id_column(),
    tenant_column(),
    sa.Column("child_id", sa.Uuid(), sa.ForeignKey("draw_children.id", ondelete="CASCADE"), nullable=False),
    sa.Column("session_id", sa.Uuid(), sa.ForeignKey("activity_sessions.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("rank", sa.Integer(), nullable=False),
    sa.Column("favourite", sa.Boolean(), nullable=False),
    *audit_columns(),
    sa.UniqueConstraint("child_id", "session_id"),
    sa.UniqueConstraint("child_id", "rank"),
    sa.CheckConstraint("rank >= 1", name="rank"),
)

# The municipality's postcode-to-area table: a child's home area from a postcode, never an address.
postcode_areas = sa.Table(
    "postcode_areas", metadata,
    id_column(),
    tenant_column(),
    sa.Column("postcode", sa.String(5), nullable=False),
    sa.Column("area_id", sa.Uuid(), sa.ForeignKey("areas.id", ondelete="CASCADE"), nullable=False, index=True),
    *audit_columns(),
    sa.UniqueConstraint("municipality_id", "postcode"),
)
