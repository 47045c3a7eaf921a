"""Fakes of the lending repositories: the catalogue, labels, borrowers and cards, intake, and circulation.

They mirror `booking/adapters/db/{lending_repository,circulation_repository}.py` where the domain relies on
it: label codes, card numbers and one active card per borrower are unique, an item has at most one open
loan and waits on the hold shelf for one hold, a borrower holds an article once (all checked at commit,
like the SQL unique indexes); holds queue by the time they were placed; locks are no-ops recorded as
("article" | "item" | "borrower", id), which `lock_order_breaks` checks against the global lock order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from booking.domain.lending.borrowers import Borrower, Card
from booking.domain.lending.circulation import OPEN_HOLD, Hold, HoldStatus, Loan
from booking.domain.lending.intake import Donation, StockCount, StockScan
from booking.domain.lending.labels import Label, LabelPrint, new_card_number, new_label_code
from booking.domain.lending.model import Article, Category, Item, ItemEvent, ItemStatus
from booking.domain.municipalities.model import Municipality
from booking.domain.people.roles import Actor, Grant, Role
from booking.domain.premises.model import Site
from booking.domain.shared.ids import new_id
from tests.unit.fakes.base import FakeTransaction

STORED_MEANWHILE = "The change conflicts with data stored meanwhile; reload and try again."
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
AT_FIRST = datetime(2027, 1, 4, 9, tzinfo=UTC)  # when the world's cards were issued
LOCK_LEVELS = {"article": 1, "item": 2, "borrower": 3}


def lock_order_breaks(locks: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The locks of one transaction that came out of the global order (articles, items, borrowers; each
    level in ascending id order), as `booking/adapters/db/lock_order.py` would refuse them."""
    held: set[tuple[int, Any]] = set()
    last: tuple[int, Any] | None = None
    broken = []
    for what, ident in locks:
        if what not in LOCK_LEVELS:
            continue
        key = (LOCK_LEVELS[what], ident)
        if key in held:
            continue
        if last is not None and key < last:
            broken.append((what, ident))
        held.add(key)
        last = key
    return broken


