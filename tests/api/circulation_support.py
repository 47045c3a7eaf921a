"""An app over a small Fritidsbanken with a fixed clock (2027-03-12 10:00 local), a desk token and PINs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx

from booking.adapters.db.auth_store import AuthStore
from booking.adapters.db.database import Database
from booking.api.app import create_app
from booking.domain.shared.clock import FixedClock
from tests.conftest import FAST_HASHER, test_settings
from tests.integration.circulation_bank import NOW, Bank, make_bank

PIN = "4711"


@dataclass
class Desk:
    bank: Bank
    clock: FixedClock
    app: Any
    client: httpx.AsyncClient
    staff: dict[str, str]  # headers

    def code(self, key: str, index: int = 0) -> str:
        return self.bank.items[key][index].label_code or ""


async def open_desk(db: Database, **bank: Any) -> tuple[Desk, Any]:
    pin_hash = await FAST_HASHER.hash(PIN)
    made = await make_bank(db, pins={"adult0": pin_hash, "teen": pin_hash, "blocked": pin_hash}, **bank)
    clock = FixedClock(NOW)
    app = create_app(test_settings(), db=db, hasher=FAST_HASHER, clock=clock)
    token, _ = await AuthStore(db).create(UUID(str(made.staff.account_id)), "api", NOW, lifetime=timedelta(days=30),
                                          idle=None)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")  # type: ignore[arg-type]
    return Desk(made, clock, app, client, {"Authorization": f"Bearer {token}"}), client
