"""Premises calendar and bookings: opening hours, closed periods, holiday overrides, booking
series, bookings, occupancy (with PostgreSQL's exclusion constraint against double booking), and
the booking rules of spaces.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 19:25:55.377496
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "holiday_overrides",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_holiday_overrides_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_overrides")),
        sa.UniqueConstraint("municipality_id", "day", name=op.f("uq_holiday_overrides_municipality_id_day")),
    )
    with op.batch_alter_table("holiday_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holiday_overrides_municipality_id"), ["municipality_id"], unique=False)

    op.create_table(
        "booking_series",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("space_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("weekdays", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("interval", sa.SmallInteger(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("exdates", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("local_start", sa.Time(), nullable=False),
        sa.Column("local_end", sa.Time(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_booking_series_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_booking_series_space_id_spaces"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_series")),
    )
    with op.batch_alter_table("booking_series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_series_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_booking_series_space_id"), ["space_id"], unique=False)

    op.create_table(
        "closed_periods",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("space_id", sa.Uuid(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_closed_periods_span")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_closed_periods_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_closed_periods_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_closed_periods_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closed_periods")),
    )
    with op.batch_alter_table("closed_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closed_periods_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_closed_periods_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_closed_periods_space_id"), ["space_id"], unique=False)

    op.create_table(
        "opening_hours",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("space_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("opens < closes", name=op.f("ck_opening_hours_window")),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_opening_hours_weekday")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_opening_hours_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_opening_hours_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_hours")),
    )
    with op.batch_alter_table("opening_hours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opening_hours_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_opening_hours_space_id"), ["space_id"], unique=False)

    op.create_table(
        "bookings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("space_id", sa.Uuid(), nullable=False),
        sa.Column("series_id", sa.Uuid(), nullable=True),
        sa.Column("association_id", sa.Uuid(), nullable=True),
        sa.Column("booked_by", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                "cancelled",
                name="booking_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_bookings_span")),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_bookings_association_id_associations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["booked_by"], ["accounts.id"], name=op.f("fk_bookings_booked_by_accounts"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["accounts.id"], name=op.f("fk_bookings_decided_by_accounts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_bookings_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"], ["booking_series.id"], name=op.f("fk_bookings_series_id_booking_series"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_bookings_space_id_spaces"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bookings_association_id"), ["association_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookings_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bookings_series_id"), ["series_id"], unique=False)
        batch_op.create_index("ix_bookings_space_starts", ["space_id", "starts_at"], unique=False)

    op.create_table(
        "occupancy",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_occupancy_span")),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_occupancy_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_occupancy_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["spaces.id"], name=op.f("fk_occupancy_unit_id_spaces"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occupancy")),
    )
    with op.batch_alter_table("occupancy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occupancy_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_occupancy_municipality_id"), ["municipality_id"], unique=False)
        batch_op.create_index("ix_occupancy_unit_time", ["unit_id", "starts_at", "ends_at"], unique=False)

    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_on_holidays", sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("buffer_minutes", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("horizon_days", sa.Integer(), server_default="365", nullable=False))
        batch_op.add_column(sa.Column("min_notice_hours", sa.Integer(), server_default="24", nullable=False))
        batch_op.add_column(sa.Column("min_duration_minutes", sa.Integer(), server_default="30", nullable=False))
        batch_op.add_column(sa.Column("max_duration_minutes", sa.Integer(), server_default="480", nullable=False))
        batch_op.add_column(
            sa.Column(
                "auto_approve_categories",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )

    # Never a double booking: on PostgreSQL the database refuses two active occupancies of one
    # unit whose [start, end) ranges overlap (btree_gist lets a gist index compare unit_id with =).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE occupancy ADD CONSTRAINT ex_occupancy_no_overlap EXCLUDE USING gist "
            "(unit_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (active)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE occupancy DROP CONSTRAINT IF EXISTS ex_occupancy_no_overlap")

    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.drop_column("auto_approve_categories")
        batch_op.drop_column("max_duration_minutes")
        batch_op.drop_column("min_duration_minutes")
        batch_op.drop_column("min_notice_hours")
        batch_op.drop_column("horizon_days")
        batch_op.drop_column("buffer_minutes")

    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_column("closed_on_holidays")

    with op.batch_alter_table("occupancy", schema=None) as batch_op:
        batch_op.drop_index("ix_occupancy_unit_time")
        batch_op.drop_index(batch_op.f("ix_occupancy_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_occupancy_booking_id"))

    op.drop_table("occupancy")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_space_starts")
        batch_op.drop_index(batch_op.f("ix_bookings_series_id"))
        batch_op.drop_index(batch_op.f("ix_bookings_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_bookings_association_id"))

    op.drop_table("bookings")
    with op.batch_alter_table("opening_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opening_hours_space_id"))
        batch_op.drop_index(batch_op.f("ix_opening_hours_municipality_id"))

    op.drop_table("opening_hours")
    with op.batch_alter_table("closed_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closed_periods_space_id"))
        batch_op.drop_index(batch_op.f("ix_closed_periods_site_id"))
        batch_op.drop_index(batch_op.f("ix_closed_periods_municipality_id"))

    op.drop_table("closed_periods")
    with op.batch_alter_table("booking_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_series_space_id"))
        batch_op.drop_index(batch_op.f("ix_booking_series_municipality_id"))

    op.drop_table("booking_series")
    with op.batch_alter_table("holiday_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holiday_overrides_municipality_id"))

    op.drop_table("holiday_overrides")