class FakeLending:
    """The catalogue, items and their history, labels, borrowers and cards, donations and stock counts."""

    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
        self.categories: dict[UUID, Category] = uow.table("lending_categories")
        self.articles: dict[UUID, Article] = uow.table("lending_articles")
        self.items: dict[UUID, Item] = uow.table("lending_items")
        self.events: dict[UUID, ItemEvent] = uow.table("lending_item_events")
        self.label_rows: dict[UUID, Label] = uow.table("lending_labels")
        self.prints: dict[UUID, LabelPrint] = uow.table("lending_label_prints")
        self.borrowers: dict[UUID, Borrower] = uow.table("borrowers")
        self.cards: dict[UUID, Card] = uow.table("lending_cards")
        self.donations: dict[UUID, Donation] = uow.table("lending_donations")
        self.counts: dict[UUID, StockCount] = uow.table("lending_stock_counts")
        self.scans: dict[UUID, StockScan] = uow.table("lending_stock_scans")
        self.holds: dict[UUID, Hold] = uow.table("lending_holds")
        uow.unique("lending_items", lambda i: (i.municipality_id, i.label_code) if i.label_code else None,
                   "label_code", STORED_MEANWHILE)
        uow.unique("lending_labels", lambda lab: lab.code, "code", STORED_MEANWHILE)
        uow.unique("lending_labels", lambda lab: lab.item_id, "item_id", STORED_MEANWHILE)
        uow.unique("borrowers", lambda b: b.account_id, "account_id", STORED_MEANWHILE)
        uow.unique("lending_cards", lambda c: c.number, "number", STORED_MEANWHILE)
        uow.unique("lending_cards", lambda c: c.borrower_id if c.active else None, "borrower_id", STORED_MEANWHILE)

    async def flush(self) -> None:
        """Nothing is pending in memory; the unique keys are checked at commit."""

    # --- catalogue

    async def get_category(self, ident: UUID) -> Category | None:
        return self.categories.get(ident)

    def add_category(self, category: Category) -> None:
        self.categories[category.id] = category

    async def delete_category(self, category: Category) -> None:
        self.categories.pop(category.id, None)

    async def category_in_use(self, category_id: UUID) -> bool:
        return any(c.parent_id == category_id for c in self.categories.values()) or any(
            a.category_id == category_id for a in self.articles.values())

    async def get_article(self, ident: UUID) -> Article | None:
        return self.articles.get(ident)

    def add_article(self, article: Article) -> None:
        self.articles[article.id] = article

    async def article_in_use(self, article_id: UUID) -> bool:
        return any(i.article_id == article_id for i in self.items.values()) or any(
            h.article_id == article_id for h in self.holds.values())

    async def delete_article(self, article: Article) -> None:
        self.articles.pop(article.id, None)

    async def get_item(self, ident: UUID) -> Item | None:
        return self.items.get(ident)

    async def item_by_code(self, municipality_id: UUID, code: str) -> Item | None:
        return next((i for i in self.items.values()
                     if i.municipality_id == municipality_id and i.label_code == code), None)

    def add_item(self, item: Item) -> None:
        self.items[item.id] = item

    async def lock_item(self, item_id: UUID) -> None:
        await self.lock_items([item_id])

    async def lock_items(self, item_ids: Sequence[UUID]) -> None:
        for ident in sorted(set(item_ids)):
            self.uow.lock("item", ident)

    def add_item_event(self, event: ItemEvent) -> None:
        self.events[event.id] = event

    async def item_events(self, item_id: UUID, limit: int = 200) -> Sequence[ItemEvent]:
        found = [e for e in self.events.values() if e.item_id == item_id]
        return sorted(found, key=lambda e: (e.at, e.id), reverse=True)[:limit]

    async def items_at_site(self, site_id: UUID) -> Sequence[Item]:
        return [i for i in self.items.values() if i.site_id == site_id]

    # --- labels

    async def label(self, code: str) -> Label | None:
        return next((lab for lab in self.label_rows.values() if lab.code == code), None)

    def add_label(self, label: Label) -> None:
        self.label_rows[label.id] = label

    async def existing_codes(self, codes: Sequence[str]) -> set[str]:
        return {lab.code for lab in self.label_rows.values()} & set(codes)

    async def labels(self, municipality_id: UUID, codes: Sequence[str]) -> Sequence[Label]:
        return [lab for lab in self.label_rows.values() if lab.municipality_id == municipality_id
                and lab.code in codes]

    async def label_sites(self, municipality_id: UUID, codes: Sequence[str]) -> dict[str, UUID | None]:
        return {lab.code: self.items[lab.item_id].site_id if lab.item_id in self.items else None
                for lab in await self.labels(municipality_id, codes)}

    def add_label_print(self, entry: LabelPrint) -> None:
        self.prints[entry.id] = entry

    # --- borrowers and cards

    async def get_borrower(self, ident: UUID) -> Borrower | None:
        return self.borrowers.get(ident)

    async def lock_borrower(self, ident: UUID) -> Borrower | None:
        self.uow.lock("borrower", ident)
        return self.borrowers.get(ident)

    async def borrower_by_account(self, account_id: UUID) -> Borrower | None:
        return next((b for b in self.borrowers.values() if b.account_id == account_id), None)

    def add_borrower(self, borrower: Borrower) -> None:
        self.borrowers[borrower.id] = borrower

    async def borrower_by_card(self, municipality_id: UUID, number: str) -> tuple[Borrower, Card] | None:
        card = next((c for c in self.cards.values()
                     if c.number == number and c.active and c.municipality_id == municipality_id), None)
        borrower = self.borrowers.get(card.borrower_id) if card else None
        if card is None or borrower is None or borrower.is_anonymised:
            return None
        return borrower, card

    async def active_card(self, borrower_id: UUID) -> Card | None:
        return next((c for c in self.cards.values() if c.borrower_id == borrower_id and c.active), None)

    async def cards_of(self, borrower_id: UUID) -> Sequence[Card]:
        mine = [c for c in self.cards.values() if c.borrower_id == borrower_id]
        return sorted(mine, key=lambda c: c.issued_at or EPOCH, reverse=True)

    async def card_number_taken(self, number: str) -> bool:
        return any(c.number == number for c in self.cards.values())

    def add_card(self, card: Card) -> None:
        self.cards[card.id] = card

    async def inactive_borrowers(self, municipality_id: UUID | None, before: datetime,
                                 limit: int) -> Sequence[Borrower]:
        loans = self.uow.table("lending_loans").values()

        def recently_active(b: Borrower) -> bool:
            return any(loan.borrower_id == b.id and (loan.returned_at is None or loan.returned_at >= before
                                                     or loan.lent_at >= before) for loan in loans)

        found = sorted((b for b in self.borrowers.values()
                        if not b.is_anonymised and (municipality_id is None or b.municipality_id == municipality_id)
                        and (last := b.last_active_at or b.created_at) is not None and last < before
                        and not recently_active(b)), key=lambda b: b.id)[:limit]
        for b in found:
            self.uow.lock("borrower", b.id)
        return found

    async def wards_of(self, guardian_id: UUID) -> Sequence[Borrower]:
        return [b for b in self.borrowers.values() if b.guardian_id == guardian_id]

    # --- intake and stock count

    def add_donation(self, donation: Donation) -> None:
        self.donations[donation.id] = donation

    async def get_donation(self, ident: UUID) -> Donation | None:
        return self.donations.get(ident)

    def add_stock_count(self, count: StockCount) -> None:
        self.counts[count.id] = count

    async def get_stock_count(self, ident: UUID) -> StockCount | None:
        return self.counts.get(ident)

    async def add_stock_scan(self, scan: StockScan) -> bool:
        if any(s.count_id == scan.count_id and s.code == scan.code for s in self.scans.values()):
            return False
        self.scans[scan.id] = scan
        return True

    async def stock_scans(self, count_id: UUID) -> Sequence[StockScan]:
        return [s for s in self.scans.values() if s.count_id == count_id]


