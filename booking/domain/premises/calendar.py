"""When a space can be booked: opening hours, closed periods, public holidays and the
space's booking rules. Everything wall-clock is local time in the municipality's zone."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.domain.shared.errors import ValidationError
from booking.domain.shared.localtime import check_day, local_instant
from booking.domain.shared.timespan import TimeSpan

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Window:
    """Open from `opens` to `closes` on a weekday (0 = Monday), local time, same day."""

    weekday: int
    opens: time
    closes: time

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise ValidationError("opening_hours.weekday", "Weekdays are 0 (Monday) to 6 (Sunday).")
        if not self.opens < self.closes:
            raise ValidationError("opening_hours.closes", "Closing time must be after opening time.")


@dataclass(frozen=True)
class OpeningHours:
    """Windows that apply on every date, or only from `valid_from` to `valid_to` (a holiday or
    summer variation). On a date covered by a variation, the variation's windows replace the
    general ones."""

    windows: tuple[Window, ...]
    valid_from: date | None = None
    valid_to: date | None = None
    name: str | None = None

    @property
    def general(self) -> bool:
        return self.valid_from is None and self.valid_to is None

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class BookingRules:
    buffer: timedelta = timedelta(0)  # changeover time after each booking
    horizon: timedelta = timedelta(days=365)  # how far ahead one may book
    min_notice: timedelta = timedelta(hours=24)
    min_duration: timedelta = timedelta(minutes=30)
    max_duration: timedelta = timedelta(hours=8)


@dataclass(frozen=True)
class ClosedSpan:
    span: TimeSpan
    reason: str


@dataclass(frozen=True)
class RuleBreach:
    """Which rule a wanted time breaks, on which local date."""

    rule: str  # opening-hours | closed | holiday | horizon | notice | past | min-duration | max-duration
    day: date
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "date": self.day.isoformat(), "message": self.message}


@dataclass(frozen=True)
class Availability:
    zone: ZoneInfo
    hours: Sequence[OpeningHours]
    closed: Sequence[ClosedSpan] = ()
    holidays: Mapping[date, str] = field(default_factory=dict)
    rules: BookingRules = BookingRules()

    def windows_on(self, day: date) -> list[tuple[time, time]]:
        variations = [h for h in self.hours if not h.general and h.covers(day)]
        chosen = variations or [h for h in self.hours if h.general]
        return sorted((w.opens, w.closes) for h in chosen for w in h.windows if w.weekday == day.weekday())

    def breaches(self, span: TimeSpan, now: datetime) -> list[RuleBreach]:
        start = span.start.astimezone(self.zone)
        end = span.end.astimezone(self.zone)
        day = start.date()
        out: list[RuleBreach] = []
        if span.start < now:
            out.append(RuleBreach("past", day, "The time has already begun."))
        elif span.start < now + self.rules.min_notice:
            out.append(RuleBreach("notice", day, f"Book at least {_human(self.rules.min_notice)} ahead."))
        if span.start > now + self.rules.horizon:
            out.append(RuleBreach("horizon", day, f"Bookings open at most {_human(self.rules.horizon)} ahead."))
        if span.duration < self.rules.min_duration:
            out.append(RuleBreach("min-duration", day, f"At least {_human(self.rules.min_duration)}."))
        if span.duration > self.rules.max_duration:
            out.append(RuleBreach("max-duration", day, f"At most {_human(self.rules.max_duration)}."))
        if day in self.holidays:
            out.append(RuleBreach("holiday", day, f"Closed: {self.holidays[day]}."))
        for closed in self.closed:
            if closed.span.overlaps(span):
                out.append(RuleBreach("closed", day, f"Closed: {closed.reason}."))
                break
        if end.date() != day and not (end.date() == day + timedelta(days=1) and end.time() == time(0)):
            out.append(RuleBreach("opening-hours", day, "A booking ends on the day it starts."))
        else:
            end_time = end.time() if end.date() == day else time(23, 59, 59, 999999)
            windows = self.windows_on(day)
            if not any(opens <= start.time() and end_time <= closes for opens, closes in windows):
                shown = ", ".join(f"{o:%H:%M}-{c:%H:%M}" for o, c in windows) or "closed all day"
                out.append(RuleBreach("opening-hours", day,
                                      f"Outside opening hours on {WEEKDAY_NAMES[day.weekday()]} ({shown})."))
        return out


def _human(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return f"{days} day" + ("s" if days != 1 else "")
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" + ("s" if hours != 1 else "")
    return f"{minutes} minutes"


def group_opening_hours(rows: Iterable[tuple[int, time, time, date | None, date | None, str | None]]
                        ) -> list[OpeningHours]:
    """Stored windows (weekday, opens, closes, valid_from, valid_to, name) -> general hours first,
    then the variations in date order."""
    groups: dict[tuple[date | None, date | None, str | None], list[Window]] = {}
    for weekday, opens, closes, valid_from, valid_to, name in rows:
        groups.setdefault((valid_from, valid_to, name), []).append(Window(weekday, opens, closes))
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0] is not None, str(kv[0][0])))
    return [OpeningHours(tuple(windows), vf, vt, name) for (vf, vt, name), windows in ordered]


def _lenient_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Wall time to instant for opening windows: a time in the spring gap moves to the first
    existing instant after it (an opening at 02:30 that night opens at 03:00)."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        instant = (naive + timedelta(hours=1)).replace(tzinfo=zone).astimezone(UTC)
    return instant


def _subtract(spans: list[TimeSpan], cut: TimeSpan) -> list[TimeSpan]:
    out: list[TimeSpan] = []
    for span in spans:
        if not span.overlaps(cut):
            out.append(span)
            continue
        if span.start < cut.start:
            out.append(TimeSpan(span.start, cut.start))
        if cut.end < span.end:
            out.append(TimeSpan(cut.end, span.end))
    return out


@dataclass(frozen=True)
class DayPlan:
    day: date
    open: list[TimeSpan]
    free: list[TimeSpan]
    closed_reason: str | None = None


def merge_spans(spans: Iterable[TimeSpan]) -> list[TimeSpan]:
    """Sorted by start, overlapping or touching spans joined: the ends are sorted then, too."""
    merged: list[TimeSpan] = []
    for span in sorted(spans, key=lambda x: x.start):
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = TimeSpan(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def touching(spans: Sequence[TimeSpan], starts: Sequence[datetime], ends: Sequence[datetime],
             window: TimeSpan) -> Sequence[TimeSpan]:
    """The spans of a merged list (see merge_spans; starts and ends its bounds) that overlap a window."""
    return spans[bisect_right(ends, window.start):bisect_left(starts, window.end)]


def day_plans(availability: Availability, first: date, last: date, busy: Sequence[TimeSpan]) -> list[DayPlan]:
    """Per local date: the opening windows, and what is free of them after holidays, closed
    periods and busy times (bookings, changeover buffer included) are taken away."""
    busy = merge_spans(busy)
    starts, ends = [b.start for b in busy], [b.end for b in busy]
    plans: list[DayPlan] = []
    day = first
    while day <= last:
        windows = [TimeSpan(_lenient_instant(day, o, availability.zone), _lenient_instant(day, c, availability.zone))
                   for o, c in availability.windows_on(day)]
        reason = availability.holidays.get(day)
        free: list[TimeSpan] = [] if reason else list(windows)
        if free:
            for closed in availability.closed:
                free = _subtract(free, closed.span)
            opened = TimeSpan(min(w.start for w in windows), max(w.end for w in windows))
            for span in touching(busy, starts, ends, opened):  # only the busy times of this day
                free = _subtract(free, span)
        plans.append(DayPlan(day, windows, sorted(free, key=lambda s: s.start), reason))
        day += timedelta(days=1)
    return plans


def check_date_range(first: date, last: date, most_days: int) -> None:
    """A range of local dates asked for (`from`, `to`): in order and at most `most_days` long."""
    check_day(first, "from")
    check_day(last, "to")
    if last < first:
        raise ValidationError("to", "The end date is before the start date.", "range")
    if (last - first).days >= most_days:
        raise ValidationError("to", f"At most {most_days} days at a time.", "range")


def local_days(first: date, last: date, zone: ZoneInfo) -> TimeSpan:
    """From the start of the local date `first` to the end of `last`."""
    return TimeSpan(local_instant(first, time(0), zone), local_instant(last + timedelta(days=1), time(0), zone))


def free_stretches(plans: Iterable[DayPlan], earliest: datetime, duration: timedelta) -> list[TimeSpan]:
    """The free times of the plans that last at least `duration` from `earliest` on (the notice)."""
    out: list[TimeSpan] = []
    for plan in plans:
        for free in plan.free:
            start = max(free.start, earliest)
            if free.end > start and free.end - start >= duration:
                out.append(TimeSpan(start, free.end))
    return out
