"""The frontend's files keep the promises the pages rest on: every text comes from the
catalogues, both catalogues say the same things, every role and kind of space the API can
answer has a name in both, and nothing in the files needs what the CSP forbids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from booking.domain.people.roles import Role
from booking.domain.premises.bookings import BookingStatus
from booking.domain.premises.model import SpaceKind
from tests.browser.support import ConsoleWatch, LiveServer, open_page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
HTML_FILES = sorted(FRONTEND.glob("*.html"))
JS_FILES = sorted((FRONTEND / "assets" / "js").rglob("*.js"))
LANGUAGES = ["sv", "en"]

_FLATTEN = """async () => {
  const flat = (node, prefix) => Object.entries(node).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const plural = value && typeof value === 'object' && 'other' in value;
    if (value && typeof value === 'object' && !plural) return flat(value, path);
    return [[path, plural ? Object.keys(value).sort().join(',') : typeof value]];
  });
  const result = {};
  for (const code of %s) result[code] = Object.fromEntries(flat((await import(`/assets/i18n/${code}.js`)).default, ''));
  return result;
}"""


@pytest.fixture(scope="module")
def catalogues(browser: Browser, live_server: LiveServer) -> Iterator[dict[str, dict[str, str]]]:
    """Each language's keys, mapped to "string" or to the plural forms it has ("one,other"),
    read by importing the catalogues in the browser, as the pages do."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        watch = ConsoleWatch(page)
        open_page(page, "/")
        yield page.evaluate(_FLATTEN % LANGUAGES)
        watch.assert_clean()
    finally:
        context.close()


class _TextAndKeys(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []
        self.stray_text: list[str] = []
        self.inline: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "data-i18n" in attributes:
            self.keys.append(str(attributes["data-i18n"]))
        for pair in (attributes.get("data-i18n-attr") or "").split(";"):
            if ":" in pair:
                self.keys.append(pair.split(":", 1)[1].strip())
        if "style" in attributes or any(name.startswith("on") for name in attributes):
            self.inline.append(f"<{tag} {attrs}>")
        if tag == "script" and "src" not in attributes:
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style> element")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._in_title:  # <title> holds the product name until the script sets it
            self.stray_text.append(data.strip())


def _parse(path: Path) -> _TextAndKeys:
    parser = _TextAndKeys()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_both_catalogues_have_the_same_keys_and_plural_forms(catalogues: dict[str, dict[str, str]]) -> None:
    sv, en = catalogues["sv"], catalogues["en"]
    assert sorted(set(sv) - set(en)) == [], "keys only in Swedish"
    assert sorted(set(en) - set(sv)) == [], "keys only in English"
    differing = {key: (sv[key], en[key]) for key in sv if sv[key] != en[key]}
    assert differing == {}, "a text is plural in one language and not in the other"


def test_every_key_the_pages_use_exists(catalogues: dict[str, dict[str, str]]) -> None:
    used: set[str] = set()
    for path in HTML_FILES:
        used.update(_parse(path).keys)
    for path in JS_FILES:
        used.update(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 50, "the scan found too few keys to be looking in the right place"
    for code in LANGUAGES:
        missing = sorted(key for key in used if key not in catalogues[code])
        assert missing == [], f"used but missing in {code}.js"


def test_every_role_and_kind_of_space_has_a_name(catalogues: dict[str, dict[str, str]]) -> None:
    """The API may answer any of these; the pages must never show a raw value like "music_room"."""
    for code in LANGUAGES:
        assert [r.value for r in Role if f"roles.{r.value}" not in catalogues[code]] == [], code
        assert [k.value for k in SpaceKind if f"space.kinds.{k.value}" not in catalogues[code]] == [], code


def test_every_booking_status_has_a_name(catalogues: dict[str, dict[str, str]]) -> None:
    for code in LANGUAGES:
        for prefix in ("bookingStatus", "bookingsCommon.count"):
            missing = [s.value for s in BookingStatus if f"{prefix}.{s.value}" not in catalogues[code]]
            assert missing == [], (code, prefix)


def test_every_booking_rule_the_api_names_is_put_in_words() -> None:
    """A refusal names its rule (`code`); the pages say each one in the reader's language rather than
    showing the API's English."""
    domain = ROOT / "booking" / "domain"
    sources = "".join(p.read_text(encoding="utf-8") for p in (domain / "premises").glob("*.py"))
    sources += (domain / "shared" / "localtime.py").read_text(encoding="utf-8")
    rules = set(re.findall(r'RuleBreach\(\s*"([a-z-]+)"', sources)) | {"conflict"}
    rules |= set(re.findall(r'"(nonexistent-local-time)"', sources))
    assert {"opening-hours", "holiday", "notice", "nonexistent-local-time"} <= rules, rules
    handled = set(re.findall(r'case "([a-z-]+)":', (FRONTEND / "assets/js/booking-ui.js").read_text(encoding="utf-8")))
    assert sorted(rules - handled) == []


@pytest.mark.parametrize("path", HTML_FILES, ids=[p.name for p in HTML_FILES])
def test_pages_hold_no_text_of_their_own_and_nothing_the_csp_forbids(path: Path) -> None:
    parsed = _parse(path)
    assert parsed.stray_text == [], "text outside the catalogues"
    assert parsed.inline == [], "inline script, style or event handler"


def test_scripts_neither_set_inline_styles_nor_build_markup_from_strings() -> None:
    for path in JS_FILES:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\.style\b(?!sheet)", source), f"{path.name} sets an inline style"
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", source), \
            f"{path.name} builds markup from a string"
        assert not re.search(r"\beval\(|new Function\(", source), f"{path.name} evaluates strings"
