"""Rules of the lending catalogue: item statuses and history, label codes, card numbers, borrowers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.domain.lending import labels as lb
from booking.domain.lending.borrowers import ANONYMISED_NAME, Borrower, check_guardian, normalize_mobile
from booking.domain.lending.model import TRANSITIONS, Article, Item, ItemStatus, public_availability
from booking.domain.shared.errors import Conflict, ValidationError

AT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
M = uuid.uuid4()


def _item(status: ItemStatus = ItemStatus.AVAILABLE) -> Item:
    return Item(M, uuid.uuid4(), uuid.uuid4(), status=status)


def test_a_status_change_moves_the_item_and_returns_its_history_line() -> None:
    item = _item()
    staff, other_site = uuid.uuid4(), uuid.uuid4()
    event = item.change_status(ItemStatus.ON_LOAN, at=AT, by=staff, note="Utlånad vid disken")
    assert item.status is ItemStatus.ON_LOAN
    assert (event.item_id, event.from_status, event.to_status, event.actor_id, event.at) == (
        item.id, "available", "on_loan", staff, AT)
    back = item.change_status(ItemStatus.BEING_CHECKED, at=AT, by=staff, site_id=other_site)
    assert item.site_id == other_site and back.site_id == other_site


@pytest.mark.parametrize("old", list(ItemStatus))
@pytest.mark.parametrize("new", list(ItemStatus))
def test_only_the_listed_transitions_are_allowed(old: ItemStatus, new: ItemStatus) -> None:
    item = _item(old)
    if new in TRANSITIONS[old]:
        item.change_status(new, at=AT, by=None)
        assert item.status is new
    else:
        with pytest.raises(Conflict) as caught:
            item.change_status(new, at=AT, by=None)
        assert caught.value.conflicts[0]["field"] == "status"
        assert item.status is old


def test_a_retired_item_cannot_be_lent_and_the_public_does_not_see_it() -> None:
    item = _item(ItemStatus.RETIRED)
    with pytest.raises(Conflict):
        item.change_status(ItemStatus.ON_LOAN, at=AT, by=None)
    assert public_availability(ItemStatus.RETIRED) is None
    assert public_availability(ItemStatus.AVAILABLE) == "available"
    assert public_availability(ItemStatus.ON_HOLD_SHELF) == "on_loan"


def test_an_item_gets_one_label() -> None:
    item = _item()
    item.link_label("ABCDEFGH2", at=AT, by=None)
    with pytest.raises(Conflict):
        item.link_label("ABCDEFGH3", at=AT, by=None)
    assert item.label_code == "ABCDEFGH2"


def test_article_rules_name_the_field() -> None:
    cases = [({"loan_period_days": 0}, "loan_period_days"), ({"min_age": 12, "max_age": 8}, "max_age"),
             ({"min_age": -1}, "min_age"), ({"name": " "}, "name"), ({"photo_url": "javascript:alert(1)"}, "photo_url"),
             ({"variant": "x" * 61}, "variant")]
    for changes, field in cases:
        values = {"name": "Skridskor", **changes}
        with pytest.raises(ValidationError) as caught:
            Article(M, uuid.uuid4(), **values)  # type: ignore[arg-type]
        assert caught.value.problems[0].field == field
    assert Article(M, uuid.uuid4(), "Skridskor", variant=" 38 ").variant == "38"
    assert Article(M, uuid.uuid4(), "Skridskor").loan_period_days == 14


def test_label_codes_use_an_unambiguous_alphabet_and_are_unique_in_a_big_batch() -> None:
    assert not set("01OILU") & set(lb.ALPHABET)
    codes = [lb.new_label_code() for _ in range(20_000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == lb.CODE_LENGTH and set(c) <= set(lb.ALPHABET) for c in codes)
    assert lb.normalize_code(" abcd-efgh2 ".upper().lower()) == "ABCDEFGH2"
    for bad in ("ABCDEFGH0", "ABCDEFGHI", "ABC", "ABCDEFGH22", "ÅBCDEFGH2", ""):
        with pytest.raises(ValidationError) as caught:
            lb.normalize_code(bad)
        assert caught.value.problems[0].field == "code"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: s[0] != "0"))
def test_a_card_number_with_its_check_digit_passes_and_every_single_digit_error_fails(body: str) -> None:
    number = body + lb.luhn_digit(body)
    assert lb.normalize_card_number(number) == number
    for position in range(len(number)):
        for digit in "0123456789":
            if digit != number[position]:
                wrong = number[:position] + digit + number[position + 1:]
                assert not lb.luhn_valid(wrong)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_adjacent_swaps_are_caught_unless_the_digits_are_09(number: str) -> None:
    if not lb.luhn_valid(number):
        return
    for i in range(len(number) - 1):
        a, b = number[i], number[i + 1]
        if a != b and {a, b} != {"0", "9"}:
            assert not lb.luhn_valid(number[:i] + b + a + number[i + 2:])


def test_new_card_numbers_are_ten_valid_digits() -> None:
    for _ in range(1000):
        number = lb.new_card_number()
        assert len(number) == 10 and lb.luhn_valid(number) and number[0] != "0"
    with pytest.raises(ValidationError) as caught:
        lb.normalize_card_number("1234567890" if not lb.luhn_valid("1234567890") else "1234567891")
    assert caught.value.problems[0].code == "checksum"


def test_borrowers_minors_consent_and_anonymisation() -> None:
    today = date(2026, 11, 22)
    child = Borrower(M, "Alva Svensson", "070-123 45 67", 2014, email="Alva@Example.se")
    assert child.mobile == "+46701234567" and child.email == "alva@example.se"
    assert child.is_minor(today) and not Borrower(M, "Vuxen", None, 2008).is_minor(today)
    skates, winter = uuid.uuid4(), uuid.uuid4()
    assert not child.has_consent(skates, winter)
    child.give_consent(winter, by=uuid.uuid4(), at=AT)
    assert child.has_consent(skates, winter) and not child.has_consent(skates)
    child.block("Förlorat utrustning tre gånger", AT)
    assert child.is_blocked
    child.anonymise(AT)
    assert (child.name, child.mobile, child.email, child.consents) == (ANONYMISED_NAME, None, None, [])
    assert child.birth_year == 2014 and child.anonymised_at == AT
    with pytest.raises(ValidationError):
        normalize_mobile("08-123 456")


def test_staff_correct_a_borrower_and_a_guardian_is_a_registered_adult() -> None:
    today = date(2027, 2, 1)
    borrower = Borrower(uuid.uuid4(), "Alva Ek", "070-123 45 67", 1990)
    borrower.change({"name": " Alva  Ekström ", "mobile": None, "gender": "female", "area_id": None}, today)
    assert (borrower.name, borrower.mobile, borrower.gender) == ("Alva Ekström", None, "female")
    with pytest.raises(ValidationError):
        borrower.change({"birth_year": 1800}, today)
    check_guardian(borrower, today)
    child = Borrower(borrower.municipality_id, "Tove Ek", None, 2015)
    with pytest.raises(ValidationError) as caught:
        check_guardian(child, today)
    assert caught.value.problems[0].code == "minor"
    borrower.anonymise(datetime(2027, 2, 1, tzinfo=UTC))
    with pytest.raises(ValidationError):
        check_guardian(borrower, today)
    with pytest.raises(Conflict):
        borrower.change({"name": "Ny"}, today)
