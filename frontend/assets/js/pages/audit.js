// "Ändringslogg" (admins): the municipality's audit log, newest first, filtered by what changed
// (entity, and one object by ?entity_id=), who changed it, the action and the dates. The filters
// live in the address, so a filtered view can be linked to (the accounts page links here).
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, formatDateTime, hasText, t } from "../i18n.js";
import { loginUrl } from "../session.js";
import { problemText } from "../booking-ui.js";
import { apiErrors, field, paintErrors } from "../forms.js";

const $ = (id) => document.getElementById(id);
const status = $("audit-status");
const root = $("audit-page");
const PAGE_SIZE = 50;
const ENTITIES = ["account", "association", "area", "municipality", "site", "space", "booking"];
const FILTERS = ["entity", "entity_id", "actor_id", "action", "from", "to"];

const isAdmin = (session) => (session?.account?.roles ?? []).some((grant) => grant.role === "admin");
const data = { allowed: false, redirecting: false, accounts: [], items: [], total: 0, actions: [], error: null,
  errors: null, busy: false };
const filters = Object.fromEntries(FILTERS.map((name) => [name, ""]));

function readAddress() {
  const params = new URLSearchParams(window.location.search);
  for (const name of FILTERS) filters[name] = params.get(name) ?? "";
}

function writeAddress() {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

/** A local date ("2027-01-14") as the instant its day starts here, for the API's from/to. */
function dayStart(isoDate, daysLater = 0) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(y, m - 1, d + daysLater).toISOString();
}

function query(offset) {
  const params = { limit: String(PAGE_SIZE), offset: String(offset) };
  for (const name of ["entity", "entity_id", "actor_id", "action"]) if (filters[name]) params[name] = filters[name];
  if (filters.from) params.from = dayStart(filters.from);
  if (filters.to) params.to = dayStart(filters.to, 1); // through the whole last day
  return new URLSearchParams(params);
}

async function loadEntries(more = false) {
  const page = await api(`/api/audit?${query(more ? data.items.length : 0)}`);
  data.items = more ? [...data.items, ...page.items] : page.items;
  data.total = page.total;
  data.actions = page.actions;
}

async function load(state) {
  if (!state.session) {
    if (state.sessionError) return;
    data.redirecting = true;
    window.location.replace(loginUrl(`/audit.html${window.location.search}`));
    return;
  }
  data.allowed = isAdmin(state.session);
  if (!data.allowed) return;
  readAddress();
  try {
    const byName = collator();
    data.accounts = (await fetchAll("/api/accounts")).sort((a, b) => byName.compare(a.display_name, b.display_name));
    await loadEntries();
  } catch (error) {
    data.error = error;
  }
}

function controlOf(name) {
  return { entity: "f-entity", entity_id: "f-entity", actor_id: "f-actor", action: "f-action", from: "f-from",
    to: "f-to" }[name] ?? null;
}

async function applyFilters(event) {
  event.preventDefault();
  if (data.busy) return;
  for (const name of ["entity", "actor_id", "action", "from", "to"]) filters[name] = $(`f-${name === "actor_id" ? "actor" : name}`).value;
  if (!filters.entity) filters.entity_id = "";
  data.busy = true;
  data.errors = null;
  try {
    await loadEntries();
    writeAddress();
    data.busy = false;
    renderPage();
    status.textContent = t("people.audit.found", { count: data.total });
    status.focus();
  } catch (error) {
    data.busy = false;
    data.errors = apiErrors(error, controlOf);
    renderPage();
  }
}

function select(id, value, options) {
  const element = h("select", { id }, options);
  element.value = value;
  return element;
}

function entityName(entity) {
  return hasText(`people.audit.entities.${entity}`) ? t(`people.audit.entities.${entity}`) : entity;
}

