"""Lending circulation: loans, returns, renewals, holds.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22 21:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lending_reminders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_reminders_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_reminders")),
        sa.UniqueConstraint("subject_id", "kind", "step", name=op.f("uq_lending_reminders_subject_id_kind_step")),
    )
    op.create_index(
        op.f("ix_lending_reminders_municipality_id"), "lending_reminders", ["municipality_id"], unique=False
    )
    op.create_table(
        "lending_site_hours",
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("opens", sa.Time(), nullable=True),
        sa.Column("closes", sa.Time(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_site_hours_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_lending_site_hours_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_lending_site_hours")),
    )
    op.create_index(
        op.f("ix_lending_site_hours_municipality_id"), "lending_site_hours", ["municipality_id"], unique=False
    )
    op.create_table(
        "lending_holds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.Column("borrower_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "ready",
                "collected",
                "cancelled",
                "expired",
                name="hold_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("item_id", sa.Uuid(), nullable=True),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["lending_articles.id"],
            name=op.f("fk_lending_holds_article_id_lending_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrowers.id"], name=op.f("fk_lending_holds_borrower_id_borrowers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["lending_items.id"], name=op.f("fk_lending_holds_item_id_lending_items"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_holds_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_lending_holds_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_holds")),
    )
    op.create_index(
        "ix_lending_holds_article_status", "lending_holds", ["article_id", "status", "placed_at"], unique=False
    )
    op.create_index(op.f("ix_lending_holds_borrower_id"), "lending_holds", ["borrower_id"], unique=False)
    op.create_index(op.f("ix_lending_holds_municipality_id"), "lending_holds", ["municipality_id"], unique=False)
    op.create_index(
        "uq_lending_holds_open_borrower_article",
        "lending_holds",
        ["borrower_id", "article_id"],
        unique=True,
        sqlite_where=sa.text("status IN ('waiting', 'ready')"),
        postgresql_where=sa.text("status IN ('waiting', 'ready')"),
    )
    op.create_index(
        "uq_lending_holds_ready_item",
        "lending_holds",
        ["item_id"],
        unique=True,
        sqlite_where=sa.text("status = 'ready'"),
        postgresql_where=sa.text("status = 'ready'"),
    )
    op.create_table(
        "lending_loans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("article_id", sa.Uuid(), nullable=False),
        sa.Column("borrower_id", sa.Uuid(), nullable=True),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("lent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("lent_by", sa.Uuid(), nullable=True),
        sa.Column("self_service", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("renewals", sa.Integer(), server_default="0", nullable=False),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("returned_site_id", sa.Uuid(), nullable=True),
        sa.Column("returned_by", sa.Uuid(), nullable=True),
        sa.Column("return_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("renewals >= 0", name=op.f("ck_lending_loans_renewals")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["lending_articles.id"],
            name=op.f("fk_lending_loans_article_id_lending_articles"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrowers.id"], name=op.f("fk_lending_loans_borrower_id_borrowers"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["lending_items.id"], name=op.f("fk_lending_loans_item_id_lending_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["lent_by"], ["accounts.id"], name=op.f("fk_lending_loans_lent_by_accounts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_lending_loans_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["returned_by"], ["accounts.id"], name=op.f("fk_lending_loans_returned_by_accounts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["returned_site_id"],
            ["sites.id"],
            name=op.f("fk_lending_loans_returned_site_id_sites"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_lending_loans_site_id_sites"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lending_loans")),
    )
    op.create_index(op.f("ix_lending_loans_article_id"), "lending_loans", ["article_id"], unique=False)
    op.create_index("ix_lending_loans_borrower_returned", "lending_loans", ["borrower_id", "returned_at"], unique=False)
    op.create_index("ix_lending_loans_item_lent", "lending_loans", ["item_id", "lent_at"], unique=False)
    op.create_index(op.f("ix_lending_loans_municipality_id"), "lending_loans", ["municipality_id"], unique=False)
    op.create_index(
        "ix_lending_loans_open_due",
        "lending_loans",
        ["municipality_id", "due_on"],
        unique=False,
        sqlite_where=sa.text("returned_at IS NULL"),
        postgresql_where=sa.text("returned_at IS NULL"),
    )
    op.create_index(
        "uq_lending_loans_open_item",
        "lending_loans",
        ["item_id"],
        unique=True,
        sqlite_where=sa.text("returned_at IS NULL"),
        postgresql_where=sa.text("returned_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_lending_loans_open_item",
        table_name="lending_loans",
        sqlite_where=sa.text("returned_at IS NULL"),
        postgresql_where=sa.text("returned_at IS NULL"),
    )
    op.drop_index(
        "ix_lending_loans_open_due",
        table_name="lending_loans",
        sqlite_where=sa.text("returned_at IS NULL"),
        postgresql_where=sa.text("returned_at IS NULL"),
    )
    op.drop_index(op.f("ix_lending_loans_municipality_id"), table_name="lending_loans")
    op.drop_index("ix_lending_loans_item_lent", table_name="lending_loans")
    op.drop_index("ix_lending_loans_borrower_returned", table_name="lending_loans")
    op.drop_index(op.f("ix_lending_loans_article_id"), table_name="lending_loans")
    op.drop_table("lending_loans")
    op.drop_index(
        "uq_lending_holds_ready_item",
        table_name="lending_holds",
        sqlite_where=sa.text("status = 'ready'"),
        postgresql_where=sa.text("status = 'ready'"),
    )
    op.drop_index(
        "uq_lending_holds_open_borrower_article",
        table_name="lending_holds",
        sqlite_where=sa.text("status IN ('waiting', 'ready')"),
        postgresql_where=sa.text("status IN ('waiting', 'ready')"),
    )
    op.drop_index(op.f("ix_lending_holds_municipality_id"), table_name="lending_holds")
    op.drop_index(op.f("ix_lending_holds_borrower_id"), table_name="lending_holds")
    op.drop_index("ix_lending_holds_article_status", table_name="lending_holds")
    op.drop_table("lending_holds")
    op.drop_index(op.f("ix_lending_site_hours_municipality_id"), table_name="lending_site_hours")
    op.drop_table("lending_site_hours")
    op.drop_index(op.f("ix_lending_reminders_municipality_id"), table_name="lending_reminders")
    op.drop_table("lending_reminders")
