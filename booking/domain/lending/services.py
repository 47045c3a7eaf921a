"""Use cases of the lending catalogue: handler(command..., uow, actor, at).

Every write checks that what it touches belongs to the actor's municipality (others' objects are
404s, or a 422 naming the field when they were named in the input), and leaves an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from booking.domain.lending import labels as lb
from booking.domain.lending.borrowers import Borrower, Card, Gender, check_birth_year, normalize_mobile
from booking.domain.lending.intake import CountResult, Donation, StockCount, StockScan
from booking.domain.lending.labels import Label, LabelPrint
from booking.domain.lending.model import Article, Category, Item, ItemStatus, check_subcategory_parent
from booking.domain.people.model import normalize_email
from booking.domain.people.roles import Actor
from booking.domain.ports import UnitOfWork
from booking.domain.premises.model import Site
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict, NotFound, ValidationError
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.text import clean_name, clean_text

MAX_BATCH = 500  # items or labels made in one request
MAX_SHEET = 2000  # labels on one PDF


def _audit(uow: UnitOfWork, actor: Actor, action: str, entity: str, ident: UUID, **details: Any) -> None:
    uow.audit(AuditEntry(actor.municipality_id, actor.account_id, action, entity, ident, details))


async def site_of(uow: UnitOfWork, actor: Actor, site_id: UUID, field: str = "site_id") -> Site:
    return of_municipality(await uow.sites.get(site_id), actor.municipality_id, "site", site_id, field)


async def category_of(uow: UnitOfWork, actor: Actor, category_id: UUID, field: str | None = None) -> Category:
    return of_municipality(await uow.lending.get_category(category_id), actor.municipality_id, "category",
                           category_id, field)


async def article_of(uow: UnitOfWork, actor: Actor, article_id: UUID, field: str | None = None) -> Article:
    return of_municipality(await uow.lending.get_article(article_id), actor.municipality_id, "article",
                           article_id, field)


async def item_of(uow: UnitOfWork, actor: Actor, item_id: UUID, field: str | None = None) -> Item:
    return of_municipality(await uow.lending.get_item(item_id), actor.municipality_id, "item", item_id, field)


async def borrower_of(uow: UnitOfWork, actor: Actor, borrower_id: UUID, field: str | None = None) -> Borrower:
    return of_municipality(await uow.lending.get_borrower(borrower_id), actor.municipality_id, "borrower",
                           borrower_id, field)


# --- categories and articles ---------------------------------------------------------------------


async def create_category(name: str, parent_id: UUID | None, uow: UnitOfWork, actor: Actor) -> Category:
    async with uow:
        if parent_id is not None:
            check_subcategory_parent(await category_of(uow, actor, parent_id, "parent_id"))
        category = Category(actor.municipality_id, name, parent_id)
        uow.lending.add_category(category)
        _audit(uow, actor, "lending.category_created", "lending_category", category.id, name=category.name)
        await uow.commit()
        return category


async def rename_category(category_id: UUID, name: str, uow: UnitOfWork, actor: Actor) -> Category:
    async with uow:
        category = await category_of(uow, actor, category_id)
        category.name = clean_name(name)
        _audit(uow, actor, "lending.category_renamed", "lending_category", category.id, name=category.name)
        await uow.commit()
        return category


async def delete_category(category_id: UUID, uow: UnitOfWork, actor: Actor) -> None:
    async with uow:
        category = await category_of(uow, actor, category_id)
        if await uow.lending.category_in_use(category_id):
            raise Conflict("The category still has subcategories or articles.", [{"field": "category_id"}])
        await uow.lending.delete_category(category)
        _audit(uow, actor, "lending.category_deleted", "lending_category", category.id)
        await uow.commit()


ARTICLE_FIELDS = ("category_id", "name", "description", "variant", "min_age", "max_age", "loan_period_days",
                  "needs_guardian_consent", "self_service", "photo_url")


async def create_article(values: dict[str, Any], uow: UnitOfWork, actor: Actor) -> Article:
    async with uow:
        await category_of(uow, actor, values["category_id"], "category_id")
        article = Article(actor.municipality_id, **{k: v for k, v in values.items() if k in ARTICLE_FIELDS})
        uow.lending.add_article(article)
        _audit(uow, actor, "lending.article_created", "lending_article", article.id, name=article.name)
        await uow.commit()
        return article


async def update_article(article_id: UUID, changes: dict[str, Any], uow: UnitOfWork, actor: Actor) -> Article:
    async with uow:
        article = await article_of(uow, actor, article_id)
        if "category_id" in changes:
            await category_of(uow, actor, changes["category_id"], "category_id")
        for key, value in changes.items():
            if key in ARTICLE_FIELDS:
                setattr(article, key, value)
        article.validate()
        _audit(uow, actor, "lending.article_updated", "lending_article", article.id, fields=sorted(changes))
        await uow.commit()
        return article


# --- items and labels ------------------------------------------------------------------------------


async def _fresh_codes(uow: UnitOfWork, count: int) -> list[str]:
    """`count` codes no label has; the unique index on lending_labels.code is the last word."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {lb.new_label_code() for _ in range(count - len(codes))}
        codes |= wanted - await uow.lending.existing_codes(sorted(wanted))
    return sorted(codes)


