// "Flyttar som väntar på beslut" on the approvals page: the moves associations asked for, one card
// per change (its occasions, the booked and the wanted time), approved at once or refused with a
// reason the association reads. Approving checks and holds the new time; if it was taken meanwhile
// the card says by what, and nothing moved.
import { api, ApiError, fetchAll } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { formatDate, formatDateTime, formatTimeRange, t } from "./i18n.js";
import { conflictTime, loadPlaces, placeLink, problemText } from "./booking-ui.js";

const state = { changes: [], places: new Map(), error: null };
const decisions = new Map(); // change id -> {refusing, reason, reasonError, busy, error, outcome}

function decisionOf(id) {
  if (!decisions.has(id)) decisions.set(id, { refusing: false, reason: "", reasonError: null, busy: false });
  return decisions.get(id);
}

/** The bookings with a move waiting for staff, grouped by change. */
export async function loadChanges() {
  try {
    const bookings = await fetchAll("/api/bookings", { pending_change: "true" });
    const byChange = new Map();
    for (const booking of bookings) {
      const id = booking.pending_change.id;
      if (!byChange.has(id)) byChange.set(id, []);
      byChange.get(id).push(booking);
    }
    state.changes = [...byChange].map(([id, items]) => ({ id, items }));
    state.places = await loadPlaces(bookings.flatMap((b) => [b.space_id, b.pending_change.space_id]));
    state.error = null;
  } catch (error) {
    state.error = error;
  }
}

function when(date, start, end) {
  return `${formatDate(date)} ${formatTimeRange(start, end)}`;
}

async function decide(change, approve, redraw) {
  const decision = decisionOf(change.id);
  if (decision.busy) return;
  if (!approve && !decision.reason.trim()) {
    decision.reasonError = "changes.reasonMissing";
    redraw();
    document.getElementById(`change-reason-${change.id}`)?.focus();
    return;
  }
  Object.assign(decision, { busy: true, error: null, reasonError: null });
  redraw();
  const body = approve ? { approve: true } : { approve: false, reason: decision.reason.trim() };
  try {
    const outcome = await api(`/api/booking-changes/${encodeURIComponent(change.id)}/decision`,
      { method: "POST", body });
    decision.outcome = { approve, bookings: outcome.bookings, reason: body.reason };
  } catch (error) {
    decision.error = error;
  }
  decision.busy = false;
  redraw();
  const target = decision.outcome ? `change-outcome-${change.id}` : approve ? `change-approve-${change.id}`
    : `change-refuse-confirm-${change.id}`;
  document.getElementById(target)?.focus();
}

function errorView(error, zone) {
  const conflicts = error instanceof ApiError && error.status === 409 ? error.problem.conflicts ?? [] : [];
  if (conflicts.some((c) => c.starts_at)) {
    return [h("p", {}, t("changes.takenNow")), h("ul", {}, conflicts.map((c) => h("li", {}, conflictTime(c, zone)))),
      h("p", {}, t("changes.takenAdvice"))];
  }
  return h("p", {}, problemText(error));
}

function outcomeView(change, outcome) {
  const first = outcome.bookings[0];
  const values = { date: formatDate(first.local_date), time: formatTimeRange(first.local_start, first.local_end) };
  return h("div", { class: `outcome notice ${outcome.approve ? "notice-success" : ""}`,
    id: `change-outcome-${change.id}`, tabindex: "-1" },
  h("h4", {}, t(outcome.approve ? "changes.approvedHeading" : "changes.refusedHeading")),
  h("p", {}, outcome.approve ? t("changes.approved", values) : t("changes.refused", { ...values, reason: outcome.reason })));
}

