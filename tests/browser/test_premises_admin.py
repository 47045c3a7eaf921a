"""The premises settings page in the browser ("Skolor och lokaler"), beyond the set-up journey of
test_setup.py: periods with other opening hours (a summer, a Christmas holiday) added, edited and removed,
the server's field error shown at its field and in the error summary; a door code set; a space and a
school removed after a confirmation, and the API's refusals shown (there and on the areas page) in an error
summary that takes focus when no field is at fault.

The journeys run as the demo's administrator on a school of their own, "Provskolan", which the fixture
removes again with everything in it whatever the test left: the browser tier shares one live demo server,
and the public pages' tests count the demo's schools and its municipalities (so no fresh municipality
here: this file runs before them). The accessibility checks open the editors on the demo's spaces without
saving anything."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from booking.seed import DEMO_ACCOUNTS
from tests.browser.support import (
    ApiClient,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    console,
    local_today,
    open_page,
    sign_in_via_api,
    switch_language,
)

pytestmark = pytest.mark.browser

ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")
EVENINGS = [{"weekday": d, "opens": "17:00", "closes": "22:00"} for d in range(7)]
AREA = "Provområdet"


@dataclass(frozen=True)
class Place:
    api: ApiClient
    site_id: str
    space_id: str


@pytest.fixture
def place(page: Page, live_server: LiveServer) -> Iterator[Place]:
    """The demo's administrator, signed in on `page`, with a school "Provskolan" and its gym "Provhallen"
    open every evening (made through the API: the set-up journey makes them through the page)."""
    sign_in_via_api(page, ADMIN.email)
    api = ApiClient(live_server, ADMIN.email)
    site = api.send("POST", "/api/sites", {"name": "Provskolan", "address": {
        "street": "Provvägen 1", "postal_code": "852 30", "city": "Sundsvall"}}, expect=201)
    try:
        space = api.send("POST", "/api/spaces", {"site_id": site["id"], "name": "Provhallen", "kind": "gym",
                                                 "capacity": 30}, expect=201)
        api.send("PUT", f"/api/spaces/{space['id']}/opening-hours", {"general": EVENINGS})
        yield Place(api, site["id"], space["id"])
    finally:
        _remove(api, site["id"])
        api.close()


def _remove(api: ApiClient, site_id: str) -> None:
    """The test's school, its spaces (parts before their hall) and its area, if they are still there."""
    assert api.remove_site(site_id) in (204, 404)
    for area in api.get("/api/areas", municipality="sundsvall", limit=200)["items"]:
        if area["name"] == AREA:
            assert api.delete(f"/api/areas/{area['id']}") == 204


