"""Equipment lending (Fritidsbanken): the catalogue, items and labels. Borrowers and cards are in
lending_borrowers, donations and stock counts in lending_intake, the statistics in lending_stats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from booking.api.schemas.common import Name, Text
from booking.domain.lending.model import DEFAULT_LOAN_DAYS, MAX_AGE, MAX_LOAN_DAYS, MAX_SIZES, ItemStatus

Age = Annotated[int, Meta(ge=0, le=MAX_AGE)]
LoanDays = Annotated[int, Meta(ge=1, le=MAX_LOAN_DAYS, description="Loan period in days (default 14).")]
Variant = Annotated[str, Meta(max_length=60, description="Size or length: 38, 150 cm, S.")]
Count = Annotated[int, Meta(ge=1, le=500)]
Code = Annotated[str, Meta(min_length=1, max_length=40, description="A label code, e.g. K3MHMCHB4.")]
Note = Annotated[str, Meta(max_length=1000)]
Url = Annotated[str, Meta(max_length=500)]
Availability = Literal["available", "on_loan"]


class Category(Struct):
    id: UUID
    name: str
    parent_id: UUID | None


class CategoryCreate(Struct, forbid_unknown_fields=True):
    name: Name
    parent_id: UUID | None = None


class CategoryUpdate(Struct, forbid_unknown_fields=True):
    name: Name


class Article(Struct):
    id: UUID
    category_id: UUID
    name: str
    description: str | None
    variant: str | None
    min_age: int | None
    max_age: int | None
    loan_period_days: int
    needs_guardian_consent: bool
    self_service: bool
    photo_url: str | None


class ArticleCreate(Struct, forbid_unknown_fields=True):
    category_id: UUID
    name: Name
    description: Text | None = None
    variant: Variant | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    loan_period_days: LoanDays = 14
    needs_guardian_consent: bool = False
    self_service: bool = False
    photo_url: Url | None = None


class ArticleSizesCreate(Struct, forbid_unknown_fields=True):
    """One article per size, alike but for the size (all or none)."""

    category_id: UUID
    name: Name
    variants: Annotated[list[Variant], Meta(min_length=1, max_length=MAX_SIZES, description="The sizes, each once.")]
    description: Text | None = None
    min_age: Age | None = None
    max_age: Age | None = None
    loan_period_days: LoanDays = DEFAULT_LOAN_DAYS
    needs_guardian_consent: bool = False
    self_service: bool = False
    photo_url: Url | None = None


class LendingSite(Struct):
    """A site of the municipality as lending sees it: its opening days and how many items it keeps."""

    id: UUID
    name: str
    weekdays: list[int]  # 0 = Monday; every day when none are set
    weekdays_set: bool  # False: no opening days set, the site counts as open every day
    opens: str | None  # HH:MM on its open days, when given
    closes: str | None
    items: int  # items kept there (not retired or lost)


class ArticleUpdate(Struct, forbid_unknown_fields=True):
    category_id: UUID | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    description: Text | UnsetType | None = UNSET
    variant: Variant | UnsetType | None = UNSET
    min_age: Age | UnsetType | None = UNSET
    max_age: Age | UnsetType | None = UNSET
    loan_period_days: LoanDays | UnsetType = UNSET
    needs_guardian_consent: bool | UnsetType = UNSET
    self_service: bool | UnsetType = UNSET
    photo_url: Url | UnsetType | None = UNSET


class CatalogueEntry(Struct):
    """An article with how many of its items are on the shelf (Tillgänglig) and how many exist."""

    id: UUID
    name: str
    description: str | None
    variant: str | None
    min_age: int | None
    max_age: int | None
    loan_period_days: int
    self_service: bool
    needs_guardian_consent: bool
    photo_url: str | None
    category_id: UUID
    category_name: str
    available: int
    total: int
    availability: Availability


class CataloguePage(Struct):
    items: list[CatalogueEntry]
    total: int
    limit: int
    offset: int


class PublicItem(Struct):
    """What anyone who scans a label sees: no personal data."""

    code: str
    item_id: UUID
    article_id: UUID
    name: str
    description: str | None
    variant: str | None
    category_name: str
    site_id: UUID
    site_name: str
    availability: Availability
    self_service: bool
    needs_guardian_consent: bool
    loan_period_days: int
    min_age: int | None
    max_age: int | None
    photo_url: str | None


class ItemEvent(Struct):
    kind: str
    from_status: str | None
    to_status: str | None
    at: datetime
    actor_id: UUID | None
    site_id: UUID | None
    note: str | None


class Item(Struct):
    id: UUID
    label_code: str | None
    status: ItemStatus
    condition_note: str | None
    site_id: UUID
    site_name: str
    article_id: UUID
    article_name: str
    variant: str | None
    created_at: datetime
    updated_at: datetime
    last_counted_at: datetime | None
    history: list[ItemEvent] | UnsetType = UNSET


class ItemPage(Struct):
    items: list[Item]
    total: int
    limit: int
    offset: int


class ItemsCreate(Struct, forbid_unknown_fields=True):
    article_id: UUID
    site_id: UUID
    count: Count = 1
    condition_note: Note | None = None
    with_labels: bool = True


class ItemsCreated(Struct):
    items: list[Item]


class ItemUpdate(Struct, forbid_unknown_fields=True):
    status: ItemStatus | UnsetType = UNSET
    site_id: UUID | UnsetType = UNSET
    condition_note: Note | UnsetType | None = UNSET
    note: Note | None = None


class Label(Struct):
    code: str
    url: str
    item_id: UUID | None
    printed_at: datetime | None
    linked_at: datetime | None


class LabelPage(Struct):
    items: list[Label]
    total: int
    limit: int
    offset: int


class LabelsCreate(Struct, forbid_unknown_fields=True):
    count: Count


class LabelsCreated(Struct):
    codes: list[str]


class LabelLink(Struct, forbid_unknown_fields=True):
    item_id: UUID


class LabelSheet(Struct, forbid_unknown_fields=True):
    codes: Annotated[list[Code], Meta(min_length=1, max_length=2000)]
    template: Literal["a4-3x8", "a4-5x13"] = "a4-3x8"


class LabelTemplate(Struct):
    name: str
    title: str
    columns: int
    rows: int
    label_width_mm: float
    label_height_mm: float


class LabelPrint(Struct):
    id: UUID
    template: str
    codes: list[str]
    printed_at: datetime
    printed_by: UUID | None
    printed_by_name: str | None


class LabelPrintPage(Struct):
    items: list[LabelPrint]
    total: int
    limit: int
    offset: int