function filterForm() {
  const actions = [...new Set([...data.actions, filters.action].filter(Boolean))];
  const form = h("form", { id: "audit-form", class: "form form-wide", novalidate: true },
    h("div", { id: "audit-alert", class: "alert alert-error", role: "alert" }),
    h("div", { class: "field-row" },
      field({ id: "f-entity", label: t("people.audit.entity"), control: select("f-entity", filters.entity, [
        h("option", { value: "" }, t("people.audit.any")),
        ...[...new Set([...ENTITIES, filters.entity].filter(Boolean))]
          .map((e) => h("option", { value: e }, entityName(e)))]) }),
      field({ id: "f-action", label: t("people.audit.action"), control: select("f-action", filters.action, [
        h("option", { value: "" }, t("people.audit.any")), ...actions.map((a) => h("option", { value: a }, a))]) }),
      field({ id: "f-actor", label: t("people.audit.actor"), control: select("f-actor", filters.actor_id, [
        h("option", { value: "" }, t("people.audit.anyone")),
        ...data.accounts.map((a) => h("option", { value: a.id }, `${a.display_name} (${a.email})`))]) })),
    h("div", { class: "field-row" },
      field({ id: "f-from", label: t("people.audit.from"), control: h("input", { id: "f-from", type: "date",
        value: filters.from }) }),
      field({ id: "f-to", label: t("people.audit.to"), control: h("input", { id: "f-to", type: "date",
        value: filters.to }) })),
    filters.entity_id ? h("p", { class: "hint" }, t("people.audit.oneObject", { id: filters.entity_id })) : null,
    h("button", { type: "submit", class: "button", "aria-disabled": data.busy ? "true" : null },
      t("people.audit.show")));
  form.addEventListener("submit", applyFilters);
  return form;
}

function entryRow(entry) {
  const details = Object.keys(entry.details ?? {}).length ? JSON.stringify(entry.details) : "";
  const who = entry.actor_name ?? (entry.actor_id ? t("people.audit.removedAccount") : t("people.audit.system"));
  return h("tr", {},
    h("td", {}, formatDateTime(entry.created_at)),
    h("td", {}, who),
    h("td", {}, h("code", {}, entry.action)),
    h("td", {}, entityName(entry.entity)),
    h("td", { class: "audit-details" }, details));
}

function entryTable() {
  if (!data.items.length) return h("p", { class: "empty" }, t("people.audit.none"));
  const more = h("button", { type: "button", class: "button button-quiet", id: "audit-more" }, t("people.audit.more"));
  more.addEventListener("click", async () => {
    try {
      await loadEntries(true);
      renderPage();
      status.textContent = t("people.audit.showing", { shown: data.items.length, total: data.total });
      $("audit-more")?.focus();
    } catch (error) {
      status.textContent = problemText(error);
    }
  });
  return h("div", {},
    h("div", { class: "table-wrap", role: "region", "aria-label": t("people.audit.tableLabel"), tabindex: "0" },
      h("table", { class: "data-table", id: "audit-table" },
        h("thead", {}, h("tr", {}, ["when", "who", "what", "entity", "details"]
          .map((key) => h("th", { scope: "col" }, t(`people.audit.columns.${key}`))))),
        h("tbody", {}, data.items.map(entryRow)))),
    h("p", {}, t("people.audit.showing", { shown: data.items.length, total: data.total })),
    data.items.length < data.total ? more : null);
}

function renderPage() {
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "filter-heading" },
      h("h2", { id: "filter-heading" }, t("people.audit.filterHeading")), filterForm()),
    h("section", { class: "section", "aria-labelledby": "log-heading" },
      h("h2", { id: "log-heading" }, t("people.audit.listHeading")), entryTable()));
  paintErrors($("audit-form"), $("audit-alert"), data.errors);
}

function render(state) {
  if (state.loading || data.redirecting) return;
  if (!state.session) {
    status.textContent = problemText(state.sessionError);
    return;
  }
  if (!data.allowed) {
    status.textContent = t("people.accounts.notAllowed");
    return;
  }
  if (data.error) {
    replaceChildren(root, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("people.audit.loadFailed")} ${problemText(data.error)}`)));
    return;
  }
  renderPage();
}

startPage({ current: "audit", titleKey: "people.audit.title", load, render });
