"""Calendar feeds: domain occurrences -> RFC 5545 bytes.

Each occurrence is its own VEVENT with a stable UID; DTSTAMP and LAST-MODIFIED are the
occurrence's last change (not the request time), SEQUENCE grows with each real change, STATUS
is CONFIRMED, TENTATIVE or CANCELLED. DTSTART/DTEND carry the municipality's TZID with a
matching VTIMEZONE.

The calendar's head (properties and VTIMEZONE) comes from `icalendar`; the VEVENTs, which are
thousands in a site's feed, are written here directly, the way icalendar writes them (same
properties, same order, same bytes: tests/unit/test_ical_writer.py compares the two): CRLF line
ends, TEXT values escaped (backslash, semicolon, comma, newline), lines folded before 75 octets
without splitting a UTF-8 character or a backslash escape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from booking.domain.shared.errors import BrokenInvariant

PRODID = "-//booking//Kommunal bokning//SV"
LIMIT = 75  # octets per line, CRLF excluded; a line reaching it is folded

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
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0))  # noqa: DTZ001 RFC 5545 3.6.5 floating onset
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = icalendar.TimezoneStandard()
    standard.add("tzname", std)
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0))  # noqa: DTZ001 RFC 5545 3.6.5 floating onset
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped; CRLF, LF and CR become \\n."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line (RFC 5545 3.1): every physical line at most 75 octets (a continuation
    line's leading space included), never inside a UTF-8 sequence, never right after a backslash."""
    if len(line) < LIMIT and (line.isascii() or len(line.encode()) < LIMIT):
        return line
    lines: list[str] = []
    chars: list[str] = []
    size = 0
    for char in line:
        width = 1 if char < "\x80" else len(char.encode())
        if chars and size + width >= LIMIT:
            if len(chars) > 1 and chars[-1] in "\\^":  # keep an escape together with what it escapes
                carried = chars.pop()
                lines.append("".join(chars))
                chars, size = [carried], 1
            else:
                lines.append("".join(chars))
                chars, size = [], 0
        chars.append(char)
        size += width
    lines.append("".join(chars))
    return "\r\n ".join(lines)


def _local(at: datetime, zone: ZoneInfo) -> str:
    d = at.astimezone(zone)
    return f"{d.year:04d}{d.month:02d}{d.day:02d}T{d.hour:02d}{d.minute:02d}{d.second:02d}"


def _utc(at: datetime) -> str:
    d = at.astimezone(UTC)
    return f"{d.year:04d}{d.month:02d}{d.day:02d}T{d.hour:02d}{d.minute:02d}{d.second:02d}Z"


def _tzid_param(tzid: str) -> str:
    return f'"{tzid}"' if any(c in tzid for c in ",;:") else tzid


class _Lines(dict[str, str]):
    """Escaped, folded text lines by their unescaped form: a feed repeats its few summaries and
    locations thousands of times."""

    def __missing__(self, line: str) -> str:
        name, _, value = line.partition(":")
        self[line] = folded = fold(f"{name}:{escape_text(value)}")
        return folded


def _event(e: FeedEvent, zone: ZoneInfo, tzid: str, text: _Lines) -> str:
    stamp = _utc(e.last_modified)
    lines = [
        "BEGIN:VEVENT",
        text["SUMMARY:" + e.summary],
        f"DTSTART;TZID={tzid}:{_local(e.starts_at, zone)}",
        f"DTEND;TZID={tzid}:{_local(e.ends_at, zone)}",
        "DTSTAMP:" + stamp,
        fold("UID:" + escape_text(e.uid)),
        f"SEQUENCE:{e.sequence}",
    ]
    if e.description:
        lines.append(text["DESCRIPTION:" + e.description])
    lines.append("LAST-MODIFIED:" + stamp)
    if e.location:
        lines.append(text["LOCATION:" + e.location])
    lines += ["STATUS:" + e.status, "TRANSP:OPAQUE", "END:VEVENT", ""]
    return "\r\n".join(lines)


def _head(name: str, zone: ZoneInfo, refresh: timedelta, first: date | None, last: date | None,
          events: Sequence[FeedEvent]) -> bytes:
    """BEGIN:VCALENDAR, the calendar's properties and its VTIMEZONE, rendered by icalendar."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone.key)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh))  # Outlook and Apple read an ISO 8601 duration
    if zone.key in _EU_ZONES:
        cal.add_component(_eu_timezone(zone.key, *_EU_ZONES[zone.key]))
    elif events:
        cal.add_component(icalendar.Timezone.from_tzid(
            zone.key, first_date=first or min(e.starts_at for e in events).date(),
            last_date=last or max(e.ends_at for e in events).date()))
    body = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    if not body.endswith(end):
        raise BrokenInvariant(f"icalendar's calendar does not end with {end!r}")
    return body[: -len(end)]


def render_calendar(name: str, events: Sequence[FeedEvent], zone: ZoneInfo, *,
                    refresh: timedelta = timedelta(hours=1), first: date | None = None,
                    last: date | None = None) -> bytes:
    tzid = _tzid_param(zone.key)
    text = _Lines()
    body = "".join([_event(e, zone, tzid, text) for e in events]) + "END:VCALENDAR\r\n"
    return _head(name, zone, refresh, first, last, events) + body.encode()
