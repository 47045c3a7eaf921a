"""The feed writer: what calendar programs read back (icalendar as the reader), RFC 5545 line
rules, and byte equality with icalendar's own rendering of the same calendar."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from booking.adapters.ical import FeedEvent, escape_text, fold, render_calendar

STOCKHOLM = ZoneInfo("Europe/Stockholm")

TITLES = [
    "Innebandy P12",
    "Föreningen Östra Ängby Ålands- och Örebroförbundets ungdomssektion för gymnastik och friidrott",
    "Komma, semikolon; och omvänt snedstreck \\ i samma titel",
    "Rad ett\nRad två\r\nRad tre\rRad fyra",
    "\\\\;;,,\\n \\N",
    "ÅÄÖ" * 40,
    "a" * 73 + "\\;" + "b" * 80,  # an escape right at the fold
    "x" * 72 + "ö" + "y" * 10,  # a two-octet character right at the fold
    "€" * 30 + ",",  # three-octet characters
    "  leading and trailing spaces  ",
]


def _reference(name: str, events: list[FeedEvent], zone: ZoneInfo) -> bytes:
    """The same calendar built with icalendar objects, as the feeds were rendered before."""
    from booking.adapters.ical import _EU_ZONES, PRODID, _eu_timezone

    refresh = timedelta(hours=1)
    cal = icalendar.Calendar()
    for key, value in (("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                       ("name", name), ("x-wr-calname", name), ("x-wr-timezone", zone.key)):
        cal.add(key, value)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh))
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
        cal.add_missing_timezones(first_date=min(e.starts_at for e in events).date(),
                                  last_date=max(e.ends_at for e in events).date())
    return cal.to_ical()


def _events(zone_hint: str = "") -> list[FeedEvent]:
    start = datetime(2027, 3, 25, 17, 0, tzinfo=UTC)  # the season crosses the spring DST change
    out = []
    for i, title in enumerate(TITLES):
        at = start + timedelta(days=i, seconds=7 * i, microseconds=123 * i)
        out.append(FeedEvent(
            uid=f"0192a1b2-c3d4-7e5f-8a9b-{i:012d}@bokning.example.se", starts_at=at,
            ends_at=at + timedelta(minutes=90), summary=title, status=("CONFIRMED", "TENTATIVE", "CANCELLED")[i % 3],
            sequence=i, last_modified=datetime(2026, 11, 1, 12, 0, 5, 999_999, tzinfo=UTC) + timedelta(hours=i),
            location=f"Idrottshall {zone_hint}{i}, Skola; Väg 3" if i % 2 else None,
            description=TITLES[-1 - i] if i % 3 == 0 else None))
    return out


@pytest.mark.parametrize("zone", [STOCKHOLM, ZoneInfo("America/New_York")], ids=lambda z: z.key)
def test_the_writer_writes_what_icalendar_writes(zone: ZoneInfo) -> None:
    # icalendar turns a literal backslash-N into a line break; the writer keeps it (read back below)
    events = [replace(e, summary=e.summary.replace("\\N", "")) for e in _events()]
    assert render_calendar("Ängby skola – bokningar", events, zone) == _reference(
        "Ängby skola – bokningar", events, zone)
    assert render_calendar("Tom", [], zone) == _reference("Tom", [], zone)


def test_a_calendar_program_reads_back_every_value() -> None:
    events = _events()
    body = render_calendar("Ängby skola – bokningar, hall; A", events, STOCKHOLM)
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Ängby skola – bokningar, hall; A"
    parsed = list(calendar.walk("VEVENT"))
    assert len(parsed) == len(events)
    for want, got in zip(events, parsed, strict=True):
        assert str(got["UID"]) == want.uid
        # newlines of any kind come back as \n; everything else exactly
        assert str(got["SUMMARY"]) == want.summary.replace("\r\n", "\n").replace("\r", "\n")
        assert got.decoded("DTSTART") == want.starts_at.replace(microsecond=0)
        assert got.decoded("DTEND") == want.ends_at.replace(microsecond=0)
        assert str(got.decoded("DTSTART").tzinfo) == "Europe/Stockholm"
        assert str(got["STATUS"]) == want.status
        assert int(str(got["SEQUENCE"])) == want.sequence
        assert got.decoded("DTSTAMP") == want.last_modified.replace(microsecond=0)
        assert got.decoded("LAST-MODIFIED") == want.last_modified.replace(microsecond=0)
        assert (str(got["LOCATION"]) if "LOCATION" in got else None) == want.location
        assert (str(got["DESCRIPTION"]) if "DESCRIPTION" in got else None) == (
            want.description.replace("\r\n", "\n").replace("\r", "\n") if want.description else None)
    # local wall time kept across the DST change: 18:00 CET, then 19:00 CEST for 17:00 UTC
    assert [e.decoded("DTSTART").hour for e in parsed[:5]] == [18, 18, 18, 19, 19]


def test_lines_are_crlf_and_at_most_75_octets_and_never_split_a_character() -> None:
    body = render_calendar("Ö" * 100, _events(), STOCKHOLM)
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"") and b"\r" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) == 75  # folding happened, right up to the limit
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")
    folded = [line for line in lines if line.startswith(b" ")]
    assert len(folded) > 10
    for previous, line in itertools.pairwise(lines):
        if line.startswith(b" "):
            assert not previous.endswith(b"\\") or previous.endswith(b"\\\\")  # an escape stays whole


@pytest.mark.parametrize("text", TITLES)
def test_fold_and_unfold_give_the_line_back(text: str) -> None:
    line = "SUMMARY:" + escape_text(text)
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert "\n" not in escape_text(text) and "\r" not in escape_text(text)
