"""The catalogue of equipment lending (Fritidsbanken): categories, articles and the physical items.

An *article* is what a borrower asks for ("Slalomskidor 150 cm"); an *item* is one physical piece of
it, kept at a site, carrying a QR label. Every change of an item's status is validated here and
leaves an `ItemEvent` in the item's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ids import new_id
from booking.domain.shared.text import clean_name, clean_text

DEFAULT_LOAN_DAYS = 14
MAX_LOAN_DAYS = 365
MAX_AGE = 120
VARIANT_MAX = 60
MAX_SIZES = 30  # sizes of one article made at once


class ItemStatus(StrEnum):
    AVAILABLE = "available"  # Tillgänglig, on the shelf
    ON_LOAN = "on_loan"  # Utlånad
    ON_HOLD_SHELF = "on_hold_shelf"  # on the hold shelf, waiting for the borrower who reserved it
    IN_REPAIR = "in_repair"
    BEING_CHECKED = "being_checked"  # returned, to be looked over before it goes back on the shelf
    RETIRED = "retired"  # kasserad
    LOST = "lost"


S = ItemStatus
# Which status may follow which. Retired is final except for a look-over (a mistake at the desk).
TRANSITIONS: dict[ItemStatus, frozenset[ItemStatus]] = {
    S.AVAILABLE: frozenset({S.ON_LOAN, S.ON_HOLD_SHELF, S.IN_REPAIR, S.BEING_CHECKED, S.RETIRED, S.LOST}),
    S.ON_LOAN: frozenset({S.AVAILABLE, S.BEING_CHECKED, S.IN_REPAIR, S.LOST}),
    S.ON_HOLD_SHELF: frozenset({S.AVAILABLE, S.ON_LOAN, S.IN_REPAIR, S.BEING_CHECKED, S.LOST}),
    S.IN_REPAIR: frozenset({S.AVAILABLE, S.BEING_CHECKED, S.RETIRED, S.LOST}),
    S.BEING_CHECKED: frozenset({S.AVAILABLE, S.IN_REPAIR, S.RETIRED, S.LOST}),
    S.RETIRED: frozenset({S.BEING_CHECKED}),
    S.LOST: frozenset({S.AVAILABLE, S.BEING_CHECKED, S.RETIRED}),
}
# Statuses that follow loans and holds: set by lending, returns and the hold shelf, never by hand, so an
# item is on loan exactly when it has an open loan and on the hold shelf exactly when a hold waits for it.
CIRCULATION_STATUSES = frozenset({S.ON_LOAN, S.ON_HOLD_SHELF})
# Statuses the public sees as "Tillgänglig"; everything else that is not retired or lost is "Utlånad".
PUBLIC_GONE = frozenset({S.RETIRED, S.LOST})


def public_availability(status: ItemStatus) -> str | None:
    """What the public catalogue shows: available, on_loan (Utlånad), or None (not shown at all)."""
    if status in PUBLIC_GONE:
        return None
    return "available" if status is S.AVAILABLE else "on_loan"


class EventKind(StrEnum):
    CREATED = "created"
    STATUS = "status"  # a status change (the circulation engineer's loans/returns pass their own kind)
    MOVED = "moved"  # to another site
    LABEL_LINKED = "label_linked"
    NOTE = "note"  # condition note changed
    COUNTED = "counted"  # seen at a stock count


@dataclass(eq=False)
class Category:
    municipality_id: UUID
    name: str
    parent_id: UUID | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.name = clean_name(self.name)
        if self.parent_id is not None and self.parent_id == self.id:
            raise ValidationError("parent_id", "A category cannot be its own parent.", "invalid")


def check_subcategory_parent(parent: Category) -> None:
    """Two levels only: a subcategory's parent is a top category."""
    if parent.parent_id is not None:
        raise ValidationError("parent_id", "A subcategory cannot have subcategories (two levels).", "too-deep")


@dataclass(eq=False)
class Article:
    municipality_id: UUID
    category_id: UUID
    name: str
    description: str | None = None
    variant: str | None = None  # size or length: "38", "150 cm", "S"
    min_age: int | None = None
    max_age: int | None = None
    loan_period_days: int = DEFAULT_LOAN_DAYS
    needs_guardian_consent: bool = False  # minors need a guardian's consent for the article's category
    self_service: bool = False  # may be borrowed by scanning its label with the phone
    photo_url: str | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        self.name = clean_name(self.name)
        self.description = clean_text(self.description, "description")
        self.variant = clean_name(self.variant, "variant", VARIANT_MAX) if self.variant and self.variant.strip() \
            else None
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None and not (0 <= value <= MAX_AGE):
                raise ValidationError(name, f"An age is 0-{MAX_AGE} years.", "out-of-range")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError("max_age", "The highest age is below the lowest.", "out-of-range")
        if not (1 <= self.loan_period_days <= MAX_LOAN_DAYS):
            raise ValidationError("loan_period_days", f"A loan period is 1-{MAX_LOAN_DAYS} days.", "out-of-range")
        if self.photo_url is not None:
            url = self.photo_url.strip()
            if not url:
                self.photo_url = None
            elif not (url.startswith("https://") or url.startswith("/")) or len(url) > 500 or any(
                    c.isspace() or ord(c) < 32 for c in url):
                raise ValidationError("photo_url", "A photo is an https:// address or a path on this site.",
                                      "format")
            else:
                self.photo_url = url


