// The association form of "Föreningar" (staff: register and edit) and "Min förening" (a representative
// registers their own): name, organisationsnummer (checked by the API, whose error shows at the field),
// kind, area, local or not, public name, the tariff (premises staff) and contact persons. The API's
// errors[].field and a conflict's field (a taken organisationsnummer) land at their controls, with a
// linked summary above the form (forms.js). Also what both pages show an association with: the
// municipality's areas and time zone, and the association's state ("Väntar på granskning").
import { api, ApiError, fetchAll } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { collator, formatDateTime, t } from "./i18n.js";
import { problemText, ruleText } from "./booking-ui.js";
import { addError, apiErrors, field, focusFirstError, hasErrors, newErrors, paintErrors } from "./forms.js";

export const CATEGORIES = ["youth", "adult", "pensioners", "disability", "study", "other"];
export const TARIFFS = ["free", "reduced", "standard", "commercial"];
const CONTACT_PARTS = ["name", "email", "phone", "role"];
const MAX_CONTACTS = 20;
const $ = (id) => document.getElementById(id);

export const byName = (a, b) => collator().compare(a.name, b.name);

/** The signed-in account's municipality: its time zone and its areas by name (the form's choice of area). */
export async function municipalityAreas(session) {
  const municipality = await api(`/api/municipalities/${encodeURIComponent(session.account.municipality_id)}`);
  const areas = (await fetchAll("/api/areas", { municipality: municipality.slug })).sort(byName);
  return { zone: municipality.timezone, areas };
}

/** "Godkänd <when>" in the municipality's `zone`, or "Väntar på granskning". */
export function stateText(association, zone) {
  return association.verified
    ? t("associations.verifiedOn", { date: formatDateTime(association.verified_at, zone) })
    : t("associations.waiting");
}

export function emptyValues() {
  return { name: "", org_number: "", category: "other", area_id: "", is_local: true, public_name: false,
    tariff_category: "", contacts: [] };
}

/** The form's values of a stored association (the API's view). */
export function valuesOf(association) {
  return {
    name: association.name, org_number: association.org_number, category: association.category,
    area_id: association.area_id ?? "", is_local: association.is_local, public_name: association.public_name,
    tariff_category: association.tariff_category ?? "",
    contacts: association.contacts.map((c) => ({ name: c.name, email: c.email ?? "", phone: c.phone ?? "",
      role: c.role ?? "" })),
  };
}

function contactBody(contact) {
  const body = { name: contact.name.trim() };
  for (const part of ["email", "phone", "role"]) if (contact[part].trim()) body[part] = contact[part].trim();
  return body;
}

/** The request body: every field for a new association; only what changed for an edit. */
export function bodyOf(values, original = null, { tariff = false } = {}) {
  const full = {
    name: values.name.trim(), org_number: values.org_number.trim(), category: values.category,
    area_id: values.area_id || null, is_local: values.is_local, public_name: values.public_name,
    contacts: values.contacts.map(contactBody),
  };
  if (tariff) full.tariff_category = values.tariff_category || null;
  if (!original) {
    delete full.tariff_category;
    if (!full.area_id) delete full.area_id;
    return full;
  }
  const before = bodyOf(original, null);
  before.area_id = original.area_id || null;
  before.tariff_category = original.tariff_category || null;
  return Object.fromEntries(Object.entries(full)
    .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])));
}

/** The control of an API field name, or null. */
export function controlOf(name) {
  const simple = { name: "as-name", org_number: "as-org", category: "as-category", area_id: "as-area",
    is_local: "as-local", public_name: "as-public", tariff_category: "as-tariff" };
  if (simple[name]) return simple[name];
  const contact = /^contacts\[(\d+)\]\.(\w+)/.exec(name);
  if (contact && CONTACT_PARTS.includes(contact[2])) return `as-contact-${contact[1]}-${contact[2]}`;
  return null;
}