def test_the_admin_adds_edits_and_removes_periods_with_other_opening_hours(page: Page, place: Place) -> None:
    year = local_today().year + 1
    summer, christmas = (f"{year}-06-15", f"{year}-08-15"), (f"{year}-12-20", f"{year}-12-31")
    open_page(page, "/premises-admin.html")
    page.get_by_role("button", name="Öppettider för Provhallen").click()
    editor = page.locator("#place-editor")
    expect(editor.locator("#hours-0-opens")).to_have_value("17:00")
    expect(editor.locator(".setup-variation")).to_have_count(0)

    editor.get_by_role("button", name="Lägg till en period").click()
    period = editor.locator(".setup-variation").last
    expect(period.get_by_label("Periodens namn")).to_be_focused()
    period.get_by_label("Periodens namn").fill("Sommar")
    period.get_by_label("Första dagen").fill(summer[1])  # the dates the wrong way round: the server says so
    period.get_by_label("Sista dagen").fill(summer[0])
    period.get_by_label("Öppnar måndag").fill("09:00")
    period.get_by_label("Stänger måndag").fill("17:00")
    console(page).allow(422, f"/api/spaces/{place.space_id}/opening-hours")
    editor.get_by_role("button", name="Spara öppettiderna").click()

    last_day = period.get_by_label("Sista dagen")
    expect(last_day).to_have_attribute("aria-invalid", "true")
    expect(last_day).to_be_focused()
    expect(last_day).to_have_accessible_description(re.compile("Sista dagen kan inte vara före den första."))
    summary = page.locator("#editor-alert")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Rätta följande och försök igen:")
    editor.get_by_role("button", name="Spara öppettiderna").focus()
    summary.get_by_role("link", name="Sista dagen kan inte vara före den första.").click()
    expect(last_day).to_be_focused()
    assert place.api.get(f"/api/spaces/{place.space_id}/opening-hours")["variations"] == []

    period.get_by_label("Första dagen").fill(summer[0])
    last_day.fill(summer[1])
    editor.get_by_role("button", name="Spara öppettiderna").click()
    expect(page.locator("#place-status")).to_have_text("Öppettiderna för Provhallen är sparade.")
    gym = page.locator(".setup-spaces li").filter(has_text="Provhallen")
    expect(gym).to_contain_text(re.compile(rf"Sommar, 15 juni\s?–\s?15 augusti {year}: mån 09:00–17:00"))

    # edit it, and add a Christmas holiday open on Saturdays only
    page.get_by_role("button", name="Öppettider för Provhallen").click()
    period = editor.locator(".setup-variation").first
    expect(period.get_by_label("Periodens namn")).to_have_value("Sommar")
    expect(period.get_by_label("Sista dagen")).to_have_value(summer[1])
    period.get_by_label("Periodens namn").fill("Sommarlov")
    expect(period.locator("legend")).to_have_text("Sommarlov")
    period.get_by_label("Stänger måndag").fill("15:00")
    editor.get_by_role("button", name="Lägg till en period").click()
    holiday = editor.locator(".setup-variation").last
    holiday.get_by_label("Periodens namn").fill("Jullov")
    holiday.get_by_label("Första dagen").fill(christmas[0])
    holiday.get_by_label("Sista dagen").fill(christmas[1])
    editor.get_by_role("button", name="Spara öppettiderna").click()  # no day filled in: said in the page
    expect(holiday.get_by_label("Öppnar måndag")).to_have_accessible_description(re.compile("minst en dag"))
    holiday.get_by_label("Öppnar lördag").fill("10:00")
    holiday.get_by_label("Stänger lördag").fill("14:00")
    editor.get_by_role("button", name="Spara öppettiderna").click()
    expect(page.locator("#place-status")).to_have_text("Öppettiderna för Provhallen är sparade.")
    expect(gym).to_contain_text(re.compile(rf"Jullov, 20\s?–\s?31 december {year}: lör 10:00–14:00"))
    hours = place.api.get(f"/api/spaces/{place.space_id}/opening-hours")
    assert hours["general"] == EVENINGS
    assert hours["variations"] == [
        {"name": "Sommarlov", "valid_from": summer[0], "valid_to": summer[1],
         "windows": [{"weekday": 0, "opens": "09:00", "closes": "15:00"}]},
        {"name": "Jullov", "valid_from": christmas[0], "valid_to": christmas[1],
         "windows": [{"weekday": 5, "opens": "10:00", "closes": "14:00"}]},
    ]

    # remove the summer: it goes when the hours are saved
    page.get_by_role("button", name="Öppettider för Provhallen").click()
    editor.get_by_role("button", name="Ta bort perioden Sommarlov").click()
    expect(page.locator("#variations-status")).to_have_text("Perioden Sommarlov tas bort när du sparar öppettiderna.")
    expect(editor.get_by_role("button", name="Lägg till en period")).to_be_focused()
    editor.get_by_role("button", name="Spara öppettiderna").click()
    expect(page.locator("#place-status")).to_have_text("Öppettiderna för Provhallen är sparade.")
    expect(gym).not_to_contain_text("Sommarlov")
    assert [v["name"] for v in place.api.get(f"/api/spaces/{place.space_id}/opening-hours")["variations"]] \
        == ["Jullov"]


def test_the_admin_sets_a_door_code_and_removes_the_space_and_then_the_school(page: Page, place: Place) -> None:
    open_page(page, "/premises-admin.html")
    gym = page.locator(".setup-spaces li").filter(has_text="Provhallen")
    expect(gym).to_contain_text("Tillträde: nyckel")
    page.get_by_role("button", name="Tillträde till Provhallen").click()
    editor = page.locator("#place-editor")
    expect(editor.get_by_label(re.compile("^Nyckel"))).to_be_focused()
    editor.get_by_label(re.compile("^Dörrkod")).check()
    editor.get_by_label("Instruktioner (valfritt)").fill("Entré B, kodlås till vänster.")
    editor.get_by_role("button", name="Spara tillträdet").click()
    expect(page.locator("#place-status")).to_have_text("Tillträdet till Provhallen är sparat.")
    expect(gym).to_contain_text("Tillträde: dörrkod – Entré B, kodlås till vänster.")
    assert place.api.get(f"/api/spaces/{place.space_id}/access") == {
        "mode": "door_code", "instructions": "Entré B, kodlås till vänster."}

    # the school first: refused while it has a space, and nothing is removed
    listing = page.locator(".setup-section")
    school = listing.locator(".setup-site").filter(has=page.get_by_role("heading", name="Provskolan", exact=True))
    listing.get_by_role("button", name="Ta bort Provskolan", exact=True).click()
    expect(editor.get_by_role("heading", name="Ta bort Provskolan?")).to_be_focused()
    console(page).allow(409, f"/api/sites/{place.site_id}")
    editor.get_by_role("button", name="Ta bort Provskolan", exact=True).click()
    summary = page.locator("#editor-alert")
    expect(summary).to_contain_text("Provskolan har en lokal kvar. Ta bort den först.")
    expect(summary).to_be_focused()
    expect(school).to_have_count(1)
    editor.get_by_role("button", name="Avbryt").click()

    listing.get_by_role("button", name="Ta bort Provhallen", exact=True).click()
    expect(editor.get_by_role("heading", name="Ta bort Provhallen?")).to_be_focused()
    expect(editor).to_contain_text("Lokalen tas bort för gott")
    editor.get_by_role("button", name="Ta bort Provhallen", exact=True).click()
    expect(page.locator("#place-status")).to_have_text("Provhallen är borttagen.")
    expect(page.locator("#place-status")).to_be_focused()
    expect(school).to_contain_text("Inga lokaler ännu.")

    listing.get_by_role("button", name="Ta bort Provskolan", exact=True).click()
    editor.get_by_role("button", name="Ta bort Provskolan", exact=True).click()
    expect(page.locator("#place-status")).to_have_text("Provskolan är borttagen.")
    expect(school).to_have_count(0)
    sites = place.api.get("/api/sites", municipality="sundsvall", limit=200)["items"]
    assert "Provskolan" not in [site["name"] for site in sites]