def _check_count(count: int, field: str = "count") -> None:
    if not (1 <= count <= MAX_BATCH):
        raise ValidationError(field, f"Between 1 and {MAX_BATCH} at a time.", "out-of-range")


async def _make_items(uow: UnitOfWork, actor: Actor, article: Article, site_id: UUID, count: int, *,
                      condition_note: str | None, with_labels: bool, at: datetime,
                      donation_id: UUID | None = None) -> list[Item]:
    codes = await _fresh_codes(uow, count) if with_labels else []
    items = []
    for i in range(count):
        item = Item(actor.municipality_id, article.id, site_id, condition_note=condition_note,
                    donation_id=donation_id)
        uow.lending.add_item(item)
        uow.lending.add_item_event(item.created(at=at, by=actor.account_id,
                                                note="donation" if donation_id else None))
        if with_labels:
            label = Label(actor.municipality_id, codes[i])
            uow.lending.add_label(label)
            label.link(item.id, at)
            item.label_code = label.code
        items.append(item)
    return items


async def create_items(article_id: UUID, site_id: UUID, count: int, condition_note: str | None, with_labels: bool,
                       uow: UnitOfWork, actor: Actor, at: datetime) -> list[Item]:
    _check_count(count)
    async with uow:
        article = await article_of(uow, actor, article_id, "article_id")
        await site_of(uow, actor, site_id)
        items = await _make_items(uow, actor, article, site_id, count, condition_note=condition_note,
                                  with_labels=with_labels, at=at)
        _audit(uow, actor, "lending.items_created", "lending_article", article.id, count=count, site_id=str(site_id))
        await uow.commit()
        return items


async def update_item(item_id: UUID, *, status: ItemStatus | None, site_id: UUID | None, condition_note: Any,
                      note: str | None, uow: UnitOfWork, actor: Actor, at: datetime,
                      keep: object = None) -> Item:
    """Change an item's status (validated), move it to another site, or edit its condition note.
    `condition_note` is `keep` when unchanged (None clears it)."""
    async with uow:
        item = await item_of(uow, actor, item_id)
        await uow.lending.lock_item(item.id)
        if site_id is not None and site_id != item.site_id and status is None:
            await site_of(uow, actor, site_id)
            uow.lending.add_item_event(item.move_to(site_id, at=at, by=actor.account_id))
        if status is not None and status != item.status:
            if site_id is not None:
                await site_of(uow, actor, site_id)
            uow.lending.add_item_event(item.change_status(status, at=at, by=actor.account_id, site_id=site_id,
                                                          note=note))
        if condition_note is not keep:
            uow.lending.add_item_event(item.set_condition(condition_note, at=at, by=actor.account_id))
        await uow.commit()
        return item


async def create_labels(count: int, uow: UnitOfWork, actor: Actor) -> list[Label]:
    """Labels to print in advance; they are linked to items later by scanning."""
    _check_count(count)
    async with uow:
        labels = [Label(actor.municipality_id, code) for code in await _fresh_codes(uow, count)]
        for label in labels:
            uow.lending.add_label(label)
        _audit(uow, actor, "lending.labels_created", "lending_label", labels[0].id, count=count)
        await uow.commit()
        return labels


async def link_label(code: str, item_id: UUID, uow: UnitOfWork, actor: Actor, at: datetime) -> Item:
    code = lb.normalize_code(code)
    async with uow:
        label = await uow.lending.label(code)
        if label is None or label.municipality_id != actor.municipality_id:
            raise NotFound("Label", code)
        item = await item_of(uow, actor, item_id, "item_id")
        await uow.lending.lock_item(item.id)
        label.link(item.id, at)  # 409 when the label is linked already
        uow.lending.add_item_event(item.link_label(code, at=at, by=actor.account_id))  # 409 when the item has one
        _audit(uow, actor, "lending.label_linked", "lending_item", item.id, code=code)
        await uow.commit()
        return item