function actions(change, title, zone, redraw) {
  const decision = decisionOf(change.id);
  const named = (text) => [text, h("span", { class: "visually-hidden" }, ` ${title}`)];
  const error = h("div", { class: "alert alert-error", role: "alert" },
    decision.error ? errorView(decision.error, zone) : null);
  if (decision.refusing) {
    const id = `change-reason-${change.id}`;
    const textarea = h("textarea", { id, rows: "3", maxlength: "1000", "aria-describedby": `${id}-hint ${id}-error`,
      "aria-invalid": decision.reasonError ? "true" : null });
    textarea.value = decision.reason;
    textarea.addEventListener("input", () => { decision.reason = textarea.value; });
    const confirm = h("button", { type: "button", class: "button button-danger", id: `change-refuse-confirm-${change.id}`,
      "aria-disabled": decision.busy ? "true" : null }, named(t(decision.busy ? "approvals.sending" : "changes.refuseConfirm")));
    confirm.addEventListener("click", () => decide(change, false, redraw));
    const back = h("button", { type: "button", class: "button button-quiet" }, t("changes.refuseCancel"));
    back.addEventListener("click", () => {
      Object.assign(decision, { refusing: false, reasonError: null, error: null });
      redraw();
      document.getElementById(`change-refuse-${change.id}`)?.focus();
    });
    return h("div", { class: "decision" }, error,
      h("div", { class: "field" },
        h("label", { for: id }, t("changes.reason")),
        h("p", { class: "hint", id: `${id}-hint` }, t("changes.reasonHint")),
        h("p", { class: "field-error", id: `${id}-error` }, decision.reasonError ? t(decision.reasonError) : null),
        textarea),
      h("div", { class: "actions" }, confirm, back));
  }
  const approve = h("button", { type: "button", class: "button", id: `change-approve-${change.id}`,
    "aria-disabled": decision.busy ? "true" : null }, named(t(decision.busy ? "approvals.sending" : "changes.approve")));
  approve.addEventListener("click", () => decide(change, true, redraw));
  const refuse = h("button", { type: "button", class: "button button-quiet", id: `change-refuse-${change.id}` },
    named(t("changes.refuse")));
  refuse.addEventListener("click", () => {
    decision.refusing = true;
    redraw();
    document.getElementById(`change-reason-${change.id}`)?.focus();
  });
  return h("div", { class: "decision" }, error, h("div", { class: "actions" }, approve, refuse));
}

function card(change, associations, zone, redraw) {
  const first = change.items[0];
  const wanted = first.pending_change;
  const headingId = `change-${change.id}`;
  const fact = (term, ...value) => h("div", {}, h("dt", {}, term), h("dd", {}, ...value));
  const decision = decisionOf(change.id);
  const moved = wanted.space_id !== first.space_id;
  return h("li", {},
    h("article", { class: "booking-group request-card", "aria-labelledby": headingId, "data-change": change.id },
      h("h3", { class: "booking-title", id: headingId }, first.title),
      h("dl", { class: "facts" },
        fact(t("bookings.association"), first.association_id
          ? associations.get(first.association_id) ?? t("bookings.unknownAssociation") : t("approvals.noAssociation")),
        fact(t("bookings.space"), placeLink(state.places.get(first.space_id), first.space_id)),
        fact(t("changes.from"), change.items.map((b, i) => [i ? ", " : "", when(b.local_date, b.local_start, b.local_end)])),
        fact(t("changes.to"), moved ? [placeLink(state.places.get(wanted.space_id), wanted.space_id), ", "] : null,
          change.items.map((b, i) => [i ? ", " : "", when(b.pending_change.local_date, b.pending_change.local_start,
            b.pending_change.local_end)])),
        wanted.requested_at ? fact(t("changes.asked"), formatDateTime(wanted.requested_at, zone)) : null),
      decision.outcome ? outcomeView(change, decision.outcome) : actions(change, first.title, zone, redraw)));
}

/** Draw the section into `section` (#changes-section): its status, and the cards. */
export function renderChanges({ associations, zone }) {
  const section = document.getElementById("changes-section");
  const status = document.getElementById("changes-status");
  const list = document.getElementById("changes-list");
  const redraw = () => renderChanges({ associations, zone });
  section.hidden = false;
  if (state.error) {
    status.textContent = "";
    replaceChildren(list, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("changes.loadFailed")} ${problemText(state.error)}`)));
    return;
  }
  const waiting = state.changes.filter((c) => !decisionOf(c.id).outcome).length;
  status.textContent = waiting ? t("changes.queueWaiting", { count: waiting }) : t("changes.queueNone");
  replaceChildren(list, state.changes.length
    ? h("ul", { class: "booking-list" }, state.changes.map((c) => card(c, associations, zone, redraw)))
    : null);
}
