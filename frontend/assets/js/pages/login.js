// Sign-in: checks the fields, posts to /api/auth/login, and goes on to ?next= (same site only)
// or home. Errors are shown in a role="alert" region and next to the fields they concern.
// Municipalities whose staff sign in with their own identity provider (OpenID Connect) get a button
// each ("Logga in med kommunens konto"); a refused sign-in comes back here with ?oidc_error=<reason>.
import { startPage } from "../app.js";
import { api, ApiError, NetworkError } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n.js";
import { safeNext } from "../session.js";

const form = document.getElementById("login-form");
const email = document.getElementById("email");
const password = document.getElementById("password");
const submit = document.getElementById("login-submit");
const alertRegion = document.getElementById("login-alert");
const query = new URLSearchParams(window.location.search);
const next = safeNext(query.get("next"));
const REFUSALS = ["not-enabled", "provider", "state", "unverified", "no-role", "no-account", "no-email",
  "email-taken", "deactivated", "other-municipality"];
const refusal = REFUSALS.includes(query.get("oidc_error")) ? query.get("oidc_error") : null;

const view = {
  fieldErrors: { email: null, password: null }, // catalogue keys
  alert: refusal ? { key: `signIn.refused.${refusal}` } : null, // {key, params} or null
  submitting: false,
  providers: [], // municipalities offering sign-in with their own identity provider
};

async function loadProviders() {
  try {
    view.providers = (await api("/api/auth/oidc/providers")).items;
  } catch {
    view.providers = []; // the password form still works
  }
}

function renderProviders() {
  const section = document.getElementById("oidc-section");
  const list = document.getElementById("oidc-providers");
  const many = view.providers.length > 1;
  replaceChildren(list, view.providers.map((p) => {
    const href = next ? `${p.start_url}?return_to=${encodeURIComponent(next)}` : p.start_url;
    return h("li", {}, h("a", { class: "button", href }, many ? t("signIn.buttonFor", { name: p.name }) : t("signIn.button")));
  }));
  section.hidden = view.providers.length === 0;
}

function problemMessage(error) {
  if (error instanceof NetworkError) return { key: "errors.network" };
  if (!(error instanceof ApiError)) return { key: "errors.unexpected", params: { detail: String(error) } };
  if (error.status === 401) return { key: "login.wrongCredentials" };
  if (error.status === 429) {
    const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
    return { key: "login.rateLimited", params: { count: minutes } };
  }
  if (error.status >= 500) return { key: "errors.server" };
  // Anything else: the problem's own words are the best explanation there is.
  return { key: "errors.unexpected", params: { detail: error.problem.detail || error.problem.title || error.status } };
}

function checkFields() {
  const errors = { email: null, password: null };
  if (!email.value.trim()) errors.email = "login.emailMissing";
  else if (email.validity.typeMismatch) errors.email = "login.emailInvalid";
  if (!password.value) errors.password = "login.passwordMissing";
  return errors;
}

function renderForm() {
  for (const [name, input] of [["email", email], ["password", password]]) {
    const key = view.fieldErrors[name];
    document.getElementById(`${name}-error`).textContent = key ? t(key) : "";
    if (key) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  replaceChildren(alertRegion, view.alert ? t(view.alert.key, view.alert.params) : "");
  submit.textContent = t(view.submitting ? "login.submitting" : "login.submit");
  if (view.submitting) submit.setAttribute("aria-disabled", "true");
  else submit.removeAttribute("aria-disabled");
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (view.submitting) return;
  view.fieldErrors = checkFields();
  view.alert = null;
  const firstInvalid = ["email", "password"].find((name) => view.fieldErrors[name]);
  if (firstInvalid) {
    renderForm();
    document.getElementById(firstInvalid).focus();
    return;
  }
  view.submitting = true;
  renderForm(); // empties the alert, so a repeated message is announced again
  try {
    const me = await api("/api/auth/login", { method: "POST", body: { email: email.value.trim(), password: password.value } });
    // Without ?next=, the page the server names (the set-up checklist for an administrator whose
    // municipality is not set up yet, as after a sign-in with the municipality's identity provider).
    window.location.assign(next ?? me.landing ?? "/");
    return;
  } catch (error) {
    view.alert = problemMessage(error);
  }
  view.submitting = false;
  renderForm();
});

startPage({
  current: "login",
  titleKey: "login.title",
  load: loadProviders,
  render(state) {
    const notice = document.getElementById("signed-in-notice");
    if (state.session) {
      document.getElementById("signed-in-text").textContent =
        t("login.alreadySignedIn", { name: state.session.account.display_name });
      document.getElementById("signed-in-continue").href = next ?? "/account.html";
      notice.hidden = false;
      form.hidden = true;
    } else {
      notice.hidden = true;
      form.hidden = false;
    }
    if (state.session) document.getElementById("oidc-section").hidden = true;
    else renderProviders();
    renderForm();
  },
});
