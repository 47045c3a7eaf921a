// "Inloggning" (administrators): sign-in with the municipality's own identity provider (OpenID Connect).
// GET/PUT /api/municipalities/{id}/sign-in: issuer, client, the write-only secret, scopes, the claim and
// its mapping of values to roles (a staff role optionally at one school), account creation, on/off.
// The API's field errors (mappings[2].role, ...) are shown at their fields with the error summary.
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { addError, apiErrors, field, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";
import { gate, gateMessage, municipalityOf, showStatus, statusRegion } from "../setup-ui.js";

const ROLES = ["admin", "premises_staff", "activities_staff", "lending_staff"];
const FIELDS = { issuer: "s-issuer", client_id: "s-client-id", client_secret: "s-secret", scopes: "s-scopes",
  claim: "s-claim", mappings: "s-add-mapping", create_accounts: "s-create", enabled: "s-enabled" };
const root = document.getElementById("sign-in-page");
const data = { access: null, settings: null, sites: [], rows: [], draft: null, error: null, busy: false };

// What the form holds: from the stored settings, then from the page whenever it is drawn again (a row
// added or removed, the language switched), so nothing typed is lost.
function draftOf(s) {
  return { issuer: s?.issuer ?? "", client_id: s?.client_id ?? "", client_secret: "",
    scopes: (s?.scopes ?? ["openid", "email", "profile"]).join(" "), claim: s?.claim ?? "groups",
    create_accounts: s?.create_accounts ?? false, enabled: s?.enabled ?? false };
}

function readDraft() {
  if (!document.getElementById("sign-in-form")) return;
  readRows();
  for (const [name, id] of Object.entries(FIELDS)) {
    const control = document.getElementById(id);
    if (!control || name === "mappings") continue;
    data.draft[name] = control.type === "checkbox" ? control.checked : control.value;
  }
}

async function load(state) {
  data.access = gate(state, "/sign-in-settings.html");
  if (data.access !== "admin") {
    data.error = state.sessionError;
    return;
  }
  const id = encodeURIComponent(municipalityOf(state));
  try {
    data.settings = await api(`/api/municipalities/${id}/sign-in`);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) {
      data.error = error;
      return;
    }
    data.settings = null; // not configured yet: an empty form
  }
  try {
    data.sites = (await fetchAll("/api/sites")).filter((site) => site.municipality_id === municipalityOf(state));
    data.municipalityId = municipalityOf(state);
  } catch (error) {
    data.error = error;
  }
  data.rows = (data.settings?.mappings ?? []).map((m) => ({ ...m }));
  data.draft = draftOf(data.settings);
}

function controlOf(name) {
  const mapping = /^mappings\[(\d+)\](?:\.(value|role|site_id))?$/.exec(name);
  if (mapping) return `map-${mapping[2] === "site_id" ? "site" : mapping[2] ?? "value"}-${mapping[1]}`;
  if (name.startsWith("scopes")) return FIELDS.scopes;
  return FIELDS[name] ?? null;
}

function readRows() {
  data.rows = data.rows.map((row, i) => (document.getElementById(`map-value-${i}`) ? {
    value: document.getElementById(`map-value-${i}`).value.trim(),
    role: document.getElementById(`map-role-${i}`).value,
    site_id: document.getElementById(`map-site-${i}`).value || null,
  } : row)); // a row just added is not drawn yet
}

async function save(event) {
  event.preventDefault();
  if (data.busy) return;
  const form = event.currentTarget;
  const alert = document.getElementById("sign-in-alert");
  readRows();
  const value = (id) => document.getElementById(id).value.trim();
  const errors = newErrors();
  for (const id of [FIELDS.issuer, FIELDS.client_id, FIELDS.scopes, FIELDS.claim]) {
    if (!value(id)) addError(errors, id, t("signIn.settings.required"));
  }
  data.rows.forEach((row, i) => { if (!row.value) addError(errors, `map-value-${i}`, t("signIn.settings.required")); });
  showStatus("sign-in-status", "");
  if (hasErrors(errors)) {
    paintErrors(form, alert, errors);
    focusFirstError(errors, alert);
    return;
  }
  const body = {
    issuer: value(FIELDS.issuer), client_id: value(FIELDS.client_id),
    scopes: value(FIELDS.scopes).split(/\s+/), claim: value(FIELDS.claim),
    mappings: data.rows.map((row) => ({ value: row.value, role: row.role, site_id: row.site_id })),
    create_accounts: document.getElementById(FIELDS.create_accounts).checked,
    enabled: document.getElementById(FIELDS.enabled).checked,
  };
  const secret = document.getElementById(FIELDS.client_secret).value;
  if (secret) body.client_secret = secret;
  data.busy = true;
  paintErrors(form, alert, null);
  try {
    data.settings = await api(`/api/municipalities/${encodeURIComponent(data.municipalityId)}/sign-in`,
      { method: "PUT", body });
    data.busy = false;
    data.rows = data.settings.mappings.map((m) => ({ ...m }));
    data.draft = draftOf(data.settings);
    redraw();
    showStatus("sign-in-status", t("signIn.settings.saved"));
  } catch (error) {
    data.busy = false;
    const found = apiErrors(error, controlOf);
    paintErrors(form, alert, found);
    focusFirstError(found, alert);
  }
}

