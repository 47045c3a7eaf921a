// The public listing of holiday activities: sessions filtered by holiday, date, age, area,
// category and free places. The filter lives in the URL (shareable); the subscribe link gives the
// calendar feed of the same selection.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { categoryLabel, lovLabel, problemMessage, sessionCard, whenText } from "../activities-ui.js";
import { drawsOf, periodOf, wishesOpen } from "../draw-ui.js";

const CATEGORIES = ["idrott", "kultur", "friluftsliv", "skapande", "spel", "musik", "matlagning", "annat"];
const form = document.getElementById("activity-filter");
const fields = {
  lov: document.getElementById("lov"), from: document.getElementById("from"), age: document.getElementById("age"),
  area: document.getElementById("area"), category: document.getElementById("category"),
  free: document.getElementById("free"),
};
const status = document.getElementById("status");
const results = document.getElementById("results");
const subscribe = document.getElementById("subscribe");
const params = new URLSearchParams(window.location.search);
const data = { slug: params.get("kommun"), periods: [], areas: [], sessions: [], total: 0, error: null,
  draws: new Map() };

function selected() {
  const out = {};
  if (fields.lov.value) out.period_id = fields.lov.value;
  if (fields.from.value) out.from = fields.from.value;
  if (fields.age.value) out.age = fields.age.value;
  if (fields.area.value) out.area_id = fields.area.value;
  if (fields.category.value) out.category = fields.category.value;
  if (fields.free.checked) out.free = "true";
  return out;
}

async function loadSessions() {
  const filter = selected();
  const query = new URLSearchParams({ municipality: data.slug, ...filter, limit: "200" });
  try {
    const page = await api(`/api/activity-sessions?${query}`);
    data.sessions = page.items;
    data.total = page.total;
    data.error = null;
    await loadDraws();
  } catch (error) {
    data.error = error;
  }
  const shown = new URLSearchParams(filter);
  if (params.get("kommun")) shown.set("kommun", data.slug);
  window.history.replaceState(null, "", `${window.location.pathname}${shown.size ? `?${shown}` : ""}`);
}

async function load() {
  try {
    if (!data.slug) data.slug = (await api("/api/municipalities?limit=1")).items[0]?.slug;
    if (!data.slug) return;
    [data.periods, data.areas] = await Promise.all([
      api(`/api/holiday-periods?municipality=${encodeURIComponent(data.slug)}`),
      fetchAll("/api/areas", { municipality: data.slug }),
    ]);
  } catch (error) {
    data.error = error;
    return;
  }
  fillSelects();
  fields.lov.value = params.get("period_id") ?? "";
  fields.from.value = params.get("from") ?? "";
  fields.age.value = params.get("age") ?? "";
  fields.area.value = params.get("area_id") ?? "";
  fields.category.value = params.get("category") ?? "";
  fields.free.checked = params.get("free") === "true";
  await loadSessions();
}

/** The draws of the holidays the listed sessions fall in (looked up once per holiday). */
async function loadDraws() {
  const unknown = data.periods.filter((p) => !data.draws.has(p.id));
  try {
    const found = await drawsOf(unknown, data.sessions);
    for (const p of unknown.filter((x) => data.sessions.some((s) => periodOf([x], s)))) {
      data.draws.set(p.id, found.get(p.id) ?? null);
    }
  } catch {
    // not known: a sign-up in a drawn holiday is refused with the way to the wish list
  }
}

/** A session's card marked when its holiday's places are drawn, with the way to the wish list. */
function card(session) {
  const element = sessionCard(session);
  const draw = data.draws.get(periodOf(data.periods, session)?.id);
  if (!draw || draw.status === "published" || !session.signup_required) return element;
  element.append(h("p", { class: "draw-mark" }, t("draw.activity.byDraw")));
  if (wishesOpen(draw)) {
    element.append(h("p", {}, h("a", { class: "button button-quiet",
      href: `/wishes.html?draw=${encodeURIComponent(draw.id)}&session=${encodeURIComponent(session.id)}` },
    t("draw.activity.add"), h("span", { class: "visually-hidden" }, ` ${session.title}, ${whenText(session)}`))));
  }
  return element;
}

function options(select, first, items) {
  const keep = select.value;
  replaceChildren(select, h("option", { value: "" }, first), items.map(([value, label]) => h("option", { value }, label)));
  select.value = keep;
}

function fillSelects() {
  options(fields.lov, t("activities.anyLov"), data.periods.map((p) => [p.id, lovLabel(p)]));
  options(fields.age, t("activities.anyAge"), Array.from({ length: 20 }, (_, i) => [String(i + 6), String(i + 6)]));
  options(fields.area, t("activities.anyArea"), data.areas.map((a) => [a.id, a.name]));
  options(fields.category, t("activities.anyCategory"), CATEGORIES.map((c) => [c, categoryLabel(c)]));
}

function render(state) {
  if (state.loading) {
    status.textContent = t("activities.loading");
    return;
  }
  fillSelects();
  if (data.error) {
    replaceChildren(results);
    status.textContent = problemMessage(data.error);
    return;
  }
  status.textContent = data.sessions.length ? t("activities.count", { count: data.total }) : t("activities.none");
  replaceChildren(results, data.sessions.map(card));
  const feed = new URL(`/feeds/activities/${encodeURIComponent(data.slug ?? "")}.ics`, window.location.origin);
  for (const [key, value] of Object.entries(selected())) feed.searchParams.set(key, value);
  replaceChildren(subscribe, h("p", {}, h("a", { href: feed.href.replace(/^https?:/, "webcal:") },
    t("activities.subscribe"))), h("p", { class: "hint" }, t("activities.subscribeHint")));
}

let current = null;
form.addEventListener("change", async () => {
  const mine = (current = Symbol("load"));
  await loadSessions();
  if (mine === current) render({ loading: false });
});
form.addEventListener("submit", (event) => event.preventDefault());
document.getElementById("filter-reset").addEventListener("click", async () => {
  form.reset();
  await loadSessions();
  render({ loading: false });
});

startPage({ current: "activities", titleKey: "activities.title", load, render });
