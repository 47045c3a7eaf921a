// "Områden" (administrators): the municipality's areas with their population aged 0-17 (the follow-up
// compares areas by it): list, add, change and remove, through /api/areas. Below, the postcode table
// (which area each postcode lies in: a child's home area) read-only, with a link to import it.
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, formatNumber, t } from "../i18n.js";
import { addError, apiErrors, field, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";
import { problemText } from "../booking-ui.js";
import { gate, gateMessage, municipalityOf, showStatus, statusRegion } from "../setup-ui.js";

const FIELDS = { name: "area-name", population_0_17: "area-population" };
const root = document.getElementById("areas-page");
const data = { access: null, slug: "", areas: [], postcodes: [], error: null, editing: null, busy: false, status: "" };

async function fetchAreas() {
  const areas = await fetchAll("/api/areas", { municipality: data.slug });
  const byName = collator();
  data.areas = areas.sort((a, b) => byName.compare(a.name, b.name));
  data.postcodes = (await api("/api/postcode-areas")).items; // names follow a renamed area; a removed one's go
}

async function load(state) {
  data.access = gate(state, "/areas.html");
  if (data.access !== "admin") {
    data.error = state.sessionError;
    return;
  }
  try {
    data.slug = (await api(`/api/municipalities/${encodeURIComponent(municipalityOf(state))}`)).slug;
    await fetchAreas();
  } catch (error) {
    data.error = error;
    data.access = "error";
  }
}

function postcodeSection() {
  const rows = data.postcodes;
  return h("section", { class: "section", "aria-labelledby": "postcodes-heading", id: "postcodes" },
    h("h2", { id: "postcodes-heading" }, t("homeArea.postcodesHeading")),
    h("p", {}, t("homeArea.postcodesIntro"), rows.length ? null : ` ${t("homeArea.postcodesNone")}`),
    rows.length ? h("div", { class: "table-wrap", role: "region", "aria-labelledby": "postcodes-caption", tabindex: "0" },
      h("table", { class: "data-table", id: "postcodes-table" },
        h("caption", { id: "postcodes-caption" }, t("homeArea.postcodesCount", { count: rows.length })),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("homeArea.postcodeColumn")),
          h("th", { scope: "col" }, t("homeArea.areaColumn")))),
        h("tbody", {}, rows.map((r) => h("tr", {}, h("td", {}, r.postcode), h("td", {}, r.area_name)))))) : null,
    h("p", {}, h("a", { href: "/import.html?kind=postcode_areas" }, t("homeArea.postcodesImport"))));
}

function readForm() {
  const errors = newErrors();
  const name = document.getElementById("area-name").value.trim();
  const raw = document.getElementById("area-population").value.trim().replace(/\s/g, "");
  if (!name) addError(errors, "area-name", t("setup.areas.nameMissing"));
  let population = null;
  if (raw) {
    if (/^\d{1,8}$/.test(raw)) population = Number(raw);
    else addError(errors, "area-population", t("setup.areas.populationInvalid"));
  }
  return { errors, body: { name, population_0_17: population } };
}

