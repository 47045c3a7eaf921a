// Staff: create activities (drafts), the holidays of a year, sessions (one date, or every day of
// a holiday on which the place is open; the room is booked through premises), publish, cancel,
// and the way to each session's attendance.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { categoryLabel, errorBox, lovLabel, notice, whenText } from "../activities-ui.js";

const CATEGORIES = ["idrott", "kultur", "friluftsliv", "skapande", "spel", "musik", "matlagning", "annat"];
const TARGETS = ["all", "girls", "boys", "functional_variation", "newcomers"];
const noticeBox = document.getElementById("notice");
const createBox = document.getElementById("create");
const lovsBox = document.getElementById("lovs");
const listBox = document.getElementById("list");
const data = { slug: null, activities: [], details: new Map(), periods: [], spaces: [], areas: [], error: null };

async function refresh() {
  try {
    data.activities = (await api("/api/activities?limit=100")).items;
    data.periods = await api("/api/holiday-periods");
    const details = await Promise.all(data.activities.map((a) => api(`/api/activities/${a.id}`)));
    data.details = new Map(details.map((d) => [d.activity.id, d]));
    data.error = null;
  } catch (error) {
    data.error = error;
  }
}

async function load(state) {
  const municipalityId = state.session?.account?.municipality_id;
  try {
    const municipality = municipalityId ? await api(`/api/municipalities/${municipalityId}`) : null;
    data.slug = municipality?.slug;
    if (data.slug) {
      [data.spaces, data.areas] = await Promise.all([fetchAll("/api/spaces", { municipality: data.slug }),
        fetchAll("/api/areas", { municipality: data.slug })]);
    }
  } catch (error) {
    data.error = error;
  }
  await refresh();
}

async function act(promise, message) {
  try {
    const answer = await promise;
    replaceChildren(noticeBox, notice(typeof message === "function" ? message(answer) : message));
    await refresh();
    render({ loading: false });
    return answer;
  } catch (error) {
    replaceChildren(noticeBox, errorBox(error));
    return null;
  }
}

const field = (id, label, control) => h("div", { class: "field" }, h("label", { for: id }, label), control);
const select = (id, items, value = "") => {
  const element = h("select", { id, name: id }, items.map(([v, label]) => h("option", { value: v }, label)));
  element.value = value;
  return element;
};

function renderCreate() {
  const form = h("form", { class: "form", id: "create-form" },
    field("a-title", t("activities.admin.titleField"), h("input", { id: "a-title", required: true, maxlength: 200 })),
    field("a-description", t("activities.admin.description"), h("textarea", { id: "a-description", rows: 3 })),
    field("a-category", t("activities.admin.category"), select("a-category", CATEGORIES.map((c) => [c, categoryLabel(c)]))),
    field("a-organiser", t("activities.admin.organiser"), h("input", { id: "a-organiser", required: true })),
    field("a-age-min", t("activities.admin.ageMin"), h("input", { id: "a-age-min", type: "number", min: 0, max: 25, value: 6 })),
    field("a-age-max", t("activities.admin.ageMax"), h("input", { id: "a-age-max", type: "number", min: 0, max: 25, value: 15 })),
    field("a-capacity", t("activities.admin.capacity"), h("input", { id: "a-capacity", type: "number", min: 1, max: 1000, value: 20 })),
    field("a-target", t("activities.admin.target"), select("a-target", TARGETS.map((g) => [g, t(`activities.targets.${g}`)]))),
    field("a-space", t("activities.admin.space"), select("a-space", [["", t("activities.admin.noSpace")],
      ...data.spaces.map((s) => [s.id, s.name])])),
    field("a-place", t("activities.admin.place"), h("input", { id: "a-place", maxlength: 1000 })),
    field("a-area", t("activities.admin.area"), select("a-area", [["", "–"], ...data.areas.map((a) => [a.id, a.name])])),
    h("div", { class: "field field-check" }, h("input", { id: "a-signup", type: "checkbox", checked: true }),
      h("label", { for: "a-signup" }, t("activities.admin.signupRequired"))),
    h("button", { type: "submit", class: "button" }, t("activities.admin.save")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = (id) => form.querySelector(`#${id}`).value.trim();
    const body = {
      title: value("a-title"), description: value("a-description"), category: value("a-category"),
      organiser: value("a-organiser"), age_min: Number(value("a-age-min")), age_max: Number(value("a-age-max")),
      capacity: Number(value("a-capacity")), target_group: value("a-target"),
      signup_required: form.querySelector("#a-signup").checked,
    };
    if (value("a-space")) body.space_id = value("a-space");
    if (value("a-place")) body.place = value("a-place");
    if (value("a-area")) body.area_id = value("a-area");
    act(api("/api/activities", { method: "POST", body }), t("activities.admin.created")).then((made) => {
      if (made) form.reset();
    });
  });
  replaceChildren(createBox, form);
}

