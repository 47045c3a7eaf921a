// "Glömt lösenordet": asks for a reset link by e-mail. The API answers the same whether or not the
// address has an account, so the page says the same too: a link is on its way if there is an account.
import { startPage } from "../app.js";
import { api, ApiError } from "../api.js";
import { problemText } from "../booking-ui.js";
import { replaceChildren } from "../dom.js";
import { t } from "../i18n.js";

const form = document.getElementById("forgot-form");
const email = document.getElementById("email");
const submit = document.getElementById("forgot-submit");
const alertRegion = document.getElementById("forgot-alert");
const sent = document.getElementById("sent-notice");

const view = { emailError: null, alert: null, submitting: false, sent: false };

function refusal(error) {
  if (error instanceof ApiError && error.status === 429) {
    const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
    return { key: "people.forgot.rateLimited", params: { count: minutes } };
  }
  if (error instanceof ApiError && error.status === 422) return { field: "people.forgot.emailInvalid" };
  return { text: problemText(error) };
}

function render() {
  document.getElementById("email-error").textContent = view.emailError ? t(view.emailError) : "";
  if (view.emailError) email.setAttribute("aria-invalid", "true");
  else email.removeAttribute("aria-invalid");
  const alert = view.alert;
  replaceChildren(alertRegion, alert ? (alert.text ?? t(alert.key, alert.params)) : "");
  submit.textContent = t(view.submitting ? "people.forgot.submitting" : "people.forgot.submit");
  if (view.submitting) submit.setAttribute("aria-disabled", "true");
  else submit.removeAttribute("aria-disabled");
  form.hidden = view.sent;
  sent.hidden = !view.sent;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (view.submitting) return;
  view.alert = null;
  view.emailError = !email.value.trim() ? "people.forgot.emailMissing"
    : email.validity.typeMismatch ? "people.forgot.emailInvalid" : null;
  if (view.emailError) {
    render();
    email.focus();
    return;
  }
  view.submitting = true;
  render(); // empties the alert, so a repeated message is announced again
  try {
    await api("/api/auth/password-reset", { method: "POST", body: { email: email.value.trim() } });
    view.sent = true;
  } catch (error) {
    const refused = refusal(error);
    if (refused.field) view.emailError = refused.field;
    else view.alert = refused;
  }
  view.submitting = false;
  render();
  if (view.emailError) email.focus();
});

startPage({ current: "login", titleKey: "people.forgot.title", render });