/** An error item's text: the organisationsnummer's checks in the reader's language, else ruleText. */
function itemText(item) {
  if (item.field === "org_number" && ["checksum", "format"].includes(item.code)) {
    return t(`associations.form.org_${item.code}`);
  }
  return ruleText(item);
}

/** The API's refusal as errors at the controls (the summary keeps what has none); a conflict (a taken
 * organisationsnummer) at its field. */
export function errorsOf(error) {
  const problem = error instanceof ApiError ? error.problem ?? {} : {};
  const errors = apiErrors(error, controlOf, itemText, () => null);
  const conflicts = error.status === 409 && Array.isArray(problem.conflicts) ? problem.conflicts : [];
  for (const conflict of conflicts) {
    const id = controlOf(conflict.field ?? "");
    if (id && $(id)) addError(errors, id, conflict.field === "org_number" ? t("associations.form.orgTaken")
      : problemText(error));
  }
  if (!hasErrors(errors)) errors.loose.push(problemText(error));
  return errors;
}

/** The page's own checks before sending: what is missing. */
export function missing(values) {
  const errors = newErrors();
  if (!values.name.trim()) addError(errors, "as-name", t("associations.form.nameMissing"));
  if (!values.org_number.trim()) addError(errors, "as-org", t("associations.form.orgNumberMissing"));
  values.contacts.forEach((contact, i) => {
    if (!contact.name.trim()) addError(errors, `as-contact-${i}-name`, t("associations.form.contactNameMissing"));
  });
  return errors;
}

function bind(control, get, set) {
  if (control.type === "checkbox") {
    control.checked = get();
    control.addEventListener("change", () => set(control.checked));
  } else {
    control.value = get();
    control.addEventListener(control.tagName === "SELECT" ? "change" : "input", () => set(control.value));
  }
  return control;
}

function check(id, label, control, errorId = `${id}-error`) {
  control.setAttribute("aria-describedby", errorId);
  return h("div", { class: "check" }, control, h("label", { for: id }, label),
    h("p", { class: "field-error", id: errorId }));
}

function contactFieldset(form, i) {
  const contact = form.values.contacts[i];
  const number = i + 1;
  const input = (part, attrs) => field({ id: `as-contact-${i}-${part}`, label: t(`associations.form.contact${
    part[0].toUpperCase()}${part.slice(1)}`), control: bind(h("input", { id: `as-contact-${i}-${part}`, ...attrs }),
    () => contact[part], (v) => { contact[part] = v; }) });
  const remove = h("button", { type: "button", class: "button button-quiet button-small", id: `as-contact-${i}-remove` },
    t("associations.form.removeContact", { number }));
  remove.addEventListener("click", () => {
    form.values.contacts.splice(i, 1);
    draw(form);
    $(form.values.contacts.length ? "as-contact-0-name" : "as-add-contact")?.focus();
  });
  return h("fieldset", { class: "contact" },
    h("legend", {}, t("associations.form.contactLegend", { number })),
    input("name", { type: "text", maxlength: "200", autocomplete: "off" }),
    input("email", { type: "email", maxlength: "254", autocomplete: "off", spellcheck: "false" }),
    input("phone", { type: "tel", maxlength: "30", autocomplete: "off" }),
    input("role", { type: "text", maxlength: "200", autocomplete: "off" }),
    remove);
}

