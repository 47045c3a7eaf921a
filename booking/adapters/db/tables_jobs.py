"""The record of scheduled jobs: one row per job and due time, claimed by the worker that runs it.
It joins the one `metadata` of `tables_base.py`. Not a tenant table: the jobs serve every municipality."""

from __future__ import annotations

import sqlalchemy as sa

from booking.adapters.db.tables_base import audit_columns, id_column, metadata
from booking.adapters.db.types import JSONType, UTCDateTime

# A unique (job, due_at): whoever inserts the row runs that due time; the others see it and skip.
job_runs = sa.Table(
    "job_runs", metadata,
    id_column(),
    sa.Column("job", sa.String(64), nullable=False),
    sa.Column("due_at", UTCDateTime(), nullable=False),
    sa.Column("claimed_by", sa.String(200), nullable=False),
    sa.Column("claimed_at", UTCDateTime(), nullable=False),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    sa.Column("outcome", JSONType, nullable=True),  # what the run did: {"activity_reminders": 3, ...}
    sa.Column("error", sa.Text(), nullable=True),
    *audit_columns(),
    sa.UniqueConstraint("job", "due_at"),
)
