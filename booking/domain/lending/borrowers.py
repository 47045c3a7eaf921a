"""Borrowers (låntagare) and their lending cards.

A minor's guardian is another `Borrower` (an adult registered the same way; `guardian_id`), so a
guardian can borrow for themself too and both are found by card. A borrower may be tied to a
sign-in `account_id` (self-registration, the digital card page). Consent is per category and
stored as `Consent` rows (table borrower_consents), loaded with the borrower:
`borrower.has_consent(article.category_id, parent_category_id)` — a consent for a top category
covers its subcategories.

Anonymisation keeps what the statistics need (birth year, gender, area) and drops the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from booking.domain.people.model import normalize_email
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_name, clean_text

ADULT_AGE = 18
ANONYMISED_NAME = "Anonymiserad"
BORROWER_FIELDS = ("name", "mobile", "email", "birth_year", "gender", "area_id")  # what staff may change


class Gender(StrEnum):
    GIRL = "female"
    BOY = "male"
    OTHER = "other"


def normalize_mobile(value: str, field: str = "mobile") -> str:
    """A Swedish mobile number as +467XXXXXXXX (07x-xxx xx xx, +46 7x ... are accepted)."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("0046"):
        digits = "+46" + digits[4:]
    if digits.startswith("07"):
        digits = "+46" + digits[1:]
    if not re.fullmatch(r"\+467\d{8}", digits):
        raise ValidationError(field, "A Swedish mobile number, like 070-123 45 67.", "format")
    return digits


def check_birth_year(year: int, today: date, field: str = "birth_year") -> int:
    if not (today.year - 120 <= year <= today.year):
        raise ValidationError(field, f"A birth year between {today.year - 120} and {today.year}.", "out-of-range")
    return year


@dataclass(eq=False)
class Consent:
    borrower_id: UUID
    category_id: UUID
    given_by: UUID | None  # the guardian (a borrower) who gave it
    given_at: datetime
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(eq=False)
class Borrower:
    municipality_id: UUID
    name: str
    mobile: str | None
    birth_year: int
    email: str | None = None
    gender: Gender | None = None
    area_id: UUID | None = None
    guardian_id: UUID | None = None  # another Borrower
    account_id: UUID | None = None  # a sign-in account (self-registration, digital card)
    blocked_reason: str | None = None
    blocked_at: datetime | None = None
    pin_hash: str | None = None  # argon2 (PasswordHasher port) of the self-service PIN
    last_active_at: datetime | None = None
    anonymised_at: datetime | None = None
    registered_via: str = "desk"  # desk | self
    consents: list[Consent] = field(default_factory=list)
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.name = clean_name(self.name)
        self.mobile = normalize_mobile(self.mobile) if self.mobile is not None else None
        self.email = normalize_email(self.email) if self.email and self.email.strip() else None
        self.gender = Gender(self.gender) if self.gender else None

    def change(self, changes: dict[str, Any], today: date) -> None:
        """Staff correct what the borrower told them (BORROWER_FIELDS); None clears an optional field."""
        if self.is_anonymised:
            raise Conflict("The borrower is anonymised.", [{"field": "borrower_id"}])
        if "name" in changes:
            self.name = clean_name(changes["name"])
        if "mobile" in changes:
            self.mobile = normalize_mobile(changes["mobile"]) if changes["mobile"] else None
        if "email" in changes:
            self.email = normalize_email(changes["email"]) if changes["email"] else None
        if "birth_year" in changes:
            self.birth_year = check_birth_year(changes["birth_year"], today)
        if "gender" in changes:
            self.gender = Gender(changes["gender"]) if changes["gender"] else None
        if "area_id" in changes:
            self.area_id = changes["area_id"]

    def age(self, today: date) -> int:
        """Age reached during this year (birth date is not stored, only the year)."""
        return today.year - self.birth_year

    def is_minor(self, today: date) -> bool:
        return self.age(today) < ADULT_AGE

    @property
    def is_blocked(self) -> bool:
        return self.blocked_reason is not None

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def has_consent(self, *category_ids: UUID | None) -> bool:
        wanted = {c for c in category_ids if c is not None}
        return any(c.category_id in wanted for c in self.consents)

    def give_consent(self, category_id: UUID, *, by: UUID | None, at: datetime) -> Consent | None:
        if any(c.category_id == category_id for c in self.consents):
            return None
        consent = Consent(self.id, category_id, by, at)
        self.consents.append(consent)
        return consent

    def withdraw_consent(self, category_id: UUID) -> bool:
        before = len(self.consents)
        self.consents = [c for c in self.consents if c.category_id != category_id]
        return len(self.consents) != before

    def block(self, reason: str, at: datetime) -> None:
        cleaned = clean_text(reason, "reason", 500)
        if cleaned is None:
            raise ValidationError("reason", "Say why the borrower is blocked.", "required")
        self.blocked_reason = cleaned
        self.blocked_at = at

    def unblock(self) -> None:
        self.blocked_reason = None
        self.blocked_at = None

    def touch(self, at: datetime) -> None:
        """Record activity (a loan, a return, a sign-in): postpones anonymisation."""
        self.last_active_at = at

    def anonymise(self, at: datetime) -> None:
        """Forget who this was; keep birth year, gender and area for the statistics."""
        if self.anonymised_at is not None:
            raise Conflict("The borrower is already anonymised.")
        self.name = ANONYMISED_NAME
        self.mobile = None
        self.email = None
        self.pin_hash = None
        self.guardian_id = None
        self.account_id = None
        self.blocked_reason = None
        self.blocked_at = None
        self.consents = []
        self.anonymised_at = at


def check_guardian(guardian: Borrower, today: date) -> None:
    """A guardian is an adult borrower who is still registered."""
    if guardian.is_anonymised:
        raise ValidationError("guardian_id", f"No borrower {guardian.id} in this municipality.", "unknown")
    if guardian.is_minor(today):
        raise ValidationError("guardian_id", "A guardian is an adult.", "minor")


def check_reachable(mobile: str | None, guardian: Borrower | None) -> None:
    """A registration needs a mobile number, the borrower's own or (through the guardian) a guardian's."""
    if mobile is None and guardian is None:
        raise ValidationError("mobile", "A mobile number is needed (or a guardian's).", "required")


def check_minor_consents(borrower: Borrower, guardian: Borrower | None, consents: bool, today: date) -> None:
    """At registration, a minor's consents are given by their guardian: none without one."""
    if borrower.is_minor(today) and consents and guardian is None:
        raise ValidationError("guardian_id", "A minor's consent is given by their guardian.", "required")


@dataclass(eq=False)
class Card:
    borrower_id: UUID
    number: str  # ten digits, the last a Luhn check digit (labels.new_card_number)
    municipality_id: UUID | None = None
    active: bool = True
    issued_at: datetime | None = None
    blocked_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def block(self, at: datetime) -> None:
        self.active = False
        self.blocked_at = at
