"""OpenID Connect sign-in: each municipality's provider settings, the accounts' links to the provider's
subjects, and the sign-ins under way (state, nonce, PKCE verifier; used once).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "oidc_settings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("client_secret", sa.String(length=255), nullable=True),
        sa.Column("scopes", JSON, nullable=False),
        sa.Column("claim", sa.String(length=100), nullable=False),
        sa.Column("mappings", JSON, nullable=False),
        sa.Column("create_accounts", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_oidc_settings_municipality_id_municipalities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_settings")),
        sa.UniqueConstraint("municipality_id", name=op.f("uq_oidc_settings_municipality_id")),
    )
    op.create_table(
        "oidc_identities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_oidc_identities_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_oidc_identities_municipality_id_municipalities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_identities")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_oidc_identities_issuer_subject")),
    )
    with op.batch_alter_table("oidc_identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oidc_identities_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_oidc_identities_municipality_id"), ["municipality_id"], unique=False)
    op.create_table(
        "oidc_pending_sign_ins",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("return_path", sa.String(length=500), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipalities.id"],
                                name=op.f("fk_oidc_pending_sign_ins_municipality_id_municipalities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_pending_sign_ins")),
        sa.UniqueConstraint("state_hash", name=op.f("uq_oidc_pending_sign_ins_state_hash")),
    )
    with op.batch_alter_table("oidc_pending_sign_ins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oidc_pending_sign_ins_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_oidc_pending_sign_ins_municipality_id"), ["municipality_id"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("oidc_pending_sign_ins")
    op.drop_table("oidc_identities")
    op.drop_table("oidc_settings")
