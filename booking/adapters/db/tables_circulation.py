"""Tables of lending circulation (loans, returns, renewals, holds). They join the one `metadata` of `tables.py`."""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401

from booking.adapters.db.tables import _audit, _enum, _id, _tenant, metadata  # noqa: F401
