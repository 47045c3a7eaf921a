"""Equipment lending (Fritidsbanken): catalogue (categories, articles, items and their history), labels and
their print log, borrowers with cards and consents, donations and stock counts.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lending_categories",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name=op.f("ck_lending_categories_not_own_parent")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_categories_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["lending_categories.id"],
            name=op.f("fk_lending_categories_parent_id_lending_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_categories")),
    )
    op.create_index(
        op.f("ix_lending_categories_municipality_id"), "lending_categories", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_lending_categories_parent_id"), "lending_categories", ["parent_id"], unique=False)
    op.create_table(
        "borrowers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("mobile", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column(
            "gender",
            sa.Enum(
                "female", "male", "other", name="borrower_gender", native_enum=False, create_constraint=True, length=32
            ),
            nullable=True,
        ),
        sa.Column("area_id", sa.Uuid(), nullable=True),
        sa.Column("guardian_id", sa.Uuid(), nullable=True),
        sa.Column("blocked_reason", sa.Text(), nullable=True),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pin_hash", sa.String(length=255), nullable=True),
        sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_via", sa.String(length=8), server_default="desk", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("guardian_id IS NULL OR guardian_id <> id", name=op.f("ck_borrowers_not_own_guardian")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_borrowers_account_id_accounts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_borrowers_area_id_areas"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["borrowers.id"], name=op.f("fk_borrowers_guardian_id_borrowers"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_borrowers_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_borrowers")),
        sa.UniqueConstraint("account_id", name=op.f("uq_borrowers_account_id")),
    )
    op.create_index(op.f("ix_borrowers_area_id"), "borrowers", ["area_id"], unique=False)
    op.create_index(op.f("ix_borrowers_guardian_id"), "borrowers", ["guardian_id"], unique=False)
    op.create_index(op.f("ix_borrowers_municipality_id"), "borrowers", ["municipality_id"], unique=False)
    op.create_index("ix_borrowers_municipality_mobile", "borrowers", ["municipality_id", "mobile"], unique=False)
    op.create_table(
        "lending_articles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("variant", sa.String(length=60), nullable=True),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("loan_period_days", sa.Integer(), server_default="14", nullable=False),
        sa.Column("needs_guardian_consent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("self_service", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("photo_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("loan_period_days BETWEEN 1 AND 365", name=op.f("ck_lending_articles_loan_period")),
        sa.CheckConstraint(
            "min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name=op.f("ck_lending_articles_ages")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["lending_categories.id"],
            name=op.f("fk_lending_articles_category_id_lending_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_articles_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_articles")),
    )
    op.create_index(op.f("ix_lending_articles_category_id"), "lending_articles", ["category_id"], unique=False)
    op.create_index(op.f("ix_lending_articles_municipality_id"), "lending_articles", ["municipality_id"], unique=False)
    op.create_table(
        "lending_label_prints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("codes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_label_prints_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["printed_by"],
            ["accounts.id"],
            name=op.f("fk_lending_label_prints_printed_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_label_prints")),
    )
    op.create_index(
        op.f("ix_lending_label_prints_municipality_id"), "lending_label_prints", ["municipality_id"], unique=False
    )
    op.create_table(
        "borrower_consents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("borrower_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("given_by", sa.Uuid(), nullable=True),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"],
            ["borrowers.id"],
            name=op.f("fk_borrower_consents_borrower_id_borrowers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["lending_categories.id"],
            name=op.f("fk_borrower_consents_category_id_lending_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["given_by"], ["borrowers.id"], name=op.f("fk_borrower_consents_given_by_borrowers"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_borrower_consents")),
        sa.UniqueConstraint("borrower_id", "category_id", name=op.f("uq_borrower_consents_borrower_id_category_id")),
    )
    op.create_index(op.f("ix_borrower_consents_category_id"), "borrower_consents", ["category_id"], unique=False)
    op.create_table(
        "lending_cards",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("borrower_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrowers.id"], name=op.f("fk_lending_cards_borrower_id_borrowers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_cards_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_cards")),
        sa.UniqueConstraint("number", name=op.f("uq_lending_cards_number")),
    )
    op.create_index(op.f("ix_lending_cards_borrower_id"), "lending_cards", ["borrower_id"], unique=False)
    op.create_index(op.f("ix_lending_cards_municipality_id"), "lending_cards", ["municipality_id"], unique=False)
    op.create_index(
        "uq_lending_cards_one_active",
        "lending_cards",
        ["borrower_id"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.create_table(
        "lending_donations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("item_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("item_count >= 0", name=op.f("ck_lending_donations_item_count")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_donations_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["received_by"],
            ["accounts.id"],
            name=op.f("fk_lending_donations_received_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_lending_donations_site_id_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_donations")),
    )
    op.create_index(
        op.f("ix_lending_donations_municipality_id"), "lending_donations", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_lending_donations_site_id"), "lending_donations", ["site_id"], unique=False)
    op.create_table(
        "lending_stock_counts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by", sa.Uuid(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_stock_counts_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_lending_stock_counts_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["started_by"],
            ["accounts.id"],
            name=op.f("fk_lending_stock_counts_started_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_stock_counts")),
    )
    op.create_index(
        op.f("ix_lending_stock_counts_municipality_id"), "lending_stock_counts", ["municipality_id"], unique=False
    )
    op.create_index(op.f("ix_lending_stock_counts_site_id"), "lending_stock_counts", ["site_id"], unique=False)
    op.create_table(
        "lending_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("label_code", sa.String(length=16), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "available",
                "on_loan",
                "on_hold_shelf",
                "in_repair",
                "being_checked",
                "retired",
                "lost",
                name="item_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("condition_note", sa.Text(), nullable=True),
        sa.Column("donation_id", sa.Uuid(), nullable=True),
        sa.Column("last_counted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["lending_articles.id"],
            name=op.f("fk_lending_items_article_id_lending_articles"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["donation_id"],
            ["lending_donations.id"],
            name=op.f("fk_lending_items_donation_id_lending_donations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_items_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_lending_items_site_id_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_items")),
        sa.UniqueConstraint("municipality_id", "label_code", name=op.f("uq_lending_items_municipality_id_label_code")),
    )
    op.create_index(op.f("ix_lending_items_article_id"), "lending_items", ["article_id"], unique=False)
    op.create_index(op.f("ix_lending_items_donation_id"), "lending_items", ["donation_id"], unique=False)
    op.create_index(op.f("ix_lending_items_municipality_id"), "lending_items", ["municipality_id"], unique=False)
    op.create_index("ix_lending_items_site_status", "lending_items", ["site_id", "status"], unique=False)
    op.create_table(
        "lending_item_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=True),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["accounts.id"], name=op.f("fk_lending_item_events_actor_id_accounts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lending_items.id"],
            name=op.f("fk_lending_item_events_item_id_lending_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_item_events_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_lending_item_events_site_id_sites"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_item_events")),
    )
    op.create_index("ix_lending_item_events_item_at", "lending_item_events", ["item_id", "at"], unique=False)
    op.create_index(
        op.f("ix_lending_item_events_municipality_id"), "lending_item_events", ["municipality_id"], unique=False
    )
    op.create_table(
        "lending_labels",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["lending_items.id"], name=op.f("fk_lending_labels_item_id_lending_items"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_labels_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_labels")),
        sa.UniqueConstraint("code", name=op.f("uq_lending_labels_code")),
        sa.UniqueConstraint("item_id", name=op.f("uq_lending_labels_item_id")),
    )
    op.create_index(op.f("ix_lending_labels_municipality_id"), "lending_labels", ["municipality_id"], unique=False)
    op.create_table(
        "lending_stock_scans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("count_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=True),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["lending_stock_counts.id"],
            name=op.f("fk_lending_stock_scans_count_id_lending_stock_counts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lending_items.id"],
            name=op.f("fk_lending_stock_scans_item_id_lending_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_stock_scans")),
        sa.UniqueConstraint("count_id", "code", name=op.f("uq_lending_stock_scans_count_id_code")),
    )


def downgrade() -> None:
    op.drop_table("lending_stock_scans")
    op.drop_index(op.f("ix_lending_labels_municipality_id"), table_name="lending_labels")
    op.drop_table("lending_labels")
    op.drop_index(op.f("ix_lending_item_events_municipality_id"), table_name="lending_item_events")
    op.drop_index("ix_lending_item_events_item_at", table_name="lending_item_events")
    op.drop_table("lending_item_events")
    op.drop_index("ix_lending_items_site_status", table_name="lending_items")
    op.drop_index(op.f("ix_lending_items_municipality_id"), table_name="lending_items")
    op.drop_index(op.f("ix_lending_items_donation_id"), table_name="lending_items")
    op.drop_index(op.f("ix_lending_items_article_id"), table_name="lending_items")
    op.drop_table("lending_items")
    op.drop_index(op.f("ix_lending_stock_counts_site_id"), table_name="lending_stock_counts")
    op.drop_index(op.f("ix_lending_stock_counts_municipality_id"), table_name="lending_stock_counts")
    op.drop_table("lending_stock_counts")
    op.drop_index(op.f("ix_lending_donations_site_id"), table_name="lending_donations")
    op.drop_index(op.f("ix_lending_donations_municipality_id"), table_name="lending_donations")
    op.drop_table("lending_donations")
    op.drop_index(
        "uq_lending_cards_one_active",
        table_name="lending_cards",
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.drop_index(op.f("ix_lending_cards_municipality_id"), table_name="lending_cards")
    op.drop_index(op.f("ix_lending_cards_borrower_id"), table_name="lending_cards")
    op.drop_table("lending_cards")
    op.drop_index(op.f("ix_borrower_consents_category_id"), table_name="borrower_consents")
    op.drop_table("borrower_consents")
    op.drop_index(op.f("ix_lending_label_prints_municipality_id"), table_name="lending_label_prints")
    op.drop_table("lending_label_prints")
    op.drop_index(op.f("ix_lending_articles_municipality_id"), table_name="lending_articles")
    op.drop_index(op.f("ix_lending_articles_category_id"), table_name="lending_articles")
    op.drop_table("lending_articles")
    op.drop_index("ix_borrowers_municipality_mobile", table_name="borrowers")
    op.drop_index(op.f("ix_borrowers_municipality_id"), table_name="borrowers")
    op.drop_index(op.f("ix_borrowers_guardian_id"), table_name="borrowers")
    op.drop_index(op.f("ix_borrowers_area_id"), table_name="borrowers")
    op.drop_table("borrowers")
    op.drop_index(op.f("ix_lending_categories_parent_id"), table_name="lending_categories")
    op.drop_index(op.f("ix_lending_categories_municipality_id"), table_name="lending_categories")
    op.drop_table("lending_categories")
