// "Min förening": the associations a representative represents, each "Väntar på granskning" until
// premises staff approve it, and the form to register one (association-form.js). Anyone signed in may
// register an association and becomes its representative; staff are sent to "Föreningar" instead.
import { startPage } from "../app.js";
import { api, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { hasRole } from "../session.js";
import { drawnInstead, signedIn } from "../page-state.js";
import { associationForm, bodyOf, byName, emptyValues, municipalityAreas, stateText } from "../association-form.js";
import { drawProfiles, loadProfiles } from "../association-profile.js";

const $ = (id) => document.getElementById(id);
const status = $("association-status");
const root = $("association-page");
const data = { redirecting: false, staff: false, error: null, zone: undefined, areas: [], mine: [] };
let values = emptyValues();

async function load(state) {
  if (!signedIn(state, data, "/association.html")) return;
  data.staff = hasRole(state.session, "premises_staff", "activities_staff");
  try {
    Object.assign(data, await municipalityAreas(state.session));
    if (!data.staff) data.mine = (await fetchAll("/api/associations")).sort(byName);
    if (!data.staff) await loadProfiles(data.mine, data.areas);
  } catch (error) {
    data.error = error;
  }
}

function mineItem(association) {
  const state = stateText(association, data.zone);
  return h("li", { "data-association": association.id },
    h("span", { class: "item-text" },
      h("strong", {}, association.name), " – ", h("span", { class: "association-state" }, state), h("br"),
      association.org_number, h("br"),
      t(association.verified ? "associations.mine.verifiedHint" : "associations.mine.waitingHint")),
    association.verified ? h("a", { class: "button button-quiet button-small", href: "/sites.html" },
      t("associations.mine.book")) : null);
}

async function submit(form) {
  const made = await api("/api/associations", { method: "POST", idempotencyKey: crypto.randomUUID?.(),
    body: bodyOf(form) });
  values = emptyValues();
  data.mine = (await fetchAll("/api/associations")).sort(byName);
  renderPage();
  status.textContent = t("associations.mine.registered", { name: made.name });
  status.focus();
}

function renderPage() {
  replaceChildren(root,
    h("section", { class: "section", "aria-labelledby": "mine-heading" },
      h("h2", { id: "mine-heading" }, t("associations.mine.listHeading")),
      data.mine.length ? h("ul", { class: "item-list", id: "my-associations" }, data.mine.map(mineItem))
        : h("p", { id: "my-associations-none" }, t("associations.mine.none"))),
    h("div", { id: "profiles-holder" }),
    h("section", { class: "section", "aria-labelledby": "register-heading" },
      h("h2", { id: "register-heading" }, t("associations.mine.registerHeading")),
      h("div", { id: "as-holder" })));
  associationForm($("as-holder"), values, {
    areas: data.areas, submitKey: "associations.form.register", busyKey: "associations.form.registering",
    onSubmit: submit,
  });
  drawProfiles($("profiles-holder"), data.mine);
}

function render(state) {
  if (drawnInstead(state, data, { status, root, loadFailed: t("associations.mine.loadFailed") })) return;
  if (data.staff) {
    replaceChildren(root, h("p", {}, t("associations.mine.staffHint"), " ",
      h("a", { href: "/associations-admin.html" }, t("associations.mine.staffLink"))));
    return;
  }
  renderPage();
}

startPage({ current: "association", titleKey: "associations.mine.title", load, render });
