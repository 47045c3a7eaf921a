"""Fees: hourly prices per tariff category and space kind, money as Decimal.

An association pays by its tariff category: by default youth associations are free (nolltaxa),
pensioners' and disability associations pay the reduced tariff, others the standard one; staff
may set another category for an association (e.g. commercial). A booking cancelled after the
space's cancellation deadline keeps its fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from uuid import UUID

from booking.domain.people.model import AssociationCategory
from booking.domain.shared.errors import ValidationError

ORE = Decimal("0.01")
MAX_HOURLY = Decimal("100000")


class TariffCategory(StrEnum):
    FREE = "free"  # nolltaxa
    REDUCED = "reduced"
    STANDARD = "standard"
    COMMERCIAL = "commercial"


DEFAULT_CATEGORY = {
    AssociationCategory.YOUTH: TariffCategory.FREE,
    AssociationCategory.PENSIONERS: TariffCategory.REDUCED,
    AssociationCategory.DISABILITY: TariffCategory.REDUCED,
    AssociationCategory.ADULT: TariffCategory.STANDARD,
    AssociationCategory.STUDY: TariffCategory.STANDARD,
    AssociationCategory.OTHER: TariffCategory.STANDARD,
}


def tariff_for(category: AssociationCategory, override: str | None) -> TariffCategory:
    return TariffCategory(override) if override else DEFAULT_CATEGORY[AssociationCategory(category)]


def check_price(value: Decimal, field: str) -> Decimal:
    if value.is_nan() or value < 0 or value > MAX_HOURLY:
        raise ValidationError(field, f"A price per hour between 0 and {MAX_HOURLY} kr.", "range")
    if value != value.quantize(ORE):
        raise ValidationError(field, "At most two decimals (öre).", "precision")
    return value.quantize(ORE)


@dataclass(frozen=True)
class FeeLine:
    booking_id: UUID
    association_id: UUID
    starts_at: datetime
    ends_at: datetime
    space_id: UUID
    space_kind: str
    tariff: TariffCategory
    hourly: Decimal
    late_cancellation: bool

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)).quantize(ORE)

    @property
    def amount(self) -> Decimal:
        """Price for the booked time, rounded to öre (half up) once per booking."""
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (self.hourly * seconds / Decimal(3600)).quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Price:
    category: TariffCategory
    space_kind: str
    hourly: Decimal


@dataclass(frozen=True)
class Billable:
    """A booking that may be charged: approved, or cancelled late."""

    booking_id: UUID
    association_id: UUID
    association_category: AssociationCategory
    tariff_override: str | None
    space_id: UUID
    space_kind: str
    starts_at: datetime
    ends_at: datetime
    late_cancellation: bool


def fee_lines(billables: list[Billable], prices: dict[tuple[str, str], Decimal]) -> list[FeeLine]:
    """Price every billable booking; a category without a price for the space kind is free."""
    lines = []
    for b in billables:
        tariff = tariff_for(b.association_category, b.tariff_override)
        hourly = Decimal(0) if tariff is TariffCategory.FREE else prices.get((tariff.value, b.space_kind), Decimal(0))
        lines.append(FeeLine(b.booking_id, b.association_id, b.starts_at, b.ends_at, b.space_id, b.space_kind, tariff,
                             hourly, b.late_cancellation))
    return lines