function mappingRow(row, i) {
  const number = i + 1;
  const roleSelect = h("select", { id: `map-role-${i}` },
    ROLES.map((role) => h("option", { value: role, selected: row.role === role }, t(`signIn.settings.roles.${role}`))));
  const siteSelect = h("select", { id: `map-site-${i}` },
    h("option", { value: "" }, t("signIn.settings.everySite")),
    data.sites.map((site) => h("option", { value: site.id, selected: row.site_id === site.id }, site.name)));
  const remove = h("button", { type: "button", class: "button button-quiet" },
    t("signIn.settings.removeMapping", { number }));
  remove.addEventListener("click", () => {
    readDraft();
    data.rows.splice(i, 1);
    redraw();
    document.getElementById("s-add-mapping")?.focus();
  });
  return h("fieldset", { class: "mapping" },
    h("legend", {}, t("signIn.settings.mappingNumber", { number })),
    h("div", { class: "field-row" },
      field({ id: `map-value-${i}`, label: t("signIn.settings.value"),
        control: h("input", { type: "text", id: `map-value-${i}`, value: row.value ?? "", spellcheck: "false" }) }),
      field({ id: `map-role-${i}`, label: t("signIn.settings.role"), control: roleSelect }),
      field({ id: `map-site-${i}`, label: t("signIn.settings.site"), control: siteSelect })),
    remove);
}

/** The form drawn afresh from data alone (a row added or removed: the old rows' places no longer match). */
function redraw() {
  replaceChildren(root);
  render({});
}

function render(state) {
  if (state.loading) return;
  if (data.access !== "admin" || data.error) {
    replaceChildren(root, gateMessage(data.access === "admin" ? "error" : data.access, data.error));
    return;
  }
  readDraft();
  const s = data.settings;
  const d = data.draft;
  const redirect = s?.redirect_uri ?? `${window.location.origin}/api/auth/oidc/callback`;
  const check = (id, label, checked) => h("div", { class: "field-check" },
    h("input", { type: "checkbox", id, checked, "aria-describedby": `${id}-error` }),
    h("label", { for: id }, label), h("p", { class: "field-error", id: `${id}-error` }));
  const add = h("button", { type: "button", class: "button button-quiet", id: "s-add-mapping",
    "aria-describedby": "s-add-mapping-error" }, t("signIn.settings.addMapping"));
  add.addEventListener("click", () => {
    readDraft();
    data.rows.push({ value: "", role: "premises_staff", site_id: null });
    redraw();
    document.getElementById(`map-value-${data.rows.length - 1}`)?.focus();
  });
  const form = h("form", { class: "form", id: "sign-in-form", novalidate: true },
    h("div", { class: "alert alert-error", role: "alert", id: "sign-in-alert" }),
    h("div", { class: "field" }, h("p", { class: "hint" }, t("signIn.settings.redirect")),
      h("p", {}, h("code", { id: "s-redirect" }, redirect))),
    field({ id: FIELDS.issuer, label: t("signIn.settings.issuer"), hint: t("signIn.settings.issuerHint"),
      control: h("input", { type: "url", id: FIELDS.issuer, value: d.issuer, spellcheck: "false", required: true }) }),
    field({ id: FIELDS.client_id, label: t("signIn.settings.clientId"),
      control: h("input", { type: "text", id: FIELDS.client_id, value: d.client_id, spellcheck: "false",
        autocomplete: "off", required: true }) }),
    field({ id: FIELDS.client_secret, label: t("signIn.settings.clientSecret"),
      hint: t(s?.has_secret ? "signIn.settings.secretKept" : "signIn.settings.secretMissing"),
      control: h("input", { type: "password", id: FIELDS.client_secret, value: d.client_secret,
        autocomplete: "new-password" }) }),
    field({ id: FIELDS.scopes, label: t("signIn.settings.scopes"), hint: t("signIn.settings.scopesHint"),
      control: h("input", { type: "text", id: FIELDS.scopes, value: d.scopes,
        spellcheck: "false", required: true }) }),
    field({ id: FIELDS.claim, label: t("signIn.settings.claim"), hint: t("signIn.settings.claimHint"),
      control: h("input", { type: "text", id: FIELDS.claim, value: d.claim, spellcheck: "false", required: true }) }),
    h("section", { "aria-labelledby": "s-mappings-heading" },
      h("h2", { id: "s-mappings-heading" }, t("signIn.settings.mappings")),
      h("p", { class: "hint" }, t("signIn.settings.mappingsHint")),
      data.rows.length ? data.rows.map(mappingRow) : h("p", {}, t("signIn.settings.noMappings")),
      h("p", { class: "field-error", id: "s-add-mapping-error" }), add),
    check(FIELDS.create_accounts, t("signIn.settings.createAccounts"), d.create_accounts),
    check(FIELDS.enabled, t("signIn.settings.enabled"), d.enabled),
    h("button", { type: "submit", class: "button", id: "s-save" }, t("signIn.settings.save")));
  form.addEventListener("submit", save);
  replaceChildren(root, statusRegion("sign-in-status"), form);
}

startPage({ current: "signInSettings", titleKey: "signIn.settings.title", load, render });
