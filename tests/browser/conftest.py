"""The browser tier: the real server on loopback with the demo data, driven by Debian's Chromium.

One server and one browser for the tier; every test gets a fresh browser context (no
cookies, no storage), so tests never see each other's sign-ins or language choice.

Chromium comes from /usr/bin/chromium. When it is missing the tier is skipped with the reason
shown, unless BOOKING_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from booking.seed import DEMO_ACCOUNTS
from tests.browser.serving import free_port, serving
from tests.browser.support import ApiClient, ConsoleWatch, LiveServer, new_context, note_unusual_days
from tests.conftest import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True}
SECOND_MUNICIPALITY = "Timrå kommun"
# Evenings on weekdays, days at weekends: what the booking journeys book within.
OPENING_HOURS = ([{"weekday": d, "opens": "17:00", "closes": "22:00"} for d in range(5)]
                 + [{"weekday": d, "opens": "09:00", "closes": "21:00"} for d in (5, 6)])


# --- the live server ---------------------------------------------------------------------------


async def _seed(url: str) -> None:
    """The demo municipality (Sundsvall), and a small second one so the pages meet a deployment
    that serves several municipalities."""
    from booking.adapters.db.database import connect
    from booking.adapters.db.uow import SqlUnitOfWork
    from booking.adapters.passwords import Argon2Hasher
    from booking.domain.municipalities.model import Area, Municipality
    from booking.domain.premises.model import Site, Space, SpaceKind
    from booking.domain.shared.clock import SystemClock
    from booking.seed import seed_demo

    db = connect(url)
    try:
        assert await seed_demo(db, Argon2Hasher(), SystemClock()), "the demo data was already there"
        uow = SqlUnitOfWork(db)
        async with uow:
            other = Municipality(name=SECOND_MUNICIPALITY, slug="timra")
            uow.municipalities.add(other)
            area = Area(other.id, "Vivsta", 800)
            uow.areas.add(area)
            school = Site(other.id, "Vivstaskolan", "Skolvägen 3", "861 32", "Timrå", area.id)
            uow.sites.add(school)
            await uow.session.flush()
            uow.spaces.add(Space(other.id, school.id, "Vivstahallen", SpaceKind.GYM, 60, step_free=True))
            await uow.commit()
    finally:
        await db.dispose()


def _migrate_and_seed(url: str) -> None:
    from booking.adapters.db.migrate import upgrade

    upgrade(url)
    asyncio.run(_seed(url))


def _ensure_opening_hours(server: LiveServer) -> None:
    """Every demo space gets opening hours (as the premises staff account, through the API) unless
    the demo data already gave it some: without any, every booking is refused."""
    staff = ApiClient(server, next(a.email for a in DEMO_ACCOUNTS if a.role == "premises_staff"))
    try:
        for space in staff.get("/api/spaces", municipality="sundsvall", limit=200)["items"]:
            hours = staff.get(f"/api/spaces/{space['id']}/opening-hours")
            if not hours["general"]:
                staff.send("PUT", f"/api/spaces/{space['id']}/opening-hours",
                           {"general": OPENING_HOURS, "variations": hours["variations"]})
    finally:
        staff.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests marked `new_municipality` run after the other browser tests: a municipality made
    on the shared live server cannot be removed again, and the public pages list every municipality's
    schools and articles, which the other tests count on the demo's.

    With pytest-xdist (`make test`: `-n 2 --dist loadfile --no-loadscope-reorder`) every worker collects
    in this order and has a live server of its own (session scope is per worker); loadfile hands out whole
    files from the front of this order (a file is all `new_municipality` or none of it, so the marked files
    come last), and each worker runs what it is given in the order given, so on each worker's server the
    marked tests still come after all the others that worker runs. `_new_municipality_last` below fails
    a test if that ever stops holding."""
    slots = [i for i, item in enumerate(items) if item.get_closest_marker("browser")]
    found = [items[i] for i in slots]
    ordered = ([item for item in found if not item.get_closest_marker("new_municipality")]
               + [item for item in found if item.get_closest_marker("new_municipality")])
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item


# The `new_municipality` tests that have used this process's live server so far.
_MADE_MUNICIPALITIES: list[str] = []


@pytest.fixture(autouse=True)
def _new_municipality_last(request: pytest.FixtureRequest) -> None:
    """The guarantee of pytest_collection_modifyitems, checked where it matters: no test on the live
    server after a test that made a municipality there (whatever order a scheduler chose)."""
    if "live_server" not in request.fixturenames:
        return
    if request.node.get_closest_marker("new_municipality"):
        _MADE_MUNICIPALITIES.append(request.node.nodeid)
    elif _MADE_MUNICIPALITIES:
        pytest.fail(f"{request.node.nodeid} runs on a live server that {_MADE_MUNICIPALITIES[0]} already "
                    "added a municipality to; `new_municipality` tests must run last (see "
                    "pytest_collection_modifyitems)")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"chromium not installed at {CHROMIUM}"
        if require("BOOKING_REQUIRE_BROWSER"):
            pytest.fail(message + " (BOOKING_REQUIRE_BROWSER=1)")
        pytest.skip(reason=message)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[LiveServer]:
    """uvicorn serving the app (API + frontend) on a free loopback port, on a seeded SQLite file."""
    tmp = tmp_path_factory.mktemp("browser-server")
    database_url = f"sqlite+aiosqlite:///{tmp / 'booking.db'}"
    # In a thread of its own: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_migrate_and_seed, database_url).result()
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": database_url,
        "BOOKING_VAR_DIR": str(tmp / "var"),
        "BOOKING_SECRET_KEY": secrets.token_urlsafe(32),
    }
    with serving(free_port(), env, tmp / "server.log") as server:
        _ensure_opening_hours(server)
        note_unusual_days(server)
        yield server


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """One Chromium for the browser tier. Package-scoped, not session-scoped: Playwright's sync
    API keeps an event loop marked running in this thread while it is up, which would break the
    asyncio tests that run after this package in the same pytest session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS,
                                              headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh desktop browser context: no cookies, no stored language."""
    ctx = new_context(browser, live_server, viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def phone_context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh context the size of a phone (390 x 844, touch)."""
    ctx = new_context(browser, live_server, **PHONE)
    yield ctx
    ctx.close()


def _watched_page(ctx: BrowserContext) -> Iterator[Page]:
    page = ctx.new_page()
    watch = ConsoleWatch(page)
    page.console_watch = watch  # type: ignore[attr-defined]  # reached as console(page) to allow an error
    yield page
    watch.assert_clean()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page whose console must stay free of errors (CSP violations included) to the end."""
    yield from _watched_page(context)


@pytest.fixture
def phone_page(phone_context: BrowserContext) -> Iterator[Page]:
    yield from _watched_page(phone_context)


@pytest.fixture
def second_context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """Another fresh desktop context: a second person in the same test."""
    ctx = new_context(browser, live_server, viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def second_page(second_context: BrowserContext) -> Iterator[Page]:
    yield from _watched_page(second_context)
