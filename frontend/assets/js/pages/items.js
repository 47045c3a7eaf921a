// Equipment (staff of Fritidsbanken): every item with its status, label and site; one item's history and
// a status change (the API refuses transitions that make no sense, e.g. a retired item on loan).
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, formatDateTime, hasText, t } from "../i18n.js";
import { hasRole, loginUrl } from "../session.js";
import { apiErrors, field, focusFirstError, paintErrors } from "../forms.js";

const STATUSES = ["available", "on_loan", "on_hold_shelf", "in_repair", "being_checked", "retired", "lost"];
const denied = document.getElementById("page-denied");
const area = document.getElementById("page-area");
const siteSelect = document.getElementById("f-site");
const statusSelect = document.getElementById("f-status");
const queryInput = document.getElementById("f-q");
const listStatus = document.getElementById("items-status");
const results = document.getElementById("items-results");
const detail = document.getElementById("item-detail");
const heading = document.getElementById("item-heading");
const itemForm = document.getElementById("item-form");
const itemAlert = document.getElementById("item-alert");
const itemStatus = document.getElementById("item-status");
const history = document.getElementById("item-history");

const params = new URLSearchParams(window.location.search);
const data = { allowed: false, sites: [], page: null, item: null, filter: { site: "", status: "", q: "" } };

function label(item) {
  return item.label_code ?? t("lending.items.noLabel");
}

function nameOf(item) {
  return item.variant ? `${item.article_name} ${item.variant}` : item.article_name;
}

async function search() {
  const q = { limit: "100" };
  if (data.filter.site) q.site_id = data.filter.site;
  if (data.filter.status) q.status = data.filter.status;
  if (data.filter.q.trim()) q.q = data.filter.q.trim();
  data.page = await api(`/api/lending/items?${new URLSearchParams(q)}`);
  renderList();
}

async function openItem(id) {
  data.item = await api(`/api/lending/items/${encodeURIComponent(id)}`);
  itemStatus.textContent = "";
  paintErrors(itemForm, itemAlert, null);
  renderDetail();
  heading.focus();
}

async function load(state) {
  data.allowed = hasRole(state.session, "lending_staff");
  if (!data.allowed) return;
  const municipality = await api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`);
  data.sites = (await fetchAll("/api/sites", { municipality: municipality.slug }))
    .sort((a, b) => collator().compare(a.name, b.name));
  await search();
  if (params.get("id")) await openItem(params.get("id")).catch(() => null);
}

function renderFilters() {
  replaceChildren(siteSelect, h("option", { value: "" }, t("lending.items.allSites")),
    data.sites.map((s) => h("option", { value: s.id, selected: s.id === data.filter.site || null }, s.name)));
  replaceChildren(statusSelect, h("option", { value: "" }, t("lending.items.allStatuses")),
    STATUSES.map((s) => h("option", { value: s, selected: s === data.filter.status || null }, t(`lending.status.${s}`))));
}

function renderList() {
  if (!data.page) return;
  listStatus.textContent = t("lending.items.count", { count: data.page.total });
  replaceChildren(results, h("table", { class: "lending-table" },
    h("thead", {}, h("tr", {}, ["thing", "label", "status", "site"].map((k) => h("th", { scope: "col" },
      t(`lending.items.${k}`))))),
    h("tbody", {}, data.page.items.map((item) => h("tr", {},
      h("td", {}, h("button", { type: "button", class: "button button-quiet",
        "aria-label": t("lending.items.open", { name: nameOf(item), label: label(item) }),
        onclick: () => openItem(item.id) }, nameOf(item))),
      h("td", {}, label(item)),
      h("td", {}, t(`lending.status.${item.status}`)),
      h("td", {}, item.site_name))))));
}

function renderDetail() {
  const item = data.item;
  detail.hidden = !item;
  if (!item) return;
  heading.textContent = `${nameOf(item)} – ${label(item)}`;
  replaceChildren(itemForm,
    h("p", {}, `${t("lending.items.status")}: ${t(`lending.status.${item.status}`)} · ${item.site_name}`),
    field({ id: "item-new-status", label: t("lending.items.changeStatus"), control: h("select", { id: "item-new-status",
      name: "status" }, STATUSES.map((s) => h("option", { value: s, selected: s === item.status || null }, t(`lending.status.${s}`)))) }),
    field({ id: "item-note", label: t("lending.items.note"), control: h("input", { id: "item-note", name: "note",
      type: "text" }) }),
    h("button", { type: "submit", class: "button" }, t("lending.items.save")));
  replaceChildren(history, (item.history ?? []).map((e) => h("li", {}, t("lending.items.event", {
    when: formatDateTime(e.at),
    what: [hasText(`lending.items.kinds.${e.kind}`) ? t(`lending.items.kinds.${e.kind}`) : e.kind,
      e.to_status ? t(`lending.status.${e.to_status}`) : null, e.note].filter(Boolean).join(" – "),
  }))));
}

itemForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(itemForm);
  const body = { status: String(form.get("status")) };
  const note = String(form.get("note") ?? "").trim();
  if (note) body.note = note;
  try {
    await api(`/api/lending/items/${data.item.id}`, { method: "PATCH", body });
    await openItem(data.item.id);
    await search();
    itemStatus.textContent = t("lending.items.saved");
  } catch (error) {
    const errors = apiErrors(error, (name) => ({ status: "item-new-status", note: "item-note" })[name] ?? null);
    paintErrors(itemForm, itemAlert, errors, "lending.items.fix");
    focusFirstError(errors, itemAlert);
  }
});

let timer = null;
function changed() {
  clearTimeout(timer);
  timer = setTimeout(() => search().catch(() => { listStatus.textContent = t("lending.errors.load"); }), 200);
}
siteSelect.addEventListener("change", () => { data.filter.site = siteSelect.value; changed(); });
statusSelect.addEventListener("change", () => { data.filter.status = statusSelect.value; changed(); });
queryInput.addEventListener("input", () => { data.filter.q = queryInput.value; changed(); });
document.getElementById("items-filter").addEventListener("submit", (event) => event.preventDefault());

function render(state) {
  if (!data.allowed) {
    area.hidden = true;
    replaceChildren(denied, h("p", {}, t("lending.labels.staffOnly")),
      state?.session ? null : h("p", {}, h("a", { class: "button", href: loginUrl("/items.html") }, t("lending.card.signInLink"))));
    return;
  }
  replaceChildren(denied);
  area.hidden = false;
  renderFilters();
  renderList();
  renderDetail();
}

startPage({ current: "items", titleKey: "lending.items.title", load, render });
