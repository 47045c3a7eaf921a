// Moving an occasion from "Mina bokningar": the dialog (new date and times, errors at their
// fields), and the line that says a move waits for the premises staff. A representative's move of
// an approved time goes to staff unless the space approves the association at once; until staff
// decide, the booked time stands, so the occasion keeps showing it, with the wanted time beside.
import { api, ApiError } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { formatDate, formatTimeRange, t } from "./i18n.js";
import { isIsoDate } from "./dates.js";
import { addError, apiErrors, focusFirstError, hasErrors, newErrors, paintErrors } from "./forms.js";
import { conflictTime, problemText } from "./booking-ui.js";

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const CONTROL_OF = { date: "move-date", start: "move-start", end: "move-end" };

/** "Flytt till lördag 13 februari 2027 10:00–11:30 väntar på beslut." under an occasion, or null. */
export function pendingChangeNote(booking, places) {
  const change = booking.pending_change;
  if (!change) return null;
  const values = { date: formatDate(change.local_date), time: formatTimeRange(change.local_start, change.local_end) };
  const elsewhere = change.space_id !== booking.space_id ? places.get(change.space_id)?.space.name : null;
  return h("span", { class: "occurrence-reason occurrence-change" },
    elsewhere ? t("changes.pendingElsewhere", { ...values, space: elsewhere }) : t("changes.pending", values));
}

/**
 * The move dialog of the page (#move-dialog). `onMoved(booking, answer)` is called with the API's
 * answer once the move is sent; the page reloads its list and says what happened.
 */
export function moveDialog({ zone, onMoved }) {
  const $ = (id) => document.getElementById(id);
  const dialog = $("move-dialog");
  const form = $("move-form");
  const alert = $("move-alert");
  const confirm = $("move-confirm");
  const state = { booking: null, opener: null, busy: false, errors: null };

  function render() {
    const { booking } = state;
    if (!booking) return;
    $("move-what").textContent = t("changes.what", {
      title: booking.title, date: formatDate(booking.local_date),
      time: formatTimeRange(booking.local_start, booking.local_end),
    });
    $("move-hint").textContent = t("changes.hint");
    paintErrors(form, alert, state.errors);
    confirm.textContent = t(state.busy ? "changes.sending" : "changes.confirm");
    if (state.busy) confirm.setAttribute("aria-disabled", "true");
    else confirm.removeAttribute("aria-disabled");
  }

  function open(booking, opener) {
    Object.assign(state, { booking, opener, busy: false, errors: null });
    $("move-date").value = booking.local_date;
    $("move-start").value = booking.local_start;
    $("move-end").value = booking.local_end;
    render();
    dialog.showModal();
    $("move-date").focus();
  }

  function read() {
    const errors = newErrors();
    const body = { date: $("move-date").value, start: $("move-start").value.slice(0, 5),
      end: $("move-end").value.slice(0, 5) };
    if (!isIsoDate(body.date)) addError(errors, "move-date", t("changes.dateMissing"));
    if (!TIME.test(body.start)) addError(errors, "move-start", t("changes.timeMissing"));
    if (!TIME.test(body.end)) addError(errors, "move-end", t("changes.timeMissing"));
    else if (TIME.test(body.start) && body.end <= body.start) addError(errors, "move-end", t("changes.endBeforeStart"));
    return { body, errors };
  }

  function refusal(error) {
    const conflicts = error instanceof ApiError && error.status === 409 ? error.problem.conflicts ?? [] : [];
    if (conflicts.some((c) => c.starts_at)) {
      const errors = newErrors();
      errors.loose.push(`${t("changes.taken")} ${conflicts.map((c) => conflictTime(c, zone())).join(", ")}. ${
        t("changes.chooseAnother")}`);
      addError(errors, "move-start", t("changes.chooseAnother"));
      return errors;
    }
    if (error instanceof ApiError && error.status === 422) return apiErrors(error, (name) => CONTROL_OF[name] ?? null);
    const errors = newErrors();
    errors.loose.push(problemText(error));
    return errors;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (state.busy || !state.booking) return;
    const { body, errors } = read();
    if (hasErrors(errors)) {
      state.errors = errors;
      render();
      focusFirstError(errors, alert);
      return;
    }
    const { booking } = state;
    Object.assign(state, { busy: true, errors: null });
    render();
    let answer;
    try {
      answer = await api(`/api/bookings/${encodeURIComponent(booking.id)}/move`, { method: "POST", body });
    } catch (error) {
      Object.assign(state, { busy: false, errors: refusal(error) });
      render();
      focusFirstError(state.errors, alert);
      return;
    }
    state.busy = false;
    state.opener = null;
    dialog.close();
    await onMoved(booking, answer);
  });

  $("move-keep").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    const { opener } = state;
    state.booking = null;
    replaceChildren(alert);
    if (opener?.isConnected) opener.focus();
  });

  return { open, render };
}

/** What the page says after a move: applied, or waiting for staff. */
export function movedNotice(booking, answer) {
  const change = answer.pending_change;
  const at = change ?? answer;
  const values = { title: booking.title, date: formatDate(at.local_date),
    time: formatTimeRange(at.local_start, at.local_end) };
  return t(change ? "changes.requested" : "changes.moved", values);
}
