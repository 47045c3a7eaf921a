"""The one-time links of people: invitations and password resets (`domain/people/links.py`).
It joins the one `metadata` of `tables_base.py`; the accounts themselves are in tables.py."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, enum_type, id_column, metadata, tenant_column
from booking.adapters.db.types import UTCDateTime
from booking.domain.people.links import LinkKind

# Only the token's SHA-256 is stored: the token itself is in the e-mail and nowhere else.
one_time_links = sa.Table(
    "one_time_links", metadata,
    id_column(),
    tenant_column(),
    sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("kind", enum_type(LinkKind, "link_kind"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("expires_at", UTCDateTime(), nullable=False),
    sa.Column("used_at", UTCDateTime(), nullable=True),
    *audit_columns(),
)
