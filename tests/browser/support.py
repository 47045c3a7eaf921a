"""Helpers for the browser tests: console watching, axe-core checks, signing in, page readiness,
booking dates and a small API client for setting the scene."""

from __future__ import annotations

import asyncio
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import axe_playwright_python
import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, expect

from booking.adapters.holidays_se import swedish_closed_days
from booking.cli import create_admin
from booking.config import Settings
from booking.seed import DEMO_PASSWORD
from tests.quiet_days import ZONE, quiet_weeks, stockholm_today

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
_AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  })))"""


@dataclass(frozen=True)
class LiveServer:
    """The running app: its base URL and the file its output goes to."""

    url: str
    log: Path

    def __call__(self, path: str) -> str:
        return self.url + path


@dataclass
class _Allowance:
    status: int
    path: str


@dataclass
class ConsoleWatch:
    """Collects console errors and warnings and uncaught exceptions of one page.

    Chromium reports CSP violations and failed loads (4xx/5xx) as console errors, so a clean
    console also proves that nothing was blocked or missing. A test that provokes an error on
    purpose (a wrong password answers 401) allows exactly that one with `allow(status, path)`.
    """

    page: Page
    messages: list[str] = field(default_factory=list)
    allowances: list[_Allowance] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "warning"):
            return
        where = message.location.get("url", "") if message.location else ""
        text = f"[{message.type}] {message.text} ({where})"
        for allowance in self.allowances:
            if f"status of {allowance.status}" in message.text and where.split("?")[0].endswith(allowance.path):
                return
        self.messages.append(text)

    def _on_page_error(self, error: Error) -> None:
        self.messages.append(f"[uncaught] {error}")

    def allow(self, status: int, path: str) -> None:
        """Chromium logs an expected failed load (e.g. 401 from the login API); accept that one."""
        self.allowances.append(_Allowance(status, path))

    def assert_clean(self) -> None:
        if self.messages:
            pytest.fail("the browser console reported:\n  " + "\n  ".join(self.messages), pytrace=False)


def new_municipality(server: LiveServer, prefix: str, admin_name: str) -> tuple[str, str]:
    """What `booking admin create --municipality <prefix>-<random> ...` makes, on the live server's database:
    a municipality and its administrator (password DEMO_PASSWORD). Its slug and the administrator's e-mail."""
    slug = f"{prefix}-{uuid.uuid4().hex[:8]}"
    email = f"admin@{slug}.example.se"
    settings = Settings(database_url=f"sqlite+aiosqlite:///{server.log.parent / 'booking.db'}")
    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, create_admin(settings, slug, email, admin_name, DEMO_PASSWORD)).result()
    return slug, email


def new_context(browser: Browser, server: LiveServer, **options: object) -> BrowserContext:
    """A fresh browser context on `server`, in Swedish and Stockholm's time (`options` add to or override)."""
    settings: dict[str, object] = {"base_url": server.url, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}
    settings.update(options)
    context = browser.new_context(**settings)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    return context


def console(page: Page) -> ConsoleWatch:
    return page.console_watch  # type: ignore[attr-defined, no-any-return]


def ready(page: Page) -> None:
    """Wait until the page has drawn what it loads: <main> stops being aria-busy."""
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")


def open_page(page: Page, path: str) -> None:
    page.goto(path)
    ready(page)


def axe_violations(page: Page) -> list[dict[str, object]]:
    # page.evaluate runs outside the page's CSP; an injected <script> would be refused.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(_AXE_RUN, AXE_TAGS)  # type: ignore[no-any-return]


