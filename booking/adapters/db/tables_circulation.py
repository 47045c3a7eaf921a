"""Tables of lending circulation (loans, returns, renewals, holds). They join the one `metadata` of `tables_base.py`.

One open loan per item is a partial unique index (`uq_lending_loans_open_item`: item_id WHERE
returned_at IS NULL) on both engines; lending also locks the item row, so the index is the last
line, not the first."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, enum_type, id_column, metadata, tenant_column
from booking.adapters.db.types import UTCDateTime
from booking.domain.lending.circulation import HoldStatus

_OPEN = sa.text("returned_at IS NULL")
_OPEN_HOLD = sa.text("status IN ('waiting', 'ready')")

lending_loans = sa.Table(
    "lending_loans", metadata,
    id_column(),
    tenant_column(),
    sa.Column("item_id", sa.Uuid(), sa.ForeignKey("lending_items.id", ondelete="RESTRICT"), nullable=False),
    sa.Column("article_id", sa.Uuid(), sa.ForeignKey("lending_articles.id", ondelete="RESTRICT"), nullable=False,
              index=True),
    # Kept when the borrower is anonymised (the loan counts for the statistics); deleting one forgets who.
    sa.Column("borrower_id", sa.Uuid(), sa.ForeignKey("borrowers.id", ondelete="SET NULL"), nullable=True),
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="RESTRICT"), nullable=False),
    sa.Column("lent_at", UTCDateTime(), nullable=False),
    sa.Column("due_on", sa.Date(), nullable=False),
    sa.Column("lent_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("self_service", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("renewals", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("returned_at", UTCDateTime(), nullable=True),
    sa.Column("returned_site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="RESTRICT"), nullable=True),
    sa.Column("returned_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("return_reported_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.CheckConstraint("renewals >= 0", name="renewals"),
    sa.Index("uq_lending_loans_open_item", "item_id", unique=True, sqlite_where=_OPEN, postgresql_where=_OPEN),
    sa.Index("ix_lending_loans_item_lent", "item_id", "lent_at"),
    sa.Index("ix_lending_loans_borrower_returned", "borrower_id", "returned_at"),
    sa.Index("ix_lending_loans_open_due", "municipality_id", "due_on", sqlite_where=_OPEN, postgresql_where=_OPEN),
)

lending_holds = sa.Table(
    "lending_holds", metadata,
    id_column(),
    tenant_column(),
    sa.Column("article_id", sa.Uuid(), sa.ForeignKey("lending_articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("borrower_id", sa.Uuid(), sa.ForeignKey("borrowers.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    sa.Column("placed_at", UTCDateTime(), nullable=False),
    sa.Column("status", enum_type(HoldStatus, "hold_status"), nullable=False),
    sa.Column("item_id", sa.Uuid(), sa.ForeignKey("lending_items.id", ondelete="SET NULL"), nullable=True),
    sa.Column("ready_at", UTCDateTime(), nullable=True),
    sa.Column("expires_on", sa.Date(), nullable=True),
    sa.Column("closed_at", UTCDateTime(), nullable=True),
    *audit_columns(),
    sa.Index("ix_lending_holds_article_status", "article_id", "status", "placed_at"),
    # One open hold per borrower and article; an item waits on the shelf for one hold at a time.
    sa.Index("uq_lending_holds_open_borrower_article", "borrower_id", "article_id", unique=True,
             sqlite_where=_OPEN_HOLD, postgresql_where=_OPEN_HOLD),
    sa.Index("uq_lending_holds_ready_item", "item_id", unique=True,
             sqlite_where=sa.text("status = 'ready'"), postgresql_where=sa.text("status = 'ready'")),
)

# The weekdays a lending site is open ("01234" = Monday to Friday); without a row: every day.
lending_site_hours = sa.Table(
    "lending_site_hours", metadata,
    sa.Column("site_id", sa.Uuid(), sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    tenant_column(),
    sa.Column("weekdays", sa.String(7), nullable=False),
    sa.Column("opens", sa.Time(), nullable=True),
    sa.Column("closes", sa.Time(), nullable=True),
    *audit_columns(),
)

# Each reminder once: (loan or hold, kind, step) is unique, and the job writes its outbox message
# in the same transaction as this row.
lending_reminders = sa.Table(
    "lending_reminders", metadata,
    id_column(),
    tenant_column(),
    sa.Column("subject_id", sa.Uuid(), nullable=False),  # a loan or a hold
    sa.Column("kind", sa.String(32), nullable=False),  # due_soon | overdue | hold_ready | hold_expired
    sa.Column("step", sa.Integer(), nullable=False),  # overdue: the week after the due date (0, 1, ...)
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("sent_at", UTCDateTime(), nullable=False),
    *audit_columns(),
    sa.UniqueConstraint("subject_id", "kind", "step"),
)
