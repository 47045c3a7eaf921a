"""In-memory fakes of every repository, for unit tests of the use cases (no database).

`FakeUnitOfWork` satisfies every context's unit-of-work protocol; `base.py` holds the transaction
semantics, and each context's fakes live in a module of their own.
"""

from __future__ import annotations

from tests.unit.fakes.activities import FakeActivities
from tests.unit.fakes.base import FakeHasher, FakeRepository, FakeTransaction, Unique
from tests.unit.fakes.draws import FakeDraws
from tests.unit.fakes.imports import FakeImports
from tests.unit.fakes.lending import FakeCirculation, FakeLending
from tests.unit.fakes.people import (
    FakeAccounts,
    FakeAreas,
    FakeAssociations,
    FakeLinks,
    FakeMunicipalities,
    FakeSignInConfigs,
)
from tests.unit.fakes.premises import FakeAllocation, FakeBookings, FakeCalendars, FakeSites, FakeSpaces


class FakeUnitOfWork(FakeTransaction):
    def __init__(self) -> None:
        super().__init__()
        self.municipalities = FakeMunicipalities(self)
        self.areas = FakeAreas(self)
        self.accounts = FakeAccounts(self)
        self.associations = FakeAssociations(self)
        self.links = FakeLinks(self)
        self.sites = FakeSites(self)
        self.spaces = FakeSpaces(self)
        self.bookings = FakeBookings(self)
        self.calendars = FakeCalendars(self)
        self.allocation = FakeAllocation(self)
        self.lending = FakeLending(self)
        self.circulation = FakeCirculation(self)
        self.activities = FakeActivities(self)
        self.draws = FakeDraws(self)
        self.imports = FakeImports(self)
        self.sign_in_configs = FakeSignInConfigs(self)


__all__ = ["FakeHasher", "FakeRepository", "FakeTransaction", "FakeUnitOfWork", "Unique"]