async function submit(event) {
  event.preventDefault();
  if (data.busy) return;
  const form = event.currentTarget;
  const alert = document.getElementById("area-alert");
  const { errors, body } = readForm();
  if (hasErrors(errors)) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  data.busy = true;
  paintErrors(form, alert, null);
  try {
    const editing = data.editing;
    const saved = editing
      ? await api(`/api/areas/${encodeURIComponent(editing.id)}`, { method: "PATCH", body })
      : await api("/api/areas", { method: "POST", body, idempotencyKey: crypto.randomUUID() });
    await fetchAreas();
    data.editing = null;
    data.busy = false;
    data.status = t(editing ? "setup.areas.updated" : "setup.areas.created", { name: saved.name });
    draw();
    document.getElementById("area-name")?.focus();
  } catch (error) {
    data.busy = false;
    const found = apiErrors(error, (name) => FIELDS[name] ?? null);
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

async function remove(area) {
  const alert = document.getElementById("area-alert");
  try {
    await api(`/api/areas/${encodeURIComponent(area.id)}`, { method: "DELETE" });
    await fetchAreas();
    if (data.editing?.id === area.id) data.editing = null;
    data.status = t("setup.areas.removed", { name: area.name });
    draw();
    document.getElementById("area-name")?.focus();
  } catch (error) {
    const found = newErrors();
    found.loose.push(error instanceof ApiError && error.status === 409 ? t("setup.areas.inUse", { name: area.name })
      : problemText(error));
    paintErrors(document.getElementById("area-form"), alert, found, "setup.areas.notRemoved");
    focusFirstError(found, alert);
  }
}

function areaRow(area) {
  const edit = h("button", { type: "button", class: "button button-quiet button-small",
    "aria-label": t("setup.areas.editing", { name: area.name }) }, t("setup.areas.edit"));
  edit.addEventListener("click", () => {
    data.editing = area;
    data.status = "";
    draw();
    document.getElementById("area-name")?.focus();
  });
  const drop = h("button", { type: "button", class: "button button-danger button-small",
    "aria-label": t("setup.areas.removeLabel", { name: area.name }) }, t("setup.areas.remove"));
  drop.addEventListener("click", () => remove(area));
  return h("tr", {},
    h("th", { scope: "row" }, area.name),
    h("td", { class: "number" }, area.population_0_17 === null ? t("setup.areas.unknown")
      : formatNumber(area.population_0_17)),
    h("td", {}, h("div", { class: "setup-actions" }, edit, drop)));
}

function areaForm() {
  const editing = data.editing;
  const form = h("form", { class: "form setup-editor", id: "area-form", novalidate: true,
    "aria-labelledby": "area-form-title" },
    h("h2", { id: "area-form-title" }, editing ? t("setup.areas.editing", { name: editing.name }) : t("setup.areas.formTitle")),
    h("div", { class: "alert alert-error", role: "alert", id: "area-alert" }),
    field({ id: "area-name", label: t("setup.areas.name"),
      control: h("input", { type: "text", id: "area-name", value: editing?.name ?? "", required: true }) }),
    field({ id: "area-population", label: t("setup.areas.population"), hint: t("setup.areas.populationHint"),
      control: h("input", { type: "text", inputmode: "numeric", id: "area-population", autocomplete: "off",
        value: editing?.population_0_17 ?? "" }) }),
    h("div", { class: "setup-actions" },
      h("button", { type: "submit", class: "button" }, editing ? t("setup.areas.save") : t("setup.areas.create")),
      editing ? cancelButton() : null));
  form.addEventListener("submit", submit);
  return form;
}

function cancelButton() {
  const cancel = h("button", { type: "button", class: "button button-quiet" }, t("setup.areas.cancel"));
  cancel.addEventListener("click", () => {
    data.editing = null;
    draw();
    document.getElementById("area-name")?.focus();
  });
  return cancel;
}

function draw() {
  const table = data.areas.length
    ? h("div", { class: "table-wrap" }, h("table", { class: "data-table", id: "areas-table" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("setup.areas.name")),
        h("th", { scope: "col", class: "number" }, t("setup.areas.population")),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("setup.areas.edit"))))),
      h("tbody", {}, data.areas.map(areaRow))))
    : h("p", { class: "empty" }, t("setup.areas.none"));
  replaceChildren(root, statusRegion("areas-status"), table, areaForm(), postcodeSection());
  if (data.status) setTimeout(() => showStatus("areas-status", data.status), 50); // announced once in the page
}

function render(state) {
  if (state.loading) return;
  if (data.access !== "admin") {
    replaceChildren(root, gateMessage(data.access, data.error));
    return;
  }
  draw();
}

startPage({ current: "areas", titleKey: "setup.areas.title", load, render });
