"""Use cases of the lending catalogue: categories, articles, items and labels: handler(command..., uow, actor, at).
Borrowers and cards are in borrower_services, donations and stock counts in intake_services.

Every write checks that what it touches belongs to the actor's municipality (others' objects are
404s, or a 422 naming the field when they were named in the input), and to the actor's sites when its
grant is narrowed to sites (403; scope.py), and leaves an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from booking.domain.lending import labels as lb
from booking.domain.lending import scope
from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.labels import Label, LabelPrint
from booking.domain.lending.model import MAX_SIZES, Article, Category, Item, ItemStatus, check_subcategory_parent
from booking.domain.lending.ports import LendingUnitOfWork
from booking.domain.people.roles import Actor
from booking.domain.shared.audit import AuditEntry
from booking.domain.shared.errors import Conflict, ValidationError
from booking.domain.shared.ports import Named
from booking.domain.shared.tenancy import of_municipality
from booking.domain.shared.text import clean_name

MAX_BATCH = 500  # items or labels made in one request
MAX_SHEET = 2000  # labels on one PDF


def _audit(uow: LendingUnitOfWork, actor: Actor, action: str, entity: str, ident: UUID, **details: Any) -> None:
    uow.audit(AuditEntry(actor.municipality_id, actor.account_id, action, entity, ident, details))


async def site_of(uow: LendingUnitOfWork, actor: Actor, site_id: UUID, field: str = "site_id") -> Named:
    return of_municipality(await uow.sites.get(site_id), actor.municipality_id, "site", site_id, field)


async def category_of(uow: LendingUnitOfWork, actor: Actor, category_id: UUID, field: str | None = None) -> Category:
    return of_municipality(await uow.lending.get_category(category_id), actor.municipality_id, "category",
                           category_id, field)


async def article_of(uow: LendingUnitOfWork, actor: Actor, article_id: UUID, field: str | None = None) -> Article:
    return of_municipality(await uow.lending.get_article(article_id), actor.municipality_id, "article",
                           article_id, field)


async def item_of(uow: LendingUnitOfWork, actor: Actor, item_id: UUID, field: str | None = None) -> Item:
    return of_municipality(await uow.lending.get_item(item_id), actor.municipality_id, "item", item_id, field)


async def borrower_of(uow: LendingUnitOfWork, actor: Actor, borrower_id: UUID, field: str | None = None) -> Borrower:
    return of_municipality(await uow.lending.get_borrower(borrower_id), actor.municipality_id, "borrower",
                           borrower_id, field)


# --- categories and articles ---------------------------------------------------------------------


async def create_category(name: str, parent_id: UUID | None, uow: LendingUnitOfWork, actor: Actor) -> Category:
    scope.require_everywhere(actor, "the catalogue")
    async with uow:
        if parent_id is not None:
            check_subcategory_parent(await category_of(uow, actor, parent_id, "parent_id"))
        category = Category(actor.municipality_id, name, parent_id)
        uow.lending.add_category(category)
        _audit(uow, actor, "lending.category_created", "lending_category", category.id, name=category.name)
        await uow.commit()
        return category


async def rename_category(category_id: UUID, name: str, uow: LendingUnitOfWork, actor: Actor) -> Category:
    scope.require_everywhere(actor, "the catalogue")
    async with uow:
        category = await category_of(uow, actor, category_id)
        category.name = clean_name(name)
        _audit(uow, actor, "lending.category_renamed", "lending_category", category.id, name=category.name)
        await uow.commit()
        return category


async def delete_category(category_id: UUID, uow: LendingUnitOfWork, actor: Actor) -> None:
    scope.require_everywhere(actor, "the catalogue")
    async with uow:
        category = await category_of(uow, actor, category_id)
        if await uow.lending.category_in_use(category_id):
            raise Conflict("The category still has subcategories or articles.", [{"field": "category_id"}])
        await uow.lending.delete_category(category)
        _audit(uow, actor, "lending.category_deleted", "lending_category", category.id)
        await uow.commit()


ARTICLE_FIELDS = ("category_id", "name", "description", "variant", "min_age", "max_age", "loan_period_days",
                  "needs_guardian_consent", "self_service", "photo_url")


async def create_article(values: dict[str, Any], uow: LendingUnitOfWork, actor: Actor) -> Article:
    scope.require_everywhere(actor, "the catalogue")
    async with uow:
        await category_of(uow, actor, values["category_id"], "category_id")
        article = Article(actor.municipality_id, **{k: v for k, v in values.items() if k in ARTICLE_FIELDS})
        uow.lending.add_article(article)
        _audit(uow, actor, "lending.article_created", "lending_article", article.id, name=article.name)
        await uow.commit()
        return article


async def update_article(article_id: UUID, changes: dict[str, Any], uow: LendingUnitOfWork, actor: Actor) -> Article:
    scope.require_everywhere(actor, "the catalogue")
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


async def create_article_sizes(values: dict[str, Any], variants: Sequence[str], uow: LendingUnitOfWork,
                               actor: Actor) -> list[Article]:
    """One article per size ("Hockeyskridskor" in 36, 38 and 40), alike but for the size: all or none.
    A size that is empty, not a name or given twice (letter case aside) is refused naming `variants[i]`."""
    scope.require_everywhere(actor, "the catalogue")
    if not (1 <= len(variants) <= MAX_SIZES):
        raise ValidationError("variants", f"Between 1 and {MAX_SIZES} sizes at a time.", "out-of-range")
    common = {k: v for k, v in values.items() if k in ARTICLE_FIELDS and k != "variant"}
    async with uow:
        await category_of(uow, actor, values["category_id"], "category_id")
        articles: list[Article] = []
        seen: set[str] = set()
        for i, variant in enumerate(variants):
            if not variant.strip():
                raise ValidationError(f"variants[{i}]", "Give the size (or leave out the line).", "required")
            try:
                article = Article(actor.municipality_id, **common, variant=variant)
            except ValidationError as error:  # variant -> variants[i]
                error.problems = [replace(p, field=f"variants[{i}]") if p.field == "variant" else p
                                  for p in error.problems]
                raise
            key = (article.variant or "").casefold()
            if key in seen:
                raise ValidationError(f"variants[{i}]", "Each size once.", "duplicate")
            seen.add(key)
            articles.append(article)
        for article in articles:
            uow.lending.add_article(article)
            _audit(uow, actor, "lending.article_created", "lending_article", article.id, name=article.name,
                   variant=article.variant)
        await uow.commit()
        return articles


async def delete_article(article_id: UUID, uow: LendingUnitOfWork, actor: Actor) -> None:
    """Only an article nothing refers to: no items (also retired ones: they keep their history) and no holds."""
    scope.require_everywhere(actor, "the catalogue")
    async with uow:
        article = await article_of(uow, actor, article_id)
        if await uow.lending.article_in_use(article_id):
            raise Conflict("The article still has items or holds.", [{"field": "article_id"}])
        await uow.lending.delete_article(article)
        _audit(uow, actor, "lending.article_deleted", "lending_article", article.id, name=article.name)
        await uow.commit()


# --- items and labels ------------------------------------------------------------------------------


async def _fresh_codes(uow: LendingUnitOfWork, count: int) -> list[str]:
    """`count` codes no label has; the unique index on lending_labels.code is the last word."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {lb.new_label_code() for _ in range(count - len(codes))}
        codes |= wanted - await uow.lending.existing_codes(sorted(wanted))
    return sorted(codes)