def test_a_divided_hall_is_not_removed_before_its_parts(page: Page, place: Place) -> None:
    place.api.send("POST", "/api/spaces", {"site_id": place.site_id, "name": "Provhallen A", "kind": "hall",
                                           "capacity": 15, "parent_id": place.space_id}, expect=201)
    open_page(page, "/premises-admin.html")
    listing = page.locator(".setup-section")
    listing.get_by_role("button", name="Ta bort Provhallen", exact=True).click()
    editor = page.locator("#place-editor")
    console(page).allow(409, f"/api/spaces/{place.space_id}")
    editor.get_by_role("button", name="Ta bort Provhallen", exact=True).click()
    summary = page.locator("#editor-alert")
    expect(summary).to_have_text(re.compile(
        "Det gick inte att ta bort:.*Provhallen är delad i Provhallen A. Ta bort delarna först."))
    expect(summary).to_be_focused()
    school = listing.locator(".setup-site").filter(has=page.get_by_role("heading", name="Provskolan", exact=True))
    expect(school.locator(".setup-spaces li")).to_have_count(2)
    assert place.api.get(f"/api/spaces/{place.space_id}")["part_ids"] != []


def test_an_area_in_use_is_not_removed_and_the_summary_takes_focus(page: Page, place: Place) -> None:
    """With no field at fault the error summary itself takes focus, so that its text is read."""
    area = place.api.send("POST", "/api/areas", {"name": AREA}, expect=201)
    place.api.send("PATCH", f"/api/sites/{place.site_id}", {"area_id": area["id"]})
    open_page(page, "/areas.html")
    console(page).allow(409, f"/api/areas/{area['id']}")
    page.get_by_role("button", name=f"Ta bort {AREA}").click()
    summary = page.locator("#area-alert")
    expect(summary).to_have_text(re.compile(f"Det gick inte att ta bort:.*Området {AREA} används av skolor"))
    expect(summary).to_be_focused()
    expect(page.locator("#areas-table tbody tr").filter(has_text=AREA)).to_have_count(1)


NAMES = {
    "sv": {"hours": "Öppettider för ", "add": "Lägg till en period", "save": "Spara öppettiderna",
           "period": "Periodens namn", "access": "Tillträde till ", "remove": "Ta bort "},
    "en": {"hours": "Opening hours of ", "add": "Add a period", "save": "Save the opening hours",
           "period": "Name of the period", "access": "Access to ", "remove": "Remove "},
}


def _open_editor(page: Page, editor: str, language: str) -> None:
    """An editor open on the demo's first space, with errors showing where the form has any; nothing saved."""
    names = NAMES[language]
    form = page.locator("#place-editor")
    if editor == "hours":
        page.get_by_role("button", name=re.compile(f"^{names['hours']}")).first.click()
        form.get_by_role("button", name=names["add"]).click()
        form.get_by_role("button", name=names["save"]).click()  # the new period is empty: refused in the page
        expect(form.locator(".setup-variation").last.get_by_label(names["period"])).to_have_attribute(
            "aria-invalid", "true")
    elif editor == "access":
        page.get_by_role("button", name=re.compile(f"^{names['access']}")).first.click()
        expect(form.get_by_role("radio")).to_have_count(3)
    else:
        page.locator(".setup-spaces").first.get_by_role("button", name=re.compile(f"^{names['remove']}")).first.click()
        expect(form.get_by_role("heading", name=re.compile(rf"^{names['remove']}.*\?$"))).to_be_focused()


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("editor", ["hours", "access", "delete"])
def test_the_new_editors_are_accessible(page: Page, phone_page: Page, editor: str, size: str) -> None:
    page = phone_page if size == "phone" else page
    sign_in_via_api(page, ADMIN.email)
    open_page(page, "/premises-admin.html")
    _open_editor(page, editor, "sv")
    assert_accessible(page, f"premises-admin {editor} in Swedish ({size})")
    if size == "phone":
        assert_no_horizontal_scroll(page, f"premises-admin {editor}")
    page.get_by_role("button", name="Avbryt").click()
    switch_language(page, "English")
    _open_editor(page, editor, "en")
    assert_accessible(page, f"premises-admin {editor} in English ({size})")
