"""Circulation at the API boundary: loans, returns, renewals, holds, opening days, self-service."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from msgspec import Meta, Struct

from booking.api.schemas.allocation import WallTime  # HH:MM, as the allocation's times
from booking.domain.lending.circulation import Condition, HoldStatus

CardNumber = Annotated[str, Meta(min_length=1, max_length=40, examples=["1234567897"],
                                 description="A lending card's ten digits (spaces and dashes ignored).")]
Scan = Annotated[str, Meta(min_length=1, max_length=300, examples=["7KD3M9QXA"],
                           description="A label code, or the label's whole URL as a scanner types it.")]
Pin = Annotated[str, Meta(min_length=1, max_length=64)]
Weekday = Annotated[int, Meta(ge=0, le=6, description="0 = Monday ... 6 = Sunday")]


class LendIn(Struct, forbid_unknown_fields=True):
    card_number: CardNumber
    site_id: UUID
    codes: Annotated[list[Scan], Meta(min_length=1, max_length=20)]


class ReturnIn(Struct, forbid_unknown_fields=True):
    code: Scan
    site_id: UUID
    condition: Condition = Condition.OK
    note: Annotated[str, Meta(max_length=1000)] | None = None


class HoldIn(Struct, forbid_unknown_fields=True):
    card_number: CardNumber
    article_id: UUID
    site_id: UUID


class OwnHoldIn(Struct, forbid_unknown_fields=True):
    article_id: UUID
    site_id: UUID


class OpeningDaysIn(Struct, forbid_unknown_fields=True):
    """The weekdays a lending site is open, and optionally its hours on them (both or neither; a PUT without
    them clears them)."""

    weekdays: Annotated[list[Weekday], Meta(min_length=1, max_length=7)]
    opens: WallTime | None = None
    closes: WallTime | None = None


class OpeningDays(Struct):
    site_id: UUID
    weekdays: list[int]
    set: bool  # False: nothing set, the site counts as open every day
    opens: str | None = None  # HH:MM on its open days, when given
    closes: str | None = None


class ClosedDay(Struct):
    date: dt.date
    reason: str


class DueDate(Struct):
    lent_on: dt.date
    period_days: int
    nominal: dt.date  # lent_on + period
    due_on: dt.date  # moved to the next open day
    skipped: list[ClosedDay]  # the closed days between nominal and due_on


class Loan(Struct):
    id: UUID
    item_id: UUID
    label_code: str | None
    article_id: UUID
    article: str
    variant: str | None
    site_id: UUID
    lent_at: dt.datetime
    due_on: dt.date
    renewals: int
    overdue: bool
    self_service: bool
    returned_at: dt.datetime | None = None
    returned_site_id: UUID | None = None
    return_reported_at: dt.datetime | None = None
    borrower_id: UUID | None = None
    borrower_name: str | None = None


class Refusal(Struct):
    field: str
    code: str
    message: str


class LendOut(Struct):
    borrower_id: UUID
    borrower_name: str
    loans: list[Loan]


class Hold(Struct):
    id: UUID
    article_id: UUID
    article: str
    variant: str | None
    site_id: UUID
    status: HoldStatus
    placed_at: dt.datetime
    position: int | None = None
    item_id: UUID | None = None
    label_code: str | None = None
    expires_on: dt.date | None = None
    borrower_id: UUID | None = None
    borrower_name: str | None = None


class ReturnOut(Struct):
    loan: Loan
    item_status: str
    site_id: UUID
    overdue_days: int
    hold: Hold | None = None


class CardHolder(Struct):
    """What the desk sees after scanning a card."""

    borrower_id: UUID
    name: str
    card_number: str
    birth_year: int
    minor: bool
    blocked_reason: str | None
    max_loans: int
    loans: list[Loan]
    holds: list[Hold]


class SessionIn(Struct, forbid_unknown_fields=True):
    card_number: CardNumber
    pin: Pin


class SessionOut(Struct):
    token: str
    expires_at: dt.datetime
    name: str


class BorrowIn(Struct, forbid_unknown_fields=True):
    code: Scan


class MyLending(Struct):
    name: str
    max_loans: int
    loans: list[Loan]
    holds: list[Hold]


class LoanPage(Struct):
    items: list[Loan]
    total: int
    limit: int
    offset: int


class Reason(Struct):
    code: str
    message: str


class ItemForBorrowing(Struct):
    """An item as the phone shows it after scanning its label: no personal data, ever."""

    code: str
    item_id: UUID
    article_id: UUID
    article: str
    variant: str | None
    description: str | None
    available: bool
    status: str
    site_id: UUID
    site_name: str
    self_service: bool
    min_age: int | None
    max_age: int | None
    signed_in: bool
    may_borrow: bool | None = None  # with a borrower token: whether the rules allow it now
    reasons: list[Reason] = []
    my_loan_id: UUID | None = None  # the signed-in borrower has it on loan
    my_loan_due_on: dt.date | None = None
