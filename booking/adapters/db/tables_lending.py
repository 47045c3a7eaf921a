"""Tables of equipment lending (Fritidsbanken): the catalogue, labels, borrowers and cards, donations and
stock counts. They join the one `metadata` of `tables_base.py`."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, enum_type, id_column, metadata, tenant_column
from booking.adapters.db.types import JSONType, UTCDateTime
from booking.domain.lending.borrowers import Gender
from booking.domain.lending.model import MAX_LOAN_DAYS, ItemStatus

lending_categories = sa.Table(
    "lending_categories", metadata,
    id_column(),
    tenant_column(),
    sa.Column("parent_id", sa.Uuid(), sa.ForeignKey("lending_categories.id", ondelete="RESTRICT"), nullable=True,
              index=True),
    sa.Column("name", sa.String(200), nullable=False),
    *audit_columns(),
    sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
)

lending_articles = sa.Table(
    "lending_articles", metadata,
    id_column(),
    tenant_column(),
    sa.Column("category_id", sa.Uuid(), sa.ForeignKey("lending_categories.id", ondelete="RESTRICT"),
              nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text(), nullable=True),
    sa.Column("variant", sa.String(60), nullable=True),
    sa.Column("min_age", sa.Integer(), nullable=True),
    sa.Column("max_age", sa.Integer(), nullable=True),
    sa.Column("loan_period_days", sa.Integer(), nullable=False, server_default="14"),
    sa.Column("needs_guardian_consent", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("self_service", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("photo_url", sa.String(500), nullable=True),
    *audit_columns(),
    sa.CheckConstraint(f"loan_period_days BETWEEN 1 AND {MAX_LOAN_DAYS}", name="loan_period"),
    sa.CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="ages"),
)

lending_donations = sa.Table(
    "lending_donations", metadata,
    id_column(),
    tenant_column(),
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="RESTRICT"), nullable=False, index=True),
    sa.Column("received_at", UTCDateTime(), nullable=False),
    sa.Column("received_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("item_count", sa.Integer(), nullable=False, server_default="0"),
    *audit_columns(),
    sa.CheckConstraint("item_count >= 0", name="item_count"),
)

lending_items = sa.Table(
    "lending_items", metadata,
    id_column(),
    tenant_column(),
    sa.Column("article_id", sa.Uuid(), sa.ForeignKey("lending_articles.id", ondelete="RESTRICT"), nullable=False,
              index=True),
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="RESTRICT"), nullable=False),
    sa.Column("label_code", sa.String(16), nullable=True),
    sa.Column("status", enum_type(ItemStatus, "item_status"), nullable=False),
    sa.Column("condition_note", sa.Text(), nullable=True),
    sa.Column("donation_id", sa.Uuid(), sa.ForeignKey("lending_donations.id", ondelete="SET NULL"), nullable=True,
              index=True),
    sa.Column("last_counted_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.UniqueConstraint("municipality_id", "label_code"),
    sa.Index("ix_lending_items_site_status", "site_id", "status"),
)

lending_item_events = sa.Table(
    "lending_item_events", metadata,
    id_column(),
    sa.Column("municipality_id", sa.Uuid(), sa.ForeignKey("municipalities.id", ondelete="CASCADE"), nullable=True,
              index=True),
    sa.Column("item_id", sa.Uuid(), sa.ForeignKey("lending_items.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("from_status", sa.String(32), nullable=True),
    sa.Column("to_status", sa.String(32), nullable=True),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("actor_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="SET NULL"), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    *audit_columns(),
    sa.Index("ix_lending_item_events_item_at", "item_id", "at"),
)

lending_labels = sa.Table(
    "lending_labels", metadata,
    id_column(),
    tenant_column(),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("item_id", sa.Uuid(), sa.ForeignKey("lending_items.id", ondelete="SET NULL"), nullable=True,
              unique=True),
    sa.Column("printed_at", UTCDateTime(), nullable=True),
    sa.Column("linked_at", UTCDateTime(), nullable=True),
    *audit_columns(),
)

lending_label_prints = sa.Table(
    "lending_label_prints", metadata,
    id_column(),
    tenant_column(),
    sa.Column("template", sa.String(32), nullable=False),
    sa.Column("codes", JSONType, nullable=False),
    sa.Column("printed_at", UTCDateTime(), nullable=False),
    sa.Column("printed_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    *audit_columns(),
)

borrowers = sa.Table(
    "borrowers", metadata,
    id_column(),
    tenant_column(),
    sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True,
              unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("mobile", sa.String(16), nullable=True),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("birth_year", sa.Integer(), nullable=False),
    sa.Column("gender", enum_type(Gender, "borrower_gender"), nullable=True),
    sa.Column("area_id", sa.Uuid(), sa.ForeignKey("areas.id", ondelete="SET NULL"), nullable=True, index=True),
    sa.Column("guardian_id", sa.Uuid(), sa.ForeignKey("borrowers.id", ondelete="SET NULL"), nullable=True,
              index=True),
    sa.Column("blocked_reason", sa.Text(), nullable=True),
    sa.Column("blocked_at", UTCDateTime(), nullable=True),
    sa.Column("pin_hash", sa.String(255), nullable=True),
    sa.Column("last_active_at", UTCDateTime(), nullable=True),
    sa.Column("anonymised_at", UTCDateTime(), nullable=True),
    sa.Column("registered_via", sa.String(8), nullable=False, server_default="desk"),
    *audit_columns(),
    sa.CheckConstraint("guardian_id IS NULL OR guardian_id <> id", name="not_own_guardian"),
    sa.Index("ix_borrowers_municipality_mobile", "municipality_id", "mobile"),
)

lending_cards = sa.Table(
    "lending_cards", metadata,
    id_column(),
    tenant_column(),
    sa.Column("borrower_id", sa.Uuid(), sa.ForeignKey("borrowers.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("number", sa.String(16), nullable=False, unique=True),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("issued_at", UTCDateTime(), nullable=True),
    sa.Column("blocked_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    # At most one active card per borrower: replacing a card blocks the old one in the same transaction.
    sa.Index("uq_lending_cards_one_active", "borrower_id", unique=True,
             sqlite_where=sa.text("active"), postgresql_where=sa.text("active")),
)

borrower_consents = sa.Table(
    "borrower_consents", metadata,
    id_column(),
    sa.Column("borrower_id", sa.Uuid(), sa.ForeignKey("borrowers.id", ondelete="CASCADE"), nullable=False),
    sa.Column("category_id", sa.Uuid(), sa.ForeignKey("lending_categories.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("given_by", sa.Uuid(), sa.ForeignKey("borrowers.id", ondelete="SET NULL"), nullable=True),
    sa.Column("given_at", UTCDateTime(), nullable=False),
    *audit_columns(),
    sa.UniqueConstraint("borrower_id", "category_id"),
)

lending_stock_counts = sa.Table(
    "lending_stock_counts", metadata,
    id_column(),
    tenant_column(),
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("started_at", UTCDateTime(), nullable=False),
    sa.Column("started_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    *audit_columns(),
)

lending_stock_scans = sa.Table(
    "lending_stock_scans", metadata,
    id_column(),
    sa.Column("count_id", sa.Uuid(), sa.ForeignKey("lending_stock_counts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("code", sa.String(16), nullable=False),
    sa.Column("item_id", sa.Uuid(), sa.ForeignKey("lending_items.id", ondelete="CASCADE"), nullable=True),
    sa.Column("scanned_at", UTCDateTime(), nullable=False),
    *audit_columns(),
    sa.UniqueConstraint("count_id", "code"),
)
