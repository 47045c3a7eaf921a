"""Tables of holiday activities (lovaktiviteter). They join the one `metadata` of `tables_base.py`.

The capacity guarantee lives in `activity_sessions`: `confirmed` counts the confirmed
registrations and a CHECK keeps it between 0 and `capacity`; the services change it only with
the session row locked (see booking/domain/activities/services.py)."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, enum_type, id_column, metadata, tenant_column
from booking.adapters.db.types import JSONType, UTCDateTime
from booking.domain.activities.lov import LovKind
from booking.domain.activities.model import ActivityStatus, Category, RegistrationStatus, SessionStatus, TargetGroup
from booking.domain.premises.attendance import Gender

holiday_periods = sa.Table(
    "holiday_periods", metadata,
    id_column(),
    tenant_column(),
    sa.Column("kind", enum_type(LovKind, "lov_kind"), nullable=False),
    sa.Column("year", sa.Integer(), nullable=False),
    sa.Column("first_day", sa.Date(), nullable=False),
    sa.Column("last_day", sa.Date(), nullable=False),
    *audit_columns(),
    sa.UniqueConstraint("municipality_id", "year", "kind"),
    sa.CheckConstraint("last_day >= first_day", name="days"),
)

activities = sa.Table(
    "activities", metadata,
    id_column(),
    tenant_column(),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("translations", JSONType, nullable=False),
    sa.Column("category", enum_type(Category, "activity_category"), nullable=False),
    sa.Column("organiser", sa.String(200), nullable=False),
    sa.Column("association_id", sa.Uuid(), sa.ForeignKey("associations.id", ondelete="RESTRICT"), nullable=True,
              index=True),
    sa.Column("age_min", sa.Integer(), nullable=False),
    sa.Column("age_max", sa.Integer(), nullable=False),
    sa.Column("target_group", enum_type(TargetGroup, "activity_target_group"), nullable=False),
    sa.Column("area_id", sa.Uuid(), sa.ForeignKey("areas.id", ondelete="RESTRICT"), nullable=True, index=True),
    sa.Column("space_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="RESTRICT"), nullable=True, index=True),
    sa.Column("place", sa.String(4000), nullable=True),
    sa.Column("capacity", sa.Integer(), nullable=False),
    sa.Column("signup_required", sa.Boolean(), nullable=False),
    sa.Column("signup_opens_at", UTCDateTime(), nullable=True),
    sa.Column("signup_closes_at", UTCDateTime(), nullable=True),
    sa.Column("cost", sa.Numeric(10, 2), nullable=False),
    sa.Column("languages", JSONType, nullable=False),
    sa.Column("adapted", sa.Boolean(), nullable=False),
    sa.Column("wheelchair_access", sa.Boolean(), nullable=False),
    sa.Column("bring", sa.Text(), nullable=True),
    sa.Column("lending_articles", JSONType, nullable=False),
    sa.Column("contact", sa.Text(), nullable=True),
    sa.Column("status", enum_type(ActivityStatus, "activity_status"), nullable=False),
    sa.Column("cancel_reason", sa.Text(), nullable=True),
    sa.Column("review_note", sa.Text(), nullable=True),
    sa.Column("created_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="RESTRICT"), nullable=False),
    *audit_columns(),
    sa.CheckConstraint("age_min >= 0 AND age_max >= age_min", name="ages"),
    sa.CheckConstraint("cost >= 0", name="cost"),
    sa.Index("ix_activities_municipality_status", "municipality_id", "status"),
)

activity_sessions = sa.Table(
    "activity_sessions", metadata,
    id_column(),
    tenant_column(),
    sa.Column("activity_id", sa.Uuid(), sa.ForeignKey("activities.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("space_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="RESTRICT"), nullable=True),
    sa.Column("booking_id", sa.Uuid(), sa.ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True),
    sa.Column("starts_at", UTCDateTime(), nullable=False),
    sa.Column("ends_at", UTCDateTime(), nullable=False),
    sa.Column("capacity", sa.Integer(), nullable=False),
    sa.Column("confirmed", sa.Integer(), nullable=False),
    sa.Column("next_queue_no", sa.Integer(), nullable=False),
    sa.Column("status", enum_type(SessionStatus, "activity_session_status"), nullable=False),
    sa.Column("sequence", sa.Integer(), nullable=False),
    sa.Column("visitors", JSONType, nullable=False),
    *audit_columns(),
    sa.CheckConstraint("confirmed >= 0 AND confirmed <= capacity", name="places"),
    sa.CheckConstraint("ends_at > starts_at", name="span"),
    sa.Index("ix_activity_sessions_municipality_starts", "municipality_id", "starts_at"),
)

registrations = sa.Table(
    "activity_registrations", metadata,
    id_column(),
    tenant_column(),
    sa.Column("session_id", sa.Uuid(), sa.ForeignKey("activity_sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("activity_id", sa.Uuid(), sa.ForeignKey("activities.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("first_name", sa.String(60), nullable=False),
    sa.Column("child_key", sa.String(60), nullable=False),
    sa.Column("birth_year", sa.Integer(), nullable=False),
    sa.Column("gender", enum_type(Gender, "registration_gender"), nullable=True),
    sa.Column("needs", sa.Text(), nullable=True),
    # the child's home area (from the postcode table or the guardian's choice; never an address)
    sa.Column("home_area_id", sa.Uuid(), sa.ForeignKey("areas.id", ondelete="SET NULL"), nullable=True),
    sa.Column("self_registered", sa.Boolean(), nullable=False),
    sa.Column("status", enum_type(RegistrationStatus, "registration_status"), nullable=False),
    sa.Column("queue_no", sa.Integer(), nullable=False),
    sa.Column("cancel_token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("ticket_code", sa.String(64), nullable=False, unique=True),
    sa.Column("attended_at", UTCDateTime(), nullable=True),
    sa.Column("cancelled_at", UTCDateTime(), nullable=True),
    sa.Column("reminded_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.UniqueConstraint("session_id", "queue_no"),
)

# A guardian's private feed of their children's sessions: the SHA-256 of an unguessable, rotatable token.
activity_feed_tokens = sa.Table(
    "activity_feed_tokens", metadata,
    id_column(),
    tenant_column(),
    sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False,
              unique=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    *audit_columns(),
)
