"""Fakes of the lending repositories: the catalogue, borrowers and cards, and circulation."""

from __future__ import annotations

from tests.unit.fakes.base import FakeTransaction


class FakeLending:
    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow


class FakeCirculation:
    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
