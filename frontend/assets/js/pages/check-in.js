// "Checka in" (premises staff, or the school's host): the booking's QR code scanned at the door.
// A phone's camera opens the code's link (/c/<code>, which comes here with ?code=); a scanner that
// types what it reads fills the field. Checking in is one press, so nobody is checked in by
// merely opening a link.
import { startPage } from "../app.js";
import { api } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { formatDate, formatTimeRange, t } from "../i18n.js";
import { canDecide, loginUrl } from "../session.js";
import { loadPlaces, placeLink, problemText } from "../booking-ui.js";
import { apiErrors, focusFirstError, newErrors, addError, paintErrors } from "../forms.js";

const $ = (id) => document.getElementById(id);
const form = $("check-in-form");
const alert = $("check-in-alert");
const result = $("check-in-result");
const code = $("check-in-code");
const status = $("check-in-status");
const state = { allowed: false, redirecting: false, busy: false, errors: null, booking: null, place: null };

async function load(page) {
  if (!page.session) {
    if (page.sessionError) return;
    state.redirecting = true;
    window.location.replace(loginUrl(window.location.pathname + window.location.search));
    return;
  }
  state.allowed = canDecide(page.session);
  code.value = new URLSearchParams(window.location.search).get("code") ?? "";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (state.busy) return;
  const text = code.value.trim();
  if (!text) {
    state.errors = newErrors();
    addError(state.errors, "check-in-code", t("checkIn.codeMissing"));
    paintErrors(form, alert, state.errors);
    focusFirstError(state.errors, alert);
    return;
  }
  state.busy = true;
  state.errors = null;
  paintErrors(form, alert, null);
  try {
    state.booking = await api("/api/check-ins", { method: "POST", body: { code: text } });
    state.place = (await loadPlaces([state.booking.space_id])).get(state.booking.space_id) ?? null;
    code.value = "";
  } catch (error) {
    state.booking = null;
    state.errors = apiErrors(error, (name) => (name === "code" ? "check-in-code" : null));
  }
  state.busy = false;
  renderAll();
  if (state.errors) focusFirstError(state.errors, alert);
  else result.focus();
});

function renderResult() {
  const booking = state.booking;
  if (!booking) {
    replaceChildren(result);
    result.className = "request-result";
    return;
  }
  result.className = "request-result notice notice-success";
  replaceChildren(result,
    h("h2", {}, t("checkIn.done")),
    h("p", {}, `${booking.title}, ${formatDate(booking.local_date)} ${formatTimeRange(booking.local_start, booking.local_end)}`),
    h("p", {}, placeLink(state.place, booking.space_id)),
    h("p", {}, t("checkIn.next")));
}

function renderAll() {
  renderResult();
  paintErrors(form, alert, state.errors);
  $("check-in-submit").textContent = t(state.busy ? "checkIn.sending" : "checkIn.submit");
}

function render(page) {
  if (page.loading || state.redirecting) return;
  if (!page.session) {
    status.textContent = problemText(page.sessionError);
    return;
  }
  if (!state.allowed) {
    status.textContent = t("siteCalendar.notAllowed");
    return;
  }
  form.hidden = false;
  renderAll();
}

startPage({ current: "checkIn", titleKey: "checkIn.title", load, render });