class FakeCirculation:
    """Loans, holds, the lending sites' opening days and the record of reminders sent."""

    def __init__(self, uow: FakeTransaction) -> None:
        self.uow = uow
        self.loans: dict[UUID, Loan] = uow.table("lending_loans")
        self.holds: dict[UUID, Hold] = uow.table("lending_holds")
        self.site_hours: dict[UUID, frozenset[int]] = uow.table("lending_site_hours")
        self.site_times: dict[UUID, tuple[time, time] | None] = uow.table("lending_site_times")
        self.reminders: dict[tuple[UUID, str, int], tuple[UUID, str, datetime]] = uow.table("lending_reminders")
        uow.unique("lending_loans", lambda loan: loan.item_id if loan.is_open else None, "item_id", STORED_MEANWHILE)
        uow.unique("lending_holds", lambda h: (h.borrower_id, h.article_id) if h.is_open else None, "article_id",
                   STORED_MEANWHILE)
        uow.unique("lending_holds", lambda h: h.item_id if h.status == HoldStatus.READY else None, "item_id",
                   STORED_MEANWHILE)

    # --- loans

    def add_loan(self, loan: Loan) -> None:
        self.loans[loan.id] = loan

    async def get_loan(self, ident: UUID, *, fresh: bool = False) -> Loan | None:
        return self.loans.get(ident)

    async def open_loan_of_item(self, item_id: UUID) -> Loan | None:
        return next((loan for loan in self.loans.values() if loan.item_id == item_id and loan.is_open), None)

    async def open_loans_of(self, borrower_id: UUID) -> Sequence[Loan]:
        mine = [loan for loan in self.loans.values() if loan.borrower_id == borrower_id and loan.is_open]
        return sorted(mine, key=lambda loan: (loan.due_on, loan.lent_at))

    async def count_open_loans(self, borrower_id: UUID) -> int:
        return len(await self.open_loans_of(borrower_id))

    async def borrower_active_at(self, borrower_id: UUID, sites: frozenset[UUID]) -> bool:
        return any(loan.borrower_id == borrower_id and (loan.site_id in sites or loan.returned_site_id in sites)
                   for loan in self.loans.values()) or any(
            h.borrower_id == borrower_id and h.site_id in sites and h.is_open for h in self.holds.values())

    async def items_and_articles(self, municipality_id: UUID, codes: Sequence[str]
                                 ) -> tuple[dict[str, Item], dict[UUID, Article]]:
        items: dict[UUID, Item] = self.uow.table("lending_items")
        articles: dict[UUID, Article] = self.uow.table("lending_articles")
        found = sorted((i for i in items.values() if i.municipality_id == municipality_id and i.label_code in codes),
                       key=lambda i: i.id)
        for item in found:
            self.uow.lock("item", item.id)
        return ({i.label_code or "": i for i in found},
                {i.article_id: articles[i.article_id] for i in found if i.article_id in articles})

    async def municipality_of_code(self, code: str) -> UUID | None:
        items: dict[UUID, Item] = self.uow.table("lending_items")
        return next((i.municipality_id for i in items.values() if i.label_code == code), None)

    # --- holds

    def add_hold(self, hold: Hold) -> None:
        self.holds[hold.id] = hold

    async def get_hold(self, ident: UUID, *, fresh: bool = False) -> Hold | None:
        return self.holds.get(ident)

    async def open_holds_of_article(self, article_id: UUID) -> Sequence[Hold]:
        return sorted((h for h in self.holds.values() if h.article_id == article_id and h.status in OPEN_HOLD),
                      key=lambda h: h.placed_at)

    async def open_holds_of(self, borrower_id: UUID) -> Sequence[Hold]:
        return sorted((h for h in self.holds.values() if h.borrower_id == borrower_id and h.status in OPEN_HOLD),
                      key=lambda h: h.placed_at)

    async def ready_hold_of_item(self, item_id: UUID) -> Hold | None:
        return next((h for h in self.holds.values() if h.item_id == item_id and h.status == HoldStatus.READY), None)

    async def has_waiting_holds(self, article_id: UUID) -> bool:
        return any(h.article_id == article_id and h.status == HoldStatus.WAITING for h in self.holds.values())

    async def lock_article_holds(self, article_id: UUID) -> None:
        self.uow.lock("article", article_id)

    # --- opening days of lending sites

    async def site_weekdays(self, site_id: UUID) -> frozenset[int] | None:
        return self.site_hours.get(site_id)

    async def set_site_weekdays(self, municipality_id: UUID, site_id: UUID, weekdays: frozenset[int],
                                hours: tuple[time, time] | None = None) -> None:
        self.site_hours[site_id] = frozenset(weekdays)
        self.site_times[site_id] = hours

    # --- reminders

    async def record_reminder(self, municipality_id: UUID, subject_id: UUID, kind: str, step: int, channel: str,
                              at: datetime) -> bool:
        if (subject_id, kind, step) in self.reminders:
            return False
        self.reminders[(subject_id, kind, step)] = (municipality_id, channel, at)
        return True