def _check_count(count: int, field: str = "count") -> None:
    if not (1 <= count <= MAX_BATCH):
        raise ValidationError(field, f"Between 1 and {MAX_BATCH} at a time.", "out-of-range")


async def _make_items(uow: LendingUnitOfWork, actor: Actor, article: Article, site_id: UUID, count: int, *,
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
                       uow: LendingUnitOfWork, actor: Actor, at: datetime) -> list[Item]:
    _check_count(count)
    async with uow:
        article = await article_of(uow, actor, article_id, "article_id")
        await site_of(uow, actor, site_id)
        scope.require_site(actor, site_id)
        items = await _make_items(uow, actor, article, site_id, count, condition_note=condition_note,
                                  with_labels=with_labels, at=at)
        _audit(uow, actor, "lending.items_created", "lending_article", article.id, count=count, site_id=str(site_id))
        await uow.commit()
        return items


async def update_item(item_id: UUID, *, status: ItemStatus | None, site_id: UUID | None, condition_note: Any,
                      note: str | None, uow: LendingUnitOfWork, actor: Actor, at: datetime,
                      keep: object = None) -> Item:
    """Change an item's status (validated), move it to another site, or edit its condition note.
    `condition_note` is `keep` when unchanged (None clears it). Staff narrowed to sites change their
    sites' items and move them only between their sites."""
    async with uow:
        item = await item_of(uow, actor, item_id)
        scope.require_site(actor, item.site_id)
        await uow.lending.lock_item(item.id)
        if site_id is not None and site_id != item.site_id:
            await site_of(uow, actor, site_id)
            scope.require_site(actor, site_id)
        if site_id is not None and site_id != item.site_id and status is None:
            uow.lending.add_item_event(item.move_to(site_id, at=at, by=actor.account_id))
        if status is not None and status != item.status:
            if site_id is not None:
                await site_of(uow, actor, site_id)
            uow.lending.add_item_event(item.change_status_by_hand(status, at=at, by=actor.account_id,
                                                                  site_id=site_id, note=note))
        if condition_note is not keep:
            uow.lending.add_item_event(item.set_condition(condition_note, at=at, by=actor.account_id))
        await uow.commit()
        return item


