// The set-up pages' shared parts (checklist, municipality, areas, schools and spaces): who may use them
// (the municipality's administrators), the message for anyone else, and a status line for saved changes.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { hasRole, loginUrl } from "./session.js";
import { problemText } from "./booking-ui.js";

/** "admin", "redirecting" (to sign in), "forbidden" or "error" (the session could not be read). */
export function gate(state, path) {
  if (!state.session) {
    if (state.sessionError) return "error";
    window.location.replace(loginUrl(path));
    return "redirecting";
  }
  return hasRole(state.session, "admin") ? "admin" : "forbidden";
}

/** What the page shows instead of itself when the gate is not "admin" (null while redirecting). */
export function gateMessage(kind, error) {
  if (kind === "forbidden") return h("p", { class: "notice" }, t("setup.checklist.notAdmin"));
  if (kind === "error") return h("p", { class: "alert alert-error", role: "alert" }, problemText(error));
  return null;
}

/** The municipality the administrator works in. */
export function municipalityOf(state) {
  return state.session.account.municipality_id;
}

/** A polite status region for "saved" messages: always in the page (so it is announced), boxed only
 * while it says something. */
export function statusRegion(id, text = "") {
  return h("div", { class: text ? "notice notice-success" : null, role: "status", id }, text);
}

export function showStatus(id, text) {
  const region = document.getElementById(id);
  if (!region) return;
  region.classList.toggle("notice", Boolean(text));
  region.classList.toggle("notice-success", Boolean(text));
  region.textContent = text ?? "";
}
