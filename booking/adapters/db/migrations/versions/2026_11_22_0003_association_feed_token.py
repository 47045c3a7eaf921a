"""Association feed token: the hash of the rotatable token of an association's private calendar feed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 19:41:14.535700
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("associations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_associations_feed_token_hash"), ["feed_token_hash"])


def downgrade() -> None:

    with op.batch_alter_table("associations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_associations_feed_token_hash"), type_="unique")
        batch_op.drop_column("feed_token_hash")
