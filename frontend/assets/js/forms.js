// Forms of the premises and settings pages: errors at their fields and an error summary above the form
// (as GOV.UK's and Designsystemet's): a role="alert" box that can take focus, listing each field's error as
// a link to its field and the errors that belong to no field as text. A control `#x` shows its messages in
// `#x-error` (which the control names in its aria-describedby); the API's `errors[].field` is mapped to a
// control by the page. After a refused send the first field in error takes focus (the alert is announced),
// or the summary itself when no field is at fault.
import { ApiError } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { t } from "./i18n.js";
import { problemText, ruleText } from "./booking-ui.js";

/** A fresh error collection: control id -> [text], plus texts that belong to no field. */
export function newErrors() {
  return { fields: new Map(), loose: [] };
}

export function addError(errors, controlId, text) {
  if (!errors.fields.has(controlId)) errors.fields.set(controlId, []);
  errors.fields.get(controlId).push(text);
}

export function hasErrors(errors) {
  return errors.fields.size > 0 || errors.loose.length > 0;
}

/**
 * The API's refusal as errors: each `errors[].field` through `controlOf(field)` (a control id or
 * null); whatever has no control goes to the summary. `textOf(item)` says an item in the reader's
 * language (by default the rule texts of booking-ui.js, else the API's words); `otherwise(error)` says a
 * refusal without field errors in the summary (by default in the problem's words; null: nothing).
 */
export function apiErrors(error, controlOf, textOf = ruleText, otherwise = problemText) {
  const errors = newErrors();
  const items = error instanceof ApiError && Array.isArray(error.problem.errors) ? error.problem.errors : [];
  for (const item of items) {
    const id = controlOf(item.field ?? "");
    const text = textOf(item);
    if (id && document.getElementById(id)) addError(errors, id, text);
    else errors.loose.push(text);
  }
  const whole = items.length ? null : otherwise(error);
  if (whole !== null) errors.loose.push(whole);
  return errors;
}

/** Draw `errors` into `form` (field messages, aria-invalid) and its `alert` (a linked summary). */
export function paintErrors(form, alert, errors, introKey = "forms.fix") {
  for (const message of form.querySelectorAll(".field-error")) {
    const id = message.id.replace(/-error$/, "");
    const texts = errors?.fields.get(id) ?? [];
    replaceChildren(message, texts.map((text, i) => [i ? h("br") : null, text]));
    const control = document.getElementById(id);
    if (!control) continue;
    if (texts.length) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
  alert.setAttribute("tabindex", "-1"); // focusable, for focusFirstError when no field is at fault
  if (!errors || !hasErrors(errors)) {
    replaceChildren(alert);
    return;
  }
  const links = [...errors.fields].flatMap(([id, texts]) => texts.map((text) => {
    const link = h("a", { href: `#${id}` }, text);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      document.getElementById(id)?.focus();
    });
    return h("li", {}, link);
  }));
  replaceChildren(alert,
    h("p", {}, t(introKey)),
    h("ul", { class: "error-summary" }, links, errors.loose.map((text) => h("li", {}, text))));
}

/** Focus the first control with an error, else the summary (so that its text is read). */
export function focusFirstError(errors, alert) {
  const first = errors.fields.keys().next();
  const control = first.done ? null : document.getElementById(first.value);
  if (control) control.focus();
  else {
    alert.setAttribute("tabindex", "-1");
    alert.focus();
  }
}

/** A labelled control with its hint and error places: {id, label, hint?, control}. */
export function field({ id, label, hint, control, className = "field" }) {
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  return h("div", { class: className },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("p", { class: "field-error", id: `${id}-error` }),
    control);
}

/** A CSV (or other) download of an API GET as a link; the browser saves it with the API's file name. */
export function downloadLink(path, params, text, extra = {}) {
  const query = new URLSearchParams(params);
  return h("a", { href: `${path}?${query}`, download: "", class: "button button-quiet", ...extra }, text);
}
