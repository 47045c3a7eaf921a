"""Fakes of the activities repository: holiday periods, activities, sessions and registrations."""

from __future__ import annotations

from tests.unit.fakes.base import FakeTransaction


class FakeActivities:
    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
