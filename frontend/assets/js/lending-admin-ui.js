// What the sections of "Fritidsbanken: inställningar" (lending-admin.html) share: the API's refusals said in
// the reader's language at their fields, small form controls, and the page's one status line.
import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { addError, apiErrors, field } from "./forms.js";
import { problemText, ruleText } from "./booking-ui.js";
import { showStatus } from "./setup-ui.js";

export const STATUS_ID = "lending-admin-status";

/** Announce a saved change in the page's status line. */
export function announce(text) {
  setTimeout(() => showStatus(STATUS_ID, text), 50); // after the redraw, so it is announced once
}

/** The rule an API field error breaks, in the reader's language (the API writes English). `sent` is the
 * body that was sent, so a size refused as `variants[2]` can be named. */
function messageOf(item, sent) {
  const name = item.field ?? "";
  const index = /^variants\[(\d+)\]$/.exec(name)?.[1];
  if (index !== undefined) {
    if (item.code === "duplicate") return t("lendingAdmin.errors.sizeTwice", { size: sent?.variants?.[index] ?? "" });
    if (item.code === "required") return t("lendingAdmin.errors.sizeEmpty");
    return t("lendingAdmin.errors.size");
  }
  switch (name) {
    case "name":
      return t("lendingAdmin.errors.name");
    case "description":
      return t("lendingAdmin.errors.description");
    case "variant":
      return t("lendingAdmin.errors.size");
    case "variants":
      return t("lendingAdmin.errors.sizesCount");
    case "min_age":
      return t("lendingAdmin.errors.age");
    case "max_age":
      return /below/.test(item.message ?? "") ? t("lendingAdmin.errors.agesReversed") : t("lendingAdmin.errors.age");
    case "loan_period_days":
      return t("lendingAdmin.errors.loanDays");
    case "photo_url":
      return t("lendingAdmin.errors.photo");
    case "category_id":
      return t("lendingAdmin.errors.category");
    case "parent_id":
      return t("lendingAdmin.errors.parent");
    case "weekdays":
      return t("lendingAdmin.errors.weekdays");
    case "opens":
    case "closes":
      if (item.code === "required") return t("lendingAdmin.errors.hoursBoth");
      return item.code === "order" ? t("lendingAdmin.errors.hoursOrder") : t("lendingAdmin.errors.time");
    default:
      return ruleText(item);
  }
}

/**
 * The API's refusal as errors at their controls: each `errors[].field` through `controlOf(field)` (a control
 * id or null); the rest, and a refusal without field errors (`otherwise(error)` or the problem's words), go
 * to the summary.
 */
export function refusal(error, controlOf, { sent, otherwise } = {}) {
  return apiErrors(error, controlOf, (item) => messageOf(item, sent), (e) => otherwise?.(e) ?? problemText(e));
}

/** Whether the API refused because something still refers to the object (409). */
export function inUse(error) {
  return error instanceof ApiError && error.status === 409;
}

export function textField(id, label, value, { hint, ...extra } = {}) {
  return field({ id, label, hint, control: h("input", { type: "text", id, value: value ?? "", autocomplete: "off",
    ...extra }) });
}

export function checkField(id, label, checked) {
  return h("div", { class: "field-check" },
    h("input", { type: "checkbox", id, checked: Boolean(checked) }), h("label", { for: id }, label));
}

/** A whole number typed into `id`, null when empty; anything else is an error at the field. */
export function wholeNumber(errors, id) {
  const raw = document.getElementById(id).value.trim().replace(/\s/g, "");
  if (!raw) return null;
  if (!/^\d{1,6}$/.test(raw)) {
    addError(errors, id, t("lendingAdmin.articles.wholeNumber"));
    return null;
  }
  return Number(raw);
}

/** A small button in a list row: `text` shown, `label` (which names the row's object) read; quiet, or red
 * for a removal. */
export function rowButton(text, label, onClick, { danger = false, ...extra } = {}) {
  const button = h("button", { type: "button", class: `button ${danger ? "button-danger" : "button-quiet"} button-small`,
    "aria-label": label, ...extra }, text);
  button.addEventListener("click", onClick);
  return button;
}

export function cancelButton(onCancel) {
  const cancel = h("button", { type: "button", class: "button button-quiet" }, t("lendingAdmin.cancel"));
  cancel.addEventListener("click", onCancel);
  return cancel;
}
