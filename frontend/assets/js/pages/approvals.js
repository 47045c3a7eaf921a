// "Att godkänna" (premises staff): requests waiting for a decision, a weekly series as one
// request. Approving a series approves every occurrence that is still free; the others are
// rejected and listed with why. Rejecting needs a reason, which the applicant is told. Below, the
// moves associations asked for (change-decisions.js).
import { startPage } from "../app.js";
import { api, ApiError, fetchAll } from "../api.js";
import { h, replaceChildren } from "../dom.js";
import { DEFAULT_TIME_ZONE, formatDate, formatDateTime, formatTimeRange, t } from "../i18n.js";
import { mondayOf } from "../dates.js";
import { canDecide, loginUrl } from "../session.js";
import {
  conflictTime,
  groupBySeries,
  groupWhen,
  loadAssociationNames,
  loadPlaces,
  placeLink,
  problemText,
  skippedText,
} from "../booking-ui.js";
import { loadChanges, renderChanges } from "../change-decisions.js";

const $ = (id) => document.getElementById(id);
const status = $("approvals-status");
const list = $("approvals-list");

const data = {
  groups: [],
  places: new Map(),
  associations: new Map(),
  zone: DEFAULT_TIME_ZONE,
  error: null,
  redirecting: false,
  allowed: false,
};
// group key -> {rejecting, reason, reasonError, busy, error, outcome}
const decisions = new Map();

async function load(state) {
  if (!state.session) {
    if (state.sessionError) return;
    data.redirecting = true;
    window.location.replace(loginUrl("/approvals.html"));
    return;
  }
  data.allowed = canDecide(state.session);
  if (!data.allowed) return;
  try {
    const [pending, names, , municipality] = await Promise.all([
      fetchAll("/api/bookings", { status: "pending" }),
      loadAssociationNames(),
      loadChanges(),
      api(`/api/municipalities/${encodeURIComponent(state.session.account.municipality_id)}`).catch(() => null),
    ]);
    data.groups = groupBySeries(pending);
    data.associations = names;
    if (municipality?.timezone) data.zone = municipality.timezone;
    data.places = await loadPlaces(pending.map((b) => b.space_id));
  } catch (error) {
    data.error = error;
  }
}

function decisionOf(key) {
  if (!decisions.has(key)) decisions.set(key, { rejecting: false, reason: "", reasonError: null, busy: false });
  return decisions.get(key);
}

// --- deciding -----------------------------------------------------------------------------------

async function decide(group, approve) {
  const decision = decisionOf(group.key);
  if (decision.busy) return;
  if (!approve && !decision.reason.trim()) {
    decision.reasonError = "approvals.reasonMissing";
    renderList();
    $(`reason-${group.key}`).focus();
    return;
  }
  decision.busy = true;
  decision.error = null;
  decision.reasonError = null;
  renderList();
  $(approve ? `approve-${group.key}` : `reject-confirm-${group.key}`)?.focus();
  const body = approve ? { approve: true } : { approve: false, reason: decision.reason.trim() };
  const path = group.seriesId
    ? `/api/booking-series/${encodeURIComponent(group.seriesId)}/decision`
    : `/api/bookings/${encodeURIComponent(group.items[0].id)}/decision`;
  try {
    const outcome = await api(path, { method: "POST", body });
    decision.outcome = { approve, bookings: outcome.bookings, skipped: outcome.skipped, reason: body.reason };
  } catch (error) {
    const field = error instanceof ApiError ? error.problem.errors?.find((e) => e.field === "reason") : null;
    if (field && !approve) decision.reasonError = "approvals.reasonMissing";
    else decision.error = error;
  }
  decision.busy = false;
  renderList();
  const target = decision.outcome ? `outcome-${group.key}` : decision.reasonError ? `reason-${group.key}`
    : approve ? `approve-${group.key}` : `reject-confirm-${group.key}`;
  $(target)?.focus();
}

/** Why a decision failed: the times it clashes with, someone deciding first, or the problem. */
function errorView(error) {
  const conflicts = error instanceof ApiError && error.status === 409 ? error.problem.conflicts ?? [] : [];
  if (conflicts.some((c) => c.status)) return h("p", {}, t("approvals.alreadyDecided"));
  if (conflicts.some((c) => c.starts_at)) {
    return [h("p", {}, t("approvals.taken")),
      h("ul", {}, conflicts.map((c) => h("li", {}, conflictTime(c, data.zone)))),
      h("p", {}, t("approvals.takenAdvice"))];
  }
  return h("p", {}, problemText(error));
}


function startRejecting(group) {
  decisionOf(group.key).rejecting = true;
  renderList();
  $(`reason-${group.key}`).focus();
}

function stopRejecting(group) {
  Object.assign(decisionOf(group.key), { rejecting: false, reasonError: null, error: null });
  renderList();
  $(`reject-${group.key}`).focus();
}

// --- drawing ------------------------------------------------------------------------------------

function outcomeView(group, outcome) {
  const decided = outcome.bookings.length;
  const lines = [];
  if (outcome.approve) {
    lines.push(h("p", {}, decided ? t("approvals.approvedCount", { count: decided }) : t("approvals.noneApproved")));
    if (outcome.skipped.length) {
      lines.push(h("p", {}, t("approvals.skippedIntro", { count: outcome.skipped.length })),
        h("ul", { class: "skipped" }, outcome.skipped.map((s) => h("li", {}, skippedText(s, data.zone)))));
    }
  } else {
    lines.push(h("p", {}, t("approvals.rejectedCount", { count: decided })),
      h("p", {}, t("approvals.reasonGiven", { reason: outcome.reason })));
  }
  return h("div", { class: `outcome notice ${outcome.approve ? "notice-success" : ""}`, id: `outcome-${group.key}`,
    tabindex: "-1" },
  h("h3", {}, t(outcome.approve ? "approvals.approvedHeading" : "approvals.rejectedHeading")), lines);
}