@dataclass(eq=False)
class ItemEvent:
    """One line of an item's history."""

    item_id: UUID
    kind: str
    at: datetime
    municipality_id: UUID | None = None
    from_status: str | None = None
    to_status: str | None = None
    actor_id: UUID | None = None
    site_id: UUID | None = None
    note: str | None = None
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(eq=False)
class Item:
    municipality_id: UUID
    article_id: UUID
    site_id: UUID
    status: ItemStatus = ItemStatus.AVAILABLE
    label_code: str | None = None  # None until a label is linked
    condition_note: str | None = None
    donation_id: UUID | None = None  # set when the item came in as a donation
    last_counted_at: datetime | None = None  # last seen at a stock count
    id: UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        self.status = ItemStatus(self.status)
        self.condition_note = clean_text(self.condition_note, "condition_note", 1000)

    def _event(self, kind: str, at: datetime, by: UUID | None, **values: object) -> ItemEvent:
        if at.tzinfo is None:
            raise ValueError("An item event needs an aware instant")
        return ItemEvent(item_id=self.id, municipality_id=self.municipality_id, kind=kind, at=at, actor_id=by,
                         site_id=values.pop("site_id", None) or self.site_id, **values)  # type: ignore[arg-type]

    def can_change_to(self, new: ItemStatus) -> bool:
        return ItemStatus(new) in TRANSITIONS[self.status]

    def change_status(self, new: ItemStatus, *, at: datetime, by: UUID | None, site_id: UUID | None = None,
                      note: str | None = None, kind: str = EventKind.STATUS) -> ItemEvent:
        """Move the item to `new` (and to `site_id`, e.g. returned at another site); the event for its history.

        Raises Conflict (naming `status`) when the transition is not allowed, e.g. lending a retired item."""
        new = ItemStatus(new)
        if new not in TRANSITIONS[self.status]:
            raise Conflict(f"An item that is {self.status.value} cannot become {new.value}.",
                           [{"field": "status", "item_id": str(self.id), "status": self.status.value}])
        old = self.status
        self.status = new
        if site_id is not None:
            self.site_id = site_id
        return self._event(str(kind), at, by, from_status=old.value, to_status=new.value, site_id=site_id,
                           note=clean_text(note, "note", 1000))

    def change_status_by_hand(self, new: ItemStatus, *, at: datetime, by: UUID | None, site_id: UUID | None = None,
                              note: str | None = None) -> ItemEvent:
        """A change of status by staff: never into or out of the statuses that follow loans and holds."""
        new = ItemStatus(new)
        if new in CIRCULATION_STATUSES or self.status in CIRCULATION_STATUSES:
            managed = self.status if self.status in CIRCULATION_STATUSES else new
            raise Conflict(f"An item becomes or stops being {managed.value} by lending, returns and holds.",
                           [{"field": "status", "item_id": str(self.id), "status": self.status.value,
                             "reason": "circulation"}])
        return self.change_status(new, at=at, by=by, site_id=site_id, note=note)

    def check_lendable(self, field: str, *, held_for_borrower: bool) -> None:
        """Lent only from the shelf, or from the hold shelf to the borrower it waits for (409 naming `field`)."""
        if self.status is S.ON_HOLD_SHELF and not held_for_borrower:
            raise Conflict(f"{self.label_code} is on the hold shelf for someone else.",
                           [{"field": field, "status": self.status.value, "reason": "held-for-other"}])
        if self.status not in (S.AVAILABLE, S.ON_HOLD_SHELF):
            on_loan = self.status is S.ON_LOAN
            message = "is already on loan" if on_loan else f"is not available ({self.status.value})"
            raise Conflict(f"{self.label_code} {message}.", [{"field": field, "status": self.status.value,
                                                              "reason": "on-loan" if on_loan else "not-available"}])

    def created(self, *, at: datetime, by: UUID | None, note: str | None = None) -> ItemEvent:
        return self._event(EventKind.CREATED, at, by, to_status=self.status.value, note=note)

    def move_to(self, site_id: UUID, *, at: datetime, by: UUID | None) -> ItemEvent:
        self.site_id = site_id
        return self._event(EventKind.MOVED, at, by, site_id=site_id)

    def link_label(self, code: str, *, at: datetime, by: UUID | None) -> ItemEvent:
        if self.label_code is not None:
            raise Conflict("This item already has a label.", [{"field": "item_id", "label": self.label_code}])
        self.label_code = code
        return self._event(EventKind.LABEL_LINKED, at, by, note=code)

    def set_condition(self, note: str | None, *, at: datetime, by: UUID | None) -> ItemEvent:
        self.condition_note = clean_text(note, "condition_note", 1000)
        return self._event(EventKind.NOTE, at, by, note=self.condition_note)

    def counted(self, *, at: datetime, by: UUID | None) -> ItemEvent:
        self.last_counted_at = at
        return self._event(EventKind.COUNTED, at, by)
