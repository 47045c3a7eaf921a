"""Import and export of the lending catalogue's articles (Fritidsbanken), one row per article and size.

An article is matched by its name and size (`storlek`, the model's variant: "150 cm", "38", "S"); each size
is an article of its own, so a ski in three lengths is three rows. Its category is named in `kategori`
(with `överkategori` for a subcategory): a category the municipality does not have yet is created with
the import (the dry run lists it), so a catalogue can be moved in from another system in one go.
Lending staff of the whole municipality and administrators import and export them (the catalogue is at
no site: a grant narrowed to sites reads it but does not change it, as at the desk)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from booking.domain.imports.csv_text import Column, Row
from booking.domain.imports.plan import (
    Plan,
    Run,
    audit,
    check_no_extra,
    lending_staff_everywhere,
    parse_bool,
    parse_int,
    yes_no,
)
from booking.domain.imports.ports import ImportsUnitOfWork
from booking.domain.lending.model import DEFAULT_LOAN_DAYS, Article, Category
from booking.domain.people.roles import Actor
from booking.domain.shared.errors import ValidationError
from booking.domain.shared.text import clean_name

NAME, SIZE, CATEGORY, PARENT, LOAN_DAYS = "namn", "storlek", "kategori", "överkategori", "lånetid_dagar"
MIN_AGE, MAX_AGE, CONSENT, SELF_SERVICE = "min_ålder", "max_ålder", "samtycke_krävs", "självbetjäning"
DESCRIPTION, PHOTO = "beskrivning", "bild"
COLUMNS = (
    Column(NAME, ("name", "artikel", "article")),
    Column(SIZE, ("variant", "size", "storlek_längd", "längd")),
    Column(CATEGORY, ("category",)),
    Column(PARENT, ("parent_category", "overkategori", "huvudkategori"), required=False),
    Column(LOAN_DAYS, ("loan_period_days", "lanetid_dagar", "lånetid", "lanetid"), required=False),
    Column(MIN_AGE, ("min_age", "min_alder"), required=False),
    Column(MAX_AGE, ("max_age", "max_alder"), required=False),
    Column(CONSENT, ("needs_guardian_consent", "samtycke_kravs", "samtycke"), required=False),
    Column(SELF_SERVICE, ("self_service", "sjalvbetjaning"), required=False),
    Column(DESCRIPTION, ("description",), required=False),
    Column(PHOTO, ("photo_url", "foto"), required=False),
)
FIELDS = {"name": NAME, "variant": SIZE, "category_id": CATEGORY, "parent_id": PARENT,
          "loan_period_days": LOAN_DAYS, "min_age": MIN_AGE, "max_age": MAX_AGE, "needs_guardian_consent": CONSENT,
          "self_service": SELF_SERVICE, "description": DESCRIPTION, "photo_url": PHOTO}
UNRESOLVED = UUID(int=0)  # the category, until the row is known to be good


def article_key(name: str, variant: str | None) -> tuple[str, str]:
    return name.casefold(), (variant or "").casefold()


class _Categories:
    """The municipality's categories and those the file creates, found by name (and top category)."""

    def __init__(self, stored: Sequence[Category], plan: Plan, uow: ImportsUnitOfWork, actor: Actor) -> None:
        self.known = list(stored)
        self.plan, self.uow, self.actor = plan, uow, actor

    def _named(self, name: str, parent: Category | bool | None) -> list[Category]:
        """Categories of this name: under `parent`, at the top (None), or anywhere (False)."""
        return [c for c in self.known if c.name.casefold() == name.casefold()
                and (parent is False or c.parent_id == (parent.id if isinstance(parent, Category) else None))]

    def _create(self, line: int, name: str, parent: Category | None) -> Category:
        category = Category(self.actor.municipality_id, name, parent.id if parent else None)
        self.known.append(category)

        def step() -> None:
            self.uow.lending.add_category(category)
            audit(self.uow, self.actor, "lending.category_created", "lending_category", category.id,
                  "lending_articles", name=category.name)
        self.plan.create(line, "category", category.name, step)
        return category

    def resolve(self, row: Row) -> Category:
        name = clean_name(row.get(CATEGORY), CATEGORY)
        parent_name = clean_name(row.get(PARENT), PARENT) if row.get(PARENT) else ""
        if not parent_name:
            found = self._named(name, False)
            if len(found) > 1:
                raise ValidationError(CATEGORY, f"{len(found)} categories are named {name}; name its "
                                                f"{PARENT} too.", "ambiguous")
            return found[0] if found else self._create(row.line, name, None)
        parents = self._named(parent_name, None)
        if not parents:
            if self._named(parent_name, False):
                raise ValidationError(PARENT, f"{parent_name} is a subcategory; categories are two levels deep.",
                                      "too-deep")
            parents = [self._create(row.line, parent_name, None)]
        [parent] = parents
        found = self._named(name, parent)
        return found[0] if found else self._create(row.line, name, parent)