async def create_labels(count: int, uow: LendingUnitOfWork, actor: Actor) -> list[Label]:
    """Labels to print in advance; they are linked to items later by scanning."""
    _check_count(count)
    scope.require_everywhere(actor, "a label not yet on an item")
    async with uow:
        labels = [Label(actor.municipality_id, code) for code in await _fresh_codes(uow, count)]
        for label in labels:
            uow.lending.add_label(label)
        _audit(uow, actor, "lending.labels_created", "lending_label", labels[0].id, count=count)
        await uow.commit()
        return labels


async def link_label(code: str, item_id: UUID, uow: LendingUnitOfWork, actor: Actor, at: datetime) -> Item:
    code = lb.normalize_code(code)
    async with uow:
        label = of_municipality(await uow.lending.label(code), actor.municipality_id, "label", code)
        item = await item_of(uow, actor, item_id, "item_id")
        scope.require_site(actor, item.site_id)
        await uow.lending.lock_item(item.id)
        label.link(item.id, at)  # 409 when the label is linked already
        uow.lending.add_item_event(item.link_label(code, at=at, by=actor.account_id))  # 409 when the item has one
        _audit(uow, actor, "lending.label_linked", "lending_item", item.id, code=code)
        await uow.commit()
        return item


async def record_print(template: str, codes: Sequence[str], uow: LendingUnitOfWork, actor: Actor,
                       at: datetime) -> LabelPrint:
    """Log a printed sheet; every code must be a label of the actor's municipality (for staff narrowed to
    sites: on an item of theirs)."""
    if not (1 <= len(codes) <= MAX_SHEET):
        raise ValidationError("codes", f"Between 1 and {MAX_SHEET} codes on a sheet.", "out-of-range")
    normalized = [lb.normalize_code(c, f"codes[{i}]") for i, c in enumerate(codes)]
    async with uow:
        labels = {label.code: label for label in await uow.lending.labels(actor.municipality_id, normalized)}
        for i, code in enumerate(normalized):
            if code not in labels:
                raise ValidationError(f"codes[{i}]", f"No label {code} in this municipality.", "unknown")
        if scope.desk_sites(actor) is not None:  # narrowed: only labels on its sites' items
            sites = await uow.lending.label_sites(actor.municipality_id, normalized)
            for code in normalized:
                scope.require_site(actor, sites.get(code))
        for code in normalized:
            labels[code].printed_at = at
        entry = LabelPrint(actor.municipality_id, template, normalized, at, actor.account_id)
        uow.lending.add_label_print(entry)
        await uow.commit()
        return entry