function draw(form) {
  const { values, options } = form;
  const v = values;
  const org = h("input", { id: "as-org", type: "text", inputmode: "numeric", autocomplete: "off",
    spellcheck: "false", maxlength: "20", "aria-disabled": options.orgLocked ? "true" : null,
    readonly: options.orgLocked ? "" : null });
  const add = h("button", { type: "button", class: "button button-quiet", id: "as-add-contact",
    hidden: v.contacts.length >= MAX_CONTACTS ? "" : null }, t("associations.form.addContact"));
  add.addEventListener("click", () => {
    v.contacts.push({ name: "", email: "", phone: "", role: "" });
    draw(form);
    $(`as-contact-${v.contacts.length - 1}-name`)?.focus();
  });
  const cancel = options.onCancel
    ? h("button", { type: "button", class: "button button-quiet", id: "as-cancel" }, t("associations.form.cancel"))
    : null;
  cancel?.addEventListener("click", options.onCancel);
  const element = h("form", { id: "as-form", class: "form form-wide association-form", novalidate: true },
    options.heading ? h("h3", { id: "as-heading", tabindex: "-1" }, options.heading) : null,
    h("div", { id: "as-alert", class: "alert alert-error", role: "alert" }),
    field({ id: "as-name", label: t("associations.form.name"), control: bind(h("input", {
      id: "as-name", type: "text", maxlength: "200", autocomplete: "organization" }), () => v.name,
    (x) => { v.name = x; }) }),
    field({ id: "as-org", label: t("associations.form.orgNumber"),
      hint: t(options.orgLocked ? "associations.form.orgNumberLocked" : "associations.form.orgNumberHint"),
      control: bind(org, () => v.org_number, (x) => { v.org_number = x; }) }),
    field({ id: "as-category", label: t("associations.form.category"), control: bind(h("select", { id: "as-category" },
      CATEGORIES.map((c) => h("option", { value: c }, t(`associations.categories.${c}`)))), () => v.category,
    (x) => { v.category = x; }) }),
    field({ id: "as-area", label: t("associations.form.area"), control: bind(h("select", { id: "as-area" },
      h("option", { value: "" }, t("associations.form.noArea")),
      options.areas.map((a) => h("option", { value: a.id }, a.name))), () => v.area_id, (x) => { v.area_id = x; }) }),
    check("as-local", t("associations.form.isLocal"), bind(h("input", { type: "checkbox", id: "as-local" }),
      () => v.is_local, (x) => { v.is_local = x; })),
    check("as-public", t("associations.form.publicName"), bind(h("input", { type: "checkbox", id: "as-public" }),
      () => v.public_name, (x) => { v.public_name = x; })),
    options.tariff ? field({ id: "as-tariff", label: t("associations.form.tariff"),
      hint: t("associations.form.tariffHint"), control: bind(h("select", { id: "as-tariff" },
        h("option", { value: "" }, t("associations.form.tariffDefault")),
        TARIFFS.map((c) => h("option", { value: c }, t(`fees.tariffs.${c}`)))), () => v.tariff_category,
      (x) => { v.tariff_category = x; }) }) : null,
    h("h3", {}, t("associations.form.contactsHeading")),
    v.contacts.map((_, i) => contactFieldset(form, i)),
    h("p", {}, add),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "button", id: "as-submit", "aria-disabled": form.busy ? "true" : null },
        t(form.busy ? options.busyKey : options.submitKey)),
      cancel));
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.busy) return;
    const errors = missing(v);
    if (hasErrors(errors)) {
      form.errors = errors;
      draw(form);
      focusFirstError(errors, $("as-alert"));
      return;
    }
    form.busy = true;
    form.errors = null;
    draw(form);
    try {
      await options.onSubmit(v);
      form.busy = false;
    } catch (error) {
      form.busy = false;
      form.errors = errorsOf(error);
      draw(form);
      focusFirstError(form.errors, $("as-alert"));
    }
  });
  replaceChildren(form.holder, element);
  paintErrors(element, $("as-alert"), form.errors);
}

/**
 * Draws the form into `holder`. options: { areas, heading?, orgLocked?, tariff?, submitKey, busyKey,
 * onSubmit(values) (throws the API's error to show it), onCancel? }. Returns { redraw() }.
 */
export function associationForm(holder, values, options) {
  const form = { holder, values, options, errors: null, busy: false };
  draw(form);
  return { redraw: () => draw(form) };
}