async def record_print(template: str, codes: Sequence[str], uow: UnitOfWork, actor: Actor,
                       at: datetime) -> LabelPrint:
    """Log a printed sheet; every code must be a label of the actor's municipality."""
    if not (1 <= len(codes) <= MAX_SHEET):
        raise ValidationError("codes", f"Between 1 and {MAX_SHEET} codes on a sheet.", "out-of-range")
    normalized = [lb.normalize_code(c, f"codes[{i}]") for i, c in enumerate(codes)]
    async with uow:
        labels = {label.code: label for label in await uow.lending.labels(actor.municipality_id, normalized)}
        for i, code in enumerate(normalized):
            if code not in labels:
                raise ValidationError(f"codes[{i}]", f"No label {code} in this municipality.", "unknown")
            labels[code].printed_at = at
        entry = LabelPrint(actor.municipality_id, template, normalized, at, actor.account_id)
        uow.lending.add_label_print(entry)
        await uow.commit()
        return entry


# --- borrowers and cards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    name: str
    mobile: str | None
    birth_year: int
    email: str | None = None
    gender: Gender | None = None
    area_id: UUID | None = None
    guardian_id: UUID | None = None
    consent_category_ids: tuple[UUID, ...] = ()


async def _new_card(uow: UnitOfWork, borrower: Borrower, at: datetime) -> Card:
    number = lb.new_card_number()
    while await uow.lending.card_number_taken(number):
        number = lb.new_card_number()
    card = Card(borrower.id, number, borrower.municipality_id, issued_at=at)
    uow.lending.add_card(card)
    return card


async def _check_registration(reg: Registration, uow: UnitOfWork, municipality_id: UUID, today: date,
                              require_mobile: bool) -> Borrower | None:
    check_birth_year(reg.birth_year, today)
    if reg.area_id is not None:
        area = await uow.areas.get(reg.area_id)
        if area is None or area.municipality_id != municipality_id:
            raise ValidationError("area_id", f"No area {reg.area_id} in this municipality.", "unknown")
    guardian = None
    if reg.guardian_id is not None:
        guardian = await uow.lending.get_borrower(reg.guardian_id)
        if guardian is None or guardian.municipality_id != municipality_id or guardian.is_anonymised:
            raise ValidationError("guardian_id", f"No borrower {reg.guardian_id} in this municipality.", "unknown")
        if guardian.is_minor(today):
            raise ValidationError("guardian_id", "A guardian is an adult.", "minor")
    if require_mobile and reg.mobile is None and guardian is None:
        raise ValidationError("mobile", "A mobile number is needed (or a guardian's).", "required")
    for i, category_id in enumerate(reg.consent_category_ids):
        category = await uow.lending.get_category(category_id)
        if category is None or category.municipality_id != municipality_id:
            raise ValidationError(f"consent_category_ids[{i}]", f"No category {category_id}.", "unknown")
    return guardian


async def register_borrower(reg: Registration, uow: UnitOfWork, actor: Actor, at: datetime,
                            today: date) -> tuple[Borrower, Card]:
    """At the desk: staff register a borrower (a minor with their guardian) and hand out a card."""
    async with uow:
        guardian = await _check_registration(reg, uow, actor.municipality_id, today, require_mobile=True)
        borrower = Borrower(actor.municipality_id, reg.name, reg.mobile, reg.birth_year, email=reg.email,
                            gender=reg.gender, area_id=reg.area_id, guardian_id=reg.guardian_id,
                            last_active_at=at)
        if borrower.is_minor(today) and reg.consent_category_ids and guardian is None:
            raise ValidationError("guardian_id", "A minor's consent is given by their guardian.", "required")
        for category_id in reg.consent_category_ids:
            borrower.give_consent(category_id, by=reg.guardian_id, at=at)
        uow.lending.add_borrower(borrower)
        card = await _new_card(uow, borrower, at)
        _audit(uow, actor, "lending.borrower_registered", "borrower", borrower.id)
        await uow.commit()
        return borrower, card


