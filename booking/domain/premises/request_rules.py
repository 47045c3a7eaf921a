"""The rules of a booking request, date by date: what refuses it, what a series skips, when a
clash refuses and when it is skipped, and who is approved at once. Pure functions: no storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from booking.domain.people.model import Association
from booking.domain.people.roles import Actor
from booking.domain.premises.booking_common import breaches_as_problems, clash_view
from booking.domain.premises.bookings import Booking, BookingSeries
from booking.domain.premises.calendar import RuleBreach
from booking.domain.premises.model import Space
from booking.domain.premises.ports import Clash
from booking.domain.shared.errors import Conflict, FieldProblem

# Rules that leave a date out of a series (and say so) instead of refusing the whole series.
SKIPPABLE = frozenset({"holiday", "closed", "conflict"})


@dataclass
class Outcome:
    """What a request or a series decision did, date by date."""

    bookings: list[Booking] = field(default_factory=list)
    series: BookingSeries | None = None
    skipped: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Admission:
    """The dates of a request sorted out: refused outright, skipped (a series only), or free to book."""

    in_series: bool
    refusals: list[FieldProblem] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def breaks_rules(self, breaches: list[RuleBreach]) -> bool:
        """Note the broken rules of one date; True when the date is not booked. A series skips a
        holiday or a closed day; anything else refuses the whole request."""
        blocking = [b for b in breaches if not self.in_series or b.rule not in SKIPPABLE]
        if blocking:
            self.refusals.extend(breaches_as_problems(blocking))
        elif breaches:
            self.skipped.extend(b.as_dict() for b in breaches)
        return bool(breaches)

    def is_taken(self, day: date, clashes: list[Clash], actor: Actor) -> bool:
        """True when the date is taken: a single request is refused naming the bookings in the way,
        a series skips the date and names them."""
        if not clashes:
            return False
        shown = [clash_view(c, actor) for c in clashes]
        if not self.in_series:
            raise Conflict("The space is already booked at that time.", shown)
        self.skipped.append({"rule": "conflict", "date": day.isoformat(), "message": "Already booked at that time.",
                             "conflicts": shown})
        return True


def auto_approved(space: Space, association: Association | None, staff_here: bool) -> bool:
    """Staff of the space's site book approved at once, and so do associations of a category the
    space approves automatically."""
    return staff_here or (association is not None and association.category in space.auto_approve_categories)


def lost_meanwhile(booking: Booking, day: date) -> dict[str, Any]:
    """A series date whose hold failed at approval: taken by someone else meanwhile."""
    booking.approval_lost("Tiden bokades av någon annan under tiden.")
    return {"rule": "conflict", "date": day.isoformat(), "message": "Booked by someone else meanwhile."}
