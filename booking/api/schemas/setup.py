"""The set-up checklist of a municipality."""

from __future__ import annotations

from uuid import UUID

from msgspec import Struct

from booking.domain.municipalities.setup import Step


class SetupItem(Struct):
    step: Step
    done: bool
    count: int  # how many of the step's things there are (areas, sites, spaces with opening hours, ...)
    lacking: int  # how many lack what the step asks (areas without population, spaces without hours, ...)
    page: str | None  # the page that sets it; None where only the API does


class SetupChecklist(Struct):
    municipality_id: UUID
    complete: bool
    items: list[SetupItem]
