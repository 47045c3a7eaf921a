// "Skapa konto": a person creates their own account (POST /api/auth/register: municipality, name,
// e-mail, password, the language of the e-mail the service sends), is then signed in with the same
// address and password (POST /api/auth/login) and goes on to "Mitt konto", where "Registrera din
// förening" leads on. The API never tells whether the address already had an account (its owner is
// told by e-mail instead): then the sign-in that follows fails, and the page says what to do.
// The page's own checks and the API's errors[].field land at their fields, with a linked summary.
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { collator, locale, t } from "../i18n.js";
import { problemText } from "../booking-ui.js";
import { addError, focusFirstError, hasErrors, newErrors, paintErrors } from "../forms.js";

const MIN_PASSWORD = 10; // booking.domain.people.passwords.MIN_PASSWORD
const $ = (id) => document.getElementById(id);
const form = $("register-form");
const alertRegion = $("register-alert");
const submit = $("register-submit");
const municipality = $("reg-municipality");
const name = $("reg-name");
const email = $("reg-email");
const password = $("reg-password");
const language = $("reg-locale");

const CONTROLS = { municipality: "reg-municipality", display_name: "reg-name", email: "reg-email",
  password: "reg-password", locale: "reg-locale" };
// What each field's refusal says, by the API's code; "default" for any other code.
const FIELD_TEXTS = {
  municipality: { default: "register.errors.municipality" },
  display_name: { "too-long": "register.errors.nameLong", default: "register.errors.name" },
  email: { default: "register.errors.email" },
  password: { "too-long": "register.errors.passwordLong", default: "register.errors.passwordShort" },
  locale: { default: "register.errors.locale" },
};

const view = { municipalities: [], loadError: null, errors: null, submitting: false, localeTouched: false,
  notSignedIn: false };

async function load(state) {
  if (state.session) return;
  try {
    view.municipalities = (await fetchAll("/api/municipalities")).sort((a, b) => collator().compare(a.name, b.name));
  } catch (error) {
    view.loadError = error;
  }
}

function drawMunicipalities() {
  const chosen = municipality.value;
  replaceChildren(municipality,
    view.municipalities.length === 1 ? null : h("option", { value: "" }, t("register.chooseMunicipality")),
    view.municipalities.map((m) => h("option", { value: m.slug }, m.name)));
  municipality.value = view.municipalities.some((m) => m.slug === chosen) ? chosen
    : view.municipalities.length === 1 ? view.municipalities[0].slug : "";
}

// Errors are kept as catalogue keys ({key, params}; a refusal with no field as {error}, the API's own
// words of one as {text}) and put in words when drawn, so a language switch translates them too.
const words = (item) => item.text ?? (item.error ? problemText(item.error) : t(item.key, item.params));

function inWords(errors) {
  if (!errors) return null;
  const drawn = newErrors();
  for (const [id, items] of errors.fields) for (const item of items) addError(drawn, id, words(item));
  drawn.loose = errors.loose.map(words);
  return drawn;
}

/** The page's own checks before sending: what is missing or cannot be right. */
function checked() {
  const errors = newErrors();
  const add = (id, key) => addError(errors, id, { key });
  if (!municipality.value) add("reg-municipality", "register.errors.municipality");
  if (!name.value.trim()) add("reg-name", "register.errors.name");
  if (!email.value.trim()) add("reg-email", "register.errors.emailMissing");
  else if (email.validity.typeMismatch) add("reg-email", "register.errors.email");
  if (!password.value) add("reg-password", "register.errors.passwordMissing");
  else if ([...password.value].length < MIN_PASSWORD) add("reg-password", "register.errors.passwordShort");
  return errors;
}

/** The API's refusal: each errors[] item at its field, in the reader's language; the rest in the summary. */
function refusal(error) {
  const errors = newErrors();
  if (error instanceof ApiError && error.status === 429) {
    const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
    errors.loose.push({ key: "register.rateLimited", params: { count: minutes } });
    return errors;
  }
  const items = error instanceof ApiError && Array.isArray(error.problem?.errors) ? error.problem.errors : [];
  for (const item of items) {
    const texts = FIELD_TEXTS[item.field];
    if (texts) addError(errors, CONTROLS[item.field], { key: texts[item.code] ?? texts.default });
    else errors.loose.push(item.message ? { text: item.message } : { error });
  }
  if (!hasErrors(errors)) errors.loose.push({ error });
  return errors;
}

function render(state) {
  const signedIn = Boolean(state.session);
  $("register-signed-in").hidden = !signedIn;
  if (signedIn) {
    $("register-signed-in-text").textContent = t("register.alreadySignedIn", { name: state.session.account.display_name });
  }
  $("register-not-signed-in").hidden = signedIn || !view.notSignedIn;
  form.hidden = signedIn || view.notSignedIn;
  if (signedIn) return;
  drawMunicipalities();
  if (!view.localeTouched) language.value = locale();
  const errors = view.errors ?? (view.loadError ? { fields: new Map(), loose: [{ error: view.loadError }] } : null);
  paintErrors(form, alertRegion, inWords(errors));
  submit.textContent = t(view.submitting ? "register.submitting" : "register.submit");
  if (view.submitting) submit.setAttribute("aria-disabled", "true");
  else submit.removeAttribute("aria-disabled");
}

let lastState = { session: null };
const redraw = () => render(lastState);

language.addEventListener("change", () => { view.localeTouched = true; });

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (view.submitting) return;
  const errors = checked();
  if (hasErrors(errors)) {
    view.errors = errors;
    redraw();
    focusFirstError(errors, alertRegion);
    return;
  }
  view.errors = null;
  view.submitting = true;
  redraw(); // empties the summary, so a repeated message is announced again
  const address = email.value.trim();
  try {
    await api("/api/auth/register", { method: "POST", body: { municipality: municipality.value,
      display_name: name.value.trim(), email: address, password: password.value, locale: language.value } });
  } catch (error) {
    view.submitting = false;
    view.errors = refusal(error);
    redraw();
    focusFirstError(view.errors, alertRegion);
    return;
  }
  try {
    await api("/api/auth/login", { method: "POST", body: { email: address, password: password.value } });
    window.location.assign("/account.html");
    return;
  } catch {
    // The address had an account already (its owner got an e-mail), or the sign-in is held back.
    view.notSignedIn = true;
  }
  view.submitting = false;
  redraw();
  $("register-not-signed-in").focus();
});

startPage({
  current: "login",
  titleKey: "register.title",
  load,
  render(state) {
    lastState = state;
    render(state);
  },
});
