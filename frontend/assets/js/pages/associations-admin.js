// "Föreningar" (premises staff, activities staff, administrators): the queue of associations awaiting
// review ("Väntar på granskning") with "Godkänn" for premises staff and administrators (the API's
// verifyAssociation), every association with search, and the form that registers or changes one
// (association-form.js). Activities staff change neither the organisationsnummer nor the tariff, and
// do not approve: the API refuses it, and the page does not offer it.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { hasRole } from "../session.js";
import { problemText } from "../booking-ui.js";
import { drawnInstead, signedIn } from "../page-state.js";
import { associationForm, bodyOf, byName, emptyValues, municipalityAreas, stateText, valuesOf }
  from "../association-form.js";

const $ = (id) => document.getElementById(id);
const status = $("associations-status");
const root = $("associations-page");
const LIST_SIZE = 50;

const data = { allowed: false, canVerify: false, redirecting: false, error: null, zone: undefined, areas: [],
  queue: [], list: { items: [], total: 0 }, q: "" };
const edit = { association: null, values: emptyValues() };
const busy = new Set(); // ids being approved

async function loadLists() {
  data.queue = (await fetchAll("/api/associations", { verified: "false" })).sort(byName);
  const query = new URLSearchParams({ limit: String(LIST_SIZE), offset: "0" });
  if (data.q) query.set("q", data.q);
  const page = await api(`/api/associations?${query}`);
  data.list = { items: [...page.items].sort(byName), total: page.total };
}

async function load(state) {
  if (!signedIn(state, data, "/associations-admin.html")) return;
  data.allowed = hasRole(state.session, "premises_staff", "activities_staff");
  data.canVerify = hasRole(state.session, "premises_staff");
  if (!data.allowed) return;
  try {
    Object.assign(data, await municipalityAreas(state.session));
    await loadLists();
  } catch (error) {
    data.error = error;
  }
}

function areaName(id) {
  return data.areas.find((a) => a.id === id)?.name ?? null;
}

function say(text) {
  status.textContent = text;
  status.focus();
}

async function setVerified(association, verified) {
  if (busy.has(association.id)) return;
  busy.add(association.id);
  renderPage();
  try {
    await api(`/api/associations/${encodeURIComponent(association.id)}/verification`, { method: "POST",
      body: { verified } });
    busy.delete(association.id);
    await loadLists();
    renderPage();
    say(t(verified ? "associations.admin.verified" : "associations.admin.unverified", { name: association.name }));
  } catch (error) {
    busy.delete(association.id);
    renderPage();
    say(problemText(error));
  }
}

function startEdit(association) {
  edit.association = association;
  edit.values = valuesOf(association);
  renderPage();
  $("form-heading")?.focus();
}

function stopEdit(focusId) {
  edit.association = null;
  edit.values = emptyValues();
  renderPage();
  if (focusId) $(focusId)?.focus();
}

async function submit(values) {
  const original = edit.association;
  if (!original) {
    const made = await api("/api/associations", { method: "POST", idempotencyKey: crypto.randomUUID?.(),
      body: bodyOf(values) });
    edit.values = emptyValues();
    await loadLists();
    renderPage();
    say(t("associations.admin.registered", { name: made.name }));
    return;
  }
  const body = bodyOf(values, valuesOf(original), { tariff: data.canVerify });
  const saved = Object.keys(body).length
    ? await api(`/api/associations/${encodeURIComponent(original.id)}`, { method: "PATCH", body }) : original;
  edit.association = null;
  edit.values = emptyValues();
  await loadLists();
  renderPage();
  const again = original.verified && !saved.verified;
  say(t(again ? "associations.admin.savedAgain" : "associations.admin.saved", { name: saved.name }));
}

function facts(association) {
  const area = association.area_id ? areaName(association.area_id) : null;
  const parts = [association.org_number, t(`associations.categories.${association.category}`), area,
    t(association.is_local ? "associations.local" : "associations.notLocal")].filter(Boolean);
  const contacts = association.contacts.length
    ? t("associations.admin.contactsCount", { count: association.contacts.length }) : null;
  return [parts.join(" · "), contacts ? [h("br"), contacts] : null];
}

function button(id, text, name, onClick, extra = {}) {
  const element = h("button", { type: "button", class: "button button-small", id, ...extra },
    text, h("span", { class: "visually-hidden" }, ` ${name}`));
  element.addEventListener("click", onClick);
  return element;
}

