"""Circulation rules without storage: due dates, renewals, the holds queue and who may borrow."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4

import pytest

from booking.adapters.holidays_se import swedish_closed_days
from booking.domain.lending.borrowers import Borrower
from booking.domain.lending.circulation import (
    ArticleFacts,
    BorrowerFacts,
    Condition,
    Hold,
    HoldStatus,
    Loan,
    Policy,
    Refusal,
    check_may_hold,
    lend_item,
    next_in_queue,
    queue_position,
    raise_refusals,
    refusals,
    take_back,
)
from booking.domain.lending.due_dates import ALL_WEEK, WEEKDAYS, OpenDays, check_hours, check_weekdays, due_on
from booking.domain.lending.model import Article, Item, ItemStatus
from booking.domain.shared.errors import Conflict, ValidationError

EASTER_2027 = swedish_closed_days(2027)
AT = datetime(2027, 3, 12, 10, tzinfo=UTC)


def test_fourteen_days_from_12_march_2027_is_langfredagen_and_a_weekday_site_moves_it_past_easter() -> None:
    assert date(2027, 3, 12) + timedelta(days=14) == date(2027, 3, 26)
    assert EASTER_2027[date(2027, 3, 26)] == "Långfredagen"
    weekdays = OpenDays(WEEKDAYS, EASTER_2027)
    assert due_on(date(2027, 3, 12), 14, weekdays) == date(2027, 3, 30)
    # open every day: påskafton closes by default too, so Tuesday after Easter is the first open day
    assert due_on(date(2027, 3, 12), 14, OpenDays(ALL_WEEK, EASTER_2027)) == date(2027, 3, 30)
    # in a municipality that keeps påskafton open, Saturday 27 March is
    open_easter_eve = swedish_closed_days(2027, ("midsummer_eve", "christmas_eve", "new_years_eve"))
    assert due_on(date(2027, 3, 12), 14, OpenDays(ALL_WEEK, open_easter_eve)) == date(2027, 3, 27)
    # without holidays it stays on the Friday
    assert due_on(date(2027, 3, 12), 14, OpenDays(WEEKDAYS, {})) == date(2027, 3, 26)


def test_an_open_day_keeps_its_date_and_a_weekend_moves_to_the_next_opening_weekday() -> None:
    tuesdays_and_thursdays = OpenDays(frozenset({1, 3}), {})
    assert due_on(date(2027, 1, 5), 14, tuesdays_and_thursdays) == date(2027, 1, 19)  # a Tuesday
    assert due_on(date(2027, 1, 6), 14, tuesdays_and_thursdays) == date(2027, 1, 21)  # Wed -> Thu
    assert due_on(date(2027, 1, 8), 14, tuesdays_and_thursdays) == date(2027, 1, 26)  # Fri -> Tue


def test_christmas_and_new_year_push_a_due_date_into_january() -> None:
    closed = {**swedish_closed_days(2027), **swedish_closed_days(2028)}
    # 2027-12-10 + 14 = Fri 24 Dec (julafton) -> 25, 26 holidays, 27 Mon open
    assert due_on(date(2027, 12, 10), 14, OpenDays(WEEKDAYS, closed)) == date(2027, 12, 27)


def test_bad_periods_and_sites_without_open_days_are_refused() -> None:
    with pytest.raises(ValidationError):
        due_on(date(2027, 1, 1), 0, OpenDays())
    with pytest.raises(ValidationError):
        check_weekdays([])
    with pytest.raises(ValidationError):
        check_weekdays([7])
    always_closed = OpenDays(frozenset({0}), {date(2027, 1, 4) + timedelta(weeks=w) for w in range(60)})
    with pytest.raises(ValidationError):
        due_on(date(2027, 1, 1), 1, always_closed)


def test_a_sites_hours_are_both_or_neither_and_open_before_they_close() -> None:
    assert check_hours(None, None) is None
    assert check_hours(time(15), time(19, 30)) == (time(15), time(19, 30))
    refused = [(time(15), None, "closes", "required"), (None, time(19), "opens", "required"),
               (time(19), time(15), "closes", "order"), (time(15), time(15), "closes", "order")]
    for opens, closes, field, code in refused:
        with pytest.raises(ValidationError) as caught:
            check_hours(opens, closes)
        assert (caught.value.problems[0].field, caught.value.problems[0].code) == (field, code)


def _loan(due: date = date(2027, 3, 26)) -> Loan:
    return Loan(uuid4(), uuid4(), uuid4(), uuid4(), uuid4(), AT, due)


def test_renewal_starts_a_new_period_from_today_and_counts_up_to_the_limit() -> None:
    loan = _loan(date(2027, 3, 26))
    policy = Policy(max_renewals=2)
    open_days = OpenDays(WEEKDAYS, EASTER_2027)
    assert loan.renew(today=date(2027, 3, 25), period_days=14, open_days=open_days, policy=policy,
                      held=False) == date(2027, 4, 8)
    assert loan.renew(today=date(2027, 4, 7), period_days=14, open_days=open_days, policy=policy,
                      held=False) == date(2027, 4, 21)
    with pytest.raises(Conflict, match="most allowed"):
        loan.renew(today=date(2027, 4, 20), period_days=14, open_days=open_days, policy=policy, held=False)
    assert loan.renewals == 2 and loan.due_on == date(2027, 4, 21)


def test_renewal_is_refused_when_someone_holds_the_article_or_it_would_not_help() -> None:
    loan = _loan(date(2027, 3, 26))
    with pytest.raises(Conflict, match="waiting"):
        loan.renew(today=date(2027, 3, 20), period_days=14, open_days=OpenDays(), policy=Policy(), held=True)
    with pytest.raises(Conflict, match="already runs"):
        loan.renew(today=date(2027, 3, 12), period_days=14, open_days=OpenDays(), policy=Policy(), held=False)
    assert loan.renewals == 0 and loan.due_on == date(2027, 3, 26)
    loan.close(at=AT, site_id=uuid4(), by=None)
    with pytest.raises(Conflict, match="returned"):
        loan.renew(today=date(2027, 3, 20), period_days=14, open_days=OpenDays(), policy=Policy(), held=False)
    with pytest.raises(Conflict):
        loan.close(at=AT, site_id=uuid4(), by=None)


def test_overdue_is_the_day_after_the_due_date() -> None:
    loan = _loan(date(2027, 3, 30))
    assert not loan.is_overdue(date(2027, 3, 30))
    assert loan.is_overdue(date(2027, 3, 31))


def test_holds_are_served_first_come_first_served_per_pickup_site() -> None:
    m, article, here, there = uuid4(), uuid4(), uuid4(), uuid4()
    first = Hold(m, article, uuid4(), here, AT + timedelta(minutes=5))
    elsewhere = Hold(m, article, uuid4(), there, AT)
    second = Hold(m, article, uuid4(), here, AT + timedelta(minutes=9))
    cancelled = Hold(m, article, uuid4(), here, AT)
    cancelled.cancel(AT)
    holds = [second, elsewhere, cancelled, first]
    assert next_in_queue(holds, here) is first
    assert queue_position(holds, second) == 2
    assert queue_position(holds, elsewhere) == 1
    first.make_ready(uuid4(), at=AT, today=date(2027, 3, 12), policy=Policy(hold_shelf_days=7))
    assert first.expires_on == date(2027, 3, 19)
    assert next_in_queue(holds, here) is second and queue_position(holds, first) is None
    assert not first.is_expired(date(2027, 3, 19)) and first.is_expired(date(2027, 3, 20))
    first.expire(AT)
    assert first.status == HoldStatus.EXPIRED and not first.is_open


def _borrower(**changes: object) -> BorrowerFacts:
    base: dict[str, object] = {"blocked_reason": None, "card_active": True, "birth_year": 2010, "open_loans": 0}
    base.update(changes)
    return BorrowerFacts(**base)  # type: ignore[arg-type]


def _article(**changes: object) -> ArticleFacts:
    base: dict[str, object] = {"article_id": uuid4(), "category_id": uuid4(), "name": "Skridskor 38",
                               "min_age": None, "max_age": None, "needs_guardian_consent": False,
                               "self_service": True}
    base.update(changes)
    return ArticleFacts(**base)  # type: ignore[arg-type]


TODAY = date(2027, 3, 12)


def codes(found: list[Refusal]) -> set[str]:
    return {r.code for r in found}


def test_a_card_in_good_standing_borrows() -> None:
    assert refusals(_borrower(), [_article()], today=TODAY, policy=Policy(), self_service=True) == []


def test_the_limit_counts_open_loans_and_the_items_asked_for() -> None:
    policy = Policy(max_loans=5)
    assert refusals(_borrower(open_loans=2), [_article()] * 3, today=TODAY, policy=policy, self_service=False) == []
    assert codes(refusals(_borrower(open_loans=3), [_article()] * 3, today=TODAY, policy=policy,
                          self_service=False)) == {"limit"}


def test_blocks_cards_age_consent_and_self_service_each_refuse() -> None:
    assert codes(refusals(_borrower(blocked_reason="Lost items"), [_article()], today=TODAY, policy=Policy(),
                          self_service=False)) == {"blocked"}
    assert codes(refusals(_borrower(card_active=False), [_article()], today=TODAY, policy=Policy(),
                          self_service=False)) == {"card-inactive"}
    # born 2016: turns 11 in 2027
    young = _borrower(birth_year=2016)
    assert codes(refusals(young, [_article(min_age=12)], today=TODAY, policy=Policy(),
                          self_service=False)) == {"too-young"}
    assert refusals(young, [_article(min_age=11)], today=TODAY, policy=Policy(), self_service=False) == []
    assert codes(refusals(_borrower(birth_year=1990), [_article(max_age=15)], today=TODAY, policy=Policy(),
                          self_service=False)) == {"too-old"}
    category = uuid4()
    kayak = _article(category_id=category, needs_guardian_consent=True)
    assert codes(refusals(young, [kayak], today=TODAY, policy=Policy(), self_service=False)) == {"consent-needed"}
    consented = _borrower(birth_year=2016, consent_categories=frozenset({category}))
    assert refusals(consented, [kayak], today=TODAY, policy=Policy(), self_service=False) == []
    assert refusals(_borrower(birth_year=1990), [kayak], today=TODAY, policy=Policy(), self_service=False) == []
    desk_only = _article(self_service=False)
    assert refusals(_borrower(), [desk_only], today=TODAY, policy=Policy(), self_service=False) == []
    assert codes(refusals(_borrower(), [desk_only], today=TODAY, policy=Policy(),
                          self_service=True)) == {"not-self-service"}


# --- the rules the aggregates carry (lend, return, hold) -----------------------------------------------


def test_refusals_land_on_the_line_of_their_article_even_when_two_share_a_name() -> None:
    short, long = uuid4(), uuid4()
    found = [Refusal("too-young", "Skidor is lent from the age of 12.", long), Refusal("limit", "At most 5 items.")]
    with pytest.raises(ValidationError) as caught:
        raise_refusals(found, [short, long], lambda i: f"codes[{i}]")
    assert [(p.field, p.code) for p in caught.value.problems] == [("codes[1]", "too-young"), ("card_number", "limit")]
    raise_refusals([], [short], str)  # nothing refused: nothing raised


def test_an_item_is_lendable_from_the_shelf_or_from_the_hold_shelf_to_its_holder() -> None:
    item = Item(uuid4(), uuid4(), uuid4(), status=ItemStatus.ON_HOLD_SHELF, label_code="K3MHMCHB4")
    item.check_lendable("codes[0]", held_for_borrower=True)
    with pytest.raises(Conflict) as caught:
        item.check_lendable("codes[0]", held_for_borrower=False)
    assert caught.value.conflicts == [{"field": "codes[0]", "status": "on_hold_shelf", "reason": "held-for-other"}]
    for status, reason in ((ItemStatus.ON_LOAN, "on-loan"), (ItemStatus.LOST, "not-available")):
        item.status = status
        with pytest.raises(Conflict) as caught:
            item.check_lendable("code", held_for_borrower=True)
        assert caught.value.conflicts[0]["reason"] == reason


def test_staff_never_move_an_item_into_or_out_of_circulation_by_hand() -> None:
    item = Item(uuid4(), uuid4(), uuid4())
    for status in (ItemStatus.ON_LOAN, ItemStatus.ON_HOLD_SHELF):
        with pytest.raises(Conflict):
            item.change_status_by_hand(status, at=AT, by=None)
    event = item.change_status_by_hand(ItemStatus.IN_REPAIR, at=AT, by=None, note="Spricka")
    assert (event.from_status, event.to_status, event.note) == ("available", "in_repair", "Spricka")
    item.status = ItemStatus.ON_LOAN
    with pytest.raises(Conflict):
        item.change_status_by_hand(ItemStatus.AVAILABLE, at=AT, by=None)


def test_a_return_closes_the_loan_and_the_condition_decides_the_items_status() -> None:
    article = Article(uuid4(), uuid4(), "Skridskor", variant="38")
    item = Item(article.municipality_id, article.id, uuid4())
    desk, other = item.site_id, uuid4()
    loan, event = lend_item(item, article, uuid4(), desk, at=AT, due=date(2027, 3, 26), by=None, self_service=True)
    assert (item.status, event.kind, loan.self_service, loan.site_id) == (ItemStatus.ON_LOAN, "loan", True, desk)
    events = take_back(loan, item, Condition.REPAIR, site_id=other, at=AT + timedelta(days=20), by=None,
                       note="Trasig skena")
    assert [e.kind for e in events] == ["return", "note"]
    assert (item.status, item.site_id, loan.returned_site_id) == (ItemStatus.IN_REPAIR, other, other)
    assert loan.overdue_days(date(2027, 4, 1)) == 6 and loan.overdue_days(date(2027, 3, 20)) == 0
    assert Condition.OK.status_after_return is ItemStatus.AVAILABLE
    assert Condition.CHECK.status_after_return is ItemStatus.BEING_CHECKED


def test_who_may_hold_an_article() -> None:
    borrower = Borrower(uuid4(), "Alva Ek", "070-123 45 67", 1990)
    article = uuid4()
    held = Hold(borrower.municipality_id, article, borrower.id, uuid4(), AT)
    check_may_hold(borrower, [], article, Policy())
    with pytest.raises(Conflict):
        check_may_hold(borrower, [held], article, Policy())
    with pytest.raises(ValidationError) as caught:
        check_may_hold(borrower, [held], uuid4(), Policy(max_holds=1))
    assert caught.value.problems[0].code == "limit"
    borrower.block("Obetalt", AT)
    with pytest.raises(ValidationError) as caught:
        check_may_hold(borrower, [], article, Policy())
    assert caught.value.problems[0].code == "blocked"
