// Statistics of Fritidsbanken (staff): loans per category, month and site; unique borrowers by age band,
// gender and area; the most borrowed things; items per status; the same figures as CSV. No names.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatNumber, t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { apiErrors, field, focusFirstError, paintErrors, downloadLink } from "../forms.js";

const denied = document.getElementById("page-denied");
const area = document.getElementById("page-area");
const form = document.getElementById("stats-form");
const alertBox = document.getElementById("stats-alert");
const body = document.getElementById("stats-body");

const today = new Date().toISOString().slice(0, 10);
const data = { allowed: false, from: `${today.slice(0, 4)}-01-01`, to: today, stats: null, sites: {} };

async function fetchStats() {
  data.stats = await api(`/api/lending/stats?${new URLSearchParams({ from: data.from, to: data.to })}`);
}

async function load(state) {
  data.allowed = hasRole(state.session, "lending_staff");
  if (!data.allowed) return;
  const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
  const sites = await fetchAll("/api/sites", { municipality: municipality.slug });
  data.sites = Object.fromEntries(sites.map((s) => [s.id, s.name]));
  await fetchStats();
}

function table(captionKey, rows, keyLabel = t("lending.stats.key")) {
  return h("div", { class: "table-scroll" }, h("table", { class: "lending-table" },
    h("caption", {}, t(captionKey)),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, keyLabel), h("th", { scope: "col" }, t("lending.stats.value")))),
    h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, formatNumber(v)))))));
}

/** Reach by where the borrowers live: children 0-17 who borrowed, per 1,000 children living in the area. */
function reachTable(rows) {
  return h("div", { class: "table-scroll" }, h("table", { class: "lending-table" },
    h("caption", {}, t("lending.stats.reach")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("lending.stats.area")),
      h("th", { scope: "col" }, t("lending.stats.children")), h("th", { scope: "col" }, t("lending.stats.per1000")))),
    h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.area), h("td", {}, formatNumber(r.children)),
      h("td", {}, r.per_1000 === null ? t("lending.stats.noPopulation") : formatNumber(r.per_1000)))))));
}

function renderForm() {
  replaceChildren(form,
    field({ id: "stats-from", label: t("lending.stats.from"), control: h("input", { id: "stats-from", name: "from",
      type: "date", value: data.from }) }),
    field({ id: "stats-to", label: t("lending.stats.to"), control: h("input", { id: "stats-to", name: "to", type: "date",
      value: data.to }) }),
    h("button", { type: "submit", class: "button" }, t("lending.stats.show")));
}

function renderStats() {
  const s = data.stats;
  if (!s) {
    replaceChildren(body);
    return;
  }
  const unknown = (key) => (key === "unknown" ? t("lending.stats.unknown") : key);
  const months = new Map();
  for (const m of s.loans_by_month) months.set(m.month, (months.get(m.month) ?? 0) + m.loans);
  const statuses = new Map();
  for (const x of s.items_by_status) statuses.set(x.status, (statuses.get(x.status) ?? 0) + x.items);
  replaceChildren(body,
    h("p", {}, t("lending.stats.loans", { count: s.loans }), " · ", t("lending.stats.borrowers", { count: s.borrowers }),
      " · ", t("lending.stats.donations", { donations: s.donations, items: s.donated_items })),
    h("p", {}, downloadLink("/api/lending/stats.csv", { from: data.from, to: data.to }, t("lending.stats.csv"))),
    table("lending.stats.byCategory", s.loans_by_category.map((c) => [c.key, c.count])),
    table("lending.stats.byMonth", [...months].sort(), t("lending.stats.month")),
    table("lending.stats.bySite", s.loans_by_site.map((c) => [c.key, c.count])),
    table("lending.stats.top", s.top_articles.map((c) => [c.key, c.count])),
    table("lending.stats.byAge", s.borrowers_by_age_band.map((c) => [unknown(c.key), c.count])),
    table("lending.stats.byGender", s.borrowers_by_gender.map((c) => [t(`lending.stats.genders.${c.key}`), c.count])),
    table("lending.stats.byArea", s.borrowers_by_area.map((c) => [unknown(c.key), c.count])),
    reachTable(s.reach_by_area),
    table("lending.stats.byStatus", [...statuses].map(([k, v]) => [t(`lending.status.${k}`), v])));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const values = new FormData(form);
  data.from = String(values.get("from") ?? "");
  data.to = String(values.get("to") ?? "");
  try {
    await fetchStats();
    paintErrors(form, alertBox, null);
    renderStats();
  } catch (error) {
    const errors = apiErrors(error, (name) => ({ from: "stats-from", to: "stats-to" })[name] ?? null);
    paintErrors(form, alertBox, errors, "lending.stats.fix");
    focusFirstError(errors, alertBox);
  }
});

function render(state) {
  if (!data.allowed) {
    area.hidden = true;
    replaceChildren(denied, h("p", {}, t("lending.labels.staffOnly")),
      state?.session ? null : h("p", {}, h("a", { class: "button", href: loginUrl("/lending-stats.html") }, t("lending.card.signInLink"))));
    return;
  }
  replaceChildren(denied);
  area.hidden = false;
  renderForm();
  renderStats();
}

startPage({ current: "lending-stats", titleKey: "lending.stats.title", load, render });
