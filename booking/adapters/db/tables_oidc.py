"""OpenID Connect sign-in: each municipality's provider settings, the accounts' links to the provider's
subjects, and the sign-ins under way (state, nonce, PKCE verifier; used once, shared by every worker)."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, id_column, metadata, tenant_column
from booking.adapters.db.types import JSONType, UTCDateTime

oidc_settings = sa.Table(
    "oidc_settings", metadata,
    id_column(),
    sa.Column("municipality_id", sa.Uuid(), sa.ForeignKey("municipalities.id", ondelete="CASCADE"),
              nullable=False, unique=True),
    sa.Column("issuer", sa.String(500), nullable=False),
    sa.Column("client_id", sa.String(255), nullable=False),
    sa.Column("client_secret", sa.String(255), nullable=True),  # never leaves the server but to the provider
    sa.Column("scopes", JSONType, nullable=False),
    sa.Column("claim", sa.String(100), nullable=False),
    sa.Column("mappings", JSONType, nullable=False),  # [{"value", "role", "site_id"}]
    sa.Column("create_accounts", sa.Boolean(), nullable=False),
    sa.Column("enabled", sa.Boolean(), nullable=False),
    *audit_columns(),
)

# The provider's `sub` with its issuer, stored at the first sign-in: how the account is found again.
oidc_identities = sa.Table(
    "oidc_identities", metadata,
    id_column(),
    tenant_column(),
    sa.Column("issuer", sa.String(500), nullable=False),
    sa.Column("subject", sa.String(255), nullable=False),
    sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.UniqueConstraint("issuer", "subject"),
    *audit_columns(),
)

# Only the state's SHA-256 is stored; the row is deleted when the callback takes it (once).
oidc_pending_sign_ins = sa.Table(
    "oidc_pending_sign_ins", metadata,
    id_column(),
    tenant_column(),
    sa.Column("state_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("nonce", sa.String(100), nullable=False),
    sa.Column("code_verifier", sa.String(128), nullable=False),
    sa.Column("return_path", sa.String(500), nullable=False),
    sa.Column("expires_at", UTCDateTime(), nullable=False, index=True),
    *audit_columns(),
)
