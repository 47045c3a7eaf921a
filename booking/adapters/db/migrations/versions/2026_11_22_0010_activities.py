"""Holiday activities (lovaktiviteter): holiday periods, activities, sessions, registrations.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holiday_periods",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "sportlov",
                "pasklov",
                "sommarlov",
                "hostlov",
                "jullov",
                name="lov_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("last_day >= first_day", name=op.f("ck_holiday_periods_days")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_holiday_periods_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_periods")),
        sa.UniqueConstraint(
            "municipality_id", "year", "kind", name=op.f("uq_holiday_periods_municipality_id_year_kind")
        ),
    )
    op.create_index(op.f("ix_holiday_periods_municipality_id"), "holiday_periods", ["municipality_id"], unique=False)
    op.create_table(
        "activities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("translations", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "idrott",
                "kultur",
                "friluftsliv",
                "skapande",
                "spel",
                "musik",
                "matlagning",
                "annat",
                name="activity_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("organiser", sa.String(length=200), nullable=False),
        sa.Column("association_id", sa.Uuid(), nullable=True),
        sa.Column("age_min", sa.Integer(), nullable=False),
        sa.Column("age_max", sa.Integer(), nullable=False),
        sa.Column(
            "target_group",
            sa.Enum(
                "all",
                "girls",
                "boys",
                "functional_variation",
                "newcomers",
                name="activity_target_group",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("area_id", sa.Uuid(), nullable=True),
        sa.Column("space_id", sa.Uuid(), nullable=True),
        sa.Column("place", sa.String(length=4000), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("signup_required", sa.Boolean(), nullable=False),
        sa.Column("signup_opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signup_closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cost", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("languages", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("adapted", sa.Boolean(), nullable=False),
        sa.Column("wheelchair_access", sa.Boolean(), nullable=False),
        sa.Column("bring", sa.Text(), nullable=True),
        sa.Column("lending_articles", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "published",
                "cancelled",
                name="activity_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("age_min >= 0 AND age_max >= age_min", name=op.f("ck_activities_ages")),
        sa.CheckConstraint("cost >= 0", name=op.f("ck_activities_cost")),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_activities_area_id_areas"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["associations.id"],
            name=op.f("fk_activities_association_id_associations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["accounts.id"], name=op.f("fk_activities_created_by_accounts"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_activities_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_activities_space_id_spaces"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    op.create_index(op.f("ix_activities_area_id"), "activities", ["area_id"], unique=False)
    op.create_index(op.f("ix_activities_association_id"), "activities", ["association_id"], unique=False)
    op.create_index(op.f("ix_activities_municipality_id"), "activities", ["municipality_id"], unique=False)
    op.create_index("ix_activities_municipality_status", "activities", ["municipality_id", "status"], unique=False)
    op.create_index(op.f("ix_activities_space_id"), "activities", ["space_id"], unique=False)
    op.create_table(
        "activity_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("space_id", sa.Uuid(), nullable=True),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("confirmed", sa.Integer(), nullable=False),
        sa.Column("next_queue_no", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "cancelled",
                name="activity_session_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("confirmed >= 0 AND confirmed <= capacity", name=op.f("ck_activity_sessions_places")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_activity_sessions_span")),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_sessions_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_activity_sessions_booking_id_bookings"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_activity_sessions_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_activity_sessions_space_id_spaces"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_sessions")),
    )
    op.create_index(op.f("ix_activity_sessions_activity_id"), "activity_sessions", ["activity_id"], unique=False)
    op.create_index(
        op.f("ix_activity_sessions_municipality_id"), "activity_sessions", ["municipality_id"], unique=False
    )
    op.create_index(
        "ix_activity_sessions_municipality_starts", "activity_sessions", ["municipality_id", "starts_at"], unique=False
    )
    op.create_table(
        "activity_registrations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("first_name", sa.String(length=60), nullable=False),
        sa.Column("child_key", sa.String(length=60), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column(
            "gender",
            sa.Enum(
                "female",
                "male",
                "other",
                name="registration_gender",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("needs", sa.Text(), nullable=True),
        sa.Column("self_registered", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "confirmed",
                "waiting",
                "cancelled",
                name="registration_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("queue_no", sa.Integer(), nullable=False),
        sa.Column("cancel_token_hash", sa.String(length=64), nullable=False),
        sa.Column("ticket_code", sa.String(length=64), nullable=False),
        sa.Column("attended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_activity_registrations_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_registrations_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_activity_registrations_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_sessions.id"],
            name=op.f("fk_activity_registrations_session_id_activity_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_registrations")),
        sa.UniqueConstraint("cancel_token_hash", name=op.f("uq_activity_registrations_cancel_token_hash")),
        sa.UniqueConstraint("session_id", "queue_no", name=op.f("uq_activity_registrations_session_id_queue_no")),
        sa.UniqueConstraint("ticket_code", name=op.f("uq_activity_registrations_ticket_code")),
    )
    op.create_index(
        op.f("ix_activity_registrations_account_id"), "activity_registrations", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_activity_registrations_activity_id"), "activity_registrations", ["activity_id"], unique=False
    )
    op.create_index(
        op.f("ix_activity_registrations_municipality_id"), "activity_registrations", ["municipality_id"], unique=False
    )

    op.create_table(
        "activity_feed_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_activity_feed_tokens_account_id_accounts"),
            ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"], ["municipalities.id"],
            name=op.f("fk_activity_feed_tokens_municipality_id_municipalities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_feed_tokens")),
        sa.UniqueConstraint("account_id", name=op.f("uq_activity_feed_tokens_account_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_activity_feed_tokens_token_hash")),
    )
    op.create_index(
        op.f("ix_activity_feed_tokens_municipality_id"), "activity_feed_tokens", ["municipality_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("activity_feed_tokens")
    op.drop_table("activity_registrations")
    op.drop_table("activity_sessions")
    op.drop_table("activities")
    op.drop_table("holiday_periods")
