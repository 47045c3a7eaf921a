// "Kommunen" (administrators): the municipality's name, time zone and which holiday eves close like
// public holidays (PATCH /api/municipalities/{id}); the API's field errors are shown at their fields.
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { addError, apiErrors, field, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";
import { gate, gateMessage, municipalityOf, showStatus, statusRegion } from "../setup-ui.js";

const EVES = ["easter_eve", "midsummer_eve", "christmas_eve", "new_years_eve"];
const FIELDS = { name: "m-name", timezone: "m-timezone" };
const root = document.getElementById("municipality-page");
const data = { access: null, municipality: null, error: null, errors: null, busy: false, saved: "" };

async function load(state) {
  data.access = gate(state, "/municipality.html");
  if (data.access !== "admin") {
    data.error = state.sessionError;
    return;
  }
  try {
    data.municipality = await api(`/api/municipalities/${encodeURIComponent(municipalityOf(state))}`);
  } catch (error) {
    data.error = error;
  }
}

function controlOf(name) {
  if (name.startsWith("closed_eves")) return `eve-${EVES[0]}`;
  return FIELDS[name] ?? null;
}

async function save(event) {
  event.preventDefault();
  if (data.busy) return;
  const form = event.currentTarget;
  const alert = document.getElementById("municipality-alert");
  const name = document.getElementById("m-name").value.trim();
  const timezone = document.getElementById("m-timezone").value.trim();
  const errors = newErrors();
  if (!name) addError(errors, "m-name", t("setup.municipality.nameMissing"));
  if (!timezone) addError(errors, "m-timezone", t("setup.premises.required"));
  showStatus("municipality-status", "");
  if (hasErrors(errors)) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  const closed = EVES.filter((eve) => document.getElementById(`eve-${eve}`).checked);
  data.busy = true;
  paintErrors(form, alert, null);
  try {
    data.municipality = await api(`/api/municipalities/${encodeURIComponent(data.municipality.id)}`, {
      method: "PATCH", body: { name, timezone, closed_eves: closed } });
    data.busy = false;
    showStatus("municipality-status", t("setup.municipality.saved"));
  } catch (error) {
    data.busy = false;
    const found = apiErrors(error, controlOf);
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

function render(state) {
  if (state.loading) return;
  if (data.access !== "admin" || !data.municipality) {
    replaceChildren(root, gateMessage(data.access === "admin" ? "error" : data.access, data.error));
    return;
  }
  const m = data.municipality;
  const eves = h("fieldset", { class: "field", "aria-describedby": "eves-hint" },
    h("legend", {}, t("setup.municipality.eves")),
    h("p", { class: "hint", id: "eves-hint" }, t("setup.municipality.evesHint")),
    EVES.map((eve) => h("div", { class: "field-check" },
      h("input", { type: "checkbox", id: `eve-${eve}`, name: "closed_eves", value: eve,
        checked: m.closed_eves.includes(eve), "aria-describedby": eve === EVES[0] ? `eve-${eve}-error` : null }),
      h("label", { for: `eve-${eve}` }, t(`setup.municipality.eveNames.${eve}`)),
      eve === EVES[0] ? h("p", { class: "field-error", id: `eve-${eve}-error` }) : null)));
  const form = h("form", { class: "form", id: "municipality-form", novalidate: true },
    h("div", { class: "alert alert-error", role: "alert", id: "municipality-alert" }),
    field({ id: "m-name", label: t("setup.municipality.name"),
      control: h("input", { type: "text", id: "m-name", value: m.name, autocomplete: "organization", required: true }) }),
    field({ id: "m-timezone", label: t("setup.municipality.timezone"), hint: t("setup.municipality.timezoneHint"),
      control: h("input", { type: "text", id: "m-timezone", value: m.timezone, spellcheck: "false", required: true }) }),
    eves,
    h("button", { type: "submit", class: "button" }, t("setup.municipality.save")));
  form.addEventListener("submit", save);
  replaceChildren(root, statusRegion("municipality-status"), form);
}

startPage({ current: "municipality", titleKey: "setup.municipality.title", load, render });
