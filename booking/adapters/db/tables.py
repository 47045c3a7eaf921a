"""The core tables (municipalities, places, people, bookings, the outbox and audit log). Every tenant-owned
row carries municipality_id; every table has created_at/updated_at audit columns. The capabilities' tables
live in tables_<capability>.py beside this; all of them join the one `metadata` of tables_base.py, and
schema.py gathers them."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, enum_type, id_column, metadata, tenant_column
from booking.adapters.db.types import JSONType, UTCDateTime
from booking.domain.municipalities.model import ALL_EVES
from booking.domain.people.model import AssociationCategory
from booking.domain.people.roles import Role
from booking.domain.premises.bookings import BookingStatus
from booking.domain.premises.model import MAX_CAPACITY, SpaceKind

ALL_EVES_JSON = "'[" + ", ".join(f'"{e}"' for e in ALL_EVES) + "]'"

municipalities = sa.Table(
    "municipalities", metadata,
    id_column(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("closed_on_holidays", sa.Boolean(), nullable=False, server_default=sa.true()),
    # The eves that close like holidays (easter_eve, midsummer_eve, christmas_eve, new_years_eve).
    sa.Column("closed_eves", JSONType, nullable=False, server_default=sa.text(ALL_EVES_JSON)),
    *audit_columns(),
)

areas = sa.Table(
    "areas", metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("population_0_17", sa.Integer(), nullable=True),
    # a centre point (WGS 84), for "400 m from ..." in the association matching; optional
    sa.Column("latitude", sa.Float(), nullable=True),
    sa.Column("longitude", sa.Float(), nullable=True),
    *audit_columns(),
    sa.UniqueConstraint("municipality_id", "name"),
    sa.CheckConstraint("population_0_17 IS NULL OR population_0_17 >= 0", name="population"),
)

sites = sa.Table(
    "sites", metadata,
    id_column(),
    tenant_column(),
    sa.Column("area_id", sa.Uuid(), sa.ForeignKey("areas.id", ondelete="RESTRICT"), nullable=True, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("street", sa.String(200), nullable=False),
    sa.Column("postal_code", sa.String(6), nullable=False),
    sa.Column("city", sa.String(100), nullable=False),
    sa.Column("latitude", sa.Float(), nullable=True),  # WGS 84, optional (distances in the association matching)
    sa.Column("longitude", sa.Float(), nullable=True),
    sa.Column("description", sa.Text(), nullable=True),
    *audit_columns(),
)

spaces = sa.Table(
    "spaces", metadata,
    id_column(),
    tenant_column(),
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="RESTRICT"), nullable=False, index=True),
    sa.Column("parent_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="RESTRICT"), nullable=True, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", enum_type(SpaceKind, "space_kind"), nullable=False),
    sa.Column("capacity", sa.Integer(), nullable=False),
    sa.Column("description", sa.Text(), nullable=True),
    sa.Column("step_free", sa.Boolean(), nullable=False, default=False),
    sa.Column("accessible_toilet", sa.Boolean(), nullable=False, default=False),
    sa.Column("hearing_loop", sa.Boolean(), nullable=False, default=False),
    sa.Column("accessibility_notes", sa.Text(), nullable=True),
    sa.Column("equipment", JSONType, nullable=False),
    sa.Column("buffer_minutes", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("horizon_days", sa.Integer(), nullable=False, server_default="365"),
    sa.Column("min_notice_hours", sa.Integer(), nullable=False, server_default="24"),
    sa.Column("min_duration_minutes", sa.Integer(), nullable=False, server_default="30"),
    sa.Column("max_duration_minutes", sa.Integer(), nullable=False, server_default="480"),
    sa.Column("auto_approve_categories", JSONType, nullable=False, server_default="[]"),
    sa.Column("cancel_deadline_hours", sa.Integer(), nullable=False, server_default="48"),
    sa.Column("access_mode", sa.String(16), nullable=False, server_default="key"),  # door_code | key | open
    sa.Column("access_instructions", sa.Text(), nullable=True),
    *audit_columns(),
    sa.CheckConstraint(f"capacity BETWEEN 1 AND {MAX_CAPACITY}", name="capacity"),
    sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_part"),
)

accounts = sa.Table(
    "accounts", metadata,
    id_column(),
    tenant_column(),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=True),
    sa.Column("locale", sa.String(5), nullable=False),
    sa.Column("is_active", sa.Boolean(), nullable=False),
    sa.Column("last_login_at", UTCDateTime(), nullable=True),
    *audit_columns(),
)

role_grants = sa.Table(
    "role_grants", metadata,
    id_column(),
    sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("role", enum_type(Role, "role"), nullable=False),
    sa.Column("scope_id", sa.Uuid(), nullable=True, index=True),
    *audit_columns(),
    sa.UniqueConstraint("account_id", "role", "scope_id"),
)

associations = sa.Table(
    "associations", metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("org_number", sa.String(11), nullable=False),
    sa.Column("category", enum_type(AssociationCategory, "association_category"), nullable=False),
    sa.Column("area_id", sa.Uuid(), sa.ForeignKey("areas.id", ondelete="RESTRICT"), nullable=True, index=True),
    sa.Column("is_local", sa.Boolean(), nullable=False),
    sa.Column("public_name", sa.Boolean(), nullable=False),
    sa.Column("verified_at", UTCDateTime(), nullable=True),
    sa.Column("verified_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("feed_token_hash", sa.String(64), nullable=True, unique=True),  # private calendar feed
    sa.Column("tariff_category", sa.String(16), nullable=True),  # None: by the association's category
    *audit_columns(),
    sa.UniqueConstraint("municipality_id", "org_number"),
)

association_contacts = sa.Table(
    "association_contacts", metadata,
    id_column(),
    sa.Column("association_id", sa.Uuid(), sa.ForeignKey("associations.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("phone", sa.String(20), nullable=True),
    sa.Column("role", sa.String(200), nullable=True),
    *audit_columns(),
)

audit_log = sa.Table(
    "audit_log", metadata,
    id_column(),
    sa.Column("municipality_id", sa.Uuid(), nullable=True, index=True),
    sa.Column("actor_id", sa.Uuid(), nullable=True),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("entity_id", sa.Uuid(), nullable=False),
    sa.Column("details", JSONType, nullable=False),
    *audit_columns(),
    sa.Index("ix_audit_log_entity", "entity", "entity_id"),
    sa.Index("ix_audit_log_municipality_created", "municipality_id", "created_at"),  # the audit page
)

# --- premises: when spaces can be booked, and the bookings -----------------------------------

opening_hours = sa.Table(
    "opening_hours", metadata,
    id_column(),
    tenant_column(),
    sa.Column("space_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("weekday", sa.SmallInteger(), nullable=False),
    sa.Column("opens", sa.Time(), nullable=False),
    sa.Column("closes", sa.Time(), nullable=False),
    sa.Column("valid_from", sa.Date(), nullable=True),
    sa.Column("valid_to", sa.Date(), nullable=True),
    sa.Column("name", sa.String(200), nullable=True),
    *audit_columns(),
    sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
    sa.CheckConstraint("opens < closes", name="window"),
)

closed_periods = sa.Table(
    "closed_periods", metadata,
    id_column(),
    tenant_column(),
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("space_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("starts_at", UTCDateTime(), nullable=False),
    sa.Column("ends_at", UTCDateTime(), nullable=False),
    sa.Column("reason", sa.String(200), nullable=False),
    *audit_columns(),
    sa.CheckConstraint("starts_at < ends_at", name="span"),
)

holiday_overrides = sa.Table(
    "holiday_overrides", metadata,
    id_column(),
    tenant_column(),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("closed", sa.Boolean(), nullable=False),  # False: open on a public holiday; True: an extra closed day
    sa.Column("name", sa.String(200), nullable=True),
    *audit_columns(),
    sa.UniqueConstraint("municipality_id", "day"),
)

booking_series = sa.Table(
    "booking_series", metadata,
    id_column(),
    tenant_column(),
    sa.Column("space_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="RESTRICT"), nullable=False, index=True),
    sa.Column("start_date", sa.Date(), nullable=False),
    sa.Column("weekdays", JSONType, nullable=False),
    sa.Column("interval", sa.SmallInteger(), nullable=False),
    sa.Column("until", sa.Date(), nullable=True),
    sa.Column("count", sa.Integer(), nullable=True),
    sa.Column("exdates", JSONType, nullable=False),
    sa.Column("local_start", sa.Time(), nullable=False),
    sa.Column("local_end", sa.Time(), nullable=False),
    # shown as training times on the association's public profile (the association chooses)
    sa.Column("public_on_profile", sa.Boolean(), nullable=False, server_default=sa.false()),
    *audit_columns(),
)

bookings = sa.Table(
    "bookings", metadata,
    id_column(),
    tenant_column(),
    sa.Column("space_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="RESTRICT"), nullable=False),
    sa.Column("series_id", sa.Uuid(), sa.ForeignKey("booking_series.id", ondelete="RESTRICT"), nullable=True,
              index=True),
    sa.Column("association_id", sa.Uuid(), sa.ForeignKey("associations.id", ondelete="RESTRICT"), nullable=True,
              index=True),
    sa.Column("booked_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="RESTRICT"), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("starts_at", UTCDateTime(), nullable=False),
    sa.Column("ends_at", UTCDateTime(), nullable=False),
    sa.Column("status", enum_type(BookingStatus, "booking_status"), nullable=False),
    sa.Column("decided_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("decided_at", UTCDateTime(), nullable=True),
    sa.Column("decision_reason", sa.Text(), nullable=True),
    sa.Column("sequence", sa.Integer(), nullable=False),
    sa.Column("late_cancellation", sa.Boolean(), nullable=False, server_default=sa.false()),
    # a single booking shown on the association's public profile (a series' occurrences follow the series)
    sa.Column("public_on_profile", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("checked_in_at", UTCDateTime(), nullable=True),
    sa.Column("no_show", sa.Boolean(), nullable=False, server_default=sa.false()),
    # Approved once (now approved, or cancelled after approval): what the public feeds show.
    sa.Column("was_approved", sa.Boolean(), nullable=False, server_default=sa.false()),
    # A change its association asked for (a move), waiting for staff: the booking keeps its time (and the
    # feeds show it) until the change is approved. Occurrences changed together share the change_id.
    sa.Column("change_id", sa.Uuid(), nullable=True, index=True),
    sa.Column("proposed_space_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="RESTRICT"), nullable=True),
    sa.Column("proposed_starts_at", UTCDateTime(), nullable=True),
    sa.Column("proposed_ends_at", UTCDateTime(), nullable=True),
    sa.Column("change_requested_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("change_requested_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.CheckConstraint("starts_at < ends_at", name="span"),
    sa.CheckConstraint("(change_id IS NULL AND proposed_space_id IS NULL AND proposed_starts_at IS NULL "
                       "AND proposed_ends_at IS NULL) OR (change_id IS NOT NULL AND proposed_space_id IS NOT NULL "
                       "AND proposed_starts_at < proposed_ends_at)", name="proposal"),
    # Covers the public feeds' window, count and last change without reading the rows.
    sa.Index("ix_bookings_space_starts", "space_id", "starts_at", "was_approved", "ends_at", "updated_at"),
)

# One row per (approved booking, leaf unit): the time a unit is taken, changeover buffer included.
# PostgreSQL adds, in the migration, the constraint that carries "never a double booking":
#   EXCLUDE USING gist (unit_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (active)
occupancy = sa.Table(
    "occupancy", metadata,
    id_column(),
    tenant_column(),
    sa.Column("booking_id", sa.Uuid(), sa.ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("spaces.id", ondelete="RESTRICT"), nullable=False),
    sa.Column("starts_at", UTCDateTime(), nullable=False),
    sa.Column("ends_at", UTCDateTime(), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
    *audit_columns(),
    sa.CheckConstraint("starts_at < ends_at", name="span"),
    # Covers the clash and busy-time queries (active, booking) without reading the rows.
    sa.Index("ix_occupancy_unit_time", "unit_id", "starts_at", "ends_at", "active", "booking_id"),
)

# Hourly prices per tariff category and space kind.
tariffs = sa.Table(
    "tariffs", metadata,
    id_column(),
    tenant_column(),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("space_kind", sa.String(32), nullable=False),
    sa.Column("hourly", sa.Numeric(10, 2), nullable=False),
    *audit_columns(),
    sa.UniqueConstraint("municipality_id", "category", "space_kind"),
    sa.CheckConstraint("hourly >= 0", name="hourly"),
)

# Attendance at a booked occasion (for LOK-stöd): birth years and genders only, no names of children.
attendance = sa.Table(
    "attendance", metadata,
    sa.Column("booking_id", sa.Uuid(), sa.ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    tenant_column(),
    sa.Column("leader_name", sa.String(200), nullable=False),
    sa.Column("leader_birth_year", sa.Integer(), nullable=True),
    sa.Column("leaders", sa.Integer(), nullable=False),
    sa.Column("participants", JSONType, nullable=False),
    sa.Column("recorded_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="RESTRICT"), nullable=False),
    *audit_columns(),
)

# Messages waiting for delivery (and delivered ones, for a while): written in the transaction of
# the change they tell about, delivered by the worker after commit.
outbox = sa.Table(
    "outbox", metadata,
    id_column(),
    sa.Column("municipality_id", sa.Uuid(), nullable=True, index=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("recipient", sa.String(254), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
    sa.Column("last_error", sa.Text(), nullable=True),
    sa.Column("sent_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
    sa.Index("ix_outbox_due", "status", "next_attempt_at"),
)

# --- infrastructure of the API (not domain aggregates) --------------------------------------

auth_sessions = sa.Table(
    "auth_sessions", metadata,
    id_column(),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # "browser" or "api"
    sa.Column("name", sa.String(200), nullable=True),
    sa.Column("expires_at", UTCDateTime(), nullable=False),
    sa.Column("idle_expires_at", UTCDateTime(), nullable=True),
    sa.Column("revoked_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.CheckConstraint("kind IN ('browser', 'api')", name="kind"),
)

login_failures = sa.Table(
    "login_failures", metadata,
    id_column(),
    sa.Column("key_hash", sa.String(64), nullable=False),
    *audit_columns(),
    sa.Index("ix_login_failures_key_created", "key_hash", "created_at"),
)

idempotency_keys = sa.Table(
    "idempotency_keys", metadata,
    id_column(),
    sa.Column("principal", sa.String(64), nullable=False),
    sa.Column("key", sa.String(255), nullable=False),
    sa.Column("method", sa.String(8), nullable=False),
    sa.Column("path", sa.String(500), nullable=False),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer(), nullable=True),  # NULL while the first request runs
    sa.Column("response_body", sa.LargeBinary(), nullable=True),
    sa.Column("response_headers", JSONType, nullable=True),
    sa.Column("expires_at", UTCDateTime(), nullable=False, index=True),
    *audit_columns(),
    sa.UniqueConstraint("principal", "key"),
)

