"""Tables of associations in the open (föreningsmatchning): the municipality's interest categories, an
association's public profile (the draft its representatives edit and the verified version the public
sees, with a searchable copy of the published fields), and interest requests relayed to associations.

Training times are not stored here: they are derived from the association's approved bookings that it
marked public (`bookings.public_on_profile`, `booking_series.public_on_profile`)."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, enum_type, id_column, metadata, tenant_column
from booking.adapters.db.types import JSONType, UTCDateTime
from booking.domain.matching.states import ProfileStatus, RequestStatus
from booking.domain.premises.attendance import Gender

interest_categories = sa.Table(
    "interest_categories", metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.String(60), nullable=False),  # Swedish, e.g. "innebandy"
    sa.Column("name_en", sa.String(60), nullable=True),
    sa.Column("position", sa.Integer(), nullable=False),
    *audit_columns(),
    sa.UniqueConstraint("municipality_id", "name"),
)

association_profiles = sa.Table(
    "association_profiles", metadata,
    id_column(),
    tenant_column(),
    sa.Column("association_id", sa.Uuid(), sa.ForeignKey("associations.id", ondelete="CASCADE"), nullable=False,
              unique=True),
    sa.Column("draft", JSONType, nullable=False),
    sa.Column("status", enum_type(ProfileStatus, "profile_status"), nullable=False),
    sa.Column("published", JSONType, nullable=True),
    sa.Column("published_at", UTCDateTime(), nullable=True),
    sa.Column("verified_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("review_note", sa.Text(), nullable=True),
    # a searchable copy of the published version (NULL/empty while nothing is published)
    sa.Column("age_min", sa.Integer(), nullable=True),
    sa.Column("age_max", sa.Integer(), nullable=True),
    sa.Column("free_to_try", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("accessible", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("interests", JSONType, nullable=False),
    sa.Column("areas", JSONType, nullable=False),
    sa.Column("languages", JSONType, nullable=False),
    sa.Column("for_whom", JSONType, nullable=False),
    sa.Column("requests_paused", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("contact_id", sa.Uuid(), sa.ForeignKey("association_contacts.id", ondelete="SET NULL"),
              nullable=True),
    *audit_columns(),
    sa.Index("ix_association_profiles_municipality_published", "municipality_id", "published_at"),
)

interest_requests = sa.Table(
    "interest_requests", metadata,
    id_column(),
    tenant_column(),
    sa.Column("association_id", sa.Uuid(), sa.ForeignKey("associations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("status", enum_type(RequestStatus, "interest_request_status"), nullable=False),
    sa.Column("interests", JSONType, nullable=False),  # category ids
    sa.Column("age", sa.Integer(), nullable=True),
    sa.Column("gender", enum_type(Gender, "interest_request_gender"), nullable=True),
    sa.Column("home_area_id", sa.Uuid(), sa.ForeignKey("areas.id", ondelete="SET NULL"), nullable=True),
    sa.Column("days", JSONType, nullable=False),  # ISO weekdays 1-7
    sa.Column("message", sa.Text(), nullable=True),
    # personal data: kept only with consent, anonymised by the retention job
    sa.Column("contact_name", sa.String(200), nullable=True),
    sa.Column("contact_email", sa.String(254), nullable=True),
    sa.Column("contact_phone", sa.String(20), nullable=True),
    sa.Column("consent", sa.Boolean(), nullable=False),
    sa.Column("guardian_consent", sa.Boolean(), nullable=False),
    sa.Column("via_counter", sa.Boolean(), nullable=False),
    sa.Column("made_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("sender_hash", sa.String(64), nullable=False, index=True),  # rate limiting; no identity
    sa.Column("answer", sa.Text(), nullable=True),
    sa.Column("answered_at", UTCDateTime(), nullable=True),
    sa.Column("answered_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("anonymised_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.CheckConstraint("age IS NULL OR (age >= 0 AND age <= 120)", name="age"),
    sa.Index("ix_interest_requests_association_created", "association_id", "created_at"),
    sa.Index("ix_interest_requests_municipality_created", "municipality_id", "created_at"),
)