function actions(group, title) {
  const decision = decisionOf(group.key);
  const named = (text) => [text, h("span", { class: "visually-hidden" }, ` ${title}`)];
  const error = h("div", { class: "alert alert-error", role: "alert" },
    decision.error ? errorView(decision.error) : null);
  if (decision.rejecting) {
    const reasonId = `reason-${group.key}`;
    const textarea = h("textarea", { id: reasonId, rows: "3", maxlength: "1000",
      "aria-describedby": `${reasonId}-hint ${reasonId}-error`,
      "aria-invalid": decision.reasonError ? "true" : null });
    textarea.value = decision.reason;
    textarea.addEventListener("input", () => { decision.reason = textarea.value; });
    const confirm = h("button", { type: "button", class: "button button-danger", id: `reject-confirm-${group.key}`,
      "aria-disabled": decision.busy ? "true" : null }, named(t(decision.busy ? "approvals.sending" : "approvals.rejectConfirm")));
    confirm.addEventListener("click", () => decide(group, false));
    const back = h("button", { type: "button", class: "button button-quiet" }, t("approvals.rejectCancel"));
    back.addEventListener("click", () => stopRejecting(group));
    return h("div", { class: "decision" }, error,
      h("div", { class: "field" },
        h("label", { for: reasonId }, t("approvals.reason")),
        h("p", { class: "hint", id: `${reasonId}-hint` }, t("approvals.reasonHint")),
        h("p", { class: "field-error", id: `${reasonId}-error` }, decision.reasonError ? t(decision.reasonError) : null),
        textarea),
      h("div", { class: "actions" }, confirm, back));
  }
  const approve = h("button", { type: "button", class: "button", id: `approve-${group.key}`,
    "aria-disabled": decision.busy ? "true" : null },
  named(t(decision.busy ? "approvals.sending" : group.items.length > 1 ? "approvals.approveAll" : "approvals.approve")));
  approve.addEventListener("click", () => decide(group, true));
  const reject = h("button", { type: "button", class: "button button-quiet", id: `reject-${group.key}` },
    named(t("approvals.reject")));
  reject.addEventListener("click", () => startRejecting(group));
  return h("div", { class: "decision" }, error, h("div", { class: "actions" }, approve, reject));
}

function dates(group) {
  const items = group.items.map((b) => h("li", {}, `${formatDate(b.local_date)} `,
    formatTimeRange(b.local_start, b.local_end)));
  if (group.items.length === 1) return null;
  return h("details", { class: "dates" },
    h("summary", {}, t("approvals.showDates", { count: group.items.length })),
    h("ul", {}, items));
}

function card(group) {
  const first = group.items[0];
  const headingId = `request-${group.key}`;
  const association = first.association_id
    ? data.associations.get(first.association_id) ?? t("bookings.unknownAssociation") : t("approvals.noAssociation");
  const decision = decisionOf(group.key);
  const fact = (term, ...value) => h("div", {}, h("dt", {}, term), h("dd", {}, ...value));
  return h("li", {},
    h("article", { class: "booking-group request-card", "aria-labelledby": headingId,
      "data-series": group.seriesId ?? "" },
    h("h2", { class: "booking-title", id: headingId }, first.title),
    h("dl", { class: "facts" },
      fact(t("bookings.association"), association),
      fact(t("bookings.space"), placeLink(data.places.get(first.space_id), first.space_id),
        data.places.get(first.space_id)?.site ? [" (", h("a", { href: `/site-calendar.html?${new URLSearchParams({
          id: data.places.get(first.space_id).site.id, week: mondayOf(first.local_date) })}` },
        t("approvals.siteWeek"), h("span", { class: "visually-hidden" }, ` ${first.title}`)), ")"] : null),
      fact(t("bookings.when"), groupWhen(group.items)),
      fact(t("approvals.occurrences"), t("approvals.occurrenceCount", { count: group.items.length })),
      first.note ? fact(t("approvals.note"), first.note) : null,
      fact(t("approvals.requested"), formatDateTime(first.created_at, data.zone))),
    dates(group),
    decision.outcome ? outcomeView(group, decision.outcome) : actions(group, first.title)));
}

function renderList() {
  if (data.error) {
    status.textContent = "";
    replaceChildren(list, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, `${t("approvals.loadFailed")} ${problemText(data.error)}`)));
    return;
  }
  const waiting = data.groups.filter((g) => !decisionOf(g.key).outcome).length;
  status.textContent = t("approvals.waiting", { count: waiting });
  replaceChildren(list, data.groups.length
    ? h("ul", { class: "booking-list" }, data.groups.map(card))
    : h("p", { class: "empty" }, t("approvals.none")));
}

function render(state) {
  if (state.loading || data.redirecting) return;
  if (!state.session) {
    replaceChildren(list, h("div", { class: "alert alert-error", role: "alert" },
      h("p", {}, problemText(state.sessionError))));
    return;
  }
  if (!data.allowed) {
    status.textContent = "";
    replaceChildren(list, h("p", { class: "notice" }, t("approvals.notAllowed")));
    return;
  }
  renderList();
  renderChanges({ associations: data.associations, zone: data.zone });
}

startPage({ current: "approvals", titleKey: "approvals.title", load, render });
