"""Half-open time intervals [start, end) over timezone-aware instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.domain.shared.errors import ValidationError


@dataclass(frozen=True, slots=True)
class TimeSpan:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("TimeSpan needs timezone-aware instants")
        if self.end <= self.start:
            raise ValidationError("end", "The end must be after the start.")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: TimeSpan) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def widened(self, before: timedelta, after: timedelta | None = None) -> TimeSpan:
        return TimeSpan(self.start - before, self.end + (before if after is None else after))