def assert_accessible(page: Page, what: str) -> None:
    violations = axe_violations(page)
    if violations:
        lines = [f"axe-core found {len(violations)} violation(s) on {what} ({page.url}):"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            for node in v["nodes"]:  # type: ignore[attr-defined]
                lines.append(f"    at {node['target']}: {node['summary']}")
        pytest.fail("\n".join(lines), pytrace=False)


# The page's width against the device's, and what sticks out past the device's right edge: not what a
# scrolling or clipping box (a wide table's) holds, as that box scrolls and the page does not; but a
# positioned element (.visually-hidden) is held only by a box that is, or sits inside, its containing block.
_WIDTHS = """device => {
  const scrolls = (el) => {
    const absolute = getComputedStyle(el).position === 'absolute';
    let contained = !absolute;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      contained ||= style.position !== 'static';
      if (contained && ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '')
    + [...el.classList].map((c) => `.${c}`).join('');
  const out = [...document.body.querySelectorAll('*')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right + window.scrollX > device + 1 && !scrolls(el);
  });
  const leaves = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
  return {page: document.documentElement.scrollWidth, layout: window.innerWidth,
          out: leaves.slice(0, 5).map((el) => `${name(el)} (${Math.round(el.getBoundingClientRect().right)} px)`)};
}"""


def assert_no_horizontal_scroll(page: Page, what: str) -> None:
    """WCAG 1.4.10 reflow: at phone width nothing sticks out sideways. Measured against the width the
    context was made with: a mobile viewport widens its layout to fit wide content, so the page's own
    scrollWidth and innerWidth would both grow and never differ."""
    device = page.viewport_size["width"] if page.viewport_size else page.evaluate("() => window.innerWidth")
    found = page.evaluate(_WIDTHS, device)
    wide = max(found["page"], found["layout"])
    assert wide <= device and not found["out"], (
        f"{what} is {wide} px wide on a {device} px wide screen; past its edge: {', '.join(found['out']) or '-'}")


def sign_in_via_api(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign the page's browser context in without the form (for tests about other pages)."""
    response = page.request.post("/api/auth/login", data={"email": email, "password": password})
    assert response.status == 200, response.text()


def sign_in_with_form(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """On the (Swedish) login page: fill in and send the form."""
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def switch_language(page: Page, name: str) -> None:
    """Press a language button in the footer and wait for the page to follow."""
    page.get_by_role("contentinfo").get_by_role("button", name=name).click()
    lang = {"English": "en", "Svenska": "sv"}[name]
    expect(page.locator("html")).to_have_attribute("lang", lang)


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


# --- bookings: dates, and the API as a second pair of hands -------------------------------------

# The live server runs on the real clock, so these tests cannot pin it: they count from today and
# choose days no Swedish holiday or eve touches (tests/quiet_days.py), nor any day the demo data
# makes unusual (closed periods, opening hours varied for a season), noted when the server starts.
UNUSUAL_DAYS: set[date] = set()


def local_today() -> date:
    return stockholm_today()


def note_unusual_days(server: LiveServer) -> None:
    """Remember the days the demo data closes or opens differently (closed periods, opening-hours
    variations such as the summer's), so that the booking journeys never choose them."""
    with httpx.Client(base_url=server.url, timeout=15) as http:
        closed = http.get("/api/closed-periods", params={"limit": 200})
        assert closed.status_code == 200, closed.text
        for period in closed.json()["items"]:
            first = datetime.fromisoformat(period["starts_at"]).astimezone(ZONE).date()
            ends = datetime.fromisoformat(period["ends_at"]) - timedelta(microseconds=1)  # an exclusive end
            last = ends.astimezone(ZONE).date()
            UNUSUAL_DAYS.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        spaces = http.get("/api/spaces", params={"municipality": "sundsvall", "limit": 200})
        assert spaces.status_code == 200, spaces.text
        for space in spaces.json()["items"]:
            hours = http.get(f"/api/spaces/{space['id']}/opening-hours")
            assert hours.status_code == 200, hours.text
            for variation in hours.json()["variations"]:
                first, last = date.fromisoformat(variation["valid_from"]), date.fromisoformat(variation["valid_to"])
                UNUSUAL_DAYS.update(first + timedelta(days=i) for i in range((last - first).days + 1))


def bookable_day(weekday: int, *, days_ahead: int = 3, weeks: int = 1) -> date:
    """The first `weekday` (0 = Monday) at least `days_ahead` days from today that starts `weeks`
    whole weeks no Swedish holiday, eve or unusual demo day touches: far enough for the 24-hour
    notice, and a weekly series of `weeks` dates from it keeps every date, whenever the tests run."""
    return quiet_weeks(local_today() + timedelta(days=days_ahead), weeks, weekday=weekday, extra=UNUSUAL_DAYS)


def next_holiday(*, days_ahead: int = 1) -> tuple[date, str]:
    """The next Swedish closed day (public holiday or eve) and its name."""
    start = local_today() + timedelta(days=days_ahead)
    days = {**swedish_closed_days(start.year), **swedish_closed_days(start.year + 1)}
    day = min(d for d in days if d >= start)
    return day, days[day]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class ApiClient:
    """A signed-in API client (cookie session + CSRF header), for setting the scene of a test
    faster than through the pages."""

    def __init__(self, server: LiveServer, email: str, password: str = DEMO_PASSWORD) -> None:
        self.http = httpx.Client(base_url=server.url, timeout=15)
        response = self.http.post("/api/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        self.csrf = self.http.cookies.get("booking_csrf") or ""

    def get(self, path: str, **params: object) -> Any:
        response = self.http.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def send(self, method: str, path: str, body: object, expect: int = 200) -> Any:
        response = self.http.request(method, path, json=body, headers={"X-CSRF-Token": self.csrf})
        assert response.status_code == expect, response.text
        return response.json()

    def delete(self, path: str) -> int:
        """DELETE `path`: its status code (the caller says which it expects)."""
        return self.http.delete(path, headers={"X-CSRF-Token": self.csrf}).status_code

    def remove_site(self, site_id: str) -> int:
        """A school's spaces (a divided hall's parts before the hall), each answered 204; then the school: the
        status code of its DELETE."""
        spaces = self.get("/api/spaces", site_id=site_id, limit=200)["items"]
        for space in sorted(spaces, key=lambda s: s["parent_id"] is None):
            assert self.delete(f"/api/spaces/{space['id']}") == 204
        return self.delete(f"/api/sites/{site_id}")

    def space_id(self, name: str) -> str:
        spaces = self.get("/api/spaces", municipality="sundsvall", limit=200)["items"]
        return next(s["id"] for s in spaces if s["name"] == name)

    def association_id(self, name: str = "Nacksta IF") -> str:
        return next(a["id"] for a in self.get("/api/associations")["items"] if a["name"] == name)

    def request_booking(self, space_id: str, title: str, day: date, start: str, end: str, *,
                        weeks: int = 0, association_id: str | None = None) -> Any:
        body: dict[str, object] = {"space_id": space_id, "title": title, "date": day.isoformat(), "start": start,
                                   "end": end}
        if association_id:
            body["association_id"] = association_id
        if weeks:
            body["recurrence"] = {"weekdays": [day.weekday()], "until": (day + timedelta(weeks=weeks)).isoformat()}
        return self.send("POST", "/api/bookings", body, expect=201)

    def close(self) -> None:
        self.http.close()


def past_booking(server: LiveServer, space_name: str, title: str, *, days_ago: int = 2, start: str = "18:00",
                 minutes: int = 90, association: str = "Nacksta IF") -> str:
    """An approved booking of `association` that has already taken place, written straight into the
    live server's database (its SQLite file lies beside the server's log): the API rightly refuses
    to book a time in the past, and attendance is recorded only for occasions that have begun.
    Returns the booking's id."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import sqlalchemy as sa

    from booking.adapters.db import tables as t
    from booking.adapters.db.database import connect
    from booking.adapters.db.uow import SqlUnitOfWork
    from booking.domain.premises.bookings import Booking, BookingStatus

    day = local_today() - timedelta(days=days_ago)
    hour, minute = (int(x) for x in start.split(":"))
    starts = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)

    async def insert() -> str:
        db = connect(f"sqlite+aiosqlite:///{server.log.parent / 'booking.db'}")
        try:
            uow = SqlUnitOfWork(db)
            async with uow:
                space = (await uow.session.execute(sa.select(t.spaces.c.id, t.spaces.c.municipality_id)
                                                   .where(t.spaces.c.name == space_name))).one()
                association_id = (await uow.session.execute(
                    sa.select(t.associations.c.id).where(t.associations.c.name == association))).scalar_one()
                booker = (await uow.session.execute(
                    sa.select(t.accounts.c.id).where(t.accounts.c.email == "forening@demo.booking.se"))).scalar_one()
                booking = Booking(space.municipality_id, space.id, starts.astimezone(UTC),
                                  (starts + timedelta(minutes=minutes)).astimezone(UTC), booker, title,
                                  association_id, status=BookingStatus.APPROVED)
                uow.bookings.add(booking)
                assert await uow.bookings.hold(booking, frozenset({space.id}), timedelta(0))
                await uow.commit()
                return str(booking.id)
        finally:
            await db.dispose()

    # In a thread of its own: Playwright's sync API runs an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, insert()).result()