class FakeClosedDays:
    """Lending's view of the calendars: the days a municipality is closed, set by the test."""

    def __init__(self, uow: FakeTransaction) -> None:
        self.days: dict[tuple[UUID, date], str] = uow.table("lending_closed_days")

    def close(self, municipality_id: UUID, day: date, name: str) -> None:
        self.days[(municipality_id, day)] = name

    async def closed_days(self, municipality_id: UUID, years: range) -> dict[date, str]:
        return dict(sorted((day, name) for (m, day), name in self.days.items()
                           if m == municipality_id and day.year in years))


class LendingWorld:
    """A municipality with lending sites, a catalogue, labelled items and borrowers with cards, in a fake
    unit of work: what the lending unit tests start from. Rows are committed as they are made."""

    def __init__(self, uow: Any, municipality: Municipality, closed: FakeClosedDays) -> None:
        self.uow = uow
        self.municipality = municipality
        self.closed = closed
        self.top = Category(municipality.id, "Vintersport")

    @classmethod
    async def create(cls, uow: Any, name: str = "Sundsvall") -> LendingWorld:
        municipality = Municipality(f"{name}s kommun", name.lower())
        uow.municipalities.add(municipality)
        closed = FakeClosedDays(uow)
        uow.calendars = closed  # lending's view of the calendars: the closed days the test sets
        world = cls(uow, municipality, closed)
        uow.lending.add_category(world.top)
        await uow.commit()
        return world

    @property
    def id(self) -> UUID:
        return self.municipality.id

    async def site(self, name: str = "Fritidsbanken City", weekdays: frozenset[int] | None = None) -> Site:
        site = Site(self.id, name, "Storgatan 1", "85230", "Sundsvall")
        self.uow.sites.add(site)
        if weekdays is not None:
            await self.uow.circulation.set_site_weekdays(self.id, site.id, weekdays)
        await self.uow.commit()
        return site

    async def article(self, name: str = "Slalomskidor", **values: Any) -> Article:
        article = Article(self.id, values.pop("category_id", self.top.id), name, **values)
        self.uow.lending.add_article(article)
        await self.uow.commit()
        return article

    async def item(self, article: Article, site: Site, status: ItemStatus = ItemStatus.AVAILABLE) -> Item:
        code = new_label_code()
        item = Item(self.id, article.id, site.id, status=status, label_code=code)
        self.uow.lending.add_item(item)
        self.uow.lending.add_label(Label(self.id, code, item_id=item.id))
        await self.uow.commit()
        return item

    async def borrower(self, name: str = "Alva Ek", birth_year: int = 1990, **values: Any) -> tuple[Borrower, Card]:
        values.setdefault("mobile", "070-123 45 67")
        borrower = Borrower(self.id, name, birth_year=birth_year, **values)
        card = Card(borrower.id, new_card_number(), self.id, issued_at=AT_FIRST)
        self.uow.lending.add_borrower(borrower)
        self.uow.lending.add_card(card)
        await self.uow.commit()
        return borrower, card

    def staff(self, *sites: Site) -> Actor:
        """Lending staff of the municipality; narrowed to `sites` when given."""
        grants = frozenset(Grant(Role.LENDING_STAFF, s.id) for s in sites) or frozenset({Grant(Role.LENDING_STAFF)})
        return Actor(new_id(), self.id, grants)

    def admin(self) -> Actor:
        return Actor(new_id(), self.id, frozenset({Grant(Role.ADMIN)}))