async def register_self(reg: Registration, uow: UnitOfWork, actor: Actor, at: datetime,
                        today: date) -> tuple[Borrower, Card]:
    """A signed-in person registers themself as a borrower and gets a digital card at once."""
    if reg.guardian_id is not None or reg.consent_category_ids:
        raise ValidationError("guardian_id", "A guardian and consents are registered at the desk.", "not-allowed")
    async with uow:
        if await uow.lending.borrower_by_account(actor.account_id) is not None:
            raise Conflict("You are already registered as a borrower.", [{"field": "account_id"}])
        if reg.mobile is None:
            raise ValidationError("mobile", "A mobile number is needed.", "required")
        await _check_registration(reg, uow, actor.municipality_id, today, require_mobile=True)
        borrower = Borrower(actor.municipality_id, reg.name, reg.mobile, reg.birth_year, email=reg.email,
                            gender=reg.gender, area_id=reg.area_id, account_id=actor.account_id,
                            registered_via="self", last_active_at=at)
        uow.lending.add_borrower(borrower)
        card = await _new_card(uow, borrower, at)
        _audit(uow, actor, "lending.borrower_self_registered", "borrower", borrower.id)
        await uow.commit()
        return borrower, card


BORROWER_FIELDS = ("name", "mobile", "email", "birth_year", "gender", "area_id")


async def update_borrower(borrower_id: UUID, changes: dict[str, Any], uow: UnitOfWork, actor: Actor,
                          today: date) -> Borrower:
    async with uow:
        borrower = await borrower_of(uow, actor, borrower_id)
        if borrower.is_anonymised:
            raise Conflict("The borrower is anonymised.", [{"field": "borrower_id"}])
        if "name" in changes:
            borrower.name = clean_name(changes["name"])
        if "mobile" in changes:
            borrower.mobile = normalize_mobile(changes["mobile"]) if changes["mobile"] else None
        if "email" in changes:
            borrower.email = normalize_email(changes["email"]) if changes["email"] else None
        if "birth_year" in changes:
            borrower.birth_year = check_birth_year(changes["birth_year"], today)
        if "gender" in changes:
            borrower.gender = Gender(changes["gender"]) if changes["gender"] else None
        if "area_id" in changes and changes["area_id"] is not None:
            area = await uow.areas.get(changes["area_id"])
            if area is None or area.municipality_id != actor.municipality_id:
                raise ValidationError("area_id", f"No area {changes['area_id']} in this municipality.", "unknown")
        if "area_id" in changes:
            borrower.area_id = changes["area_id"]
        _audit(uow, actor, "lending.borrower_updated", "borrower", borrower.id, fields=sorted(changes))
        await uow.commit()
        return borrower


async def block_borrower(borrower_id: UUID, reason: str | None, uow: UnitOfWork, actor: Actor,
                         at: datetime) -> Borrower:
    """Block (with a reason) or, with reason None, unblock."""
    async with uow:
        borrower = await borrower_of(uow, actor, borrower_id)
        if reason is None:
            borrower.unblock()
        else:
            borrower.block(reason, at)
        _audit(uow, actor, "lending.borrower_blocked" if reason else "lending.borrower_unblocked", "borrower",
               borrower.id)
        await uow.commit()
        return borrower


async def replace_card(borrower_id: UUID, uow: UnitOfWork, actor: Actor, at: datetime) -> Card:
    """A lost card: its number is blocked and a new card is issued, in one transaction."""
    async with uow:
        borrower = await borrower_of(uow, actor, borrower_id)
        if borrower.is_anonymised:
            raise Conflict("The borrower is anonymised.", [{"field": "borrower_id"}])
        old = await uow.lending.active_card(borrower.id)
        if old is not None:
            old.block(at)
            await uow.lending.flush()  # the one-active-card index sees the old card blocked first
        card = await _new_card(uow, borrower, at)
        _audit(uow, actor, "lending.card_replaced", "borrower", borrower.id,
               old=old.number[-4:] if old else None)
        await uow.commit()
        return card


async def set_consent(borrower_id: UUID, category_id: UUID, given: bool, uow: UnitOfWork, actor: Actor,
                      at: datetime) -> Borrower:
    async with uow:
        borrower = await borrower_of(uow, actor, borrower_id)
        await category_of(uow, actor, category_id, "category_id")
        if given:
            borrower.give_consent(category_id, by=borrower.guardian_id, at=at)
        else:
            borrower.withdraw_consent(category_id)
        _audit(uow, actor, "lending.consent_given" if given else "lending.consent_withdrawn", "borrower",
               borrower.id, category_id=str(category_id))
        await uow.commit()
        return borrower