class LendingArticleImport:
    name = "lending_articles"
    columns = COLUMNS
    export_audit = None

    @staticmethod
    def allow(actor: Actor) -> None:
        lending_staff_everywhere(actor, "the catalogue")

    async def export(self, uow: ImportsUnitOfWork, actor: Actor) -> list[list[str]]:
        categories = {c.id: c for c in await uow.imports.categories(actor.municipality_id)}
        rows = []
        for a in await uow.imports.articles(actor.municipality_id):
            category = categories[a.category_id]
            parent = categories[category.parent_id].name if category.parent_id in categories else ""
            rows.append([a.name, a.variant or "", category.name, parent, str(a.loan_period_days),
                         "" if a.min_age is None else str(a.min_age), "" if a.max_age is None else str(a.max_age),
                         yes_no(a.needs_guardian_consent), yes_no(a.self_service), a.description or "",
                         a.photo_url or ""])
        return rows

    async def plan(self, rows: Sequence[Row], uow: ImportsUnitOfWork, actor: Actor, run: Run) -> Plan:
        plan = Plan(self.name)
        municipality = actor.municipality_id
        categories = _Categories(await uow.imports.categories(municipality), plan, uow, actor)
        stored: dict[tuple[str, str], list[Article]] = {}
        for article in await uow.imports.articles(municipality):
            stored.setdefault(article_key(article.name, article.variant), []).append(article)
        seen: dict[tuple[str, str], int] = {}
        async for row in run.checking(rows):
            try:
                check_no_extra(row)
                key = article_key(clean_name(row.get(NAME), NAME),
                                  clean_name(row.get(SIZE), SIZE, 60) if row.get(SIZE) else None)
                if key in seen:
                    raise ValidationError(NAME, f"Line {seen[key]} names this article and size too.", "repeated")
                seen[key] = row.line
                found = stored.get(key, [])
                if len(found) > 1:
                    raise ValidationError(NAME, f"{len(found)} articles have this name and size; rename one first.",
                                          "ambiguous")
                self._row(row, found[0] if found else None, categories, plan, uow, actor)
            except ValidationError as error:
                plan.reject(row.line, error, FIELDS)
        return plan

    def _row(self, row: Row, article: Article | None, categories: _Categories, plan: Plan, uow: ImportsUnitOfWork,
             actor: Actor) -> None:
        values: dict[str, Any] = {"name": row.get(NAME), "variant": row.get(SIZE) or None}
        loan_days = parse_int(row, LOAN_DAYS)
        values["loan_period_days"] = loan_days if loan_days is not None else \
            (article.loan_period_days if article else DEFAULT_LOAN_DAYS)
        optional = {"description": lambda: row.get(DESCRIPTION) or None, "min_age": lambda: parse_int(row, MIN_AGE),
                    "max_age": lambda: parse_int(row, MAX_AGE),
                    "needs_guardian_consent": lambda: parse_bool(row, CONSENT),
                    "self_service": lambda: parse_bool(row, SELF_SERVICE), "photo_url": lambda: row.get(PHOTO) or None}
        for field, read in optional.items():  # a column left out keeps the stored value
            if row.has(FIELDS[field]):
                values[field] = read()
            elif article is not None:
                values[field] = getattr(article, field)
        candidate = Article(actor.municipality_id, UNRESOLVED, **values)
        candidate.category_id = categories.resolve(row).id  # after the row's checks: a bad row creates none
        if article is None:
            def create() -> None:
                uow.lending.add_article(candidate)
                audit(uow, actor, "lending.article_created", "lending_article", candidate.id, self.name,
                      name=candidate.name)
            plan.create(row.line, "article", _label(candidate), create)
            return
        changes = {k: getattr(candidate, k) for k in ("category_id", *values)
                   if getattr(article, k) != getattr(candidate, k)}

        def change() -> None:
            for key, value in changes.items():
                setattr(article, key, value)
            article.validate()
            audit(uow, actor, "lending.article_updated", "lending_article", article.id, self.name,
                  fields=sorted(changes))
        plan.change(row.line, "article", _label(candidate), [FIELDS[k] for k in changes], change)


def _label(article: Article) -> str:
    return f"{article.name} ({article.variant})" if article.variant else article.name


LENDING_ARTICLES = LendingArticleImport()