function editButton(association, prefix) {
  return button(`${prefix}-edit-${association.id}`, t("associations.admin.edit"), association.name,
    () => startEdit(association), { class: "button button-quiet button-small" });
}

function queueItem(association) {
  const working = busy.has(association.id);
  return h("li", { "data-association": association.id },
    h("span", { class: "item-text" }, h("strong", {}, association.name), h("br"), ...facts(association)),
    h("span", { class: "actions" },
      data.canVerify ? button(`verify-${association.id}`, t(working ? "associations.admin.verifying"
        : "associations.admin.verify"), association.name, () => setVerified(association, true),
      { "aria-disabled": working ? "true" : null }) : null,
      editButton(association, "queue")));
}

function listItem(association) {
  const state = stateText(association, data.zone);
  return h("li", { "data-association": association.id },
    h("span", { class: "item-text" }, h("strong", {}, association.name), " – ", state, h("br"), ...facts(association)),
    h("span", { class: "actions" },
      data.canVerify && association.verified ? button(`unverify-${association.id}`, t("associations.admin.unverify"),
        association.name, () => setVerified(association, false), { class: "button button-quiet button-small" })
        : null,
      editButton(association, "list")));
}

function searchForm() {
  const input = h("input", { id: "as-search", type: "search", name: "q", maxlength: "200", value: data.q });
  const form = h("form", { id: "as-search-form", class: "form search-form", role: "search" },
    h("div", { class: "field" }, h("label", { for: "as-search" }, t("associations.admin.search")), input),
    h("button", { type: "submit", class: "button" }, t("associations.admin.searchButton")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    data.q = input.value.trim();
    const editing = edit.association;
    try {
      await loadLists();
      renderPage();
      // The answer's count, unless the form was opened meanwhile (its heading keeps the focus).
      if (edit.association === editing) $("as-list-status")?.focus();
      else $("form-heading")?.focus();
    } catch (error) {
      say(problemText(error));
    }
  });
  return form;
}

function renderPage() {
  const editing = edit.association;
  const queueCount = data.queue.length ? t("associations.admin.queueCount", { count: data.queue.length })
    : t("associations.admin.queueEmpty");
  const listCount = data.list.total ? t("associations.admin.found", { count: data.list.total })
    : t("associations.admin.none");
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "queue-heading" },
      h("h2", { id: "queue-heading" }, t("associations.admin.queueHeading")),
      h("p", { id: "queue-status" }, queueCount),
      data.canVerify ? null : h("p", { class: "hint" }, t("associations.admin.verifyOnlyPremises")),
      h("ul", { class: "item-list", id: "queue-list" }, data.queue.map(queueItem))),
    h("section", { class: "section", "aria-labelledby": "list-heading" },
      h("h2", { id: "list-heading" }, t("associations.admin.listHeading")),
      searchForm(),
      h("p", { id: "as-list-status", class: "results-status", tabindex: "-1" }, listCount,
        data.list.total > data.list.items.length
          ? [" ", t("associations.admin.more", { shown: data.list.items.length, total: data.list.total })] : null),
      h("ul", { class: "item-list", id: "association-list" }, data.list.items.map(listItem))),
    h("section", { class: "section", "aria-labelledby": "form-heading" },
      h("h2", { id: "form-heading", tabindex: "-1" }, editing
        ? t("associations.admin.editHeading", { name: editing.name }) : t("associations.admin.registerHeading")),
      h("div", { id: "as-holder" })));
  associationForm($("as-holder"), edit.values, {
    areas: data.areas,
    orgLocked: Boolean(editing) && !data.canVerify,
    tariff: Boolean(editing) && data.canVerify,
    submitKey: editing ? "associations.form.save" : "associations.form.register",
    busyKey: editing ? "associations.form.saving" : "associations.form.registering",
    onSubmit: submit,
    onCancel: editing ? () => stopEdit(`list-edit-${editing.id}`) : null,
  });
}

function render(state) {
  const texts = { notAllowed: t("associations.admin.notAllowed"), loadFailed: t("associations.admin.loadFailed") };
  if (drawnInstead(state, data, { status, root, ...texts })) return;
  renderPage();
}

startPage({ current: "associationsAdmin", titleKey: "associations.admin.title", load, render });