async def anonymise_inactive(uow: UnitOfWork, before: datetime, at: datetime, batch: int = 200) -> int:
    """Anonymise borrowers not active since `before` (all municipalities); returns how many.
    Their loans stay (statistics need them), pointing at a borrower without name or contact."""
    done = 0
    while True:
        async with uow:
            borrowers = await uow.lending.inactive_borrowers(None, before, batch)
            for borrower in borrowers:
                borrower.anonymise(at)
                for card in await uow.lending.cards_of(borrower.id):
                    if card.active:
                        card.block(at)
                uow.audit(AuditEntry(borrower.municipality_id, None, "lending.borrower_anonymised", "borrower",
                                     borrower.id))
            await uow.commit()
        done += len(borrowers)
        if len(borrowers) < batch:
            return done


# --- donations and stock counts -----------------------------------------------------------------------


@dataclass(frozen=True)
class DonationLine:
    article_id: UUID
    count: int = 1
    condition_note: str | None = None


async def receive_donation(site_id: UUID, note: str | None, lines: Sequence[DonationLine], uow: UnitOfWork,
                           actor: Actor, at: datetime) -> tuple[Donation, list[Item]]:
    """Register donated items quickly; each gets a new label, so the batch prints in one go."""
    if not lines:
        raise ValidationError("lines", "At least one line.", "required")
    total = sum(line.count for line in lines)
    for i, line in enumerate(lines):
        _check_count(line.count, f"lines[{i}].count")
    if total > MAX_BATCH:
        raise ValidationError("lines", f"At most {MAX_BATCH} items in one donation.", "out-of-range")
    async with uow:
        await site_of(uow, actor, site_id)
        donation = Donation(actor.municipality_id, site_id, at, actor.account_id, clean_text(note, "note", 500),
                            item_count=total)
        uow.lending.add_donation(donation)
        items: list[Item] = []
        for i, line in enumerate(lines):
            article = await article_of(uow, actor, line.article_id, f"lines[{i}].article_id")
            items += await _make_items(uow, actor, article, site_id, line.count, condition_note=line.condition_note,
                                       with_labels=True, at=at, donation_id=donation.id)
        _audit(uow, actor, "lending.donation_received", "lending_donation", donation.id, count=total)
        await uow.commit()
        return donation, items


async def start_count(site_id: UUID, uow: UnitOfWork, actor: Actor, at: datetime) -> StockCount:
    async with uow:
        await site_of(uow, actor, site_id)
        count = StockCount(actor.municipality_id, site_id, at, actor.account_id)
        uow.lending.add_stock_count(count)
        await uow.commit()
        return count


async def _count_of(uow: UnitOfWork, actor: Actor, count_id: UUID) -> StockCount:
    count = await uow.lending.get_stock_count(count_id)
    if count is None or count.municipality_id != actor.municipality_id:
        raise NotFound("Stock count", count_id)
    return count


async def scan(count_id: UUID, code: str, uow: UnitOfWork, actor: Actor, at: datetime) -> tuple[Item | None, bool]:
    """Record a scanned label; (the item or None for an unknown code, False when scanned before)."""
    code = lb.normalize_code(code)
    async with uow:
        count = await _count_of(uow, actor, count_id)
        count.check_open()
        item = await uow.lending.item_by_code(actor.municipality_id, code)
        new = await uow.lending.add_stock_scan(StockScan(count.id, code, at, item.id if item else None))
        if item is not None and new:
            item.last_counted_at = at
        await uow.commit()
        return item, new


async def count_result(count_id: UUID, finish: bool, uow: UnitOfWork, actor: Actor, at: datetime) -> CountResult:
    """Missing: available at the site but not scanned. Unexpected: scanned but registered elsewhere or in
    another status; unknown: scanned codes no item carries."""
    async with uow:
        count = await _count_of(uow, actor, count_id)
        if finish:
            count.check_open()
            count.finished_at = at
        scans = await uow.lending.stock_scans(count.id)
        items = await uow.lending.items_at_site(count.site_id)
        scanned_ids = {s.item_id for s in scans if s.item_id is not None}
        on_shelf = {i.id for i in items if i.status is ItemStatus.AVAILABLE}
        missing = sorted(on_shelf - scanned_ids)
        unexpected = sorted(scanned_ids - on_shelf)
        unknown = sorted(s.code for s in scans if s.item_id is None)
        if finish:
            for item in items:
                if item.id in scanned_ids:
                    uow.lending.add_item_event(item.counted(at=at, by=actor.account_id))
            await uow.commit()
        return CountResult(len(scans), missing, unexpected, unknown)

