"""Calendar feeds: domain occurrences -> RFC 5545 bytes (icalendar).

Each occurrence is its own VEVENT with a stable UID; DTSTAMP and LAST-MODIFIED are the
occurrence's last change (not the request time), SEQUENCE grows with each real change, STATUS
is CONFIRMED, TENTATIVE or CANCELLED. DTSTART/DTEND carry the municipality's TZID with a
matching VTIMEZONE. icalendar writes CRLF line ends and folds lines at 75 octets without
splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//booking//Kommunal bokning//SV"

# The EU rule (last Sunday of March 02:00 -> 03:00, last Sunday of October 03:00 -> 02:00) as
# calendar programs publish it; other zones get icalendar's generated VTIMEZONE.
_EU_ZONES = {"Europe/Stockholm": ("CET", "CEST")}


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    status: str  # CONFIRMED | TENTATIVE | CANCELLED
    sequence: int
    last_modified: datetime
    location: str | None = None
    description: str | None = None


def _eu_timezone(tzid: str, std: str, dst: str) -> icalendar.Timezone:
    tz = icalendar.Timezone()
    tz.add("tzid", tzid)
    tz.add("x-lic-location", tzid)
    daylight = icalendar.TimezoneDaylight()
    daylight.add("tzname", dst)
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = icalendar.TimezoneStandard()
    standard.add("tzname", std)
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def render_calendar(name: str, events: Sequence[FeedEvent], zone: ZoneInfo, *,
                    refresh: timedelta = timedelta(hours=1), first: date | None = None,
                    last: date | None = None) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone.key)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", refresh)
    if zone.key in _EU_ZONES:
        cal.add_component(_eu_timezone(zone.key, *_EU_ZONES[zone.key]))
    for e in events:
        event = icalendar.Event()
        event.add("uid", e.uid)
        event.add("dtstamp", e.last_modified.astimezone(UTC))
        event.add("last-modified", e.last_modified.astimezone(UTC))
        event.add("dtstart", e.starts_at.astimezone(zone))
        event.add("dtend", e.ends_at.astimezone(zone))
        event.add("summary", e.summary)
        event.add("status", e.status)
        event.add("sequence", e.sequence)
        event.add("transp", "OPAQUE")
        if e.location:
            event.add("location", e.location)
        if e.description:
            event.add("description", e.description)
        cal.add_component(event)
    if zone.key not in _EU_ZONES and events:
        cal.add_missing_timezones(first_date=first or min(e.starts_at for e in events).date(),
                                  last_date=last or max(e.ends_at for e in events).date())
    return cal.to_ical()