function renderLovs() {
  const year = new Date().getFullYear();
  replaceChildren(lovsBox,
    h("ul", {}, data.periods.map((p) => h("li", {}, `${lovLabel(p)}: ${p.first_day} – ${p.last_day}`))),
    [year, year + 1].map((y) => h("button", { type: "button", class: "button button-quiet", onclick: () =>
      act(api("/api/holiday-periods/generated", { method: "POST", body: { year: y, sportlov_week: 9 } }),
        (added) => t("activities.admin.generated", { count: added.length })) }, t("activities.admin.generate", { year: y }))));
}

function sessionsForm(a) {
  const id = (name) => `${name}-${a.id}`;
  const form = h("form", { class: "form", dataset: { activity: a.id } },
    h("h4", {}, t("activities.admin.addSessions")),
    field(id("date"), t("activities.admin.date"), h("input", { id: id("date"), type: "date" })),
    field(id("lov"), t("activities.admin.orLov"), select(id("lov"), [["", t("activities.admin.noLov")],
      ...data.periods.map((p) => [p.id, lovLabel(p)])])),
    field(id("start"), t("activities.admin.start"), h("input", { id: id("start"), type: "time", value: "10:00" })),
    field(id("end"), t("activities.admin.end"), h("input", { id: id("end"), type: "time", value: "12:00" })),
    h("button", { type: "submit", class: "button" }, t("activities.admin.add")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = (name) => form.querySelector(`#${id(name)}`).value;
    const body = { start: value("start"), end: value("end") };
    if (value("date")) body.date = value("date");
    if (value("lov")) body.period_id = value("lov");
    act(api(`/api/activities/${a.id}/sessions`, { method: "POST", body }), (answer) => [
      t("activities.admin.added", { count: answer.sessions.length }),
      ...answer.skipped.map((s) => ` ${t("activities.admin.skipped", { date: s.date, reason: s.message })}`)].join(""));
  });
  return form;
}

function activityItem(a) {
  const sessions = data.details.get(a.id)?.sessions ?? [];
  return h("li", { class: "activity-card", dataset: { activity: a.id } },
    h("h3", {}, a.title),
    h("p", {}, h("span", { class: "badge" }, t(`activities.admin.status.${a.status}`))),
    h("div", { class: "roster-actions" },
      a.status === "draft" || a.status === "submitted" ? h("button", { type: "button", class: "button", onclick: () =>
        act(api(`/api/activities/${a.id}/publication`, { method: "POST" }), t("activities.admin.published", { title: a.title })) },
      t("activities.admin.publish", { title: a.title })) : null,
      a.status !== "cancelled" ? h("button", { type: "button", class: "button button-danger", onclick: () =>
        act(api(`/api/activities/${a.id}/cancellation`, { method: "POST", body: {} }),
          t("activities.admin.cancelledNotice", { title: a.title })) }, t("activities.admin.cancel", { title: a.title })) : null),
    h("h4", {}, t("activities.admin.sessions", { title: a.title })),
    h("ul", {}, sessions.map((s) => h("li", {}, `${whenText(s)} (${s.capacity - s.free_places}/${s.capacity}) `,
      h("a", { href: `/attendance.html?session=${s.id}` }, t("activities.admin.attendance"))))),
    a.status !== "cancelled" ? sessionsForm(a) : null);
}

function render(state) {
  if (state.loading) return;
  renderCreate();
  renderLovs();
  if (data.error) return replaceChildren(listBox, h("li", {}, errorBox(data.error)));
  replaceChildren(listBox, data.activities.length ? data.activities.map(activityItem)
    : h("li", {}, t("activities.admin.none")));
}

startPage({ current: "activity-admin", titleKey: "activities.admin.title", load, render });
