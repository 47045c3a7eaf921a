"""The catalogue, items, labels, donations and stock counts, with fakes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from booking.domain.lending import intake_services as intake
from booking.domain.lending import services as catalogue
from booking.domain.lending.model import ItemStatus
from booking.domain.shared.errors import Conflict, Forbidden, NotFound, ValidationError
from booking.domain.shared.ids import new_id
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes.lending import LendingWorld

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)


@pytest.fixture
async def world() -> LendingWorld:
    return await LendingWorld.create(FakeUnitOfWork())


async def test_categories_have_two_levels_and_go_only_when_empty(world: LendingWorld) -> None:
    staff = world.staff()
    sub = await catalogue.create_category("Skidor", world.top.id, world.uow, staff)
    with pytest.raises(ValidationError) as caught:
        await catalogue.create_category("Slalom", sub.id, world.uow, staff)
    assert caught.value.problems[0].code == "too-deep"
    with pytest.raises(Conflict):
        await catalogue.delete_category(world.top.id, world.uow, staff)
    await catalogue.delete_category(sub.id, world.uow, staff)
    assert await world.uow.lending.get_category(sub.id) is None
    assert [e.action for e in world.uow.audit_log] == ["lending.category_created", "lending.category_deleted"]


async def test_the_catalogue_belongs_to_the_whole_municipality(world: LendingWorld) -> None:
    site = await world.site()
    with pytest.raises(Forbidden):
        await catalogue.create_category("Skidor", None, world.uow, world.staff(site))
    with pytest.raises(Forbidden):
        await catalogue.create_labels(3, world.uow, world.staff(site))
    elsewhere = await LendingWorld.create(world.uow, "Timra")
    with pytest.raises(NotFound):
        await catalogue.rename_category(world.top.id, "Sommar", world.uow, elsewhere.staff())


async def test_articles_are_checked_and_updated(world: LendingWorld) -> None:
    article = await catalogue.create_article({"category_id": world.top.id, "name": "Pjäxor", "variant": " 38 "},
                                             world.uow, world.staff())
    assert article.variant == "38"
    with pytest.raises(ValidationError) as caught:
        await catalogue.update_article(article.id, {"min_age": 12, "max_age": 8}, world.uow, world.staff())
    assert caught.value.problems[0].field == "max_age"
    with pytest.raises(ValidationError) as caught:
        await catalogue.create_article({"category_id": new_id(), "name": "Pjäxor"}, world.uow, world.staff())
    assert caught.value.problems[0].field == "category_id"


async def test_an_article_in_sizes_is_made_whole_or_not_at_all(world: LendingWorld) -> None:
    before = set(world.uow.lending.articles)
    with pytest.raises(ValidationError) as caught:
        await catalogue.create_article_sizes({"category_id": world.top.id, "name": "Pjäxor"}, ["36", "38", "36 "],
                                             world.uow, world.staff())
    assert (caught.value.problems[0].field, caught.value.problems[0].code) == ("variants[2]", "duplicate")
    with pytest.raises(ValidationError) as caught:
        await catalogue.create_article_sizes({"category_id": world.top.id, "name": "Pjäxor"}, ["36", "3\t8"],
                                             world.uow, world.staff())
    assert caught.value.problems[0].field == "variants[1]"
    assert set(world.uow.lending.articles) == before
    made = await catalogue.create_article_sizes({"category_id": world.top.id, "name": "Pjäxor", "loan_period_days": 7},
                                                ["36", "38"], world.uow, world.staff())
    assert [(a.name, a.variant, a.loan_period_days) for a in made] == [("Pjäxor", "36", 7), ("Pjäxor", "38", 7)]
    with pytest.raises(Forbidden):
        await catalogue.create_article_sizes({"category_id": world.top.id, "name": "Stavar"}, ["120 cm"], world.uow,
                                             world.staff(await world.site()))


async def test_an_article_goes_only_while_no_item_refers_to_it(world: LendingWorld) -> None:
    article = await catalogue.create_article({"category_id": world.top.id, "name": "Pulka"}, world.uow, world.staff())
    site = await world.site()
    await catalogue.create_items(article.id, site.id, 1, None, True, world.uow, world.staff(), NOW)
    with pytest.raises(Conflict):
        await catalogue.delete_article(article.id, world.uow, world.staff())
    unused = await catalogue.create_article({"category_id": world.top.id, "name": "Kälke"}, world.uow, world.staff())
    with pytest.raises(NotFound):
        await catalogue.delete_article(unused.id, world.uow, (await LendingWorld.create(world.uow, "Timra")).staff())
    await catalogue.delete_article(unused.id, world.uow, world.staff())
    assert await world.uow.lending.get_article(unused.id) is None
    assert await world.uow.lending.get_article(article.id) is not None


async def test_items_are_made_with_fresh_labels_and_a_history(world: LendingWorld) -> None:
    site = await world.site()
    article = await world.article()
    items = await catalogue.create_items(article.id, site.id, 3, "Nyskick", True, world.uow, world.staff(), NOW)
    codes = {i.label_code for i in items}
    assert len(codes) == 3 and None not in codes
    assert {lab.item_id for lab in await world.uow.lending.labels(world.id, sorted(c or "" for c in codes))} == \
        {i.id for i in items}
    assert [e.kind for e in await world.uow.lending.item_events(items[0].id)] == ["created"]
    with pytest.raises(ValidationError):
        await catalogue.create_items(article.id, site.id, 0, None, True, world.uow, world.staff(), NOW)


async def test_loans_and_holds_alone_move_an_item_on_or_off_loan(world: LendingWorld) -> None:
    site, other = await world.site(), await world.site("Fritidsbanken Nacksta")
    item = await world.item(await world.article(), site)
    with pytest.raises(Conflict) as caught:
        await catalogue.update_item(item.id, status=ItemStatus.ON_LOAN, site_id=None, condition_note=None, note=None,
                                    uow=world.uow, actor=world.staff(), at=NOW, keep=None)
    assert caught.value.conflicts[0]["reason"] == "circulation"
    await catalogue.update_item(item.id, status=ItemStatus.IN_REPAIR, site_id=other.id, condition_note="Spricka",
                                note="Till verkstaden", uow=world.uow, actor=world.staff(), at=NOW, keep=None)
    assert (item.status, item.site_id, item.condition_note) == (ItemStatus.IN_REPAIR, other.id, "Spricka")
    with pytest.raises(Forbidden):
        await catalogue.update_item(item.id, status=None, site_id=site.id, condition_note=None, note=None,
                                    uow=world.uow, actor=world.staff(site), at=NOW, keep=None)


async def test_a_printed_label_is_linked_to_one_item_once(world: LendingWorld) -> None:
    site = await world.site()
    [label] = await catalogue.create_labels(1, world.uow, world.staff())
    bare = (await catalogue.create_items((await world.article()).id, site.id, 2, None, False, world.uow,
                                         world.staff(), NOW))
    await catalogue.link_label(label.code.lower(), bare[0].id, world.uow, world.staff(), NOW)
    assert (bare[0].label_code, label.item_id) == (label.code, bare[0].id)
    with pytest.raises(Conflict):
        await catalogue.link_label(label.code, bare[1].id, world.uow, world.staff(), NOW)
    with pytest.raises(NotFound):
        await catalogue.link_label("K3MHMCHB4", bare[1].id, world.uow, world.staff(), NOW)


async def test_a_print_names_labels_of_the_municipality(world: LendingWorld) -> None:
    labels = await catalogue.create_labels(2, world.uow, world.staff())
    entry = await catalogue.record_print("a4-3x8", [lab.code for lab in labels], world.uow, world.staff(), NOW)
    assert entry.codes == [lab.code for lab in labels] and all(lab.printed_at == NOW for lab in labels)
    with pytest.raises(ValidationError) as caught:
        await catalogue.record_print("a4-3x8", [labels[0].code, "K3MHMCHB4"], world.uow, world.staff(), NOW)
    assert caught.value.problems[0].field == "codes[1]"


async def test_a_donation_registers_labelled_items_at_the_site(world: LendingWorld) -> None:
    site = await world.site()
    skis, boots = await world.article(), await world.article("Pjäxor")
    donation, items = await intake.receive_donation(site.id, "Förening X", [
        intake.DonationLine(skis.id, 2), intake.DonationLine(boots.id, 1, "Sliten")], world.uow, world.staff(), NOW)
    assert (donation.item_count, len(items)) == (3, 3)
    assert all(i.donation_id == donation.id and i.label_code for i in items)
    with pytest.raises(ValidationError) as caught:
        await intake.receive_donation(site.id, None, [intake.DonationLine(new_id())], world.uow, world.staff(), NOW)
    assert caught.value.problems[0].field == "lines[0].article_id"


async def test_a_stock_count_finds_what_is_missing_unexpected_and_unknown(world: LendingWorld) -> None:
    site = await world.site()
    skis = await world.article()
    seen, missing, lent = [await world.item(skis, site) for _ in range(2)] + [
        await world.item(skis, site, ItemStatus.ON_LOAN)]
    count = await intake.start_count(site.id, world.uow, world.staff(), NOW)
    assert (await intake.scan(count.id, seen.label_code or "", world.uow, world.staff(), NOW))[1] is True
    assert (await intake.scan(count.id, seen.label_code or "", world.uow, world.staff(), NOW))[1] is False
    await intake.scan(count.id, lent.label_code or "", world.uow, world.staff(), NOW)
    assert (await intake.scan(count.id, "K3MHMCHB4", world.uow, world.staff(), NOW))[0] is None
    result = await intake.count_result(count.id, True, world.uow, world.staff(), NOW)
    assert (result.scanned, result.missing, result.unexpected, result.unknown_codes) == (
        3, [missing.id], [lent.id], ["K3MHMCHB4"])
    assert seen.last_counted_at == NOW
    with pytest.raises(Conflict):
        await intake.scan(count.id, seen.label_code or "", world.uow, world.staff(), NOW)
