// "Välj lösenord": the page an invitation's or a reset's e-mail links to (?token=). Choosing the
// password signs nothing in; the page then leads to the sign-in. The token leaves the address bar at
// once (and the page sends no Referer), so it is not kept in the history or leaked to other sites.
import { startPage } from "../app.js";
import { api, ApiError } from "../api.js";
import { problemText } from "../booking-ui.js";
import { replaceChildren } from "../dom.js";
import { t } from "../i18n.js";

const MIN_PASSWORD = 10;
const TOKEN_TEXTS = {
  used: "people.setPassword.tokenUsed",
  expired: "people.setPassword.tokenExpired",
  inactive: "people.setPassword.tokenInactive",
  unknown: "people.setPassword.tokenUnknown",
};

const token = new URLSearchParams(window.location.search).get("token");
if (token) window.history.replaceState(null, "", window.location.pathname);

const form = document.getElementById("password-form");
const password = document.getElementById("password");
const repeat = document.getElementById("repeat");
const submit = document.getElementById("password-submit");
const alertRegion = document.getElementById("password-alert");
const askNew = document.getElementById("ask-new");
const done = document.getElementById("done-notice");

const view = {
  errors: { password: null, repeat: null }, // catalogue keys
  alert: token ? null : { key: "people.setPassword.missingToken" },
  linkBad: !token,
  submitting: false,
  done: false,
};

function checkFields() {
  const errors = { password: null, repeat: null };
  if (!password.value) errors.password = "people.setPassword.passwordMissing";
  else if ([...password.value].length < MIN_PASSWORD) errors.password = "people.setPassword.passwordShort";
  if (!errors.password && repeat.value !== password.value) errors.repeat = "people.setPassword.mismatch";
  return errors;
}

function refused(error) {
  const items = error instanceof ApiError && Array.isArray(error.problem?.errors) ? error.problem.errors : [];
  const tokenError = items.find((item) => item.field === "token");
  if (tokenError) {
    view.linkBad = true;
    view.alert = { key: TOKEN_TEXTS[tokenError.code] ?? TOKEN_TEXTS.unknown };
    return;
  }
  if (items.some((item) => item.field === "password")) {
    view.errors.password = "people.setPassword.passwordShort";
    return;
  }
  view.alert = { text: problemText(error) };
}

function render() {
  for (const [name, input] of [["password", password], ["repeat", repeat]]) {
    const key = view.errors[name];
    document.getElementById(`${name}-error`).textContent = key ? t(key) : "";
    if (key) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  const alert = view.alert;
  replaceChildren(alertRegion, alert ? (alert.text ?? t(alert.key)) : "");
  askNew.hidden = !view.linkBad;
  submit.textContent = t(view.submitting ? "people.setPassword.submitting" : "people.setPassword.submit");
  if (view.submitting || view.linkBad) submit.setAttribute("aria-disabled", "true");
  else submit.removeAttribute("aria-disabled");
  form.hidden = view.done;
  done.hidden = !view.done;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (view.submitting || view.linkBad) return;
  view.alert = null;
  view.errors = checkFields();
  const firstInvalid = ["password", "repeat"].find((name) => view.errors[name]);
  if (firstInvalid) {
    render();
    document.getElementById(firstInvalid).focus();
    return;
  }
  view.submitting = true;
  render();
  try {
    await api("/api/auth/password", { method: "POST", body: { token, password: password.value } });
    view.done = true;
  } catch (error) {
    refused(error);
  }
  view.submitting = false;
  render();
  if (view.done) document.getElementById("sign-in-link").focus();
  else if (view.errors.password) password.focus();
});

startPage({ current: "login", titleKey: "people.setPassword.title", render });
